// The OpenTitan entropy source as Caliptra 1.x integrates it for the internal TRNG
// (caliptra-rtl src/entropy_src: data/entropy_src.rdl, rtl/entropy_src_core.sv,
// entropy_src_main_sm.sv). Modelled: the register file with its write enables (ME_REGWEN,
// SW_REGUPD/REGWEN), the main state machine as firmware sees it (Idle, the boot-mode or
// startup health-test phases, then BootPhaseDone or ContHTRunning), and the 384-bit seeds
// CSRNG requests, produced after a health-test window. The physical noise source, SHA-3
// conditioning and the health-test arithmetic are not modelled: the entropy is a
// deterministic stream derived from BlockContext::seed (so a run repeats exactly) and every
// health test passes, so watermarks, failure counters and alerts stay at their reset
// values. Firmware override (FW_OV_*) registers are stored but inert.
// 2.x (v2.0.4/v2.1.2 data/entropy_src.rdl) rearranges CONF (FIPS_FLAG and RNG_FIPS added;
// RNG_BIT_ENABLE, THRESHOLD_SCOPE and ENTROPY_DATA_REG_ENABLE moved), shrinks the observe
// FIFO (64 entries) and adds alert/error bits; a seed counts as FIPS only when firmware
// sets CONF.FIPS_FLAG.
#pragma once
#include <array>
#include <cstdint>
#include <functional>

#include "bus/regfile.h"
#include "bus/timeline.h"
#include "caliptra/block_context.h"

