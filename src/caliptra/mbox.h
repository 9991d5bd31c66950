// The mailbox (caliptra-rtl src/soc_ifc/rtl/mbox.sv, mbox_csr.rdl): lock, user, command,
// length, FIFO-style data in/out over the mailbox SRAM, execute/status handshake between
// the SoC and the core, protocol-error detection, and the core's direct SRAM window.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "bus/memory.h"
#include "bus/regfile.h"
#include "caliptra/block_context.h"

namespace calemu::caliptra {

class SocIfc;

class Mailbox : public bus::RegBlock {
 public:
  // mbox_fsm_ps encodings (mbox_csr.rdl mbox_fsm_e).
  enum Fsm : uint32_t {
    kIdle = 0, kRdyForCmd = 1, kRdyForData = 2, kRdyForDlen = 3, kExecuteSoc = 4, kExecuteTap = 5, kExecuteUc = 6,
    kError = 7,
  };
  enum Status : uint32_t { kCmdBusy = 0, kDataReady = 1, kCmdComplete = 2, kCmdFailure = 3 };
  static constexpr uint32_t kCaliptraUser = 0xFFFF'FFFF;  // the core's AXI user on this bus

#define CALEMU_MBOX_REGS(X)                                                  \
  X(mbox_lock, 0x00, .ro(0x1).hook_read())                                   \
  X(mbox_user, 0x04, .ro())                                                  \
  X(mbox_cmd, 0x08, .hook_write())                                           \
  X(mbox_dlen, 0x0C, .hook_write())                                          \
  X(mbox_datain, 0x10, .hook_write())                                        \
  X(mbox_dataout, 0x14, .ro().hook_read())                                   \
  X(mbox_execute, 0x18, .rw(0x1).hook_write())                               \
  X(mbox_status, 0x1C, .rw(0xF).mask(0x01FF'FFFF).hooks())                   \
  X(mbox_unlock, 0x20, .rw(0x1).cpu_write_only().hook_write())              \
  X(tap_mode, 0x24, .rw(0x1).cpu_write_only())
  CALEMU_REG_TABLE(CALEMU_MBOX_REGS)
#undef CALEMU_MBOX_REGS

  // sram: the mailbox SRAM (128 KiB in 1.x, 256 KiB in 2.x); soc_data_avail drives the SoC's
  // mailbox_data_avail pin (a command from Caliptra waits, or a response is ready).
  Mailbox(BlockContext& ctx, bus::Memory& sram, SocIfc& soc, std::function<void(bool)> soc_data_avail);

  void reset(bus::ResetKind kind) override;

  bus::BusResult read(uint32_t offset, unsigned size, uint32_t& value, const bus::Requester& who) override;
  bus::BusResult write(uint32_t offset, unsigned size, uint32_t value, const bus::Requester& who) override;

  Fsm fsm() const { return fsm_; }
  bool locked() const { return reg(mbox_lock) & 1; }
  bool soc_has_lock() const { return soc_has_lock_; }
  // The core's direct SRAM window works while it owns the mailbox or executes a SoC command.
  bool direct_access_allowed() const { return locked() && (!soc_has_lock_ || fsm_ == kExecuteUc); }
  bus::Memory& sram() { return sram_; }
  // How often the core has read mbox_status: a ROM waiting for a command polls it.
  uint64_t core_status_polls() const { return core_status_polls_; }

 protected:
  Verdict write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester& who) override;
  void after_write(unsigned id, unsigned index, uint32_t old, const bus::Requester& who) override;
  bool read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester& who) override;

 private:
  bool valid_requester(const bus::Requester& who) const;
  bool valid_receiver(const bus::Requester& who) const;
  void goto_state(Fsm next);
  void unlock();
  void begin_execute();  // latch the valid length, rewind the pointers, preload dataout
  void advance_dataout();
  void set_soc_data_avail();
  bool soc_protocol_check(uint32_t offset, bool write, const bus::Requester& who);
  uint32_t capacity_words() const { return sram_.size() / 4; }
  static std::vector<bus::RegDef> table(HwGen g);

  BlockContext& ctx_;
  bus::Memory& sram_;
  SocIfc& soc_;
  std::function<void(bool)> soc_data_avail_;
  Fsm fsm_ = kIdle;
  bool soc_has_lock_ = false;
  uint32_t wrptr_ = 0, rdptr_ = 0, valid_words_ = 0;
  bool wr_full_ = false;
  bool soc_avail_ = false;
  uint64_t core_status_polls_ = 0;
};

// The core's window onto the mailbox SRAM (1.x: 0x3000_0000). Gated by mailbox ownership:
// outside it, reads return 0 and writes are dropped, as in mbox.sv (dir_req_dv_q).
class MailboxSramPort : public bus::Device {
 public:
  explicit MailboxSramPort(Mailbox& mbox) : mbox_(mbox) {}
  const char* name() const override { return "mbox_sram"; }
  bus::BusResult read(uint32_t offset, unsigned size, uint32_t& value, const bus::Requester& who) override;
  bus::BusResult write(uint32_t offset, unsigned size, uint32_t value, const bus::Requester& who) override;

 private:
  Mailbox& mbox_;
};

}  // namespace calemu::caliptra
