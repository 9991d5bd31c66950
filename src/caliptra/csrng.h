// The OpenTitan CSRNG as Caliptra 1.x integrates it (caliptra-rtl src/csrng: data/csrng.rdl,
// rtl/csrng_core.sv, csrng_main_sm.sv, csrng_ctr_drbg_*.sv): the software application
// interface only (the hardware application ports are tied off in caliptra_top.sv), with an
// AES-256 CTR_DRBG without derivation function (SP 800-90A §10.2.1, ctr_len = 32).
// Commands come through CMD_REQ (header, then clen additional-data words) — instantiate,
// reseed, generate, update, uninstantiate; instantiate and reseed take 384 bits from the
// entropy source unless flag0 says to use only the additional data. Generated 128-bit
// blocks reach firmware one at a time through GENBITS (four reads each).
//
// Endianness (csrng_core.sv packer FIFOs, csrng_block_encrypt.sv): the 384-bit additional
// data is little-endian in words (the first word written is bits [31:0]); key, V and
// blocks are big-endian integers inside the DRBG, so in NIST byte-string terms the
// additional-data words are written last word first, and GENBITS returns each block's last
// word first.
//
// 2.x integrates a newer CSRNG (v2.0.4/v2.1.2 data/csrng.rdl, rtl/csrng_cmd_stage.sv): a
// different register map (RESEED_INTERVAL, RESEED_COUNTER_0..2, INT_STATE_READ_ENABLE(_REGWEN),
// FIPS_FORCE, CTRL.FIPS_FORCE_ENABLE) and command stage: SW_CMD_STS reports CMD_RDY (the
// stage takes a word; low while disabled), CMD_ACK (the last command was acknowledged;
// cleared by the next word) and a 3-bit CMD_STS; the stage checks the command sequence
// (instantiate twice, or reseed/generate/update uninstantiated, answers INVALID_CMD_SEQ),
// and a generate once the reseed counter (0 after instantiate/reseed, +1 per generate) has
// reached RESEED_INTERVAL answers RESEED_CNT_EXCEEDED.
#pragma once
#include <array>
#include <cstdint>
#include <deque>
#include <vector>

#include "bus/regfile.h"
#include "bus/timeline.h"
#include "caliptra/block_context.h"

namespace calemu::caliptra {

class EntropySrc;

class Csrng : public bus::RegBlock {
 public:
  static constexpr uint32_t kSize = 0x80;  // BlockAw = 7
  // The AES cipher core takes a dozen or so cycles per block; a command adds its stages.
  static constexpr uint64_t kCyclesPerAesBlock = 16;
  static constexpr uint64_t kCyclesCommandOverhead = 8;
  enum Acmd : uint32_t { kInstantiate = 1, kReseed = 2, kGenerate = 3, kUpdate = 4, kUninstantiate = 5 };
  static constexpr unsigned kSwApp = 2;  // NHwApps = 2, the software instance is the last

