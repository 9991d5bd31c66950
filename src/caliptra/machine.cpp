#include "caliptra/machine.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "caliptra/engines.h"

namespace calemu::caliptra {

using bus::BusResult;
using bus::Requester;

const std::array<uint32_t, 8> kDefaultObfKey = {0xa0a1a2a3, 0xb0b1b2b3, 0xc0c1c2c3, 0xd0d1d2d3,
                                                0xe0e1e2e3, 0xf0f1f2f3, 0xa4a5a6a7, 0xb4b5b6b7};

namespace {
// Caliptra address map (caliptra-rtl caliptra_reg.rdl / caliptra_top.sv).
constexpr uint32_t kMboxCsr = 0x3002'0000, kSha512Acc = 0x3002'1000, kAxiDma = 0x3002'2000, kSocIfc = 0x3003'0000;
constexpr uint32_t kPicBase = 0x6000'0000;
constexpr uint64_t kTrngLatency = 500;  // cycles for the SoC to answer a TRNG request

uint64_t splitmix64(uint64_t& s) {
  uint64_t z = (s += 0x9E37'79B9'7F4A'7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58'476D'1CE4'E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D0'49BB'1331'11EBull;
  return z ^ (z >> 31);
}
}  // namespace

std::optional<HwGen> parse_hw_gen(std::string_view name) {
  if (name == "1.x" || name == "1" || name == "1.0" || name == "1.1" || name == "1.2") return HwGen::V1;
  if (name == "2.0") return HwGen::V2_0;
  if (name == "2.1" || name == "2.x") return HwGen::V2_1;
  return std::nullopt;
}

const char* hw_gen_name(HwGen g) {
  switch (g) {
    case HwGen::V1: return "1.x";
    case HwGen::V2_0: return "2.0";
    case HwGen::V2_1: return "2.1";
  }
  return "?";
}

MemoryMap MemoryMap::for_gen(HwGen g) {
  if (g == HwGen::V1) return {48 * 1024, 0x4000'0000, 128 * 1024, 0x5000'0000, 128 * 1024, 0x3000'0000, 128 * 1024};
  return {96 * 1024, 0x4000'0000, 256 * 1024, 0x5000'0000, 256 * 1024, 0x3004'0000, 256 * 1024};
}

Machine::Machine(const MachineConfig& cfg)
    : cfg_(cfg),
      map_(MemoryMap::for_gen(cfg.hw)),
      ctx_{cfg.hw, timeline_, {}, nullptr, nullptr, nullptr, nullptr, cfg.seed},
      trng_event_("soc.trng", [this] {
        // The SoC side answers with seeded random data (soc_ifc TRNG handshake).
        const uint32_t user = (soc_ifc_->reg(SocIfc::CPTRA_TRNG_PAUSER_LOCK) & 1)
                                  ? soc_ifc_->reg(SocIfc::CPTRA_TRNG_VALID_PAUSER)
                                  : 0xFFFF'FFFF;
        for (unsigned i = 0; i < 12; ++i)
          soc_write(kSocIfc + 0x78 + 4 * i, static_cast<uint32_t>(splitmix64(trng_state_)), user);
        soc_write(kSocIfc + 0xAC, 0x2, user);
      }) {
  if (cfg_.rom.size() > map_.rom_size)
    throw std::invalid_argument("ROM image is " + std::to_string(cfg_.rom.size()) + " bytes; this Caliptra has " +
                                std::to_string(map_.rom_size) + " bytes of ROM");
  trng_state_ = cfg_.seed ^ 0x7472'6E67'0000'0000ull;
  build();
  cold_reset();
}

Machine::~Machine() = default;

void Machine::build() {
  rom_ = std::make_unique<bus::Memory>("ROM", map_.rom_size, false);
  iccm_ = std::make_unique<bus::Memory>("ICCM", map_.iccm_size, true);
  dccm_ = std::make_unique<bus::Memory>("DCCM", map_.dccm_size, true);
  mbox_sram_ = std::make_unique<bus::Memory>("mbox_sram", map_.mbox_sram_size, true);
  rom_->write_bytes(0, cfg_.rom);
  cpu_bus_.map_memory(*rom_, 0);
  cpu_bus_.map_memory(*iccm_, map_.iccm_base);
  cpu_bus_.map_memory(*dccm_, map_.dccm_base);

  rv::HartConfig hc;
  hc.name = "caliptra";
  hc.reset_vector = 0;
  hc.pic_base = kPicBase;
  hc.pic_sources = 31;
  hc.fast_interrupt_redirect = true;
  hc.pmp_entries = cfg_.hw == HwGen::V1 ? 0 : 64;
  hc.user_mode = false;
  hc.smepmp = false;
  hc.dccm = {map_.dccm_base, map_.dccm_size};
  hc.iccm = {map_.iccm_base, map_.iccm_size};
  hc.fetch_ranges = {{0, map_.rom_size}, {map_.iccm_base, map_.iccm_size}};
  hc.dbus_error_nmi = true;
  hart_ = std::make_unique<rv::Hart>(hc, cpu_bus_, timeline_);
  hart_->on_code_page = [this](uint32_t base) {
    if (!entered_fmc_ && base - map_.iccm_base < map_.iccm_size) {
      entered_fmc_ = true;
      notice();
    }
  };

  ctx_.set_irq = [this](unsigned id, bool level) { hart_->pic().set_source(id, level); };

  SocIfc::Config sc;
  sc.hw = cfg_.hw;
  sc.straps = cfg_.straps;
  sc.itrng = cfg_.itrng;
  sc.obf_key = cfg_.obf_key;
  sc.security = cfg_.security;
  SocIfcWiring w;
  w.release_core = [this] { release_core(); };
  w.fw_update_reset = [this] { fw_update_reset(); };
  w.nmi_vector = [this](uint32_t v) { hart_->set_nmi_vector(v); };
  w.wdt_nmi = [this] { hart_->raise_nmi(rv::kNmiPin); };
  w.timer_irq = [this](bool level) { hart_->set_timer_irq(level); };
  w.iccm_lock = [this](bool locked) {
    iccm_->set_cpu_writable(!locked);
    hart_->flush_tlb();
  };
  w.output_wire0 = [this](uint32_t word) { output_byte(word); };
  w.trng_request = [this](bool req) { trng_request(req); };
  w.error_pins = [this](bool fatal, bool) {
    // cptra_error_fatal is one of the debugUnlock_or_scan_mode_switch sources.
    if (fatal && !fatal_pin_) debug_unlock_or_scan_switch(engines_);
    fatal_pin_ = fatal;
    notice();
  };
  w.status_written = [this](unsigned id, uint32_t value) {
    last_activity_ = timeline_.now();
    if (id == SocIfc::CPTRA_BOOT_STATUS && on_boot_status) on_boot_status(value);
    if (id == SocIfc::CPTRA_FLOW_STATUS && on_flow_status) on_flow_status(value);
    if (id == SocIfc::CPTRA_FW_ERROR_FATAL && on_fw_error) on_fw_error(value, true);
    if (id == SocIfc::CPTRA_FW_ERROR_NON_FATAL && on_fw_error) on_fw_error(value, false);
    notice();
  };
  soc_ifc_ = std::make_unique<SocIfc>(ctx_, sc, std::move(w));
  ctx_.secrets = soc_ifc_.get();
  ctx_.mbox_sram = mbox_sram_.get();
  ctx_.axi = &axi_;
  iccm_->on_write_denied = [this] { soc_ifc_->iccm_write_blocked(); };

  mbox_ = std::make_unique<Mailbox>(ctx_, *mbox_sram_, *soc_ifc_, [this](bool avail) {
    mbox_data_avail_ = avail;
    notice();
  });
  // mbox.sv uc_mbox_lock = uc_has_lock (the debug TAP's lock is not modelled).
  ctx_.uc_mbox_lock = [this] { return mbox_->locked() && !mbox_->soc_has_lock(); };
  mbox_port_ = std::make_unique<MailboxSramPort>(*mbox_);
  sha_acc_ = std::make_unique<Sha512Acc>(ctx_, *mbox_sram_);
  cpu_bus_.map_device(*mbox_port_, map_.mbox_sram_base, map_.mbox_sram_size, "mbox_sram");
  map_block("mbox_csr", kMboxCsr, *mbox_);
  map_block("sha512_acc_csr", kSha512Acc, *sha_acc_);
  map_block("soc_ifc_reg", kSocIfc, *soc_ifc_);

  for (auto& e : make_engines(ctx_)) {
    map_block(e.name, e.base, *e.block);
    engines_.push_back(std::move(e.block));
  }
}

void Machine::map_block(const std::string& name, uint32_t base, bus::RegBlock& block) {
  cpu_bus_.map_device(block, base, block.size(), name);
  block_infos_.push_back(BlockInfo{name, base, &block});
}

// 2.x: the AXI DMA's registers sit in the SoC window too (soc_ifc_arb.sv soc_dma_req).
bus::RegBlock* Machine::soc_visible_dma() const {
  if (!is_2x(cfg_.hw)) return nullptr;
  for (const auto& b : block_infos_)
    if (b.base == kAxiDma) return b.block;
  return nullptr;
}

void Machine::set_mmio_trace(bus::RegTrace trace) {
  for (auto& b : block_infos_) b.block->set_trace(trace);
}

void Machine::cold_reset() {
  for (auto& b : block_infos_) b.block->reset(bus::ResetKind::Cold);
  iccm_->set_cpu_writable(true);
  // Cold boot leaves RAM contents undefined; the ROM clears ICCM and DCCM itself.
  iccm_->fill(0);
  dccm_->fill(0);
  mbox_sram_->fill(0);
  hart_->reset();
  core_running_ = false;
  entered_fmc_ = false;
  exit_requested_ = exit_success_ = false;
  output_.clear();
  line_.clear();
  fatal_.clear();
  latch_security_state();
  soc_ifc_->power_on();
}

// caliptra_top.sv latches the security state at every non-core reset release, starting
// from "production, debug locked"; latching an unlocked state is a debug_lock_switch,
// which flushes the engines and fills the key vault with its debug values.
void Machine::latch_security_state() {
  fatal_pin_ = false;
  if (!soc_ifc_->security_state().debug_locked) debug_unlock_or_scan_switch(engines_);
}

void Machine::warm_reset() {
  for (auto& b : block_infos_) b.block->reset(bus::ResetKind::Warm);
  iccm_->set_cpu_writable(true);
  hart_->reset();
  core_running_ = false;
  entered_fmc_ = false;  // the ROM runs again and hands off anew
  exit_requested_ = exit_success_ = false;
  soc_ifc_->warm_reset_reason();
  latch_security_state();
  soc_ifc_->power_on();
}

void Machine::release_core() {
  hart_->skip_to(timeline_.now());
  hart_->reset();
  hart_->set_nmi_vector(soc_ifc_->reg(SocIfc::internal_nmi_vector));
  core_running_ = true;
  notice();
}

// internal_fw_update_reset: the core alone resets, waits internal_fw_update_reset_wait_cycles,
// and restarts from the reset vector with the ICCM unlocked (soc_ifc_boot_fsm.sv).
void Machine::fw_update_reset() {
  core_running_ = false;
  for (auto& b : block_infos_) b.block->reset(bus::ResetKind::FwUpdate);
  const uint64_t wait = soc_ifc_->reg(SocIfc::internal_fw_update_reset_wait_cycles) + 2;
  pending_fw_update_release_ = timeline_.now() + wait;
  hart_->request_stop();
}

void Machine::trng_request(bool req) {
  if (!cfg_.auto_trng) {
    notice();
    return;
  }
  if (req) timeline_.schedule_in(trng_event_, kTrngLatency);
  else timeline_.cancel(trng_event_);
}

// CPTRA_GENERIC_OUTPUT_WIRES[0] low byte: printable characters, 0xFF = test passed,
// 0x01 = test failed (the convention of caliptra-sw's firmware and hw-model).
void Machine::output_byte(uint32_t word) {
  const uint8_t c = word & 0xFF;
  last_activity_ = timeline_.now();
  if (c == 0xFF || c == 0x01) {
    exit_requested_ = true;
    exit_success_ = c == 0xFF;
    notice();
    return;
  }
  if (c == '\n') {
    output_ += '\n';
    if (cfg_.console) cfg_.console(line_ + "\n");
    line_.clear();
    return;
  }
  if ((c >= 0x20 && c < 0x7F) || c == '\t' || (c >= 0x80 && c <= 0xF4)) {
    output_ += static_cast<char>(c);
    line_ += static_cast<char>(c);
  }
}

// ---------------------------------------------------------------------------------------
// SoC side: soc_ifc_arb.sv decides who may reach what.

BusResult Machine::soc_read(uint32_t addr, uint32_t& value, uint32_t user) {
  value = 0;
  if (addr & 3) return BusResult::BusError;
  const Requester who = Requester::soc(user);
  if (addr - kMboxCsr < 0x1000) {
    if (!soc_ifc_->valid_mbox_user(user)) return BusResult::BusError;
    const BusResult r = mbox_->read(addr - kMboxCsr, 4, value, who);
    return r;
  }
  if (addr - kSha512Acc < 0x1000) {
    if (!soc_ifc_->valid_sha_user(user)) return BusResult::BusError;
    return sha_acc_->read(addr - kSha512Acc, 4, value, who);
  }
  if (addr - kAxiDma < 0x1000) {
    bus::RegBlock* dma = soc_visible_dma();
    return dma ? dma->read(addr - kAxiDma, 4, value, who) : BusResult::BusError;
  }
  if (addr - kSocIfc < 0x10000) {
    const uint32_t off = addr - kSocIfc;
    if (SocIfc::in_fuse_range(off) && !soc_ifc_->valid_fuse_user(user)) return BusResult::BusError;
    if (off >= soc_ifc_->size()) return BusResult::Ok;
    return soc_ifc_->read(off, 4, value, who);
  }
  return BusResult::BusError;
}

BusResult Machine::soc_write(uint32_t addr, uint32_t value, uint32_t user) {
  if (addr & 3) return BusResult::BusError;
  const Requester who = Requester::soc(user);
  BusResult r = BusResult::BusError;
  if (addr - kMboxCsr < 0x1000) {
    if (!soc_ifc_->valid_mbox_user(user)) return BusResult::BusError;
    r = mbox_->write(addr - kMboxCsr, 4, value, who);
  } else if (addr - kSha512Acc < 0x1000) {
    if (!soc_ifc_->valid_sha_user(user)) return BusResult::BusError;
    r = sha_acc_->write(addr - kSha512Acc, 4, value, who);
  } else if (addr - kAxiDma < 0x1000) {
    bus::RegBlock* dma = soc_visible_dma();
    if (!dma) return BusResult::BusError;
    r = dma->write(addr - kAxiDma, 4, value, who);
  } else if (addr - kSocIfc < 0x10000) {
    const uint32_t off = addr - kSocIfc;
    if (SocIfc::in_fuse_range(off) && !soc_ifc_->valid_fuse_user(user)) return BusResult::BusError;
    r = off < soc_ifc_->size() ? soc_ifc_->write(off, 4, value, who) : BusResult::Ok;
  }
  notice();
  return r;
}

// ---------------------------------------------------------------------------------------

RunStop Machine::run(uint64_t cycles, const std::function<bool()>& until) {
  const uint64_t end = timeline_.now() + cycles;
  for (;;) {
    if (until && until()) return RunStop::Condition;
    if (exit_requested_) return RunStop::Exit;
    if (!fatal_.empty()) return RunStop::Fatal;
    if (timeline_.now() >= end) return RunStop::Budget;
    if (pending_fw_update_release_ && timeline_.now() >= pending_fw_update_release_) {
      pending_fw_update_release_ = 0;
      soc_ifc_->fw_update_reset_done();
      release_core();
      continue;
    }
    if (!core_running_) {
      // Held in reset: only device time passes.
      uint64_t next = std::min(end, timeline_.next_deadline());
      if (pending_fw_update_release_) next = std::min(next, pending_fw_update_release_);
      if (next == bus::Timeline::kNever || next <= timeline_.now()) {
        if (next <= timeline_.now()) next = timeline_.now() + 1;
        else return RunStop::Held;
      }
      timeline_.advance_to(next);
      timeline_.run_due();
      continue;
    }
    noticed_ = false;
    const rv::StopReason r = hart_->run(~0ull, end);
    switch (r) {
      case rv::StopReason::Stop: continue;
      case rv::StopReason::Limit: continue;
      case rv::StopReason::Idle: return RunStop::Idle;
      case rv::StopReason::Fatal:
        fatal_ = hart_->fatal_message();
        return RunStop::Fatal;
    }
  }
}

}  // namespace calemu::caliptra
