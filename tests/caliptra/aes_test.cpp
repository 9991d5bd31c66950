// The 2.x AES engine through its registers only, as firmware drives it (caliptra-sw's AES
// driver sequence: control register twice, key shares, IV, then blocks), against NIST
// SP 800-38A Appendix F (ECB, CBC, CFB128, OFB, CTR; AES-128/192/256) and the GCM
// specification's Appendix B test cases 4, 10 and 16; and the RTL's register rules
// (shadowed writes, status tracking, stalls, manual mode, clearing, the key vault).
#include <gtest/gtest.h>

#include <map>

#include "caliptra/aes.h"
#include "caliptra/keyvault.h"
#include "crypto/aes.h"
#include "ip_test_util.h"

using namespace calemu;
using namespace calemu::caliptra;
using namespace calemu::caliptra::test;

namespace {

constexpr uint32_t kKeyShare0 = 0x04, kKeyShare1 = 0x24, kIv = 0x44, kDataIn = 0x54, kDataOut = 0x64, kCtrl = 0x74,
                   kCtrlAux = 0x78, kCtrlAuxRegwen = 0x7C, kTrigger = 0x80, kStatus = 0x84, kCtrlGcm = 0x88;
// aes_clp_reg at +0x800.
constexpr uint32_t kClp = 0x800, kName = kClp + 0x0, kVersion = kClp + 0x8, kEntropySeed = kClp + 0x110,
                   kCtrl0 = kClp + 0x134, kKvRdCtrl = kClp + 0x200, kKvRdStatus = kClp + 0x204,
                   kKvWrCtrl = kClp + 0x208, kKvWrStatus = kClp + 0x20C;

// SP 800-38A Appendix F.
const std::string kPlain =
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
const std::map<unsigned, std::string> kKeys = {
    {128, "2b7e151628aed2a6abf7158809cf4f3c"},
    {192, "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b"},
    {256, "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"}};
const std::string kIv38a = "000102030405060708090a0b0c0d0e0f", kCtr38a = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

struct Vector {
  uint32_t mode;
  unsigned bits;
  std::string iv, ct;
};
const Vector kVectors[] = {
    {Aes::kEcb, 128, "", "3ad77bb40d7a3660a89ecaf32466ef97f5d3d58503b9699de785895a96fdbaaf43b1cd7f598ece23881b00e3ed0306887b0c785e27e8ad3f8223207104725dd4"},  // F.1.1
    {Aes::kEcb, 192, "", "bd334f1d6e45f25ff712a214571fa5cc974104846d0ad3ad7734ecb3ecee4eefef7afd2270e2e60adce0ba2face6444e9a4b41ba738d6c72fb16691603c18e0e"},  // F.1.3
    {Aes::kEcb, 256, "", "f3eed1bdb5d2a03c064b5a7e3db181f8591ccb10d410ed26dc5ba74a31362870b6ed21b99ca6f4f9f153e7b1beafed1d23304b7a39f9f3ff067d8d8f9e24ecc7"},  // F.1.5
    {Aes::kCbc, 128, kIv38a, "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b273bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7"},  // F.2.1
    {Aes::kCbc, 192, kIv38a, "4f021db243bc633d7178183a9fa071e8b4d9ada9ad7dedf4e5e738763f69145a571b242012fb7ae07fa9baac3df102e008b0e27988598881d920a9e64f5615cd"},  // F.2.3
    {Aes::kCbc, 256, kIv38a, "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b"},  // F.2.5
    {Aes::kCfb, 128, kIv38a, "3b3fd92eb72dad20333449f8e83cfb4ac8a64537a0b3a93fcde3cdad9f1ce58b26751f67a3cbb140b1808cf187a4f4dfc04b05357c5d1c0eeac4c66f9ff7f2e6"},  // F.3.13
    {Aes::kCfb, 192, kIv38a, "cdc80d6fddf18cab34c25909c99a417467ce7f7f81173621961a2b70171d3d7a2e1e8a1dd59b88b1c8e60fed1efac4c9c05f9f9ca9834fa042ae8fba584b09ff"},  // F.3.15
    {Aes::kCfb, 256, kIv38a, "dc7e84bfda79164b7ecd8486985d386039ffed143b28b1c832113c6331e5407bdf10132415e54b92a13ed0a8267ae2f975a385741ab9cef82031623d55b1e471"},  // F.3.17
    {Aes::kOfb, 128, kIv38a, "3b3fd92eb72dad20333449f8e83cfb4a7789508d16918f03f53c52dac54ed8259740051e9c5fecf64344f7a82260edcc304c6528f659c77866a510d9c1d6ae5e"},  // F.4.1
    {Aes::kOfb, 192, kIv38a, "cdc80d6fddf18cab34c25909c99a4174fcc28b8d4c63837c09e81700c11004018d9a9aeac0f6596f559c6d4daf59a5f26d9f200857ca6c3e9cac524bd9acc92a"},  // F.4.3
    {Aes::kOfb, 256, kIv38a, "dc7e84bfda79164b7ecd8486985d38604febdc6740d20b3ac88f6ad82a4fb08d71ab47a086e86eedf39d1c5bba97c4080126141d67f37be8538f5a8be740e484"},  // F.4.5
    {Aes::kCtr, 128, kCtr38a, "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee"},  // F.5.1
    {Aes::kCtr, 192, kCtr38a, "1abc932417521ca24f2b0459fe7e6e0b090339ec0aa6faefd5ccc2c6f4ce8e941e36b26bd1ebc670d1bd1d665620abf74f78a7f6d29809585a97daec58c6b050"},  // F.5.3
    {Aes::kCtr, 256, kCtr38a, "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c52b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6"},  // F.5.5
};

crypto::Bytes first_block() {
  const crypto::Bytes p = crypto::from_hex(kPlain);
  return crypto::Bytes(p.begin(), p.begin() + 16);
}

uint32_t key_len_field(unsigned bits) { return bits == 128 ? Aes::k128 : bits == 192 ? Aes::k192 : Aes::k256; }
uint32_t ctrl_value(uint32_t op, uint32_t mode, unsigned bits, bool manual = false, bool sideload = false) {
  return op | mode << 2 | key_len_field(bits) << 8 | (sideload ? 1u << 11 : 0) | 1u << 12 | (manual ? 1u << 15 : 0);
}

class AesTest : public ::testing::Test, protected test::Bench {
 protected:
  explicit AesTest(HwGen hw = HwGen::V2_1) : Bench(hw, 7), aes(ctx) {
    wait_idle();  // the reset triggers: reseed, then clear every register
  }