  // The 1.x table, then the 2.x one: the same ids (the 2.x-only registers last, absent
  // from the 1.x table), 2.x offsets.
#define CALEMU_CSRNG_REGS_1X(X)                                             \
  X(INTERRUPT_STATE, 0x00, .ro(0).w1c(0xF))                                 \
  X(INTERRUPT_ENABLE, 0x04, .rw(0xF))                                       \
  X(INTERRUPT_TEST, 0x08, .rw(0xF).wo().hook_write())                       \
  X(ALERT_TEST, 0x0C, .rw(0x3).wo().hook_write())                           \
  X(REGWEN, 0x10, .rw(0x1).reset(0x1).hook_write())                         \
  X(CTRL, 0x14, .rw(0xFFF).reset(0x999).hook_write())                       \
  X(CMD_REQ, 0x18, .wo().hook_write())                                      \
  X(SW_CMD_STS, 0x1C, .ro(0x3).reset(0x1))                                  \
  X(GENBITS_VLD, 0x20, .ro(0x3))                                            \
  X(GENBITS, 0x24, .ro().hook_read())                                       \
  X(INT_STATE_NUM, 0x28, .rw(0xF).hook_write())                             \
  X(INT_STATE_VAL, 0x2C, .ro().hook_read())                                 \
  X(HW_EXC_STS, 0x30, .rw(0xFFFF).hook_write())                             \
  X(RECOV_ALERT_STS, 0x34, .rw(0x300F).hook_write())                        \
  X(ERR_CODE, 0x38, .ro(0x77F0'FFFF))                                       \
  X(ERR_CODE_TEST, 0x3C, .rw(0x1F).hook_write())                            \
  X(MAIN_SM_STATE, 0x40, .ro(0xFF).reset(0x4E))
#define CALEMU_CSRNG_REGS_2X(X)                                             \
  X(INTERRUPT_STATE, 0x00, .ro(0).w1c(0xF))                                 \
  X(INTERRUPT_ENABLE, 0x04, .rw(0xF))                                       \
  X(INTERRUPT_TEST, 0x08, .rw(0xF).wo().hook_write())                       \
  X(ALERT_TEST, 0x0C, .rw(0x3).wo().hook_write())                           \
  X(REGWEN, 0x10, .rw(0x1).reset(0x1).hook_write())                         \
  X(CTRL, 0x14, .rw(0xFFFF).reset(0x9999).hook_write())                     \
  X(CMD_REQ, 0x18, .wo().hook_write())                                      \
  X(SW_CMD_STS, 0x2C, .ro(0x3E))                                            \
  X(GENBITS_VLD, 0x30, .ro(0x3))                                            \
  X(GENBITS, 0x34, .ro().hook_read())                                       \
  X(INT_STATE_NUM, 0x40, .rw(0xF).hook_write())                             \
  X(INT_STATE_VAL, 0x44, .ro().hook_read())                                 \
  X(HW_EXC_STS, 0x4C, .rw(0xFFFF).hook_write())                             \
  X(RECOV_ALERT_STS, 0x50, .rw(0xF01F).hook_write())                        \
  X(ERR_CODE, 0x54, .ro(0x77F0'FFFF))                                       \
  X(ERR_CODE_TEST, 0x58, .rw(0x1F).hook_write())                            \
  X(MAIN_SM_STATE, 0x5C, .ro(0xFF).reset(0x4E))                             \
  X(RESEED_INTERVAL, 0x1C, .reset(0xFFFF'FFFF))                             \
  X(RESEED_COUNTER_0, 0x20, .ro())                                          \
  X(RESEED_COUNTER_1, 0x24, .ro())                                          \
  X(RESEED_COUNTER_2, 0x28, .ro())                                          \
  X(INT_STATE_READ_ENABLE, 0x38, .rw(0x7).reset(0x7).hook_write())          \
  X(INT_STATE_READ_ENABLE_REGWEN, 0x3C, .rw(0x1).reset(0x1).hook_write())   \
  X(FIPS_FORCE, 0x48, .rw(0x7).hook_write())
  CALEMU_REG_TABLE(CALEMU_CSRNG_REGS_2X)
  static constexpr bus::RegDef kRegs1x[] = {CALEMU_CSRNG_REGS_1X(CALEMU_REG_ROW)};
#undef CALEMU_CSRNG_REGS_1X
#undef CALEMU_CSRNG_REGS_2X

  // SW_CMD_STS (2.x) and its CMD_STS codes (csrng_pkg.sv csrng_cmd_sts_e).
  static constexpr uint32_t kCmdRdy2x = 1u << 1, kCmdAck2x = 1u << 2;
  enum CmdSts : uint32_t { kStsSuccess = 0, kStsInvalidAcmd = 1, kStsInvalidGenCmd = 2, kStsInvalidCmdSeq = 3,
                           kStsReseedCntExceeded = 4 };

  explicit Csrng(BlockContext& ctx);
  // entropy_src_hw_if (caliptra_top.sv); without a source, seeds never come.
  void set_entropy_source(EntropySrc* es) { es_ = es; }
  void reset(bus::ResetKind kind) override;

  // The software instance's working state, for tests and traces.
  struct State {
    std::array<uint8_t, 32> key{};
    std::array<uint8_t, 16> v{};
    uint32_t reseed_counter = 0;
    bool instantiated = false;
    bool fips = false;
  };
  const State& state() const { return drbg_; }

 protected:
  Verdict write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester& who) override;
  void after_write(unsigned id, unsigned index, uint32_t old, const bus::Requester& who) override;
  bool read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester& who) override;

 private:
  struct Command {
    uint32_t acmd = 0, clen = 0, glen = 0;
    bool flag0 = false;
    std::vector<uint32_t> adata;  // in write order
  };
  using Seed = std::array<uint8_t, 48>;

  bool enabled() const;
  void on_cmd_word(uint32_t word);
  void start_next();
  void execute(const Command& c, const Seed* entropy, bool fips);
  void command_done();
  void update(const Seed& provided);
  std::array<uint8_t, 16> next_block();
  void load_genbits();
  void disable();
  Seed adata_seed(const Command& c) const;
  CmdSts sequence_check(const Command& c) const;
  void acknowledge(CmdSts sts);
  bool fips_forced() const;

  BlockContext& ctx_;
  const bool v2_;
  EntropySrc* es_ = nullptr;
  bus::Event step_, genbits_;
  State drbg_;

  Command building_;
  bool have_header_ = false;
  std::deque<Command> queue_;
  bool busy_ = false;

  std::deque<std::array<uint32_t, 4>> pending_blocks_;  // generated, not yet in GENBITS
  std::array<uint32_t, 4> genbits_words_{};
  unsigned genbits_read_ = 4;
  bool genbits_fips_ = false;
  unsigned int_state_ptr_ = 0;
  bool stage_instantiated_ = false;   // 2.x csrng_cmd_stage.sv instantiated_q
  bool reseed_cnt_reached_ = false;   // 2.x reseed_cnt_reached_q (software instance)
};

}  // namespace calemu::caliptra
