// The SHA-512/384 accelerator shared by the SoC and the core (caliptra-rtl
// src/soc_ifc/rtl/sha512_acc_top.sv, sha512_acc_external_csr.rdl): a lock with owner,
// streaming mode (data written to DATAIN) and, for the core, mailbox mode (hashes DLEN
// bytes of mailbox SRAM from START_ADDRESS).
#pragma once
#include <cstdint>
#include <vector>

#include "bus/memory.h"
#include "bus/regfile.h"
#include "bus/timeline.h"
#include "caliptra/block_context.h"
#include "caliptra/intr_block.h"

namespace calemu::caliptra {

class Sha512Acc : public bus::RegBlock {
 public:
#define CALEMU_SHA512_ACC_REGS(X)                                        \
  X(LOCK, 0x00, .ro(0).w1c(0x1).reset(0x1).hooks())                     \
  X(USER, 0x04, .ro())                                                  \
  X(MODE, 0x08, .rw(0x7).hook_write())                                  \
  X(START_ADDRESS, 0x0C, .hook_write())                                 \
  X(DLEN, 0x10, .hook_write())                                          \
  X(DATAIN, 0x14, .hook_write())                                        \
  X(EXECUTE, 0x18, .rw(0x1).hook_write())                               \
  X(STATUS, 0x1C, .ro(0x3).hook_read())                                 \
  X(DIGEST, 0x20, .count(16).ro())                                      \
  X(CONTROL, 0x60, .rw(0x1).hook_write())
  CALEMU_REG_TABLE(CALEMU_SHA512_ACC_REGS)
#undef CALEMU_SHA512_ACC_REGS

  enum Mode : uint32_t { kStream384 = 0, kStream512 = 1, kMbox384 = 2, kMbox512 = 3, kEndianToggle = 4 };
  static constexpr uint64_t kCyclesPerBlock = 90;  // one SHA-512 round block in the RTL core, ~81 cycles + overhead

  Sha512Acc(BlockContext& ctx, bus::Memory& mbox_sram);
  void reset(bus::ResetKind kind) override;
  IntrBlock& intr() { return intr_; }

 protected:
  Verdict write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester& who) override;
  void after_write(unsigned id, unsigned index, uint32_t old, const bus::Requester& who) override;
  bool read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester& who) override;

 private:
  bool valid_user(const bus::Requester& who) const;
  void release();
  void try_start();
  void finish();

  BlockContext& ctx_;
  bus::Memory& sram_;
  IntrBlock intr_;
  bool soc_has_lock_ = false;
  bool busy_ = false, valid_ = false;
  std::vector<uint8_t> stream_;  // bytes streamed through DATAIN, in message order
  std::vector<uint8_t> pending_digest_;
  bus::Event done_;
};

}  // namespace calemu::caliptra
