// SHA-2 / SHA-3 / HMAC known answers and our own compression functions.
#include <gtest/gtest.h>

#include <random>

#include "crypto/sha.h"
#include "crypto/sha256_block.h"
#include "test_util.h"

using namespace calemu::crypto;
using namespace calemu::crypto::test;

TEST(Bytes, HexRoundTripAndErrors) {
  EXPECT_EQ(to_hex(from_hex("00ff7Fa0")), "00ff7fa0");
  EXPECT_TRUE(from_hex("").empty());
  EXPECT_THROW(from_hex("abc"), CryptoError);
  EXPECT_THROW(from_hex("zz"), CryptoError);
}

// FIPS 180-4 examples (NIST CSRC "Examples with Intermediate Values": SHA256.pdf,
// SHA384.pdf, SHA512.pdf), one-block "abc" and the two-block 448-bit message.
TEST(Sha2, Fips180Examples) {
  const Bytes abc = ascii("abc");
  const Bytes two_blocks = ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq");
  EXPECT_EQ(to_hex(sha256(abc)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(sha256(two_blocks)), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(to_hex(sha384(abc)),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
  EXPECT_EQ(to_hex(sha512(abc)),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
            "454d4423643ce80e2a9ac94fa54ca49f");
}

// FIPS 202 examples (NIST CSRC "SHA3-256_Msg0/abc", "SHAKE128_Msg0", "SHAKE256_Msg0").
TEST(Sha3, Fips202Examples) {
  EXPECT_EQ(to_hex(sha3_256(ascii("abc"))), "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
  EXPECT_EQ(to_hex(sha3_512(ascii("abc"))),
            "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e39340"
            "57340b4cf408d5a56592f8274eec53f0");
  EXPECT_EQ(to_hex(shake128({}, 32)), "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26");
  EXPECT_EQ(to_hex(shake256({}, 64)),
            "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762fd75dc4ddd8c0f200cb05019d67b592f6"
            "fc821c49479ab48640292eacb3b7c4be");
}

TEST(Sha3, IncrementalKeccakMatchesOneShot) {
  Bytes msg(300);
  for (size_t i = 0; i < msg.size(); ++i) msg[i] = static_cast<uint8_t>(i * 7);
  Keccak k(Keccak::Kind::Shake256);
  k.update(ByteView(msg).first(100));
  k.update(ByteView(msg).subspan(100));
  EXPECT_EQ(k.finish(77), shake256(msg, 77));
  Keccak s(Keccak::Kind::Sha3_384);
  s.update(msg);
  EXPECT_EQ(s.finish(), sha3_384(msg));
  EXPECT_EQ(s.finish(), sha3_384({}));  // finish starts a new message
}

// RFC 4231 §4.3, test case 2 (key "Jefe").
TEST(Hmac, Rfc4231TestCase2) {
  const Bytes key = ascii("Jefe"), data = ascii("what do ya want for nothing?");
  EXPECT_EQ(to_hex(hmac_sha256(key, data)), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(to_hex(hmac_sha384(key, data)),
            "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649");
  EXPECT_EQ(to_hex(hmac_sha512(key, data)),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fd"
            "caeab1a34d4a6b4b636e070a38bce737");
}

namespace {

// FIPS 180-4 §5.1 padding, done here by hand so the compression functions see raw blocks.
Bytes pad(const Bytes& msg, size_t block, size_t length_bytes) {
  Bytes p = msg;
  p.push_back(0x80);
  while ((p.size() + length_bytes) % block) p.push_back(0);
  const uint64_t bits = msg.size() * 8;
  for (size_t i = 0; i < length_bytes; ++i)
    p.push_back(i + 8 >= length_bytes ? static_cast<uint8_t>(bits >> (8 * (length_bytes - 1 - i))) : 0);
  return p;
}

Bytes digest_via_sha256_compress(const Bytes& msg) {
  uint32_t st[8];
  std::copy(std::begin(detail::kSha256Iv), std::end(detail::kSha256Iv), st);
  const Bytes p = pad(msg, 64, 8);
  for (size_t off = 0; off < p.size(); off += 64) sha256_compress(st, p.data() + off);
  Bytes out;
  for (uint32_t w : st)
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(w >> s));
  return out;
}

Bytes digest_via_sha512_compress(const Bytes& msg, const uint64_t (&iv)[8], size_t out_len) {
  uint64_t st[8];
  std::copy(std::begin(iv), std::end(iv), st);
  const Bytes p = pad(msg, 128, 16);
  for (size_t off = 0; off < p.size(); off += 128) sha512_compress(st, p.data() + off);
  Bytes out;
  for (uint64_t w : st)
    for (int s = 56; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(w >> s));
  out.resize(out_len);
  return out;
}

Bytes pattern(size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i * 131 + 17);
  return b;
}

}  // namespace

TEST(Sha2, CompressionFunctionsMatchOpenSslDigests) {
  // FIPS 180-4 §5.3.4-5.3.5 initial hash values.
  const uint64_t sha384_iv[8] = {0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
                                 0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4};
  const uint64_t sha512_iv[8] = {0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
                                 0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179};
  for (size_t len : {0, 1, 55, 56, 63, 64, 111, 112, 127, 128, 1000}) {
    const Bytes msg = pattern(len);
    EXPECT_EQ(digest_via_sha256_compress(msg), sha256(msg)) << len;
    EXPECT_EQ(digest_via_sha512_compress(msg, sha384_iv, 48), sha384(msg)) << len;
    EXPECT_EQ(digest_via_sha512_compress(msg, sha512_iv, 64), sha512(msg)) << len;
  }
}

TEST(Sha2, ShaExtensionsPathMatchesPortablePath) {
  if (!detail::cpu_has_sha_ni()) GTEST_SKIP() << "CPU without SHA extensions";
  std::mt19937 rng(1);
  Bytes blocks(64 * 5);
  for (int round = 0; round < 50; ++round) {
    for (auto& b : blocks) b = static_cast<uint8_t>(rng());
    uint32_t a[8], b[8];
    for (int i = 0; i < 8; ++i) a[i] = b[i] = static_cast<uint32_t>(rng());
    detail::sha256_blocks_portable(a, blocks.data(), 5);
    detail::sha256_blocks_shani(b, blocks.data(), 5);
    ASSERT_TRUE(std::equal(a, a + 8, b)) << round;
  }
}

TEST(Sha2, IncrementalSha256MatchesOpenSsl) {
  const Bytes msg = pattern(1000);
  for (size_t split : {0, 1, 63, 64, 65, 500, 1000}) {
    detail::Sha256 h;
    h.update(ByteView(msg).first(split)).update(ByteView(msg).subspan(split));
    const auto d = h.finish();
    EXPECT_EQ(Bytes(d.begin(), d.end()), sha256(msg)) << split;
  }
}
