// AES modes against NIST SP 800-38A Appendix F and the GCM specification's test cases.
#include <gtest/gtest.h>

#include "crypto/aes.h"
#include "test_util.h"

using namespace calemu::crypto;
using namespace calemu::crypto::test;

namespace {

// SP 800-38A Appendix F: the AES-256 key and the four-block plaintext all F.x.5 examples use.
const Bytes kKey256 = hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
const Bytes kPlain = hex(
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");

}  // namespace

TEST(Aes, Sp80038aEcbAes256AndAes128) {
  const Bytes ct = hex(  // F.1.5 ECB-AES256.Encrypt
      "f3eed1bdb5d2a03c064b5a7e3db181f8591ccb10d410ed26dc5ba74a31362870"
      "b6ed21b99ca6f4f9f153e7b1beafed1d23304b7a39f9f3ff067d8d8f9e24ecc7");
  EXPECT_EQ(to_hex(aes_ecb_encrypt(kKey256, kPlain)), to_hex(ct));
  EXPECT_EQ(aes_ecb_decrypt(kKey256, ct), kPlain);  // F.1.6
  // F.1.1 ECB-AES128.Encrypt, first block.
  EXPECT_EQ(to_hex(aes_ecb_encrypt(hex("2b7e151628aed2a6abf7158809cf4f3c"), ByteView(kPlain).first(16))),
            "3ad77bb40d7a3660a89ecaf32466ef97");
}

TEST(Aes, Sp80038aCbcAes256) {
  const Bytes iv = hex("000102030405060708090a0b0c0d0e0f");
  const Bytes ct = hex(  // F.2.5 CBC-AES256.Encrypt
      "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
      "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b");
  EXPECT_EQ(to_hex(aes_cbc_encrypt(kKey256, iv, kPlain)), to_hex(ct));
  EXPECT_EQ(aes_cbc_decrypt(kKey256, iv, ct), kPlain);  // F.2.6
}

TEST(Aes, Sp80038aCtrAes256) {
  const Bytes counter = hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
  const Bytes ct = hex(  // F.5.5 CTR-AES256.Encrypt
      "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
      "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6");
  EXPECT_EQ(to_hex(aes_ctr(kKey256, counter, kPlain)), to_hex(ct));
  EXPECT_EQ(aes_ctr(kKey256, counter, ct), kPlain);  // F.5.6
  // A partial last block is the prefix of the full one.
  EXPECT_EQ(aes_ctr(kKey256, counter, ByteView(kPlain).first(20)), Bytes(ct.begin(), ct.begin() + 20));
}

// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", Appendix B test cases 13, 14
// and 16 (AES-256), the examples SP 800-38D refers to.
TEST(Aes, GcmSpecTestCases) {
  const Bytes zero_key(32, 0), zero_iv(12, 0);
  const AesGcmSealed tc13 = aes_gcm_encrypt(zero_key, zero_iv, {}, {});
  EXPECT_TRUE(tc13.ciphertext.empty());
  EXPECT_EQ(to_hex(tc13.tag), "530f8afbc74536b9a963b4f1c4cb738b");
  const AesGcmSealed tc14 = aes_gcm_encrypt(zero_key, zero_iv, {}, Bytes(16, 0));
  EXPECT_EQ(to_hex(tc14.ciphertext), "cea7403d4d606b6e074ec5d3baf39d18");
  EXPECT_EQ(to_hex(tc14.tag), "d0d1c8a799996bf0265b98b5d48ab919");

  const Bytes key = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
  const Bytes iv = hex("cafebabefacedbaddecaf888");
  const Bytes aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const Bytes pt = hex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
  const Bytes ct = hex(
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
      "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662");
  const Bytes tag = hex("76fc6ece0f4e1768cddf8853bb2d551b");
  const AesGcmSealed tc16 = aes_gcm_encrypt(key, iv, aad, pt);
  EXPECT_EQ(to_hex(tc16.ciphertext), to_hex(ct));
  EXPECT_EQ(to_hex(tc16.tag), to_hex(tag));

  EXPECT_EQ(aes_gcm_decrypt(key, iv, aad, ct, tag), pt);
  Bytes bad_tag = tag;
  bad_tag[15] ^= 1;
  EXPECT_FALSE(aes_gcm_decrypt(key, iv, aad, ct, bad_tag).has_value());
  Bytes bad_ct = ct;
  bad_ct[0] ^= 1;
  EXPECT_FALSE(aes_gcm_decrypt(key, iv, aad, bad_ct, tag).has_value());
  EXPECT_FALSE(aes_gcm_decrypt(key, iv, {}, ct, tag).has_value());
  // A truncated tag is the prefix of the full one.
  EXPECT_EQ(aes_gcm_encrypt(key, iv, aad, pt, 12).tag, Bytes(tag.begin(), tag.begin() + 12));
}

TEST(Aes, BlockCipherKeepsItsKey) {
  // F.1.5 ECB-AES256, blocks one and two, and back (F.1.6).
  const AesBlockCipher aes(kKey256);
  Block16 p1{}, p2{};
  std::copy_n(kPlain.begin(), 16, p1.begin());
  std::copy_n(kPlain.begin() + 16, 16, p2.begin());
  EXPECT_EQ(to_hex(aes.encrypt(p1)), "f3eed1bdb5d2a03c064b5a7e3db181f8");
  EXPECT_EQ(to_hex(aes.encrypt(p2)), "591ccb10d410ed26dc5ba74a31362870");
  EXPECT_EQ(aes.decrypt(aes.encrypt(p2)), p2);
  const AesBlockCipher aes192(hex("8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b"));  // F.1.3
  EXPECT_EQ(to_hex(aes192.encrypt(p1)), "bd334f1d6e45f25ff712a214571fa5cc");
  EXPECT_THROW(AesBlockCipher(Bytes(20)), CryptoError);
}

// GCM specification Appendix B, test case 2 (AES-128, zero key and IV, one zero block):
// H = E(K, 0), C1, and X1 = C1 * H as published; the final GHASH, X2 = (X1 xor len(A)||len(C))
// * H, is the published tag xor E(K, Y0).
TEST(Aes, Gf128MulGcmTestCase2) {
  auto blk = [](const std::string& h) {
    Block16 b{};
    const Bytes v = hex(h);
    std::copy(v.begin(), v.end(), b.begin());
    return b;
  };
  const Block16 h = blk("66e94bd4ef8a2c3b884cfa59ca342b2e");
  const Block16 x1 = gf128_mul(blk("0388dace60b6a392f328c2b971b2fe78"), h);
  EXPECT_EQ(to_hex(x1), "5e2ec746917062882c85b0685353deb7");
  Block16 in = x1;
  in[15] ^= 0x80;  // len(C) = 128 bits
  const Block16 tag = blk("ab6e47d42cec13bdf53a67b21257bddf"), ek_y0 = blk("58e2fccefa7e3061367f1d57a4e7455a");
  Block16 ghash{};
  for (int i = 0; i < 16; ++i) ghash[i] = tag[i] ^ ek_y0[i];
  EXPECT_EQ(to_hex(gf128_mul(in, h)), to_hex(ghash));
  EXPECT_EQ(gf128_mul(h, blk("80000000000000000000000000000000")), h);  // x^0 is the identity
}

TEST(Aes, RejectsBadSizes) {
  EXPECT_THROW(aes_ecb_encrypt(Bytes(31), Bytes(16)), CryptoError);
  EXPECT_THROW(aes_ecb_encrypt(kKey256, Bytes(15)), CryptoError);
  EXPECT_THROW(aes_cbc_encrypt(kKey256, Bytes(12), Bytes(16)), CryptoError);
  EXPECT_THROW(aes_gcm_encrypt(kKey256, {}, {}, Bytes(16)), CryptoError);
  EXPECT_THROW(aes_gcm_encrypt(kKey256, Bytes(12), {}, Bytes(16), 17), CryptoError);
}