  bool run_until(const std::function<bool()>& pred, uint64_t max_cycles = 100'000) {
    return Bench::run_until(pred, max_cycles);
  }
  uint32_t status() { return rd(aes, kStatus); }
  void wait_idle() { ASSERT_TRUE(run_until([&] { return status() & Aes::kIdle; })); }
  void wait_status(uint32_t bit) { ASSERT_TRUE(run_until([&] { return status() & bit; })); }

  void write_ctrl(uint32_t v) {
    wait_idle();
    wr(aes, kCtrl, v);
    wr(aes, kCtrl, v);
  }
  void write_gcm(uint32_t phase, unsigned nvb = 16) {
    wait_idle();
    wr(aes, kCtrlGcm, phase | nvb << 6);
    wr(aes, kCtrlGcm, phase | nvb << 6);
  }
  // The key split into two shares that XOR to it, all eight words of each written.
  void write_key(const crypto::Bytes& key) {
    wait_idle();
    Words k = le_words(key);
    k.resize(8, 0xDEAD'BEEF);
    for (unsigned i = 0; i < 8; ++i) {
      wr(aes, kKeyShare0 + 4 * i, k[i] ^ 0x1234'5678);
      wr(aes, kKeyShare1 + 4 * i, 0x1234'5678);
    }
    wait_idle();  // a new key reseeds the PRNGs (KEY_TOUCH_FORCES_RESEED)
  }
  void write_iv(const Words& iv) {
    wait_idle();
    for (unsigned i = 0; i < 4; ++i) wr(aes, kIv + 4 * i, iv[i]);
  }
  void load_block(const Words& in, size_t block) {
    wait_status(Aes::kInputReady);
    for (unsigned i = 0; i < 4; ++i) wr(aes, kDataIn + 4 * i, 4 * block + i < in.size() ? in[4 * block + i] : 0);
  }
  Words read_block() {
    wait_status(Aes::kOutputValid);
    return rd_words(aes, kDataOut, 4);
  }
  // Automatic mode, one block at a time.
  crypto::Bytes crypt(const crypto::Bytes& data) {
    const Words in = le_words(data);
    Words out;
    for (size_t b = 0; b < (in.size() + 3) / 4; ++b) {
      load_block(in, b);
      const Words o = read_block();
      out.insert(out.end(), o.begin(), o.end());
    }
    return le_bytes(out);
  }
  void setup(uint32_t op, uint32_t mode, unsigned bits, const std::string& iv) {
    write_ctrl(ctrl_value(op, mode, bits));
    write_key(crypto::from_hex(kKeys.at(bits)));
    if (!iv.empty()) write_iv(le_words(crypto::from_hex(iv)));
  }

  // GCM as caliptra-sw drives it: INIT with the 96-bit IV (last word 0; the counter passes
  // through 1 for the hash subkey), AAD and text blocks with the valid-byte count of partial
  // blocks, then TAG with len(A) || len(C).
  struct GcmResult {
    crypto::Bytes out, tag;
  };
  void gcm_start(uint32_t op, unsigned bits, const crypto::Bytes& key, const crypto::Bytes& iv) {
    write_ctrl(ctrl_value(op, Aes::kGcm, bits));
    write_gcm(Aes::kInit);
    write_key(key);
    Words w = le_words(iv);
    w.push_back(0);
    write_iv(w);
    wait_idle();  // H = E(K, 0), S = E(K, J0)
  }
  crypto::Bytes gcm_blocks(uint32_t phase, const crypto::Bytes& data, bool read_output) {
    const Words in = le_words(data);
    const size_t blocks = (data.size() + 15) / 16;
    crypto::Bytes out;
    for (size_t b = 0; b < blocks; ++b) {
      const size_t n = std::min<size_t>(16, data.size() - 16 * b);
      if (b == 0 || n < 16) write_gcm(phase, static_cast<unsigned>(n));
      load_block(in, b);
      if (read_output) {
        const crypto::Bytes o = le_bytes(read_block());
        out.insert(out.end(), o.begin(), o.begin() + static_cast<long>(n));
      }
    }
    return out;
  }
  crypto::Bytes gcm_tag(size_t aad_len, size_t text_len) {
    write_gcm(Aes::kTag);
    crypto::Bytes len(16, 0);
    for (int i = 0; i < 8; ++i) {
      len[7 - i] = static_cast<uint8_t>((aad_len * 8) >> (8 * i));
      len[15 - i] = static_cast<uint8_t>((text_len * 8) >> (8 * i));
    }
    load_block(le_words(len), 0);
    return le_bytes(read_block());
  }
  GcmResult gcm(uint32_t op, unsigned bits, const crypto::Bytes& key, const crypto::Bytes& iv, const crypto::Bytes& aad,
                const crypto::Bytes& text) {
    gcm_start(op, bits, key, iv);
    if (!aad.empty()) gcm_blocks(Aes::kAad, aad, false);
    GcmResult r;
    r.out = gcm_blocks(Aes::kText, text, true);
    r.tag = gcm_tag(aad.size(), text.size());
    return r;
  }

  Aes aes;
};

class Aes20Test : public AesTest {
 protected:
  Aes20Test() : AesTest(HwGen::V2_0) {}
};

}  // namespace

TEST_F(AesTest, ResetStateAndIdentity) {
  // The reset triggers (0xE) ran: idle, ready for input, no output; TRIGGER reads 0.
  EXPECT_EQ(status(), Aes::kIdle | Aes::kInputReady);
  EXPECT_EQ(rd(aes, kTrigger), 0u);
  EXPECT_EQ(rd(aes, kCtrl), 0x11FDu);     // ENC, mode NONE, AES-128, PER_1
  EXPECT_EQ(rd(aes, kCtrlGcm), 0x401u);   // INIT, 16 bytes
  EXPECT_EQ(rd(aes, kCtrlAux), 0x1u);     // KEY_TOUCH_FORCES_RESEED
  EXPECT_EQ(rd(aes, kCtrlAuxRegwen), 0x1u);
  EXPECT_EQ(rd(aes, kKeyShare0), 0u);     // write-only
  EXPECT_EQ(rd(aes, kName), 0x0006'1657u);  // aes_clp_wrapper.sv 32'h0061657
  EXPECT_EQ(rd(aes, kVersion), 0x0031'2E30u);
  EXPECT_EQ(rd(aes, kKvRdStatus), 1u);     // READY
}

TEST_F(AesTest, Sp80038aAllModesAndKeyLengths) {
  for (const Vector& v : kVectors) {
    SCOPED_TRACE(std::to_string(v.mode) + "/" + std::to_string(v.bits));
    setup(Aes::kEnc, v.mode, v.bits, v.iv);
    EXPECT_EQ(crypto::to_hex(crypt(crypto::from_hex(kPlain))), v.ct);
    setup(Aes::kDec, v.mode, v.bits, v.iv);
    EXPECT_EQ(crypto::to_hex(crypt(crypto::from_hex(v.ct))), kPlain);
  }
}

TEST_F(AesTest, IvRegistersFollowTheMode) {
  // CBC: the IV becomes the last ciphertext block; CTR: the counter advanced by the blocks.
  setup(Aes::kEnc, Aes::kCbc, 256, kIv38a);
  crypt(crypto::from_hex(kPlain));
  EXPECT_EQ(crypto::to_hex(le_bytes(rd_words(aes, kIv, 4))), "b2eb05e2c39be9fcda6c19078c6a9d1b");
  setup(Aes::kEnc, Aes::kCtr, 128, kCtr38a);
  crypt(crypto::from_hex(kPlain));
  EXPECT_EQ(crypto::to_hex(le_bytes(rd_words(aes, kIv, 4))), "f0f1f2f3f4f5f6f7f8f9fafbfcfdff03");
}

TEST_F(AesTest, GcmSpecTestCases) {
  const crypto::Bytes iv = crypto::from_hex("cafebabefacedbaddecaf888"),
                      aad = crypto::from_hex("feedfacedeadbeeffeedfacedeadbeefabaddad2"),
                      pt = crypto::from_hex(
                          "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                          "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
  struct Case {
    unsigned bits;
    std::string key, ct, tag;
  };
  const Case cases[] = {
      {128, "feffe9928665731c6d6a8f9467308308",  // test case 4
       "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
       "5bc94fbc3221a5db94fae95ae7121a47"},
      {192, "feffe9928665731c6d6a8f9467308308feffe9928665731c",  // test case 10
       "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710",
       "2519498e80f1478f37ba55bd6d27618c"},
      {256, "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",  // test case 16
       "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
       "76fc6ece0f4e1768cddf8853bb2d551b"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.bits);
    const crypto::Bytes key = crypto::from_hex(c.key);
    GcmResult enc = gcm(Aes::kEnc, c.bits, key, iv, aad, pt);
    EXPECT_EQ(crypto::to_hex(enc.out), c.ct);
    EXPECT_EQ(crypto::to_hex(enc.tag), c.tag);
    GcmResult dec = gcm(Aes::kDec, c.bits, key, iv, aad, crypto::from_hex(c.ct));
    EXPECT_EQ(crypto::to_hex(dec.out), crypto::to_hex(pt));
    EXPECT_EQ(crypto::to_hex(dec.tag), c.tag);
  }
  // Test cases 13 and 14: no AAD, no text / one zero block.
  const crypto::Bytes zero_key(32, 0), zero_iv(12, 0);
  EXPECT_EQ(crypto::to_hex(gcm(Aes::kEnc, 256, zero_key, zero_iv, {}, {}).tag), "530f8afbc74536b9a963b4f1c4cb738b");
  GcmResult tc14 = gcm(Aes::kEnc, 256, zero_key, zero_iv, {}, crypto::Bytes(16, 0));
  EXPECT_EQ(crypto::to_hex(tc14.out), "cea7403d4d606b6e074ec5d3baf39d18");
  EXPECT_EQ(crypto::to_hex(tc14.tag), "d0d1c8a799996bf0265b98b5d48ab919");
}

// caliptra-sw's streaming GCM: save the GHASH state (state + S) after some blocks, restart
// with INIT, restore it, and go on; the IV's last word carries the next counter value.
TEST_F(AesTest, GcmSaveAndRestoreMidMessage) {
  const crypto::Bytes key = crypto::from_hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"),
                      iv = crypto::from_hex("cafebabefacedbaddecaf888"),
                      aad = crypto::from_hex("feedfacedeadbeeffeedfacedeadbeefabaddad2"),
                      pt = crypto::from_hex(
                          "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                          "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
  gcm_start(Aes::kEnc, 256, key, iv);
  gcm_blocks(Aes::kAad, aad, false);
  crypto::Bytes ct = gcm_blocks(Aes::kText, crypto::Bytes(pt.begin(), pt.begin() + 32), true);
  write_gcm(Aes::kSave);
  const Words saved = read_block();
  EXPECT_FALSE(status() & Aes::kOutputValid);  // all four words read
  // Restore: INIT with the IV's counter word at 2 + blocks done (big-endian), RESTORE, the
  // saved value in DATA_IN, then the IV again.
  write_ctrl(ctrl_value(Aes::kEnc, Aes::kGcm, 256));
  write_gcm(Aes::kInit);
  write_key(key);
  Words w = le_words(iv);
  w.push_back(0);
  write_iv(w);
  wait_idle();
  write_gcm(Aes::kRestore);
  load_block(saved, 0);
  wait_idle();
  w[3] = 0x0400'0000;  // counter 4, big-endian
  write_iv(w);
  const crypto::Bytes rest = gcm_blocks(Aes::kText, crypto::Bytes(pt.begin() + 32, pt.end()), true);
  ct.insert(ct.end(), rest.begin(), rest.end());
  const crypto::Bytes tag = gcm_tag(aad.size(), pt.size());
  EXPECT_EQ(crypto::to_hex(ct),
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662");
  EXPECT_EQ(crypto::to_hex(tag), "76fc6ece0f4e1768cddf8853bb2d551b");
}

TEST_F(AesTest, GcmPhaseTransitionsFollowTheRtl) {
  // INIT -> TEXT is refused until the hash subkey and S exist (the phase stays INIT).
  write_ctrl(ctrl_value(Aes::kEnc, Aes::kGcm, 256));
  write_gcm(Aes::kText, 5);
  EXPECT_EQ(rd(aes, kCtrlGcm), Aes::kInit | 5u << 6);
  // num_valid_bytes 0 or > 16 reads as 16; invalid phases map to INIT.
  write_gcm(0x3, 0);
  EXPECT_EQ(rd(aes, kCtrlGcm), Aes::kInit | 16u << 6);
  gcm_start(Aes::kEnc, 256, crypto::Bytes(32, 1), crypto::Bytes(12, 2));
  // SAVE needs a processed block: the phase stays INIT, and a completed write that leaves
  // INIT committed restarts GCM (gcm_clear): H, S and the IV are gone.
  write_gcm(Aes::kSave);
  EXPECT_EQ(rd(aes, kCtrlGcm) & 0x3F, Aes::kInit);
  write_gcm(Aes::kAad);
  EXPECT_EQ(rd(aes, kCtrlGcm) & 0x3F, Aes::kInit);
  write_iv({1, 2, 3, 0});
  wait_idle();
  write_gcm(Aes::kAad);
  EXPECT_EQ(rd(aes, kCtrlGcm) & 0x3F, Aes::kAad);
  write_gcm(Aes::kSave);  // still no block processed
  EXPECT_EQ(rd(aes, kCtrlGcm) & 0x3F, Aes::kAad);
  load_block({1, 2, 3, 4}, 0);
  write_gcm(Aes::kSave);
  EXPECT_EQ(rd(aes, kCtrlGcm) & 0x3F, Aes::kSave);
  write_gcm(Aes::kText);  // SAVE only goes back to INIT
  EXPECT_EQ(rd(aes, kCtrlGcm) & 0x3F, Aes::kSave);
}

TEST_F(AesTest, ShadowedControlNeedsTwoEqualWrites) {
  const uint32_t ecb = ctrl_value(Aes::kEnc, Aes::kEcb, 256);
  wr(aes, kCtrl, ecb);
  EXPECT_EQ(rd(aes, kCtrl), 0x11FDu);  // one write commits nothing; the read restarts the phase
  wr(aes, kCtrl, ecb);
  EXPECT_EQ(rd(aes, kCtrl), 0x11FDu);
  wr(aes, kCtrl, ecb);
  wr(aes, kCtrl, ctrl_value(Aes::kDec, Aes::kEcb, 256));  // unequal: update error
  EXPECT_EQ(rd(aes, kCtrl), 0x11FDu);
  EXPECT_TRUE(status() & Aes::kAlertRecovCtrlUpdateErr);
  write_ctrl(ecb);
  EXPECT_EQ(rd(aes, kCtrl), ecb);
  EXPECT_FALSE(status() & Aes::kAlertRecovCtrlUpdateErr);
  // Invalid encodings: operation -> ENC, mode -> NONE, key length -> 256, reseed rate -> PER_1.
  write_ctrl(0x3 | 0x3u << 2 | 0x3u << 8 | 0x3u << 12);
  EXPECT_EQ(rd(aes, kCtrl), Aes::kEnc | Aes::kModeNone << 2 | Aes::k256 << 8 | 1u << 12);
  // The auxiliary control register locks when CTRL_AUX_REGWEN is cleared (write 0).
  wr(aes, kCtrlAuxRegwen, 1);
  EXPECT_EQ(rd(aes, kCtrlAuxRegwen), 1u);
  wr(aes, kCtrlAuxRegwen, 0);
  wr(aes, kCtrlAux, 0);
  wr(aes, kCtrlAux, 0);
  EXPECT_EQ(rd(aes, kCtrlAux), 1u);
  wr(aes, kCtrlAuxRegwen, 1);
  EXPECT_EQ(rd(aes, kCtrlAuxRegwen), 0u);
}

TEST_F(AesTest, BusyCoreIgnoresConfigurationAndStallsOnUnreadOutput) {
  setup(Aes::kEnc, Aes::kEcb, 256, "");
  const Words in = le_words(crypto::from_hex(kPlain));
  load_block(in, 0);
  EXPECT_FALSE(status() & Aes::kIdle);
  wr(aes, kCtrl, ctrl_value(Aes::kEnc, Aes::kCbc, 256));  // not granted while busy
  wr(aes, kCtrl, ctrl_value(Aes::kEnc, Aes::kCbc, 256));
  EXPECT_EQ(rd(aes, kCtrl), ctrl_value(Aes::kEnc, Aes::kEcb, 256));
  load_block(in, 1);  // accepted while block 0 runs
  EXPECT_FALSE(status() & Aes::kInputReady);
  // Block 1 finishes but block 0's output is unread: the core stalls.
  ASSERT_TRUE(run_until([&] { return status() & Aes::kStall; }));
  EXPECT_EQ(status() & (Aes::kIdle | Aes::kOutputValid), Aes::kOutputValid);
  Words out = rd_words(aes, kDataOut, 4);
  EXPECT_EQ(crypto::to_hex(le_bytes(out)), "f3eed1bdb5d2a03c064b5a7e3db181f8");
  EXPECT_FALSE(status() & Aes::kStall);  // reading all four words released it
  out = read_block();
  EXPECT_EQ(crypto::to_hex(le_bytes(out)), "591ccb10d410ed26dc5ba74a31362870");
  rd_words(aes, kDataOut, 4);
  EXPECT_FALSE(status() & Aes::kOutputValid);
  EXPECT_FALSE(status() & Aes::kOutputLost);
}

TEST_F(AesTest, ManualOperationStartsOnTriggerAndReportsLostOutput) {
  write_ctrl(ctrl_value(Aes::kEnc, Aes::kEcb, 128, true));
  write_key(crypto::from_hex(kKeys.at(128)));
  const Words in = le_words(crypto::from_hex(kPlain));
  for (unsigned i = 0; i < 4; ++i) wr(aes, kDataIn + 4 * i, in[i]);
  run(1000);
  EXPECT_FALSE(status() & Aes::kOutputValid);  // no automatic start
  wr(aes, kTrigger, Aes::kStart);
  wait_status(Aes::kOutputValid);
  EXPECT_EQ(crypto::to_hex(le_bytes(rd_words(aes, kDataOut + 0, 4))), "3ad77bb40d7a3660a89ecaf32466ef97");
  // Two more blocks without reading the first: the output is overwritten and reported lost.
  for (unsigned i = 0; i < 4; ++i) wr(aes, kDataIn + 4 * i, in[4 + i]);
  wr(aes, kTrigger, Aes::kStart);
  wait_idle();
  for (unsigned i = 0; i < 4; ++i) wr(aes, kDataIn + 4 * i, in[8 + i]);
  wr(aes, kTrigger, Aes::kStart);
  wait_idle();
  EXPECT_TRUE(status() & Aes::kOutputLost);
  EXPECT_EQ(crypto::to_hex(le_bytes(rd_words(aes, kDataOut, 4))), "43b1cd7f598ece23881b00e3ed030688");
  // A control write clears OUTPUT_LOST.
  write_ctrl(ctrl_value(Aes::kEnc, Aes::kEcb, 128, true));
  EXPECT_FALSE(status() & Aes::kOutputLost);
}

TEST_F(AesTest, ClearTriggersWipeRegistersWithPseudoRandomData) {
  setup(Aes::kEnc, Aes::kCbc, 128, kIv38a);
  crypt(first_block());
  const Words out = rd_words(aes, kDataOut, 4), iv = rd_words(aes, kIv, 4);
  wr(aes, kTrigger, Aes::kKeyIvDataInClear | Aes::kDataOutClear);
  EXPECT_FALSE(status() & Aes::kIdle);
  wait_idle();
  EXPECT_NE(rd_words(aes, kDataOut, 4), out);
  EXPECT_NE(rd_words(aes, kIv, 4), iv);
  EXPECT_FALSE(status() & Aes::kOutputValid);
  EXPECT_TRUE(status() & Aes::kInputReady);
  // The key is gone too: nothing starts until a full key is written again.
  write_iv(le_words(crypto::from_hex(kIv38a)));
  load_block(le_words(crypto::from_hex(kPlain)), 0);
  run(2000);
  EXPECT_FALSE(status() & Aes::kOutputValid);
  write_key(crypto::from_hex(kKeys.at(128)));
  EXPECT_EQ(crypto::to_hex(le_bytes(read_block())), "7649abac8119b246cee98e9b12e9197d");
}

TEST_F(AesTest, PartialKeyOrIvUpdatesBlockTheStart) {
  setup(Aes::kEnc, Aes::kCbc, 128, kIv38a);
  crypt(crypto::Bytes(16, 0));
  // After use the IV tracker is armed: one new word alone does not make a usable IV.
  wr(aes, kIv, 0);
  load_block(le_words(crypto::Bytes(16, 0)), 0);
  run(2000);
  EXPECT_FALSE(status() & Aes::kOutputValid);
  for (unsigned i = 1; i < 4; ++i) wr(aes, kIv + 4 * i, 0);
  wait_status(Aes::kOutputValid);
  // Encrypting zeros with a zero IV is plain ECB of zeros.
  EXPECT_EQ(crypto::to_hex(le_bytes(rd_words(aes, kDataOut, 4))),
            crypto::to_hex(crypto::aes_ecb_encrypt(crypto::from_hex(kKeys.at(128)), crypto::Bytes(16, 0))));
}

TEST_F(AesTest, BusErrorsAndAliases) {
  uint32_t v = 0;
  EXPECT_EQ(aes.read(0x8C, 4, v, bus::Requester::cpu()), bus::BusResult::BusError);  // addrmiss
  EXPECT_EQ(v, 0xFFFF'FFFFu);
  EXPECT_EQ(aes.write(0x45, 1, 0, bus::Requester::cpu()), bus::BusResult::BusError);  // misaligned
  // The core decodes 8 address bits: 0x174 is CTRL_SHADOWED again.
  EXPECT_EQ(aes.read(0x174, 4, v, bus::Requester::cpu()), bus::BusResult::Ok);
  EXPECT_EQ(v, 0x11FDu);
  // A narrow write at a word address writes the whole register, zero-extended.
  aes.write(kCtrl, 2, ctrl_value(Aes::kEnc, Aes::kEcb, 128), bus::Requester::cpu());
  aes.write(kCtrl, 2, ctrl_value(Aes::kEnc, Aes::kEcb, 128), bus::Requester::cpu());
  EXPECT_EQ(rd(aes, kCtrl), ctrl_value(Aes::kEnc, Aes::kEcb, 128));
}

TEST_F(AesTest, EndianSwapForBigEndianData) {
  setup(Aes::kEnc, Aes::kEcb, 256, "");
  wr(aes, kCtrl0, 1);
  EXPECT_EQ(rd(aes, kCtrl0), 1u);
  const Words be = be_words(crypto::from_hex(kPlain));
  load_block(be, 0);
  wait_status(Aes::kOutputValid);
  EXPECT_EQ(words_hex(rd_words(aes, kDataOut, 4)), "f3eed1bdb5d2a03c064b5a7e3db181f8");
  wr(aes, kCtrl0, 0);
}

TEST_F(AesTest, DmaPortStreamsBlocks) {
  setup(Aes::kEnc, Aes::kCtr, 256, kCtr38a);
  int notes = 0;
  aes.set_status_observer([&] { ++notes; });
  const Words in = le_words(crypto::from_hex(kPlain));
  Words out;
  for (unsigned b = 0; b < 4; ++b) {
    ASSERT_TRUE(run_until([&] { return aes.input_ready(); }));
    ASSERT_EQ(aes.push_block({in[4 * b], in[4 * b + 1], in[4 * b + 2], in[4 * b + 3]}), bus::BusResult::Ok);
    ASSERT_TRUE(run_until([&] { return aes.output_valid(); }));
    std::array<uint32_t, 4> o{};
    ASSERT_EQ(aes.pull_block(o), bus::BusResult::Ok);
    out.insert(out.end(), o.begin(), o.end());
  }
  EXPECT_EQ(crypto::to_hex(le_bytes(out)), kVectors[14].ct);
  EXPECT_GT(notes, 8);
  ASSERT_TRUE(run_until([&] { return aes.status_idle(); }));
  // The GCM byte-count update lands in CTRL_GCM_SHADOWED (phase stays INIT here: no H yet).
  EXPECT_EQ(aes.set_gcm_text_bytes(5), bus::BusResult::Ok);
  EXPECT_EQ(rd(aes, kCtrlGcm), Aes::kInit | 5u << 6);
}

// The key from the vault (AES_KV_RD_KEY_CTRL): 8 dwords, each byte-swapped into the core's
// little-endian key order; only after the vault read does the control write take it.
TEST_F(AesTest, SideloadedKeyFromTheVault) {
  const Words kv_key = be_words(crypto::from_hex(kKeys.at(256)));
  ASSERT_TRUE(kv.write(5, kv_key, kv_dest(KvClient::AesKey)));
  ASSERT_TRUE(kv.write(6, kv_key, kv_dest(KvClient::HmacKey)));  // not an AES key
  wr(aes, kKvRdCtrl, 1 | 6u << 1);
  ASSERT_TRUE(run_until([&] { return rd(aes, kKvRdStatus) & kv::kStatusValid; }));
  EXPECT_EQ(rd(aes, kKvRdStatus) >> kv::kStatusErrorShift, static_cast<uint32_t>(kv::Error::ReadFail));
  EXPECT_EQ(rd(aes, kKvRdCtrl) & 1, 0u);  // read_en clears itself
  write_ctrl(ctrl_value(Aes::kEnc, Aes::kEcb, 256, false, true));
  load_block(le_words(crypto::from_hex(kPlain)), 0);
  run(2000);
  EXPECT_FALSE(status() & Aes::kOutputValid);  // no valid sideload key: nothing starts
  // 2.1: the read control is writable only with INPUT_READY, which a full DATA_IN cleared.
  wr(aes, kKvRdCtrl, 1 | 5u << 1);
  EXPECT_EQ(rd(aes, kKvRdStatus) >> kv::kStatusErrorShift, static_cast<uint32_t>(kv::Error::ReadFail));
  write_ctrl(ctrl_value(Aes::kEnc, Aes::kEcb, 256, false, true));  // clears the input tracking
  wr(aes, kKvRdCtrl, 1 | 5u << 1);
  ASSERT_TRUE(run_until([&] { return rd(aes, kKvRdStatus) & kv::kStatusValid; }));
  EXPECT_EQ(rd(aes, kKvRdStatus), kv::kStatusReady | kv::kStatusValid);
  write_ctrl(ctrl_value(Aes::kEnc, Aes::kEcb, 256, false, true));
  EXPECT_EQ(crypto::to_hex(crypt(crypto::from_hex(kPlain))), kVectors[2].ct);
  // Software key writes are ignored while sideloading.
  write_key(crypto::Bytes(32, 0));
  EXPECT_EQ(crypto::to_hex(crypt(first_block())), "f3eed1bdb5d2a03c064b5a7e3db181f8");
}

// 2.1 OCP LOCK key release: ECB decryption with the key from slot 16 straight into the vault
// (AES_KV_WR_CTRL), SS_KEY_RELEASE_SIZE bytes, DATA_OUT reading zero meanwhile.
TEST_F(AesTest, EcbDecryptToTheVault) {
  secrets.release_size = 64;
  secrets.ocp_lock = true;
  const crypto::Bytes key = crypto::from_hex(kKeys.at(256));
  ASSERT_TRUE(kv.write(16, be_words(key), kv_dest(KvClient::AesKey)));
  wr(aes, kKvRdCtrl, 1 | 16u << 1);
  ASSERT_TRUE(run_until([&] { return rd(aes, kKvRdStatus) & kv::kStatusValid; }));
  wr(aes, kKvWrCtrl, 1 | 23u << 1 | kv_dest(KvClient::DmaData) << 6);
  EXPECT_EQ(rd(aes, kKvWrCtrl), 1 | 23u << 1 | kv_dest(KvClient::DmaData) << 6);
  write_ctrl(ctrl_value(Aes::kDec, Aes::kEcb, 256, false, true));
  const crypto::Bytes ct = crypto::from_hex(kVectors[2].ct);
  const Words in = le_words(ct);
  for (unsigned b = 0; b < 4; ++b) {
    load_block(in, b);
    EXPECT_EQ(rd_words(aes, kDataOut, 4), Words(4, 0));  // concealed
  }
  ASSERT_TRUE(run_until([&] { return rd(aes, kKvWrStatus) & kv::kStatusValid; }));
  EXPECT_EQ(rd(aes, kKvWrStatus), kv::kStatusReady | kv::kStatusValid);
  EXPECT_EQ(rd(aes, kKvWrCtrl) & 1, 0u);
  const KeyVault::ReadResult r = kv.read(23, KvClient::DmaData);
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.last_dword, 15u);
  // The vault gets DATA_OUT words as they are (no byte swap).
  EXPECT_EQ(crypto::to_hex(le_bytes(Words(r.words.begin(), r.words.end()))), kPlain);
}

TEST_F(AesTest, EntropySeedIsWriteOnly) {
  for (unsigned i = 0; i < 9; ++i) wr(aes, kEntropySeed + 4 * i, 0x1111'1111 * i);
  EXPECT_EQ(rd(aes, kEntropySeed), 0u);
  // The wrapper's interrupt block exists but no event ever sets it; only its triggers do.
  wr(aes, kClp + 0x400, 3);
  wr(aes, kClp + 0x404, 0xF);
  wr(aes, kClp + 0x41C, 0x1);
  EXPECT_EQ(rd(aes, kClp + 0x414), 1u);
  EXPECT_TRUE(irq.empty());  // no PIC line
}

TEST_F(AesTest, FatalFaultStopsTheCore) {
  setup(Aes::kEnc, Aes::kEcb, 128, "");
  aes.inject_fatal_fault();
  EXPECT_TRUE(status() & Aes::kAlertFatalFault);
  load_block(le_words(crypto::from_hex(kPlain)), 0);
  run(2000);
  EXPECT_FALSE(status() & Aes::kOutputValid);
  aes.reset(bus::ResetKind::Warm);
  wait_idle();
  EXPECT_FALSE(status() & Aes::kAlertFatalFault);
}

TEST_F(Aes20Test, Caliptra20HasNoEndianSwapNorVaultWrite) {
  EXPECT_EQ(rd(aes, kName), 0u);  // "FIXME" zeros in 2.0
  wr(aes, kCtrl0, 1);
  EXPECT_EQ(rd(aes, kCtrl0), 0u);
  wr(aes, kKvWrCtrl, 1);
  EXPECT_EQ(rd(aes, kKvWrCtrl), 0u);
  setup(Aes::kEnc, Aes::kGcm, 256, "");
  const GcmResult r = gcm(Aes::kEnc, 256, crypto::Bytes(32, 0), crypto::Bytes(12, 0), {}, crypto::Bytes(16, 0));
  EXPECT_EQ(crypto::to_hex(r.tag), "d0d1c8a799996bf0265b98b5d48ab919");
}
