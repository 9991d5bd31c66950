// The 2.x HMAC engine through its registers (caliptra-rtl v2.0.4 / v2.1.2 hmac.sv,
// hmac_core.v, hmac_reg.rdl): RFC 4231 HMAC-SHA-512 and HMAC-SHA-384, 512-bit vault keys and
// tags, the key_zero/key_mode errors, CSR mode and the 2.x kv control rules.
#include <gtest/gtest.h>

#include "caliptra/hmac.h"
#include "crypto/sha.h"
#include "ip_test_util.h"

using namespace calemu::caliptra;
using namespace calemu::caliptra::test;
using calemu::crypto::Bytes;
using calemu::crypto::from_hex;

namespace {

// hmac_reg.rdl (2.x)
constexpr uint32_t kCtrl = 0x10, kStatus = 0x18, kKey = 0x40, kBlock = 0x80, kTag = 0x100, kSeed = 0x140;
constexpr uint32_t kKvRdKey = 0x600, kKvRdKeySts = 0x604, kKvRdBlock = 0x608, kKvRdBlockSts = 0x60C;
constexpr uint32_t kKvWr = 0x610, kKvWrSts = 0x614;
constexpr uint32_t kErrSts = 0x814, kNotifSts = 0x818;
constexpr uint32_t kInit = 1, kNext = 2, kZeroize = 4, kMode512 = 8, kCsrMode = 16;

uint32_t kv_write_ctrl(unsigned slot, uint16_t dest) { return 1u | slot << 1 | uint32_t{dest} << 6; }
uint32_t kv_read_ctrl(unsigned slot) { return 1u | slot << 1; }

// Key zero-padded to 64 bytes (keys longer than the 128-byte block are hashed first, as
// RFC 2104 asks), padded blocks, INIT then NEXT; returns TAG[0..15].
Words hmac_engine(Bench& b, Hmac& h, Bytes key, const Bytes& msg, bool mode512) {
  if (key.size() > 128) key = mode512 ? calemu::crypto::sha512(key) : calemu::crypto::sha384(key);
  key.resize(64);
  wr_words(h, kKey, be_words(key));
  const Words padded = sha_pad(msg, 128, 1024);
  for (size_t blk = 0; blk < padded.size() / 32; ++blk) {
    wr_words(h, kBlock, std::span<const uint32_t>(padded).subspan(blk * 32, 32));
    wr(h, kCtrl, (blk == 0 ? kInit : kNext) | (mode512 ? kMode512 : 0));
    EXPECT_EQ(rd(h, kStatus), 0u);
    EXPECT_TRUE(b.run_until([&] { return rd(h, kStatus) & 2; }));
  }
  return rd_words(h, kTag, 16);
}

struct Rfc4231 {
  Bytes key, data;
  const char* sha384;
  const char* sha512;
};

std::vector<Rfc4231> rfc4231_cases() {
  Bytes key4(25);
  for (unsigned i = 0; i < 25; ++i) key4[i] = static_cast<uint8_t>(i + 1);
  return {
      {Bytes(20, 0x0b), ascii("Hi There"),
       "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
       "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
      {ascii("Jefe"), ascii("what do ya want for nothing?"),
       "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
       "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
      {Bytes(20, 0xaa), Bytes(50, 0xdd),
       "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27",
       "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
      {key4, Bytes(50, 0xcd),
       "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb",
       "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
      // §4.6: the tag truncated to 128 bits.
      {Bytes(20, 0x0c), ascii("Test With Truncation"), "3abf34c3503b2a23a46efc619baef897", "415fad6271580a531d4179bc891d87a6"},
      // §4.7, §4.8: a 131-byte key, hashed first.
      {Bytes(131, 0xaa), ascii("Test Using Larger Than Block-Size Key - Hash Key First"),
       "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952",
       "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
      {Bytes(131, 0xaa),
       ascii("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be "
             "hashed before being used by the HMAC algorithm."),
       "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e",
       "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
  };
}

std::string prefix_hex(const Words& w, size_t hex_chars) { return words_hex(w).substr(0, hex_chars); }

}  // namespace

TEST(Hmac2x, IdentityAndResetValues) {
  for (HwGen g : {HwGen::V2_0, HwGen::V2_1}) {
    Bench b(g);
    Hmac h(b.ctx);
    EXPECT_EQ(rd(h, 0x0), 0x6163686du);  // "hmacsha2"
    EXPECT_EQ(rd(h, 0x8), 0x3030322eu);  // "2.00"
    EXPECT_EQ(rd(h, kStatus), 1u);
    EXPECT_EQ(rd(h, kSeed), 0u) << "LFSR_SEED is write-only";
    EXPECT_EQ(rd(h, kKvRdKeySts), 1u);
  }
}

TEST(Hmac2x, Rfc4231Sha512) {
  Bench b(HwGen::V2_1);
  Hmac h(b.ctx);
  for (const Rfc4231& c : rfc4231_cases()) {
    const std::string want = c.sha512;
    EXPECT_EQ(prefix_hex(hmac_engine(b, h, c.key, c.data, true), want.size()), want);
  }
}

// MODE = 0 on 2.x: HMAC-SHA-384; KEY[12..15] are masked off, TAG[12..15] read zero.
TEST(Hmac2x, Rfc4231Sha384InMode0) {
  Bench b(HwGen::V2_0);
  Hmac h(b.ctx);
  for (const Rfc4231& c : rfc4231_cases()) {
    const std::string want = c.sha384;
    const Words tag = hmac_engine(b, h, c.key, c.data, false);
    EXPECT_EQ(prefix_hex(tag, want.size()), want);
    EXPECT_EQ(Words(tag.begin() + 12, tag.end()), Words(4, 0));
  }
  const Rfc4231 c = rfc4231_cases()[1];
  Bytes key = c.key;
  key.resize(48);
  wr_words(h, kKey, be_words(key));
  wr_words(h, kKey + 48, Words(4, 0xFFFF'FFFF));  // ignored in HMAC-384 mode
  wr_words(h, kBlock, sha_pad(c.data, 128, 1024));
  wr(h, kCtrl, kInit);
  ASSERT_TRUE(b.run_until([&] { return rd(h, kStatus) & 2; }));
  EXPECT_EQ(words_hex(rd_words(h, kTag, 12)), c.sha384);
}

// A message over several blocks, switching nothing between INIT and NEXT.
TEST(Hmac2x, MultiBlockAgainstOpenSsl) {
  Bench b(HwGen::V2_1);
  Hmac h(b.ctx);
  const Bytes key(64, 0x3c), msg(300, 0x71);
  EXPECT_EQ(words_hex(hmac_engine(b, h, key, msg, true)),
            calemu::crypto::to_hex(calemu::crypto::hmac_sha512(key, msg)));
}

// The DICE derivation shape: a 512-bit key and a block from the vault, the 512-bit tag to it.
TEST(Hmac2x, VaultKeyBlockAndTag512) {
  for (HwGen g : {HwGen::V2_0, HwGen::V2_1}) {
    Bench b(g);
    Hmac h(b.ctx);
    const Bytes key = from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                               "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");
    const Bytes data(64, 0xA7);
    ASSERT_TRUE(b.kv.write(2, be_words(key), kv_dest(KvClient::HmacKey)));
    ASSERT_TRUE(b.kv.write(3, be_words(data), kv_dest(KvClient::HmacBlock)));
    wr(h, kKvRdKey, kv_read_ctrl(2));
    wr(h, kKvRdBlock, kv_read_ctrl(3));
    EXPECT_EQ(rd(h, kKvRdBlock), 0u) << "swwe: no second read while the first runs (busy_o)";
    ASSERT_TRUE(b.run_until([&] { return rd(h, kKvRdKeySts) & 2; }));
    EXPECT_EQ(rd(h, kKvRdKeySts), 3u);
    wr(h, kKvRdBlock, kv_read_ctrl(3));
    ASSERT_TRUE(b.run_until([&] { return rd(h, kKvRdBlockSts) & 2; }));
    EXPECT_EQ(rd(h, kKvRdBlockSts), 3u);
    wr(h, kKvWr, kv_write_ctrl(9, kv_dest(KvClient::MldsaSeed) | kv_dest(KvClient::AesKey)));
    wr(h, kCtrl, kInit | kMode512);
    ASSERT_TRUE(b.run_until([&] { return (rd(h, kKvWrSts) & 3) == 3; }));
    EXPECT_EQ(rd(h, kKvWrSts) >> 2, 0u);
    EXPECT_EQ(rd_words(h, kTag, 16), Words(16, 0)) << "a vault-bound tag never reaches TAG";
    const KeyVault::ReadResult r = b.kv.read(9, KvClient::AesKey);
    ASSERT_FALSE(r.error);
    EXPECT_EQ(words_hex(Words(r.words.begin(), r.words.end())),
              calemu::crypto::to_hex(calemu::crypto::hmac_sha512(key, data)));
    EXPECT_EQ(r.last_dword, 15u);
    EXPECT_EQ(b.kv.ctrl(9) >> KeyVault::kDestValidShift & 0x3F, 0x24u);
    EXPECT_EQ(rd(h, kNotifSts), 1u);
  }
}

// hmac.sv key_mode_error: a vault key whose low 128 bits are zero used for HMAC-512 (a
// 384-bit key); key_zero_error: an all-zero vault key. Both keep the engine from producing
// a result until zeroize.
TEST(Hmac2x, VaultKeyErrorsLockTheEngineUntilZeroize) {
  Bench b(HwGen::V2_1);
  Hmac h(b.ctx);
  ASSERT_TRUE(b.kv.write(4, Words(12, 0x11111111), kv_dest(KvClient::HmacKey)));  // 12 dwords
  b.kv.write(5, Words(16, 0), kv_dest(KvClient::HmacKey));
  wr(h, 0x800, 1);       // global error enable
  wr(h, 0x804, 0x3);     // key_mode_error, key_zero_error
  wr(h, kKvRdKey, kv_read_ctrl(4));
  ASSERT_TRUE(b.run_until([&] { return rd(h, kKvRdKeySts) & 2; }));
  wr_words(h, kBlock, sha_pad(ascii("x"), 128, 1024));
  wr(h, kCtrl, kInit | kMode512);
  EXPECT_EQ(rd(h, kErrSts), 1u) << "key_mode_error";
  EXPECT_TRUE(b.irq[kIrqHmacError]);
  ASSERT_TRUE(b.run_until([&] { return rd(h, kStatus) & 1; }));
  b.run(1000);
  EXPECT_EQ(rd(h, kStatus), 1u) << "no VALID";
  EXPECT_EQ(rd(h, kNotifSts), 0u);
  // Even a firmware key now gives no result.
  wr(h, kCtrl, kInit | kMode512);
  ASSERT_TRUE(b.run_until([&] { return rd(h, kStatus) & 1; }));
  EXPECT_EQ(rd(h, kStatus), 1u);

  wr(h, kCtrl, kZeroize);
  wr(h, kErrSts, 3);
  // The same 384-bit vault key is fine for HMAC-384.
  wr(h, kKvRdKey, kv_read_ctrl(4));
  ASSERT_TRUE(b.run_until([&] { return rd(h, kKvRdKeySts) & 2; }));
  wr_words(h, kBlock, sha_pad(ascii("x"), 128, 1024));
  wr(h, kCtrl, kInit);
  ASSERT_TRUE(b.run_until([&] { return rd(h, kStatus) & 2; }));
  EXPECT_EQ(rd(h, kErrSts), 0u);

  wr(h, kCtrl, kZeroize);
  wr(h, kKvRdKey, kv_read_ctrl(5));
  ASSERT_TRUE(b.run_until([&] { return rd(h, kKvRdKeySts) & 2; }));
  wr(h, kCtrl, kInit);
  EXPECT_EQ(rd(h, kErrSts), 2u) << "key_zero_error";
}

// CSR_MODE: the key is caliptra_top's cptra_csr_hmac_key, all ones in debug mode.
TEST(Hmac2x, CsrModeUsesTheSocKey) {
  Bench b(HwGen::V2_0);
  Hmac h(b.ctx);
  const Bytes key(64, 0x5e);
  const Words kw = be_words(key);
  b.secrets.csr_key.assign(kw.begin(), kw.end());
  wr_words(h, kKey, Words(16, 0x01010101));
  const Bytes msg = ascii("caliptra csr signing");
  wr_words(h, kBlock, sha_pad(msg, 128, 1024));
  wr(h, kCtrl, kInit | kMode512 | kCsrMode);
  ASSERT_TRUE(b.run_until([&] { return rd(h, kStatus) & 2; }));
  EXPECT_EQ(words_hex(rd_words(h, kTag, 16)), calemu::crypto::to_hex(calemu::crypto::hmac_sha512(key, msg)));
  // CSR_MODE persists (it is not a pulse) until rewritten.
  wr(h, kCtrl, kInit | kMode512 | kCsrMode);
  ASSERT_TRUE(b.run_until([&] { return rd(h, kStatus) & 2; }));
  b.secrets.locked = false;
  wr(h, kCtrl, kInit | kMode512 | kCsrMode);
  ASSERT_TRUE(b.run_until([&] { return rd(h, kStatus) & 2; }));
  EXPECT_EQ(words_hex(rd_words(h, kTag, 16)),
            calemu::crypto::to_hex(calemu::crypto::hmac_sha512(Bytes(64, 0xFF), msg)));
}

// 2.1 kv_read_client: a failed read holds READY low (and the engine busy) until zeroize;
// 2.0 returns to READY with the error code, and INIT then runs on the cleared key, which
// key_zero_error stops from producing a tag.
TEST(Hmac2x, FailedVaultReadHoldsReadyIn21) {
  for (HwGen g : {HwGen::V2_0, HwGen::V2_1}) {
    Bench b(g);
    Hmac h(b.ctx);
    ASSERT_TRUE(b.kv.write(4, Words(16, 7), kv_dest(KvClient::EccSeed)));
    wr(h, kKvRdKey, kv_read_ctrl(4));
    ASSERT_TRUE(b.run_until([&] { return rd(h, kKvRdKeySts) & 2; }));
    const bool v21 = g == HwGen::V2_1;
    EXPECT_EQ(rd(h, kKvRdKeySts), (v21 ? 2u : 3u) | 1u << 2);
    wr_words(h, kBlock, sha_pad(ascii("x"), 128, 1024));
    wr(h, kCtrl, kInit);
    EXPECT_EQ(rd(h, kStatus), v21 ? 1u : 0u) << "2.1: INIT is masked while the read client is not ready";
    EXPECT_EQ(rd(h, kErrSts), v21 ? 0u : 2u);
    b.run(1000);
    EXPECT_EQ(rd(h, kStatus), 1u);
    wr(h, kCtrl, kZeroize);
    EXPECT_EQ(rd(h, kKvRdKeySts) & 1, 1u);
  }
}

// hmac.sv swwe: the kv controls only change while the engine is idle; 2.1's reserved bits
// and pcr_hash_extend never.
TEST(Hmac2x, KvControlWriteEnables) {
  Bench b(HwGen::V2_1);
  Hmac h(b.ctx);
  wr(h, kKvWr, 0xFFFF'FFFE);
  EXPECT_EQ(rd(h, kKvWr), 0x7FFEu);
  wr(h, kKvRdBlock, 0xFFFF'FFFE);
  EXPECT_EQ(rd(h, kKvRdBlock), 0x3Eu);
  wr(h, kKvWr, 0);
  wr_words(h, kBlock, sha_pad(ascii("x"), 128, 1024));
  wr(h, kCtrl, kInit);
  wr(h, kKvWr, kv_write_ctrl(3, 1));
  EXPECT_EQ(rd(h, kKvWr), 0u) << "busy";
  Bench b20(HwGen::V2_0);
  Hmac h20(b20.ctx);
  wr(h20, kKvWr, 0xFFFF'FFFE);
  EXPECT_EQ(rd(h20, kKvWr), 0xFFFF'FFFEu);
  wr(h20, kKvRdKey, 0xFFFF'FFFE);
  EXPECT_EQ(rd(h20, kKvRdKey), 0xFFFF'FFBEu) << "pcr_hash_extend has swwe = 0";
}