namespace calemu::caliptra {

class EntropySrc : public bus::RegBlock {
 public:
  static constexpr uint32_t kSize = 0x100;  // BlockAw = 8
  // Cycles to fill one health-test window (FIPS_WINDOW = 512 four-bit symbols, taking a
  // noise sample every few cycles); startup needs two passing windows.
  static constexpr uint64_t kCyclesPerWindow = 2048;
  // entropy_src_main_sm_pkg.sv
  enum State : uint32_t {
    kIdle = 0x0F5, kBootHTRunning = 0x1D2, kBootPostHTChk = 0x16E, kBootPhaseDone = 0x08E,
    kStartupHTStart = 0x02C, kStartupPhase1 = 0x101, kStartupPass1 = 0x1A5, kContHTStart = 0x040,
    kContHTRunning = 0x1A2, kAlertHang = 0x15C,
  };
  using Seed = std::array<uint32_t, 12>;

#define CALEMU_ENTROPY_SRC_REGS(X, conf, obs, obs_reset, debug, recov, err_code)        \
  X(INTERRUPT_STATE, 0x00, .ro(0).w1c(0xF))                                          \
  X(INTERRUPT_ENABLE, 0x04, .rw(0xF))                                                \
  X(INTERRUPT_TEST, 0x08, .rw(0xF).wo().hook_write())                                \
  X(ALERT_TEST, 0x0C, .rw(0x3).wo().hook_write())                                    \
  X(ME_REGWEN, 0x10, .rw(0x1).reset(0x1).hook_write())                               \
  X(SW_REGUPD, 0x14, .rw(0x1).reset(0x1).hook_write())                               \
  X(REGWEN, 0x18, .ro(0x1).reset(0x1))                                               \
  X(REV, 0x1C, .ro(0xFF'FFFF).reset(0x01'0303))                                      \
  X(MODULE_ENABLE, 0x20, .rw(0xF).reset(0x9).hook_write())                           \
  X(CONF, 0x24, conf.hook_write())                                                   \
  X(ENTROPY_CONTROL, 0x28, .rw(0xFF).reset(0x99).hook_write())                       \
  X(ENTROPY_DATA, 0x2C, .ro().hook_read())                                           \
  X(HEALTH_TEST_WINDOWS, 0x30, .reset(0x0060'0200).hook_write())                     \
  X(REPCNT_THRESHOLDS, 0x34, .reset(0xFFFF'FFFF).hook_write())                       \
  X(REPCNTS_THRESHOLDS, 0x38, .reset(0xFFFF'FFFF).hook_write())                      \
  X(ADAPTP_HI_THRESHOLDS, 0x3C, .reset(0xFFFF'FFFF).hook_write())                    \
  X(ADAPTP_LO_THRESHOLDS, 0x40, .hook_write())                                       \
  X(BUCKET_THRESHOLDS, 0x44, .reset(0xFFFF'FFFF).hook_write())                       \
  X(MARKOV_HI_THRESHOLDS, 0x48, .reset(0xFFFF'FFFF).hook_write())                    \
  X(MARKOV_LO_THRESHOLDS, 0x4C, .hook_write())                                       \
  X(EXTHT_HI_THRESHOLDS, 0x50, .reset(0xFFFF'FFFF).hook_write())                     \
  X(EXTHT_LO_THRESHOLDS, 0x54, .hook_write())                                        \
  X(REPCNT_HI_WATERMARKS, 0x58, .ro())                                               \
  X(REPCNTS_HI_WATERMARKS, 0x5C, .ro())                                              \
  X(ADAPTP_HI_WATERMARKS, 0x60, .ro())                                               \
  X(ADAPTP_LO_WATERMARKS, 0x64, .ro().reset(0xFFFF'FFFF))                            \
  X(EXTHT_HI_WATERMARKS, 0x68, .ro())                                                \
  X(EXTHT_LO_WATERMARKS, 0x6C, .ro().reset(0xFFFF'FFFF))                             \
  X(BUCKET_HI_WATERMARKS, 0x70, .ro())                                               \
  X(MARKOV_HI_WATERMARKS, 0x74, .ro())                                               \
  X(MARKOV_LO_WATERMARKS, 0x78, .ro().reset(0xFFFF'FFFF))                            \
  X(REPCNT_TOTAL_FAILS, 0x7C, .ro())                                                 \
  X(REPCNTS_TOTAL_FAILS, 0x80, .ro())                                                \
  X(ADAPTP_HI_TOTAL_FAILS, 0x84, .ro())                                              \
  X(ADAPTP_LO_TOTAL_FAILS, 0x88, .ro())                                              \
  X(BUCKET_TOTAL_FAILS, 0x8C, .ro())                                                 \
  X(MARKOV_HI_TOTAL_FAILS, 0x90, .ro())                                              \
  X(MARKOV_LO_TOTAL_FAILS, 0x94, .ro())                                              \
  X(EXTHT_HI_TOTAL_FAILS, 0x98, .ro())                                               \
  X(EXTHT_LO_TOTAL_FAILS, 0x9C, .ro())                                               \
  X(ALERT_THRESHOLD, 0xA0, .reset(0xFFFD'0002).hook_write())                         \
  X(ALERT_SUMMARY_FAIL_COUNTS, 0xA4, .ro(0xFFFF))                                    \
  X(ALERT_FAIL_COUNTS, 0xA8, .ro(0xFFFF'FFF0))                                       \
  X(EXTHT_FAIL_COUNTS, 0xAC, .ro(0xFF))                                              \
  X(FW_OV_CONTROL, 0xB0, .rw(0xFF).reset(0x99).hook_write())                         \
  X(FW_OV_SHA3_START, 0xB4, .rw(0xF).reset(0x9))                                     \
  X(FW_OV_WR_FIFO_FULL, 0xB8, .ro(0x1))                                              \
  X(FW_OV_RD_FIFO_OVERFLOW, 0xBC, .ro(0x1))                                          \
  X(FW_OV_RD_DATA, 0xC0, .ro())                                                      \
  X(FW_OV_WR_DATA, 0xC4, .wo())                                                      \
  X(OBSERVE_FIFO_THRESH, 0xC8, .rw(obs).reset(obs_reset).hook_write())              \
  X(OBSERVE_FIFO_DEPTH, 0xCC, .ro(obs))                                              \
  X(DEBUG_STATUS, 0xD0, .ro(debug).reset(0x1'0000))                                  \
  X(RECOV_ALERT_STS, 0xD4, .rw(recov).hook_write())                                  \
  X(ERR_CODE, 0xD8, .ro(err_code))                                                   \
  X(ERR_CODE_TEST, 0xDC, .rw(0x1F).hook_write())                                     \
  X(MAIN_SM_STATE, 0xE0, .ro(0x1FF).reset(0xF5))
#define CALEMU_ENTROPY_SRC_REGS_1X(X) \
  CALEMU_ENTROPY_SRC_REGS(X, .rw(0x03F0'F0FF).reset(0x0090'9099), 0x7F, 0x20, 0x3'03FF, 0x1'FFAF, 0x71F0'0007)
#define CALEMU_ENTROPY_SRC_REGS_2X(X) \
  CALEMU_ENTROPY_SRC_REGS(X, .rw(0x03FF'FFFF).reset(0x0264'9999), 0x3F, 0x10, 0x3'03FB, 0x8007'FFAF, 0x71F0'000F)
  CALEMU_REG_TABLE(CALEMU_ENTROPY_SRC_REGS_1X)
  static constexpr bus::RegDef kRegs2x[] = {CALEMU_ENTROPY_SRC_REGS_2X(CALEMU_REG_ROW)};
#undef CALEMU_ENTROPY_SRC_REGS_1X
#undef CALEMU_ENTROPY_SRC_REGS_2X
#undef CALEMU_ENTROPY_SRC_REGS

  explicit EntropySrc(BlockContext& ctx);
  void reset(bus::ResetKind kind) override;

  // CSRNG's entropy_src_hw_if: one 384-bit seed, delivered once the source runs and a
  // window has passed; a disabled source holds the request until it is enabled.
  void request_seed(std::function<void(const Seed& seed, bool fips)> deliver);
  void cancel_seed_request();
  bool enabled() const { return mubi_true(reg(MODULE_ENABLE)); }
  uint32_t state() const { return reg(MAIN_SM_STATE); }

  static bool mubi_true(uint32_t v) { return (v & 0xF) == 0x6; }
  static bool mubi_valid(uint32_t v) { return (v & 0xF) == 0x6 || (v & 0xF) == 0x9; }

 protected:
  Verdict write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester& who) override;
  void after_write(unsigned id, unsigned index, uint32_t old, const bus::Requester& who) override;
  bool read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester& who) override;

 private:
  void set_state(State s);
  void on_enable_change();
  void startup_done();
  void seed_ready();
  void update_regwen();
  void check_mubi_fields();
  Seed next_seed();
  uint32_t next_word();

  // CONF field positions: 1.x, or the 2.x layout.
  struct ConfLayout { unsigned fips_enable, entropy_data_reg_enable, threshold_scope, rng_bit_enable; int fips_flag, rng_fips; };
  bool conf_true(unsigned shift) const { return mubi_true(reg(CONF) >> shift); }

  BlockContext& ctx_;
  const ConfLayout conf_;
  bus::Event startup_, seed_event_;
  std::function<void(const Seed&, bool)> pending_;
  uint64_t seed_counter_ = 0;
  Seed data_words_{};  // the ENTROPY_DATA register's current seed
  unsigned data_index_ = 12;
};

}  // namespace calemu::caliptra
