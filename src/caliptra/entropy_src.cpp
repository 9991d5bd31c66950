#include "caliptra/entropy_src.h"

#include <string>

#include "crypto/sha.h"

namespace calemu::caliptra {

namespace {

// Delivery of an already conditioned seed from the final FIFO to CSRNG.
constexpr uint64_t kCyclesSeedHandoff = 64;

// RECOV_ALERT_STS bits for registers holding a value that is neither MuBi4True nor False.
constexpr uint32_t kFipsEnableAlert = 1u << 0, kEntropyDataRegEnAlert = 1u << 1, kModuleEnableAlert = 1u << 2,
                   kThresholdScopeAlert = 1u << 3, kRngBitEnableAlert = 1u << 5, kFwOvModeAlert = 1u << 8,
                   kFwOvEntropyInsertAlert = 1u << 9, kEsRouteAlert = 1u << 10, kEsTypeAlert = 1u << 11;

constexpr uint32_t kFipsFlagAlert2x = 1u << 17, kRngFipsAlert2x = 1u << 18;

constexpr uint32_t kIntrFatalErr = 1u << 3, kIntrEntropyValid = 1u << 0;

}  // namespace

EntropySrc::EntropySrc(BlockContext& ctx)
    : bus::RegBlock("entropy_src", is_2x(ctx.hw) ? std::span<const bus::RegDef>(kRegs2x) : kRegs, kSize),
      ctx_(ctx),
      conf_(is_2x(ctx.hw) ? ConfLayout{0, 22, 18, 12, 4, 8} : ConfLayout{0, 4, 12, 20, -1, -1}),
      startup_("entropy_src.health_tests", [this] { startup_done(); }),
      seed_event_("entropy_src.seed", [this] { seed_ready(); }) {}

void EntropySrc::reset(bus::ResetKind kind) {
  if (kind == bus::ResetKind::FwUpdate) return;
  bus::RegBlock::reset(kind);
  ctx_.timeline.cancel(startup_);
  ctx_.timeline.cancel(seed_event_);
  pending_ = nullptr;
  data_index_ = 12;
}

void EntropySrc::set_state(State s) {
  reg(MAIN_SM_STATE) = s;
  reg(DEBUG_STATUS) = (s == kIdle ? 1u << 16 : 0) | (s == kBootPhaseDone ? 1u << 17 : 0);
}

// es_hw_regwen: configuration is writable while SW_REGUPD holds and the module is not
// enabled.
void EntropySrc::update_regwen() { reg(REGWEN) = (reg(SW_REGUPD) & 1) && !enabled(); }

bus::RegBlock::Verdict EntropySrc::write_hook(unsigned id, unsigned, uint32_t& next, uint32_t old,
                                              const bus::Requester&) {
  switch (id) {
    case ME_REGWEN: case SW_REGUPD: case RECOV_ALERT_STS:
      next = old & next;  // rw0c in entropy_src.hjson / entropy_src_reg_top.sv
      return Verdict::Store;
    case MODULE_ENABLE:
      return (reg(ME_REGWEN) & 1) ? Verdict::Store : Verdict::Ignore;
    case CONF: case ENTROPY_CONTROL: case HEALTH_TEST_WINDOWS: case REPCNT_THRESHOLDS: case REPCNTS_THRESHOLDS:
    case ADAPTP_HI_THRESHOLDS: case ADAPTP_LO_THRESHOLDS: case BUCKET_THRESHOLDS: case MARKOV_HI_THRESHOLDS:
    case MARKOV_LO_THRESHOLDS: case EXTHT_HI_THRESHOLDS: case EXTHT_LO_THRESHOLDS: case ALERT_THRESHOLD:
    case FW_OV_CONTROL: case OBSERVE_FIFO_THRESH:
      return (reg(REGWEN) & 1) ? Verdict::Store : Verdict::Ignore;
    default:
      return Verdict::Store;
  }
}

void EntropySrc::after_write(unsigned id, unsigned, uint32_t old, const bus::Requester&) {
  switch (id) {
    case MODULE_ENABLE:
      check_mubi_fields();
      if (mubi_true(old) != enabled()) on_enable_change();
      update_regwen();
      break;
    case SW_REGUPD: update_regwen(); break;
    case CONF: case ENTROPY_CONTROL: case FW_OV_CONTROL: check_mubi_fields(); break;
    case INTERRUPT_TEST:
      reg(INTERRUPT_STATE) |= reg(INTERRUPT_TEST);
      reg(INTERRUPT_TEST) = 0;
      break;
    case ALERT_TEST: reg(ALERT_TEST) = 0; break;
    case ERR_CODE_TEST: {
      const uint32_t bit = 1u << (reg(ERR_CODE_TEST) & 0x1F);
      if (bit & def(ERR_CODE).mask_) {
        reg(ERR_CODE) |= bit;
        reg(INTERRUPT_STATE) |= kIntrFatalErr;
      }
      break;
    }
    default: break;
  }
}

void EntropySrc::check_mubi_fields() {
  struct Field { unsigned reg; unsigned shift; uint32_t alert; };
  const Field fields[] = {
      {CONF, conf_.fips_enable, kFipsEnableAlert},
      {CONF, conf_.entropy_data_reg_enable, kEntropyDataRegEnAlert},
      {MODULE_ENABLE, 0, kModuleEnableAlert},
      {CONF, conf_.threshold_scope, kThresholdScopeAlert},
      {CONF, conf_.rng_bit_enable, kRngBitEnableAlert},
      {FW_OV_CONTROL, 0, kFwOvModeAlert},
      {FW_OV_CONTROL, 4, kFwOvEntropyInsertAlert},
      {ENTROPY_CONTROL, 0, kEsRouteAlert},
      {ENTROPY_CONTROL, 4, kEsTypeAlert},
  };
  for (const Field& f : fields)
    if (!mubi_valid(reg(f.reg) >> f.shift)) reg(RECOV_ALERT_STS) |= f.alert;
  if (conf_.fips_flag >= 0 && !mubi_valid(reg(CONF) >> conf_.fips_flag)) reg(RECOV_ALERT_STS) |= kFipsFlagAlert2x;
  if (conf_.rng_fips >= 0 && !mubi_valid(reg(CONF) >> conf_.rng_fips)) reg(RECOV_ALERT_STS) |= kRngFipsAlert2x;
}

// entropy_src_main_sm.sv: FIPS mode runs the startup health tests (two windows) and then
// stays in continuous testing; otherwise the boot-time (bypass) path needs one window.
void EntropySrc::on_enable_change() {
  ctx_.timeline.cancel(startup_);
  ctx_.timeline.cancel(seed_event_);
  if (!enabled()) {
    set_state(kIdle);
    return;
  }
  const bool fips = conf_true(conf_.fips_enable);
  set_state(fips ? kStartupPhase1 : kBootHTRunning);
  ctx_.timeline.schedule_in(startup_, fips ? 2 * kCyclesPerWindow : kCyclesPerWindow);
}

void EntropySrc::startup_done() {
  set_state(conf_true(conf_.fips_enable) ? kContHTRunning : kBootPhaseDone);
  if (pending_) ctx_.timeline.schedule_in(seed_event_, kCyclesSeedHandoff);
}

void EntropySrc::request_seed(std::function<void(const Seed&, bool)> deliver) {
  pending_ = std::move(deliver);
  const uint32_t s = state();
  if (s == kContHTRunning || s == kBootPhaseDone) ctx_.timeline.schedule_in(seed_event_, kCyclesSeedHandoff);
}

void EntropySrc::cancel_seed_request() {
  pending_ = nullptr;
  ctx_.timeline.cancel(seed_event_);
}

void EntropySrc::seed_ready() {
  if (!pending_) return;
  auto deliver = std::move(pending_);
  pending_ = nullptr;
  // 2.x: the FIPS qualification is firmware's (CONF.FIPS_FLAG) on top of FIPS mode.
  const bool fips = state() == kContHTRunning && (conf_.fips_flag < 0 || conf_true(static_cast<unsigned>(conf_.fips_flag)));
  deliver(next_seed(), fips);
}

// A deterministic stand-in for conditioned noise: SHA-384 over a label, the run seed and a
// counter, so the same --seed gives the same entropy in every run.
EntropySrc::Seed EntropySrc::next_seed() {
  crypto::Bytes in;
  const std::string label = "calemu entropy_src";
  in.insert(in.end(), label.begin(), label.end());
  for (int i = 0; i < 8; ++i) in.push_back(static_cast<uint8_t>(ctx_.seed >> (8 * i)));
  for (int i = 0; i < 8; ++i) in.push_back(static_cast<uint8_t>(seed_counter_ >> (8 * i)));
  ++seed_counter_;
  const crypto::Bytes h = crypto::sha384(in);
  Seed s{};
  for (unsigned i = 0; i < 48; ++i) s[i / 4] |= uint32_t{h[i]} << (24 - 8 * (i % 4));
  return s;
}

// ENTROPY_DATA gives firmware the seeds when CONF.ENTROPY_DATA_REG_ENABLE and
// ENTROPY_CONTROL.ES_ROUTE route them to software.
uint32_t EntropySrc::next_word() {
  if (data_index_ >= data_words_.size()) {
    data_words_ = next_seed();
    data_index_ = 0;
  }
  return data_words_[data_index_++];
}

bool EntropySrc::read_hook(unsigned id, unsigned, uint32_t& value, const bus::Requester&) {
  if (id == ENTROPY_DATA) {
    const bool routed = conf_true(conf_.entropy_data_reg_enable) && mubi_true(reg(ENTROPY_CONTROL));
    const uint32_t s = state();
    value = routed && (s == kContHTRunning || s == kBootPhaseDone) ? next_word() : 0;
    if (value) reg(INTERRUPT_STATE) |= kIntrEntropyValid;
  }
  return true;
}

}  // namespace calemu::caliptra
