#include "rv/hart.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include "rv/decode.h"
#include "rv/exec_internal.h"
#include "rv/jit.h"

namespace calemu::rv {

namespace {

constexpr size_t kGuestPages = size_t{1} << (32 - kPageShift);

template <typename T>
T* alloc_table() {
  // calloc: the OS hands out zero pages lazily, so an unused 8 MiB table costs nothing.
  auto* p = static_cast<T*>(std::calloc(kGuestPages, sizeof(T)));
  if (!p) throw std::bad_alloc();
  return p;
}

constexpr XOp kOpToXop[] = {
#define CALEMU_X(op, ...) XOp::op,
    CALEMU_RV32_INSNS(CALEMU_X)
#undef CALEMU_X
};

bool same_region(uint32_t a, uint32_t b) { return (a >> 28) == (b >> 28); }

}  // namespace

Hart::Hart(const HartConfig& config, bus::AddressSpace& bus, bus::Timeline& timeline)
    : cfg_(config),
      bus_(bus),
      timeline_(timeline),
      pic_(config.pic_sources, [this] { note_interrupt_change(); }),
      pmp_(config.pmp_entries, config.user_mode && config.smepmp),
      timer_event_{bus::Event(config.name + ".mitcnt0", [this] { timer_fire(0); }),
                   bus::Event(config.name + ".mitcnt1", [this] { timer_fire(1); })} {
  if (!cfg_.user_mode) cfg_.smepmp = false;
  read_bias_ = alloc_table<uintptr_t>();
  write_bias_ = alloc_table<uintptr_t>();
  exec_page_ = alloc_table<CodePage*>();
  scratch_ = std::make_unique<CodePage>();
  init_handlers();
  if (Jit::available(cfg_)) jit_ = std::make_unique<Jit>(*this);
  if (cfg_.pic_sources) bus_.map_device(pic_, cfg_.pic_base, Pic::kWindow, "pic");
  reset();
}

Hart::~Hart() {
  std::free(read_bias_);
  std::free(write_bias_);
  std::free(exec_page_);
}

void Hart::reset() {
  std::memset(x_, 0, sizeof x_);
  pc_ = cfg_.reset_vector & ~1u;
  user_ = false;
  mstatus_ = kMstatusMpp;
  mie_ = mtvec_ = mscratch_ = mepc_ = mcause_ = mtval_ = 0;
  mcounteren_ = mcountinhibit_ = 0;
  mrac_ = 0;
  mpmc_ = 2;
  mcgc_ = 0x200;
  mfdc_ = 0x0007'0000;
  mscause_ = mfdht_ = mfdhs_ = 0;
  micect_ = miccmect_ = mdccmect_ = mdseac_ = meivt_ = 0;
  mdseac_locked_ = false;
  tselect_ = 0;
  std::memset(tdata1_, 0, sizeof tdata1_);
  std::memset(tdata2_, 0, sizeof tdata2_);
  std::memset(mhpmevent_, 0, sizeof mhpmevent_);
  std::memset(mhpmcounter_, 0, sizeof mhpmcounter_);
  mcycle_delta_ = -static_cast<int64_t>(cycles());
  minstret_delta_ = -static_cast<int64_t>(retired_);
  nmi_vector_ = cfg_.nmi_vector;
  nmi_pending_ = false;
  wfi_ = halted_ = paused_ = false;
  pic_.reset();
  pmp_.reset();
  for (unsigned t = 0; t < 2; ++t) {
    timers_[t] = Timer{};
    timers_[t].base_cycle = now();
  }
  timer_pulse_ = timer_hold_ = 0;
  for (unsigned t = 0; t < 2; ++t) timer_settle(t, now());
  timers_reschedule();
  fatal_.clear();
  flush_tlb();
  attention_ = true;
}

void Hart::skip_to(uint64_t cycle) {
  if (cycle > now()) stall_cycles_ += cycle - now();
}

void Hart::flush_tlb() {
  for (uint32_t p : mapped_pages_) {
    read_bias_[p] = 0;
    write_bias_[p] = 0;
    exec_page_[p] = nullptr;
  }
  mapped_pages_.clear();
  attention_ = true;  // the running loop holds a page pointer: make it look up again
  if (jit_) jit_->tlb_flushed();
}

void Hart::raise_nmi(uint32_t mcause) {
  nmi_pending_ = true;
  nmi_cause_ = mcause;
  attention_ = true;
}

// ---------------------------------------------------------------------------------------
// The run loop: device events, interrupts and sleep between bursts of execution.

StopReason Hart::run(uint64_t max_instructions, uint64_t cycle_limit) {
  const uint64_t limit = max_instructions > ~0ull - retired_ ? ~0ull : retired_ + max_instructions;
  for (;;) {
    attention_ = false;
    sync_time();
    timeline_.run_due();
    if (!fatal_.empty()) return StopReason::Fatal;
    if (stop_requested_) {
      stop_requested_ = false;
      return StopReason::Stop;
    }
    take_interrupt();
    timer_pulse_ = 0;  // internal timer pulses last one cycle
    if (now() >= cycle_limit) return StopReason::Limit;
    if (sleeping()) {
      const uint64_t wake = std::min(timeline_.next_deadline(), paused_ ? pause_until_ : bus::Timeline::kNever);
      if (wake == bus::Timeline::kNever) return StopReason::Idle;
      const uint64_t next = std::min(wake, cycle_limit);
      if (next > now()) {
        const uint64_t slept = next - now();
        stall_cycles_ += slept;
        if (halted_) mcycle_delta_ -= static_cast<int64_t>(slept);  // mcycle stops in fw-halt
      }
      if (paused_ && now() >= pause_until_) end_pause();
      continue;
    }
    if (retired_ >= limit) return StopReason::Limit;
    uint64_t budget = limit - retired_;
    const uint64_t next = timeline_.next_deadline();
    if (next != bus::Timeline::kNever) budget = std::min(budget, next > now() ? next - now() : 1);
    budget = std::min(budget, cycle_limit - now());
    if (trace_) budget = 1;
    timeline_.set_horizon(now() + budget, &attention_);
    if (trace_) {
      trace_step();
    } else if (jit_) {
      jit_->execute(budget);
    } else {
      execute(budget);
    }
    timeline_.set_horizon(bus::Timeline::kNever, nullptr);
  }
}

void Hart::trace_step() {
  uint32_t before[32];
  std::memcpy(before, x_, sizeof before);
  const uint32_t pc0 = pc_;
  const uint64_t r0 = retired_;
  execute(1);
  if (retired_ == r0) return;  // a trap: execute() reported it
  TraceRecord rec;
  rec.pc = pc0;
  Trap ignored;
  fetch_raw(pc0, rec.raw, ignored);
  const Decoded d = decode(rec.raw);
  rec.len = d.len;
  if (d.rd != 0 && info(d.op).fmt != Fmt::Store && info(d.op).fmt != Fmt::Branch) {
    rec.rd = static_cast<int8_t>(d.rd);
    rec.rd_value = x_[d.rd];
  } else {
    for (unsigned i = 1; i < 32; ++i)
      if (x_[i] != before[i]) {
        rec.rd = static_cast<int8_t>(i);
        rec.rd_value = x_[i];
        break;
      }
  }
  trace_(rec);
}

// ---------------------------------------------------------------------------------------
// Instruction fetch and the decoded-page cache.

bool Hart::fetchable(uint32_t addr, unsigned size, Trap& trap, uint32_t tval) {
  const uint32_t last = addr + size - 1;
  if (!cfg_.fetch_ranges.empty()) {
    bool ok = false;
    for (const auto& r : cfg_.fetch_ranges) ok |= r.contains(addr) && r.contains(last);
    if (!ok) {
      trap = Trap{kInstrAccessFault, tval, kMscFetchBusError};
      return false;
    }
  }
  if (cfg_.iccm.size && same_region(addr, cfg_.iccm.base) &&
      !(cfg_.iccm.contains(addr) && cfg_.iccm.contains(last))) {
    trap = Trap{kInstrAccessFault, tval, kMscCoreLocalUnmapped};
    return false;
  }
  if (pmp_.entries() && pmp_.restricts(user_) && !pmp_.allowed(addr, size, AccessType::Exec, user_)) {
    trap = Trap{kInstrAccessFault, tval, kMscMpu};
    return false;
  }
  return true;
}

bool Hart::fetch_raw(uint32_t pc, uint32_t& raw, Trap& trap) {
  const auto who = bus::Requester::cpu(pc);
  uint32_t lo = 0, hi = 0;
  if (!fetchable(pc, 2, trap, pc)) return false;
  if (bus_.read(pc, 2, lo, who) != bus::BusResult::Ok) {
    trap = Trap{kInstrAccessFault, pc, kMscFetchBusError};
    return false;
  }
  if (is_compressed(lo)) {
    raw = lo;
    return true;
  }
  // The second half of a 32-bit instruction faults with mtval = pc + 2 (el2_dec_tlu_ctl.sv).
  if (!fetchable(pc + 2, 2, trap, pc + 2)) return false;
  if (bus_.read(pc + 2, 2, hi, who) != bus::BusResult::Ok) {
    trap = Trap{kInstrAccessFault, pc + 2, kMscFetchBusError};
    return false;
  }
  raw = lo | (hi << 16);
  return true;
}

bool Hart::extension_enabled(Ext e) const {
  switch (e) {
    case Ext::Zba: return cfg_.zba;
    case Ext::Zbb: return cfg_.zbb;
    case Ext::Zbc: return cfg_.zbc;
    case Ext::Zbs: return cfg_.zbs;
    default: return true;
  }
}

void Hart::build_entry(Insn& e, uint32_t raw, uint32_t pc, bool cacheable_page) {
  const Decoded d = decode(raw);
  const bool compressed = d.len == 2;
  e.rd = d.rd ? d.rd : 32;
  e.rs1 = d.rs1;
  e.rs2 = d.rs2;
  e.imm = static_cast<uint32_t>(d.imm);
  XOp x = XOp::ILLEGAL;
  if (d.op != Op::ILLEGAL && extension_enabled(info(d.op).ext)) x = kOpToXop[static_cast<unsigned>(d.op)];
  auto near_or_far = [&](XOp near_op, XOp far_op) {
    const uint32_t target = pc + static_cast<uint32_t>(d.imm);
    if (cacheable_page && (target >> kPageShift) == (pc >> kPageShift)) {
      e.imm = static_cast<uint32_t>(static_cast<int32_t>(target - pc) / 2);
      return near_op;
    }
    e.imm = target;
    return far_op;
  };
  switch (x) {
    case XOp::LUI: x = XOp::LI; break;
    case XOp::AUIPC: x = XOp::LI; e.imm = pc + static_cast<uint32_t>(d.imm); break;
    case XOp::ADDI: if (d.rs1 == 0) x = XOp::LI; break;
    case XOp::JAL: x = near_or_far(XOp::JAL, XOp::JAL_FAR); break;
    case XOp::BEQ: x = near_or_far(XOp::BEQ, XOp::BEQ_FAR); break;
    case XOp::BNE: x = near_or_far(XOp::BNE, XOp::BNE_FAR); break;
    case XOp::BLT: x = near_or_far(XOp::BLT, XOp::BLT_FAR); break;
    case XOp::BGE: x = near_or_far(XOp::BGE, XOp::BGE_FAR); break;
    case XOp::BLTU: x = near_or_far(XOp::BLTU, XOp::BLTU_FAR); break;
    case XOp::BGEU: x = near_or_far(XOp::BGEU, XOp::BGEU_FAR); break;
    case XOp::CSRRW: case XOp::CSRRS: case XOp::CSRRC:
      e.imm = d.csr;
      break;
    case XOp::CSRRWI: case XOp::CSRRSI: case XOp::CSRRCI:
      e.imm = d.csr;
      e.rs1 = static_cast<uint8_t>(d.imm);  // the 5-bit immediate travels in rs1
      break;
    case XOp::ILLEGAL: e.imm = d.raw; break;
    default: break;
  }
  e.xop = static_cast<uint8_t>(x);
  e.handler = xop_handler(x, compressed);
  // A 32-bit instruction in the last halfword of a page reads the next page too.
  if (cacheable_page && !compressed && ((pc + 2) & (kPageBytes - 1)) == 0) mark_code_page(pc + 2);
}

void Hart::mark_code_page(uint32_t addr) {
  const bus::Region* r = bus_.find(addr);
  if (!r || !r->memory) return;
  r->memory->mark_code_page((addr - r->base) >> kPageShift, this);
  write_bias_[addr >> kPageShift] = 0;
}

Hart::CodePage* Hart::code_page_for(uint32_t pc) {
  const uint32_t page = pc >> kPageShift, base = page << kPageShift;
  if (on_code_page) on_code_page(base);
  const bus::Region* r = bus_.find(pc);
  if (!r || !r->memory || !r->contains(base) || !r->contains(base + kPageBytes - 1)) return nullptr;
  if (!cfg_.fetch_ranges.empty()) {
    bool ok = false;
    for (const auto& fr : cfg_.fetch_ranges) ok |= fr.contains(base) && fr.contains(base + kPageBytes - 1);
    if (!ok) return nullptr;
  }
  if (cfg_.iccm.size && same_region(base, cfg_.iccm.base) &&
      !(cfg_.iccm.contains(base) && cfg_.iccm.contains(base + kPageBytes - 1)))
    return nullptr;
  if (pmp_.entries() && pmp_.restricts(user_) &&
      !(pmp_.uniform(base, kPageBytes, user_) && pmp_.allowed(base, 4, AccessType::Exec, user_)))
    return nullptr;
  auto& slot = code_pages_[page];
  if (!slot) {
    slot = std::make_unique<CodePage>();
    slot->base = base;
    slot->mem = r->memory;
    const Insn undecoded{xop_handler(XOp::UNDECODED, false), 0, 0, 0, 0, static_cast<uint8_t>(XOp::UNDECODED)};
    std::fill(std::begin(slot->e), std::end(slot->e) - 2, undecoded);
    const Insn end{xop_handler(XOp::PAGE_END, false), 0, 0, 0, 0, static_cast<uint8_t>(XOp::PAGE_END)};
    slot->e[kSlots] = slot->e[kSlots + 1] = end;
    r->memory->mark_code_page((base - r->base) >> kPageShift, this);
  }
  write_bias_[page] = 0;  // stores to decoded code go through the slow path, which invalidates
  exec_page_[page] = slot.get();
  mapped_pages_.push_back(page);
  return slot.get();
}

Hart::CodePage* Hart::scratch_page_for(uint32_t pc, Trap& trap) {
  uint32_t raw;
  if (!fetch_raw(pc, raw, trap)) return nullptr;
  CodePage& s = *scratch_;
  s.base = pc;
  s.mem = nullptr;
  build_entry(s.e[0], raw, pc, false);
  const Insn end{xop_handler(XOp::PAGE_END, false), 0, 0, 0, 0, static_cast<uint8_t>(XOp::PAGE_END)};
  s.e[1] = s.e[2] = end;
  return &s;
}

void Hart::code_written(uint32_t addr, uint32_t len) {
  if (jit_) jit_->code_written(addr, len);
  // An instruction starting one halfword before the write may overlap it.
  const uint64_t first = addr >= 2 ? uint64_t{addr - 2} & ~uint64_t{1} : 0;
  const uint64_t end = uint64_t{addr} + len;
  const Insn undecoded{xop_handler(XOp::UNDECODED, false), 0, 0, 0, 0, static_cast<uint8_t>(XOp::UNDECODED)};
  for (uint64_t page_start = first & ~uint64_t{kPageBytes - 1}; page_start < end; page_start += kPageBytes) {
    auto it = code_pages_.find(static_cast<uint32_t>(page_start >> kPageShift));
    if (it == code_pages_.end()) continue;
    const uint64_t lo = std::max(first, page_start), hi = std::min(end, page_start + kPageBytes);
    for (uint64_t a = lo; a < hi; a += 2) it->second->e[(a - page_start) >> 1] = undecoded;
  }
}

// ---------------------------------------------------------------------------------------
// Loads and stores that miss the fast path. Rules: VeeR EL2 PRM "Memory Map",
// sections "Misaligned Accesses", "Unmapped Addresses" and "Rules for Core-Local
// Memory Accesses"; mscause values from "Machine Secondary Cause Register".

bool Hart::data_user() const {
  if (!cfg_.user_mode) return false;
  if (mstatus_ & kMstatusMprv) return (mstatus_ & kMstatusMpp) != kMstatusMpp;
  return user_;
}

bool Hart::in_pic_region(uint32_t addr) const { return cfg_.pic_sources && same_region(addr, cfg_.pic_base); }
bool Hart::in_dccm_region(uint32_t addr) const { return cfg_.dccm.size && same_region(addr, cfg_.dccm.base); }

bool Hart::data_rules(uint32_t addr, unsigned size, bool store, Trap& trap) {
  const uint32_t last = addr + size - 1;
  const uint32_t misaligned = store ? kStoreMisaligned : kLoadMisaligned;
  const uint32_t fault = store ? kStoreAccessFault : kLoadAccessFault;
  if (addr & (size - 1)) {
    if (!same_region(addr, last)) {
      trap = Trap{misaligned, addr, kMscRegionCross};
      return false;
    }
    // mrac's side-effect bit does not apply to the DCCM, PIC and ICCM regions
    // (el2_lsu_addrcheck.sv is_sideeffects_d / addr_external_d).
    const bool side_effect = ((mrac_ >> (2 * (addr >> 28) + 1)) & 1) && !in_dccm_region(addr) &&
                             !in_pic_region(addr) && !(cfg_.iccm.size && same_region(addr, cfg_.iccm.base));
    if (side_effect) {
      trap = Trap{misaligned, addr, kMscMisalignedSideEffect};
      return false;
    }
  }
  const bool pic_window = in_pic_region(addr) && addr - cfg_.pic_base < Pic::kWindow;
  if (in_dccm_region(addr) || in_pic_region(addr)) {
    const bool in_dccm = cfg_.dccm.size && cfg_.dccm.contains(addr) && cfg_.dccm.contains(last);
    const bool in_pic = pic_window && last - cfg_.pic_base < Pic::kWindow;
    if (!in_dccm && !in_pic) {
      trap = Trap{fault, addr, kMscCoreLocalUnmapped};
      return false;
    }
  }
  if (pmp_.entries() && pmp_.restricts(data_user()) &&
      !pmp_.allowed(addr, size, store ? AccessType::Write : AccessType::Read, data_user())) {
    trap = Trap{fault, addr, kMscMpu};
    return false;
  }
  if (pic_window && (size != 4 || (addr & 3))) {
    trap = Trap{fault, addr, kMscPic};
    return false;
  }
  return true;
}

bool Hart::bus_failed(uint32_t addr, bool store, Trap& trap) {
  // Core-local (DCCM/PIC) errors are precise; D-bus errors are imprecise NMIs on VeeR.
  if (in_dccm_region(addr) || in_pic_region(addr) || !cfg_.dbus_error_nmi) {
    trap = Trap{store ? kStoreAccessFault : kLoadAccessFault, addr,
                in_pic_region(addr) ? kMscPic : kMscCoreLocalUnmapped};
    return false;
  }
  if (!mdseac_locked_) {
    mdseac_ = addr;
    mdseac_locked_ = true;
    raise_nmi(store ? kNmiStoreBusError : kNmiLoadBusError);
  }
  return true;
}

bool Hart::load_slow(uint32_t addr, unsigned size, uint32_t& value, Trap& trap) {
  if (!data_rules(addr, size, false, trap)) return false;
  const auto who = bus::Requester::cpu(pc_);
  bus::BusResult r = bus::BusResult::Ok;
  if (addr & (size - 1)) {
    value = 0;
    for (unsigned i = 0; i < size && r == bus::BusResult::Ok; ++i) {
      uint32_t b = 0;
      r = bus_.read(addr + i, 1, b, who);
      value |= (b & 0xFF) << (8 * i);
    }
  } else {
    r = bus_.read(addr, size, value, who);
  }
  if (r != bus::BusResult::Ok) {
    value = 0;
    return bus_failed(addr, false, trap);
  }
  map_data_page(addr, false);
  return true;
}

bool Hart::store_slow(uint32_t addr, unsigned size, uint32_t value, Trap& trap) {
  if (!data_rules(addr, size, true, trap)) return false;
  const auto who = bus::Requester::cpu(pc_);
  bus::BusResult r = bus::BusResult::Ok;
  if (addr & (size - 1)) {
    for (unsigned i = 0; i < size && r == bus::BusResult::Ok; ++i)
      r = bus_.write(addr + i, 1, (value >> (8 * i)) & 0xFF, who);
  } else {
    r = bus_.write(addr, size, value, who);
  }
  if (r != bus::BusResult::Ok) return bus_failed(addr, true, trap);
  map_data_page(addr, true);
  return true;
}

void Hart::map_data_page(uint32_t addr, bool store) {
  const uint32_t page = addr >> kPageShift, base = page << kPageShift;
  const bus::Region* r = bus_.find(addr);
  if (!r || !r->memory || !r->contains(base) || !r->contains(base + kPageBytes - 1)) return;
  const uint32_t mem_page = (base - r->base) >> kPageShift;
  if (store && (!r->memory->cpu_writable() || !r->memory->fast_write_ok(mem_page))) return;
  if (in_dccm_region(base) && !(cfg_.dccm.contains(base) && cfg_.dccm.contains(base + kPageBytes - 1))) return;
  const bool user = data_user();
  if (pmp_.entries() && pmp_.restricts(user) &&
      !(pmp_.uniform(base, kPageBytes, user) &&
        pmp_.allowed(base, 4, store ? AccessType::Write : AccessType::Read, user)))
    return;
  const uintptr_t bias = reinterpret_cast<uintptr_t>(r->memory->data() + (base - r->base)) - base;
  uintptr_t& slot = (store ? write_bias_ : read_bias_)[page];
  if (slot == bias) return;
  slot = bias;
  mapped_pages_.push_back(page);
}

}  // namespace calemu::rv
