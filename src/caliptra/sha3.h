// The SHA-3 engine of Caliptra 2.1 (caliptra-rtl src/sha3/rtl: sha3_ctrl.sv wrapping
// OpenTitan's KMAC with EnMasking = 0 and EnFullKmac = 0, i.e. SHA3-224/256/384/512,
// SHAKE128/256 and cSHAKE128/256 but no KMAC key). At +0x000 the KMAC register set
// (kmac_reg.rdl / kmac_reg_top.sv) with its Keccak STATE window (+0x400) and message FIFO
// window (+0x800); at +0x1000 the Caliptra registers (sha3_reg.rdl: name, version, the
// interrupt block that reaches the PIC; its copies of CFG/CMD/STATUS/ERR_CODE/STATE/MSG_FIFO
// are tied off in sha3_ctrl.sv).
//
// Software drives it with CMD: START (absorbing; cSHAKE first absorbs the prefix block),
// message bytes into MSG_FIFO, PROCESS (pad and permute), RUN (another permutation while
// squeezing) and DONE (wipe, back to idle). kmac_errchk.sv checks the command sequence and
// the mode/strength pair; errors land in ERR_CODE and the error interrupt.
#pragma once
#include <array>
#include <cstdint>
#include <memory>

#include "bus/regfile.h"
#include "bus/timeline.h"
#include "caliptra/block_context.h"
#include "caliptra/intr_block.h"
#include "caliptra/shadowed_reg.h"

namespace calemu::caliptra {

class Sha3 : public bus::RegBlock {
 public:
  static constexpr uint32_t kSize = 0x2000;  // 0x1004_0000 .. 0x1004_1FFF
  static constexpr uint32_t kStateWindow = 0x400, kStateWindowSize = 0x200;
  static constexpr uint32_t kMsgFifoWindow = 0x800, kMsgFifoWindowSize = 0x800;
  static constexpr uint32_t kCaliptraRegs = 0x1000;  // caliptra_tlul_adapter_vh VH_REGISTER_ADDRESS_OFFSET

  // kmac_pkg.sv kmac_cmd_e (sparse; CmdNone is 0).
  enum Cmd : uint32_t { kCmdNone = 0, kCmdStart = 0x1D, kCmdProcess = 0x2E, kCmdRun = 0x31, kCmdDone = 0x16 };
  // ot_sha3_pkg.sv.
  enum ModeField : uint32_t { kSha3 = 0, kShake = 2, kCShake = 3 };
  enum Strength : uint32_t { kL128 = 0, kL224 = 1, kL256 = 2, kL384 = 3, kL512 = 4 };
  // kmac_pkg.sv err_code_e (the ones this configuration can raise).
  enum ErrCode : uint32_t {
    kErrSwPushedMsgFifo = 0x02, kErrUnexpectedModeStrength = 0x06, kErrSwCmdSequence = 0x08
  };
  // INTR_STATE / INTR_ENABLE / INTR_TEST bits.
  static constexpr uint32_t kIntrKmacDone = 1u << 0, kIntrFifoEmpty = 1u << 1, kIntrKmacErr = 1u << 2;
  // STATUS bits.
  static constexpr uint32_t kSha3Idle = 1u << 0, kSha3Absorb = 1u << 1, kSha3Squeeze = 1u << 2,
                            kFifoEmpty = 1u << 14, kAlertFatalFault = 1u << 16, kAlertRecovCtrlUpdateErr = 1u << 17;

