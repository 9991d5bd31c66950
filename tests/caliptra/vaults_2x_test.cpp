// The 2.x key vault (caliptra-rtl v2.0.4 / v2.1.2 kv_reg.rdl, kv_defines_pkg.sv, kv.sv,
// kv_read_rule_check.sv, kv_write_rule_check.sv): 24 slots of 16 dwords, the 2.x
// dest_valid/last_dword layout, the ML-DSA PCR signing seed and the 2.1 OCP LOCK rules.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ip_test_util.h"

using namespace calemu::caliptra;
using namespace calemu::caliptra::test;
using calemu::bus::ResetKind;

namespace {
constexpr uint32_t kKeyEntry = 0x600, kClearSecrets = 0xC00;
uint32_t key_ctrl(unsigned slot) { return 4 * slot; }
Words counting(unsigned n, uint32_t base) {
  Words w(n);
  for (unsigned i = 0; i < n; ++i) w[i] = base + i;
  return w;
}
}  // namespace

TEST(KeyVault2x, Geometry) {
  for (HwGen g : {HwGen::V2_0, HwGen::V2_1}) {
    Bench b(g);
    EXPECT_EQ(b.kv.slots(), 24u);  // KV_NUM_KEYS
    EXPECT_EQ(b.kv.words(), 16u);  // KV_NUM_DWORDS
    // KEY_CTRL[24] @0x0, KEY_ENTRY[24][16] @0x600, CLEAR_SECRETS @0xC00.
    nlohmann::json dump;
    b.kv.dump(dump);
    ASSERT_EQ(dump["registers"].size(), 3u);
    EXPECT_EQ(dump["registers"][0]["count"], 24);
    EXPECT_EQ(dump["registers"][1]["count"], 24 * 16);
    EXPECT_EQ(dump["registers"][2]["offset"], "0x00000c00");
  }
  Bench v1;
  EXPECT_EQ(v1.kv.slots(), 32u);
  EXPECT_EQ(v1.kv.words(), 12u);
}

TEST(KeyVault2x, SixteenDwordSlotsAndLastDword) {
  Bench b(HwGen::V2_0);
  const Words key = counting(16, 0x1000);
  ASSERT_TRUE(b.kv.write(23, key, kv_dest(KvClient::HmacKey) | kv_dest(KvClient::AesKey)));
  const KeyVault::ReadResult r = b.kv.read(23, KvClient::AesKey);
  EXPECT_FALSE(r.error);
  EXPECT_EQ(Words(r.words.begin(), r.words.end()), key);
  EXPECT_EQ(r.last_dword, 15u);
  // 2.0: dest_valid[16:9] (6 read clients wired), last_dword[20:17].
  EXPECT_EQ(rd(b.kv, key_ctrl(23)), (0x21u << 9) | (15u << 17));
  for (unsigned w = 0; w < 16; ++w) EXPECT_EQ(rd(b.kv, kKeyEntry + 64 * 23 + 4 * w), 0u) << "write-only";
  // A 12-dword writer (ECC) leaves last_dword = 11.
  ASSERT_TRUE(b.kv.write(0, counting(12, 7), kv_dest(KvClient::EccSeed)));
  EXPECT_EQ(b.kv.read(0, KvClient::EccSeed).last_dword, 11u);
  // dest bits beyond KV_NUM_READ = 6 do not reach the 2.0 vault.
  ASSERT_TRUE(b.kv.write(1, counting(8, 0), 0x1FF));
  EXPECT_EQ(rd(b.kv, key_ctrl(1)) >> 9 & 0xFF, 0x3Fu);
}

