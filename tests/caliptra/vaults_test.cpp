// Key vault, PCR vault and data vault rules from kv.sv / pv.sv / dv.sv and their RDL:
// locks, clears, destination-valid checks, debug values and reset domains.
#include <gtest/gtest.h>

#include "caliptra/datavault.h"
#include "ip_test_util.h"

using namespace calemu::caliptra;
using namespace calemu::caliptra::test;
using calemu::bus::ResetKind;

namespace {
constexpr uint32_t kKeyCtrl = 0x000, kKeyEntry = 0x600, kClearSecrets = 0xC00;
uint32_t key_ctrl(unsigned slot) { return kKeyCtrl + 4 * slot; }
uint32_t key_entry(unsigned slot, unsigned w) { return kKeyEntry + 48 * slot + 4 * w; }
}  // namespace

TEST(KeyVault, FirmwareNeverSeesOrWritesKeyMaterial) {
  Bench b;
  ASSERT_TRUE(b.kv.write(1, Words(12, 0x12345678), kv_dest(KvClient::HmacKey)));
  for (unsigned w = 0; w < 12; ++w) EXPECT_EQ(rd(b.kv, key_entry(1, w)), 0u);
  wr(b.kv, key_entry(1, 0), 0xFFFFFFFF);
  EXPECT_EQ(b.kv.read(1, KvClient::HmacKey).words[0], 0x12345678u);
  // dest_valid and last_dword are visible and read-only.
  EXPECT_EQ(rd(b.kv, key_ctrl(1)), 1u << 9 | 11u << 17);
  wr(b.kv, key_ctrl(1), 0x1F'FE00);
  EXPECT_EQ(rd(b.kv, key_ctrl(1)), 1u << 9 | 11u << 17);
}

TEST(KeyVault, DestValidAndLockUseGateEngineReads) {
  Bench b;
  ASSERT_TRUE(b.kv.write(2, Words(12, 0xA5A5A5A5), kv_dest(KvClient::EccSeed)));
  EXPECT_FALSE(b.kv.read(2, KvClient::EccSeed).error);
  const KeyVault::ReadResult wrong = b.kv.read(2, KvClient::HmacKey);
  EXPECT_TRUE(wrong.error);
  EXPECT_EQ(wrong.words[0], 0u);
  wr(b.kv, key_ctrl(2), KeyVault::kLockUse);
  EXPECT_TRUE(b.kv.read(2, KvClient::EccSeed).error);
  EXPECT_FALSE(b.kv.write(2, Words(12, 1), 0xFF)) << "use-locked slots refuse writes too";
}

TEST(KeyVault, LocksAreStickyUntilResetAndGuardClear) {
  Bench b;
  ASSERT_TRUE(b.kv.write(3, Words(12, 7), kv_dest(KvClient::HmacBlock)));
  wr(b.kv, key_ctrl(3), KeyVault::kLockWr);
  wr(b.kv, key_ctrl(3), 0);
  EXPECT_EQ(rd(b.kv, key_ctrl(3)) & 3, 1u) << "lock_wr cannot be cleared by firmware";
  EXPECT_FALSE(b.kv.write(3, Words(12, 9), 1));
  wr(b.kv, key_ctrl(3), KeyVault::kLockWr | KeyVault::kClear);
  EXPECT_EQ(b.kv.read(3, KvClient::HmacBlock).words[0], 7u) << "a write-locked slot is not cleared";
  EXPECT_EQ(rd(b.kv, key_ctrl(3)) & KeyVault::kClear, 0u) << "clear is a pulse";

  // Locks fall on warm and firmware-update resets; keys and dest bits survive a warm reset.
  b.kv.reset(ResetKind::FwUpdate);
  EXPECT_EQ(rd(b.kv, key_ctrl(3)) & 3, 0u);
  wr(b.kv, key_ctrl(3), KeyVault::kLockUse);
  b.kv.reset(ResetKind::Warm);
  EXPECT_EQ(rd(b.kv, key_ctrl(3)), 2u << 9 | 11u << 17);
  EXPECT_EQ(b.kv.read(3, KvClient::HmacBlock).words[0], 7u);
  // Clear empties the slot and its controls.
  wr(b.kv, key_ctrl(3), KeyVault::kClear);
  EXPECT_EQ(rd(b.kv, key_ctrl(3)), 0u);
  EXPECT_TRUE(b.kv.read(3, KvClient::HmacBlock).error);
  b.kv.reset(ResetKind::Cold);
  EXPECT_EQ(b.kv.pcr_signing_key()[0], 0u);
}

TEST(KeyVault, DebugValues) {
  Bench b;
  ASSERT_TRUE(b.kv.write(0, Words(12, 1), 1));
  wr(b.kv, key_ctrl(7), KeyVault::kLockWr);
  wr(b.kv, kClearSecrets, 1);  // debug locked: no effect
  EXPECT_EQ(b.kv.read(0, KvClient::HmacKey).words[0], 1u);
  b.secrets.locked = false;
  wr(b.kv, kClearSecrets, 1 | 2);  // sel_debug_value = 1
  EXPECT_EQ(b.kv.read(0, KvClient::HmacKey).words[0], KeyVault::kDebugValue1);
  EXPECT_EQ(rd(b.kv, key_ctrl(0)) >> 9 & 0xFF, 1u) << "dest bits are kept";
  EXPECT_EQ(rd(b.kv, kClearSecrets), 2u) << "wr_debug_values is a pulse";
  EXPECT_EQ(b.kv.pcr_signing_key()[0], 0u) << "the locked slot 7 is spared";
  // The debug-unlock/scan switch overrides locks.
  wr(b.kv, kClearSecrets, 0);
  b.kv.flush_debug_values();
  EXPECT_EQ(b.kv.pcr_signing_key()[0], KeyVault::kDebugValue0);
}

TEST(PcrVault, EntriesReadOnlyLockGuardsClearNotExtend) {
  Bench b;
  Words v(12, 0xCAFEF00D);
  b.pv.write(4, std::span<const uint32_t, 12>(v.data(), 12));
  EXPECT_EQ(rd(b.pv, 0x600 + 4 * 48), 0xCAFEF00Du);
  wr(b.pv, 0x600 + 4 * 48, 0);
  EXPECT_EQ(rd(b.pv, 0x600 + 4 * 48), 0xCAFEF00Du);
  wr(b.pv, 4 * 4, PcrVault::kLock);
  wr(b.pv, 4 * 4, PcrVault::kClear);
  EXPECT_EQ(rd(b.pv, 0x600 + 4 * 48), 0xCAFEF00Du) << "locked: clear ignored";
  EXPECT_EQ(rd(b.pv, 4 * 4), PcrVault::kLock);
  Words w(12, 1);
  b.pv.write(4, std::span<const uint32_t, 12>(w.data(), 12));
  EXPECT_EQ(b.pv.read(4)[0], 1u) << "hash extends still land on a locked PCR";
  b.pv.reset(ResetKind::Warm);
  EXPECT_EQ(rd(b.pv, 4 * 4), 0u);
  EXPECT_EQ(b.pv.read(4)[0], 1u) << "PCRs are on cptra_pwrgood";
  wr(b.pv, 4 * 4, PcrVault::kClear);
  EXPECT_EQ(b.pv.read(4)[0], 0u);
  EXPECT_EQ(rd(b.pv, 4 * 4), 0u);
}

TEST(DataVault, LocksAndResetDomains) {
  Bench b;
  DataVault dv(b.ctx);
  wr(dv, 0x028, 0x11);  // STICKY_DATA_VAULT_ENTRY[0][0]
  wr(dv, 0x000, 1);     // lock sticky entry 0
  wr(dv, 0x028, 0x22);
  EXPECT_EQ(rd(dv, 0x028), 0x11u);
  wr(dv, 0x230, 0x33);  // DATA_VAULT_ENTRY[0][0]
  wr(dv, 0x208, 1);
  wr(dv, 0x438, 0x44);  // LockableScratchReg[0]
  wr(dv, 0x410, 1);
  wr(dv, 0x460, 0x55);  // NonStickyGenericScratchReg[0]
  wr(dv, 0x4A0, 0x66);  // StickyLockableScratchReg[0]
  wr(dv, 0x480, 1);
  wr(dv, 0x480, 0);
  EXPECT_EQ(rd(dv, 0x480), 1u) << "locks hold until their reset";

  dv.reset(ResetKind::Warm);
  EXPECT_EQ(rd(dv, 0x028), 0x11u);
  EXPECT_EQ(rd(dv, 0x000), 1u) << "sticky lock on cptra_pwrgood";
  EXPECT_EQ(rd(dv, 0x230), 0x33u) << "DATA_VAULT_ENTRY data is on cptra_pwrgood too";
  EXPECT_EQ(rd(dv, 0x208), 0u) << "its lock is on cptra_uc_rst_b";
  EXPECT_EQ(rd(dv, 0x438), 0x44u);
  EXPECT_EQ(rd(dv, 0x410), 0u);
  EXPECT_EQ(rd(dv, 0x460), 0u) << "non-sticky scratch is on cptra_rst_b";
  EXPECT_EQ(rd(dv, 0x4A0), 0x66u);
  wr(dv, 0x208, 1);
  dv.reset(ResetKind::FwUpdate);
  EXPECT_EQ(rd(dv, 0x208), 0u);
  dv.reset(ResetKind::Cold);
  EXPECT_EQ(rd(dv, 0x028), 0u);
  EXPECT_EQ(rd(dv, 0x000), 0u);
}
