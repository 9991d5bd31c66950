#include "caliptra/datavault.h"

namespace calemu::caliptra {

namespace {
constexpr unsigned kDvWords = 12;  // DV_NUM_DWORDS
}

DataVault::DataVault(BlockContext&) : bus::RegBlock("dv", kRegs, kSize) {}

// The locks on cptra_uc_rst_b fall on warm and firmware-update resets; the framework's
// sticky flag keeps them across a warm reset, so clear them here for both.
void DataVault::reset(bus::ResetKind kind) {
  bus::RegBlock::reset(kind);
  if (kind == bus::ResetKind::Cold) return;
  for (unsigned i = 0; i < 10; ++i) {
    reg(DataVaultCtrl, i) = 0;
    reg(LockableScratchRegCtrl, i) = 0;
  }
}

// Each data register's swwel is its control's lock_entry; each lock's swwel is itself.
bool DataVault::write_locked(unsigned id, unsigned index) const {
  switch (id) {
    case StickyDataVaultCtrl: case DataVaultCtrl: case LockableScratchRegCtrl: case StickyLockableScratchRegCtrl:
      return reg(id, index) & 1;
    case STICKY_DATA_VAULT_ENTRY: return reg(StickyDataVaultCtrl, index / kDvWords) & 1;
    case DATA_VAULT_ENTRY: return reg(DataVaultCtrl, index / kDvWords) & 1;
    case LockableScratchReg: return reg(LockableScratchRegCtrl, index) & 1;
    case StickyLockableScratchReg: return reg(StickyLockableScratchRegCtrl, index) & 1;
    default: return false;
  }
}

bus::RegBlock::Verdict DataVault::write_hook(unsigned id, unsigned index, uint32_t&, uint32_t,
                                             const bus::Requester&) {
  return write_locked(id, index) ? Verdict::Ignore : Verdict::Store;
}

}  // namespace calemu::caliptra