TEST(KeyVault2x, V21DestValidIsNineBits) {
  Bench b(HwGen::V2_1);
  ASSERT_TRUE(b.kv.write(5, counting(16, 0), kv_dest(KvClient::DmaData) | kv_dest(KvClient::MlkemMsg)));
  // 2.1: dest_valid[17:9], last_dword[21:18].
  EXPECT_EQ(rd(b.kv, key_ctrl(5)), (0x180u << 9) | (15u << 18));
  EXPECT_FALSE(b.kv.read(5, KvClient::DmaData).error);
  EXPECT_FALSE(b.kv.read(5, KvClient::MlkemMsg).error);
  EXPECT_TRUE(b.kv.read(5, KvClient::MlkemSeed).error);
  // dest_valid and last_dword are read-only; lock/clear and the reserved bits are RW.
  wr(b.kv, key_ctrl(5), 0x3F'FE00 | 0x1F8);
  EXPECT_EQ(rd(b.kv, key_ctrl(5)), (0x180u << 9) | (15u << 18) | 0x1F8);
}

TEST(KeyVault2x, LocksClearAndResetDomains) {
  Bench b(HwGen::V2_1);
  ASSERT_TRUE(b.kv.write(3, counting(16, 1), kv_dest(KvClient::HmacBlock)));
  wr(b.kv, key_ctrl(3), KeyVault::kLockWr);
  EXPECT_FALSE(b.kv.write(3, counting(16, 9), 1));
  wr(b.kv, key_ctrl(3), KeyVault::kLockWr | KeyVault::kClear);
  EXPECT_EQ(b.kv.read(3, KvClient::HmacBlock).words[15], 16u);
  b.kv.reset(ResetKind::FwUpdate);
  EXPECT_EQ(rd(b.kv, key_ctrl(3)) & 3, 0u);
  b.kv.reset(ResetKind::Warm);
  EXPECT_EQ(b.kv.read(3, KvClient::HmacBlock).words[15], 16u) << "keys live on cptra_pwrgood";
  wr(b.kv, key_ctrl(3), KeyVault::kClear);
  EXPECT_EQ(rd(b.kv, key_ctrl(3)), 0u);
  EXPECT_TRUE(b.kv.read(3, KvClient::HmacBlock).error);
  EXPECT_EQ(b.kv.read(3, KvClient::HmacBlock).words[15], 0u);
}

TEST(KeyVault2x, DebugValuesFillAllSixteenDwords) {
  Bench b(HwGen::V2_0);
  ASSERT_TRUE(b.kv.write(8, counting(8, 0x80), kv_dest(KvClient::MldsaSeed)));
  EXPECT_EQ(b.kv.pcr_mldsa_signing_seed()[7], 0x87u) << "slot 8 feeds ML-DSA PCR signing";
  b.secrets.locked = false;
  wr(b.kv, kClearSecrets, 1 | 2);
  const KeyVault::ReadResult r = b.kv.read(8, KvClient::MldsaSeed);
  for (unsigned w = 0; w < 16; ++w) EXPECT_EQ(r.words[w], KeyVault::kDebugValue1);
  EXPECT_EQ(r.last_dword, 7u) << "last_dword is kept";
  b.kv.flush_debug_values();
  EXPECT_EQ(b.kv.pcr_signing_key()[11], KeyVault::kDebugValue1);
}

TEST(KeyVault2x, EntriesBeyondTheVaultReadAsZeroWithoutError) {
  Bench b(HwGen::V2_0);
  const KeyVault::ReadResult r = b.kv.read(24, KvClient::HmacKey);  // read_entry is 5 bits
  EXPECT_FALSE(r.error);
  EXPECT_EQ(r.words[0], 0u);
  EXPECT_FALSE(b.kv.write(30, counting(12, 0), 1));
}

// kv_read_rule_check.sv: during OCP LOCK only the DMA may read slot 23.
TEST(KeyVault2x, OcpLockReadRule) {
  Bench b(HwGen::V2_1);
  ASSERT_TRUE(b.kv.write(23, counting(16, 0), kv_dest(KvClient::HmacKey) | kv_dest(KvClient::DmaData)));
  EXPECT_FALSE(b.kv.read(23, KvClient::HmacKey).error);
  b.secrets.ocp_lock = true;
  const KeyVault::ReadResult r = b.kv.read(23, KvClient::HmacKey);
  EXPECT_TRUE(r.error);
  EXPECT_TRUE(r.denied);
  EXPECT_FALSE(b.kv.read(23, KvClient::DmaData).error);
  // 2.0 has no filters.
  Bench b20(HwGen::V2_0);
  b20.secrets.ocp_lock = true;
  ASSERT_TRUE(b20.kv.write(23, counting(16, 0), kv_dest(KvClient::HmacKey)));
  EXPECT_FALSE(b20.kv.read(23, KvClient::HmacKey).error);
}

// kv_write_rule_check.sv.
TEST(KeyVault2x, OcpLockWriteRules) {
  Bench b(HwGen::V2_1);
  const Words v = counting(16, 0);
  const KvWriteSource hmac_std{KvWriter::Hmac, 2u, std::nullopt};
  const KvWriteSource hmac_lock{KvWriter::Hmac, 16u, std::nullopt};
  const KvWriteSource aes_unlock{KvWriter::Aes, 16u, std::nullopt, true};
  // Outside OCP LOCK: no region rules, but AES may never write.
  EXPECT_TRUE(b.kv.write(20, v, 1, hmac_std));
  EXPECT_TRUE(b.kv.write(23, v, 1, hmac_std));
  EXPECT_FALSE(b.kv.write(23, v, 1, aes_unlock));
  b.secrets.ocp_lock = true;
  EXPECT_FALSE(b.kv.write(20, v, 1, hmac_std)) << "standard inputs stay in slots 0..15";
  EXPECT_TRUE(b.kv.write(15, v, 1, hmac_std));
  EXPECT_FALSE(b.kv.write(15, v, 1, hmac_lock)) << "OCP LOCK inputs stay in slots 16..23";
  EXPECT_TRUE(b.kv.write(22, v, 1, hmac_lock));
  EXPECT_FALSE(b.kv.write(23, v, 1, hmac_lock)) << "only AES writes the key release slot";
  EXPECT_TRUE(b.kv.write(23, v, 1, aes_unlock));
  EXPECT_FALSE(b.kv.write(22, v, 1, aes_unlock));
  EXPECT_FALSE(b.kv.write(23, v, 1, KvWriteSource{KvWriter::Aes, 17u, std::nullopt, true}));
  EXPECT_FALSE(b.kv.write(23, v, 1, KvWriteSource{KvWriter::Aes, 16u, std::nullopt, false}));
  EXPECT_TRUE(b.kv.write(3, v, 1, KvWriteSource{KvWriter::Doe})) << "no vault inputs: any slot but 23";
}
