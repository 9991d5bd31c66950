// The data vault (caliptra-rtl src/datavault/rtl/dv.sv, dv_reg.rdl): firmware scratch that
// survives resets according to its reset signal, with per-entry write locks that, once
// set, hold until their own reset. Reset domains, from the RDL:
//   cptra_pwrgood (cold only):   STICKY_* controls and data, DATA_VAULT_ENTRY data,
//                                LockableScratchReg data, StickyLockableScratch*
//   cptra_uc_rst_b (warm + fw update): DataVaultCtrl, LockableScratchRegCtrl locks
//   cptra_rst_b (warm):          NonStickyGenericScratchReg
// So the "non-sticky" data vault entries keep their data across a warm reset; only their
// locks fall.
#pragma once
#include "bus/regfile.h"
#include "caliptra/block_context.h"

namespace calemu::caliptra {

class DataVault : public bus::RegBlock {
 public:
  static constexpr uint32_t kSize = 0x800;  // DV_REG_ADDR_WIDTH = 11

#define CALEMU_DV_REGS(X)                                                                  \
  X(StickyDataVaultCtrl, 0x000, .count(10).rw(0x1).sticky().hook_write())                  \
  X(STICKY_DATA_VAULT_ENTRY, 0x028, .count(10 * 12).sticky().hook_write())                 \
  X(DataVaultCtrl, 0x208, .count(10).rw(0x1).sticky().hook_write())                        \
  X(DATA_VAULT_ENTRY, 0x230, .count(10 * 12).sticky().hook_write())                        \
  X(LockableScratchRegCtrl, 0x410, .count(10).rw(0x1).sticky().hook_write())               \
  X(LockableScratchReg, 0x438, .count(10).sticky().hook_write())                           \
  X(NonStickyGenericScratchReg, 0x460, .count(8))                                          \
  X(StickyLockableScratchRegCtrl, 0x480, .count(8).rw(0x1).sticky().hook_write())          \
  X(StickyLockableScratchReg, 0x4A0, .count(8).sticky().hook_write())
  CALEMU_REG_TABLE(CALEMU_DV_REGS)
#undef CALEMU_DV_REGS

  explicit DataVault(BlockContext& ctx);
  void reset(bus::ResetKind kind) override;

 protected:
  Verdict write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester& who) override;

 private:
  bool write_locked(unsigned id, unsigned index) const;
};

}  // namespace calemu::caliptra