  // kmac_reg.rdl / kmac_reg_top.sv.
#define CALEMU_KMAC_REGS(X)                                          \
  X(INTR_STATE, 0x00, .ro(0x7).w1c(0x5).hooks())                     \
  X(INTR_ENABLE, 0x04, .rw(0x7).hook_write())                        \
  X(INTR_TEST, 0x08, .rw(0x7).wo().hook_write())                     \
  X(ALERT_TEST, 0x0C, .rw(0x3).wo())                                 \
  X(CFG_REGWEN, 0x10, .reset(0x1).ro(0x1).hook_read())               \
  X(CFG_SHADOWED, 0x14, .rw(0x33E).hooks())                          \
  X(CMD, 0x18, .rw(0x43F).wo().hook_write())                         \
  X(STATUS, 0x1C, .reset(0x4001).ro(0x3DF07).hook_read())            \
  X(PREFIX_0, 0x20, ) X(PREFIX_1, 0x24, ) X(PREFIX_2, 0x28, )        \
  X(PREFIX_3, 0x2C, ) X(PREFIX_4, 0x30, ) X(PREFIX_5, 0x34, )        \
  X(PREFIX_6, 0x38, ) X(PREFIX_7, 0x3C, ) X(PREFIX_8, 0x40, )        \
  X(PREFIX_9, 0x44, ) X(PREFIX_10, 0x48, )                           \
  X(ERR_CODE, 0x4C, .ro())
  CALEMU_REG_TABLE(CALEMU_KMAC_REGS)
#undef CALEMU_KMAC_REGS

  // Latencies in core clocks: ot_keccak_round.sv (unmasked) runs one round per clock.
  static constexpr uint64_t kPermutationCycles = 24 + 1;
  static constexpr uint64_t kCmdCycles = 2;  // CMD -> kmac_errchk register -> the SHA3 core

  explicit Sha3(BlockContext& ctx);
  ~Sha3() override;

  bus::BusResult read(uint32_t offset, unsigned size, uint32_t& value, const bus::Requester& who) override;
  bus::BusResult write(uint32_t offset, unsigned size, uint32_t value, const bus::Requester& who) override;
  void reset(bus::ResetKind kind) override;

  // A fatal fault (fault injection: shadow storage error, counter or FSM corruption):
  // STATUS.ALERT_FATAL_FAULT and the FSMs' terminal error states until reset.
  void inject_fatal_fault();
  IntrBlock& intr();

 protected:
  Verdict write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester& who) override;
  void after_write(unsigned id, unsigned index, uint32_t old, const bus::Requester& who) override;
  bool read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester& who) override;

 private:
  class CaliptraRegs;
  // ot_sha3.sv sha3_st_e (Flush lasts one clock and is folded into Idle).
  enum class Core : uint8_t { Idle, Absorb, Squeeze, ManualRun, Error };
  // kmac_errchk.sv st_e: what software may do next.
  enum class Seq : uint8_t { Idle, MsgFeed, Processing, Absorbed, Squeezing };
  // kmac_app.sv: software owns the engine between START and DONE.
  enum class App : uint8_t { Idle, Sw };

  unsigned rate_bytes() const;
  void command(uint32_t cmd);
  void start();
  void process();
  void permute_done();
  void done();
  void report_error(uint32_t code, uint32_t info);
  void push_message(uint32_t offset, unsigned size, uint32_t value);
  void absorb_byte(uint8_t b);
  void absorb_prefix_block();
  uint32_t state_word(unsigned index) const;
  void update_interrupts();

  BlockContext& ctx_;
  std::unique_ptr<CaliptraRegs> clp_;
  bus::Event busy_;

  ShadowedReg cfg_{0};
  Core core_ = Core::Idle;
  Seq seq_ = Seq::Idle;
  App app_ = App::Idle;
  bool fatal_ = false, recov_alert_ = false;
  // The operation's mode and strength (latched from CFG_SHADOWED at START).
  uint32_t mode_ = kSha3, strength_ = kL256;
  uint64_t lanes_[25] = {};
  unsigned block_pos_ = 0;  // message bytes absorbed into the current block
  uint32_t fifo_empty_test_ = 0;  // INTR_TEST.fifo_empty is a status test bit (prim_intr_hw "Status")
  uint32_t intr_out_ = 0;         // intr_*_o (state & enable), for sha3_ctrl.sv's edge detection
};

}  // namespace calemu::caliptra
