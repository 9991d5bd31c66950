#include "server/host.h"

#include <algorithm>
#include <cstdio>

namespace calemu::server {

namespace {
constexpr uint32_t kMboxCsr = 0x3002'0000, kSha512Acc = 0x3002'1000, kAxiDma = 0x3002'2000, kSocIfc = 0x3003'0000;
constexpr uint32_t kFuseBase = 0x200, kFuseEnd = 0x400;  // soc_ifc fuse registers (fuse-user filtered)

std::string hex(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08x", v);
  return b;
}

// The SoC's targets (soc_ifc_arb.sv): mailbox CSRs, SHA512_ACC, soc_ifc and, on 2.x, the AXI
// DMA's registers. The mailbox SRAM is the core's alone (2.x: uC direct access only).
bool in_window(caliptra::HwGen g, uint32_t addr) {
  return addr - kMboxCsr < 0x1000 || addr - kSha512Acc < 0x1000 || addr - kSocIfc < 0x10000 ||
         (caliptra::is_2x(g) && addr - kAxiDma < 0x1000);
}

// Why the arbiter refused an access, with the generation's register names (1.x *_PAUSER,
// 2.x *_AXI_USER).
std::string refusal(caliptra::HwGen g, uint32_t addr, uint32_t user) {
  const char* suffix = caliptra::is_2x(g) ? "AXI_USER" : "PAUSER";
  if (addr - kMboxCsr < 0x1000)
    return "AXI user " + hex(user) + " is not a valid mailbox user (see CPTRA_MBOX_VALID_" + suffix + ")";
  if (addr - kSocIfc - kFuseBase < kFuseEnd - kFuseBase)
    return std::string("the fuse registers are locked to another AXI user (CPTRA_FUSE_VALID_") + suffix + ")";
  if (caliptra::is_2x(g) && addr - kSha512Acc < 0x1000)
    return "AXI user " + hex(user) + " may not use SHA512_ACC (only SS_CALIPTRA_DMA_AXI_USER may)";
  return {};
}
}  // namespace

uint32_t hw_generation_code(caliptra::HwGen g) {
  switch (g) {
    case caliptra::HwGen::V1: return 0x10;
    case caliptra::HwGen::V2_0: return 0x20;
    case caliptra::HwGen::V2_1: return 0x21;
  }
  return 0;
}

Host::Host(HostConfig cfg) : cfg_(std::move(cfg)) {
  m_ = std::make_unique<caliptra::Machine>(cfg_.machine);
  // Stop a slice at every step the SoC may care about, so events keep emulated-time order.
  m_->on_boot_status = [this](uint32_t) { attention_ = true; };
  m_->on_flow_status = [this](uint32_t) { attention_ = true; };
  m_->on_fw_error = [this](uint32_t code, bool fatal) {
    attention_ = true;
    if (fatal && code) fatal_written_ = true;
  };
  slice_cycles_ = std::max<uint64_t>(64, static_cast<uint64_t>(cycles_per_us_ * cfg_.slice_us));
  reported_ = state();
}

// ---- SoC-side accesses -----------------------------------------------------------------

Host::Access Host::apb_read(uint32_t addr, uint32_t user, uint32_t& value) {
  value = 0;
  poke();
  Access a;
  if (addr & 3) return {false, ErrorCode::Unaligned, "APB address " + hex(addr) + " is not 32-bit aligned"};
  if (!in_window(hw(), addr)) return {false, ErrorCode::Unmapped, "no Caliptra register at APB address " + hex(addr)};
  if (m_->soc_read(addr, value, user) == bus::BusResult::Ok) return a;
  value = 0;
  const std::string why = refusal(hw(), addr, user);
  return {false, ErrorCode::BusError, why.empty() ? "Caliptra refused the read of " + hex(addr) : why};
}

Host::Access Host::apb_write(uint32_t addr, uint32_t value, uint32_t user) {
  poke();
  Access a;
  if (addr & 3) return {false, ErrorCode::Unaligned, "APB address " + hex(addr) + " is not 32-bit aligned"};
  if (!in_window(hw(), addr)) return {false, ErrorCode::Unmapped, "no Caliptra register at APB address " + hex(addr)};
  if (m_->soc_write(addr, value, user) == bus::BusResult::Ok) return a;
  const std::string why = refusal(hw(), addr, user);
  return {false, ErrorCode::BusError, why.empty() ? "Caliptra refused the write of " + hex(value) + " to " + hex(addr) : why};
}

void Host::reset(ResetKind kind) {
  if (kind == ResetKind::Cold) m_->cold_reset();
  else m_->warm_reset();
  fatal_at_reset_ = m_->soc_ifc().reg(caliptra::SocIfc::CPTRA_FW_ERROR_FATAL);
  fatal_written_ = false;
  activity_ = Activity::Running;
  stuck_ = false;
  if (log) log(std::string(kind == ResetKind::Cold ? "cold" : "warm") + " reset");
  if (on_event) on_event(Event{kEventReset, static_cast<uint32_t>(kind), state()});
}

// ---- time ------------------------------------------------------------------------------

int64_t Host::wait_budget_us() const {
  switch (activity_) {
    case Activity::Running: return 0;
    case Activity::Idle: return -1;
    case Activity::Sleeping: {
      if (cfg_.idle_clock_mhz <= 0) return 0;
      const uint64_t next = m_->timeline().next_deadline();
      if (next == bus::Timeline::kNever) return -1;
      const uint64_t now = m_->cycles();
      if (next <= now) return 0;
      return static_cast<int64_t>(static_cast<double>(next - now) / cfg_.idle_clock_mhz);
    }
  }
  return 0;
}

void Host::advance(int64_t blocked_us) {
  switch (activity_) {
    case Activity::Idle: return;
    case Activity::Running:
      if (m_->core_running()) run_slice();
      else run_held();
      return;
    case Activity::Sleeping: {
      const uint64_t now = m_->cycles();
      const uint64_t next = m_->timeline().next_deadline();
      uint64_t cycles = next > now ? next - now : 1;
      if (cfg_.idle_clock_mhz > 0 && next != bus::Timeline::kNever) {
        const double passed = static_cast<double>(std::max<int64_t>(blocked_us, 0)) * cfg_.idle_clock_mhz;
        cycles = std::min<uint64_t>(cycles, std::max<uint64_t>(1, static_cast<uint64_t>(passed)));
      }
      attention_ = false;
      classify(m_->run(cycles, [this] { return attention_; }));
      return;
    }
  }
}

void Host::run_slice() {
  attention_ = false;
  const auto t0 = std::chrono::steady_clock::now();
  const uint64_t c0 = m_->cycles();
  const double quiet = interactive_ ? 1.0 : std::max(1.0, cfg_.quiet_slice_us / cfg_.slice_us);
  const caliptra::RunStop r =
      m_->run(static_cast<uint64_t>(static_cast<double>(slice_cycles_) * quiet), [this] { return attention_; });
  const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
  const uint64_t ran = m_->cycles() - c0;
  if (r == caliptra::RunStop::Budget && !m_->hart().sleeping() && us > 0.2 && ran > 0) {
    cycles_per_us_ = 0.8 * cycles_per_us_ + 0.2 * (static_cast<double>(ran) / us);
    slice_cycles_ = std::clamp<uint64_t>(static_cast<uint64_t>(cycles_per_us_ * cfg_.slice_us), 64, 4'000'000);
  }
  classify(r);
}

// A core held in reset: time passes only for what is due soon (a TRNG answer, the end of a
// firmware-update reset, which the machine keeps to itself). Far deadlines (mtime, the
// hart's own timers) wait for the core to run: they are in the core's clock domain.
void Host::run_held() {
  constexpr uint64_t kHeldHorizon = 1'000'000;
  const uint64_t now = m_->cycles(), next = m_->timeline().next_deadline();
  const uint64_t soon = next != bus::Timeline::kNever && next - now <= kHeldHorizon ? next - now + 1 : 0;
  const uint64_t release = uint64_t{m_->soc_ifc().reg(caliptra::SocIfc::internal_fw_update_reset_wait_cycles)} + 8;
  attention_ = false;
  const caliptra::RunStop r = m_->run(std::max(soon, release), [this] { return attention_ || m_->core_running(); });
  if (m_->core_running() || r == caliptra::RunStop::Exit || r == caliptra::RunStop::Fatal) return classify(r);
  const uint64_t after = m_->timeline().next_deadline();
  const bool more_soon = after != bus::Timeline::kNever && after - m_->cycles() <= kHeldHorizon;
  activity_ = more_soon ? Activity::Running : Activity::Idle;
  stuck_ = !more_soon;
}

void Host::classify(caliptra::RunStop stop) {
  using caliptra::RunStop;
  stuck_ = false;
  if (stop == RunStop::Exit || stop == RunStop::Fatal || stop == RunStop::Idle || stop == RunStop::Held ||
      m_->exit_requested() || !m_->fatal_message().empty()) {
    activity_ = Activity::Idle;
    stuck_ = true;
    return;
  }
  if (m_->core_running() && m_->hart().sleeping()) {
    activity_ = m_->timeline().next_deadline() == bus::Timeline::kNever ? Activity::Idle : Activity::Sleeping;
    stuck_ = activity_ == Activity::Idle;
    return;
  }
  activity_ = Activity::Running;
}

// ---- boot state ------------------------------------------------------------------------

BootState Host::boot_state() const {
  const auto& soc = m_->soc_ifc();
  if (m_->exit_requested()) return BootState::Exited;
  if (fatal()) return BootState::Fatal;
  if (soc.ready_for_runtime()) return BootState::ReadyForRuntime;
  if (m_->entered_fmc()) return BootState::FirmwareBooting;
  if (soc.ready_for_fw()) return BootState::ReadyForFw;
  if (!m_->core_running() && soc.ready_for_fuses()) return BootState::ReadyForFuses;
  return BootState::Booting;
}

bool Host::fatal() const {
  if (!m_->fatal_message().empty()) return true;
  const uint32_t code = m_->soc_ifc().reg(caliptra::SocIfc::CPTRA_FW_ERROR_FATAL);
  return code != 0 && (fatal_written_ || code != fatal_at_reset_);
}

StateInfo Host::state() const {
  const auto& soc = m_->soc_ifc();
  StateInfo s;
  s.boot_state = boot_state();
  s.boot_status = soc.reg(caliptra::SocIfc::CPTRA_BOOT_STATUS);
  s.flow_status = soc.reg(caliptra::SocIfc::CPTRA_FLOW_STATUS);
  s.fw_error_fatal = soc.reg(caliptra::SocIfc::CPTRA_FW_ERROR_FATAL);
  s.fw_error_non_fatal = soc.reg(caliptra::SocIfc::CPTRA_FW_ERROR_NON_FATAL);
  s.cycle = m_->cycles();
  return s;
}

void Host::check_state() {
  const StateInfo s = state();
  const StateInfo before = reported_;
  reported_ = s;
  if (s.boot_state != before.boot_state) {
    if (log) log(std::string("boot state ") + to_string(s.boot_state) + " at cycle " + std::to_string(s.cycle));
    const uint32_t code = s.boot_state == BootState::Fatal ? s.fw_error_fatal : 0;
    if (on_event) on_event(Event{static_cast<uint32_t>(s.boot_state), code, s});
  }
  if (s.fw_error_non_fatal != before.fw_error_non_fatal && s.fw_error_non_fatal != 0) {
    if (on_event) on_event(Event{kEventNonFatalError, s.fw_error_non_fatal, s});
  }
}

}  // namespace calemu::server
