// CSRs, traps and interrupts. Behaviour follows VeeR EL2 (design/dec/el2_dec_tlu_ctl.sv,
// csrdecode_mu) where it is more specific than the privileged spec.
#include "rv/csr.h"

#include "rv/exec_internal.h"
#include "rv/hart.h"

namespace calemu::rv {

namespace {
enum : uint32_t {
  kMipMsip = 1u << 3, kMipMtip = 1u << 7, kMipMeip = 1u << 11,
  kMipMitip1 = 1u << 28, kMipMitip0 = 1u << 29, kMipMceip = 1u << 30,
  kMieMask = kMipMsip | kMipMtip | kMipMeip | kMipMitip1 | kMipMitip0 | kMipMceip,
};
bool in(uint16_t n, uint16_t lo, uint16_t hi) { return n >= lo && n <= hi; }
// VeeR decodes these ranges (mhpmcounter7..31, mhpmevent7..31): legal, read zero.
bool perf_void(uint16_t n) {
  return in(n, 0xB07, 0xB1F) || in(n, 0xB87, 0xB9F) || in(n, 0x327, 0x33F);
}
uint32_t error_counter(uint32_t v) { return (v >> 27) > 26 ? (26u << 27) | (v & 0x07FF'FFFFu) : v; }
uint32_t lo32(uint64_t v) { return static_cast<uint32_t>(v); }
uint32_t hi32(uint64_t v) { return static_cast<uint32_t>(v >> 32); }
}  // namespace

uint64_t Hart::mcycle_value() const {
  return (mcountinhibit_ & 1) ? mcycle_frozen_ : static_cast<uint64_t>(static_cast<int64_t>(cycles()) + mcycle_delta_);
}
uint64_t Hart::minstret_value() const {
  return (mcountinhibit_ & 4) ? minstret_frozen_
                              : static_cast<uint64_t>(static_cast<int64_t>(retired_) + minstret_delta_);
}

// Correctable-error counters signal while any count bit at or above the threshold bit is
// set: el2_dec_tlu_ctl.sv mice_ce_req = |((32'hffffffff << thresh) & count).
bool Hart::correctable_error_pending() const {
  for (uint32_t v : {micect_, miccmect_, mdccmect_})
    if ((v & 0x07FF'FFFFu) & (0xFFFF'FFFFu << (v >> 27))) return true;
  return false;
}

uint32_t Hart::mip() const {
  uint32_t v = mip_ext_ | timer_pulse_ | timer_hold_;
  if (pic_.notify()) v |= kMipMeip;
  if (correctable_error_pending()) v |= kMipMceip;
  if (timers_[0].bound == 0) v |= kMipMitip0;  // a zero bound matches every cycle
  if (timers_[1].bound == 0) v |= kMipMitip1;
  return v;
}

void Hart::set_mip_bit(unsigned bit, bool level) {
  const uint32_t m = 1u << bit;
  const uint32_t old = mip_ext_;
  mip_ext_ = level ? (mip_ext_ | m) : (mip_ext_ & ~m);
  if (old != mip_ext_) note_interrupt_change();
}

bool Hart::csr_exists(uint16_t n) const {
  switch (n) {
    case csr::MISA: case csr::MVENDORID: case csr::MARCHID: case csr::MIMPID: case csr::MHARTID:
    case csr::MSTATUS: case csr::MTVEC: case csr::MIP: case csr::MIE: case csr::MCYCLE: case csr::MCYCLEH:
    case csr::MINSTRET: case csr::MINSTRETH: case csr::MSCRATCH: case csr::MEPC: case csr::MCAUSE:
    case csr::MSCAUSE: case csr::MTVAL: case csr::MRAC: case csr::MDEAU: case csr::MDSEAC: case csr::MEIVT:
    case csr::MEIHAP: case csr::MEIPT: case csr::MEICURPL: case csr::MEICIDPL: case csr::TSELECT:
    case csr::TDATA1: case csr::TDATA2: case csr::MICECT: case csr::MICCMECT: case csr::MDCCMECT:
    case csr::MPMC: case csr::MCGC: case csr::MCPC: case csr::MFDC: case csr::MITCTL0: case csr::MITCTL1:
    case csr::MITB0: case csr::MITB1: case csr::MITCNT0: case csr::MITCNT1: case csr::MCOUNTINHIBIT:
    case csr::MFDHT: case csr::MFDHS:
      return true;
    case csr::MEICPCT: return !cfg_.fast_interrupt_redirect;  // absent with fast redirect
    case csr::MCOUNTEREN: case csr::MENVCFG: case csr::MENVCFGH: case csr::CYCLE: case csr::CYCLEH:
    case csr::INSTRET: case csr::INSTRETH:
      return cfg_.user_mode;
    case csr::MSECCFG: case csr::MSECCFGH: return cfg_.smepmp;
    default: break;
  }
  if (in(n, csr::MHPMCOUNTER3, csr::MHPMCOUNTER6) || in(n, csr::MHPMCOUNTER3H, csr::MHPMCOUNTER6H) ||
      in(n, csr::MHPMEVENT3, csr::MHPMEVENT6) || perf_void(n))
    return true;
  if (in(n, 0xC03, 0xC06) || in(n, 0xC83, 0xC86)) return cfg_.user_mode;  // hpmcounter3..6(h)
  if (in(n, csr::PMPCFG0, csr::PMPCFG15) || in(n, csr::PMPADDR0, csr::PMPADDR63)) return cfg_.pmp_entries != 0;
  return false;  // includes debug-mode-only CSRs (dcsr, dpc, dmst, dicawics, ...)
}

bool Hart::csr_read(uint16_t n, uint32_t& v) {
  v = 0;
  if (in(n, csr::PMPCFG0, csr::PMPCFG15)) { v = pmp_.read_cfg(n - csr::PMPCFG0); return true; }
  if (in(n, csr::PMPADDR0, csr::PMPADDR63)) {
    const unsigned i = n - csr::PMPADDR0;
    v = i < pmp_.entries() ? pmp_.read_addr(i) : 0;
    return true;
  }
  if (in(n, csr::MHPMCOUNTER3, csr::MHPMCOUNTER6)) { v = lo32(mhpmcounter_[n - csr::MHPMCOUNTER3]); return true; }
  if (in(n, csr::MHPMCOUNTER3H, csr::MHPMCOUNTER6H)) { v = hi32(mhpmcounter_[n - csr::MHPMCOUNTER3H]); return true; }
  if (in(n, 0xC03, 0xC06)) { v = lo32(mhpmcounter_[n - 0xC03]); return true; }
  if (in(n, 0xC83, 0xC86)) { v = hi32(mhpmcounter_[n - 0xC83]); return true; }
  if (in(n, csr::MHPMEVENT3, csr::MHPMEVENT6)) { v = mhpmevent_[n - csr::MHPMEVENT3]; return true; }
  if (perf_void(n)) return true;
  switch (n) {
    case csr::MISA: v = 0x4000'1104u | (cfg_.user_mode ? 1u << 20 : 0); break;  // RV32 I M C (U)
    case csr::MVENDORID: v = 0x45; break;
    case csr::MARCHID: v = 0x10; break;
    case csr::MIMPID: v = 0x4; break;
    case csr::MHARTID: v = cfg_.mhartid; break;
    case csr::MSTATUS: v = mstatus_; break;
    case csr::MTVEC: v = mtvec_; break;
    case csr::MIP: v = mip() & kMieMask; break;
    case csr::MIE: v = mie_; break;
    case csr::MCYCLE: case csr::CYCLE: v = lo32(mcycle_value()); break;
    case csr::MCYCLEH: case csr::CYCLEH: v = hi32(mcycle_value()); break;
    case csr::MINSTRET: case csr::INSTRET: v = lo32(minstret_value()); break;
    case csr::MINSTRETH: case csr::INSTRETH: v = hi32(minstret_value()); break;
    case csr::MSCRATCH: v = mscratch_; break;
    case csr::MEPC: v = mepc_; break;
    case csr::MCAUSE: v = mcause_; break;
    case csr::MSCAUSE: v = mscause_; break;
    case csr::MTVAL: v = mtval_; break;
    case csr::MRAC: v = mrac_; break;
    case csr::MDSEAC: v = mdseac_; break;
    case csr::MEIVT: v = meivt_; break;
    case csr::MEIHAP: v = (meivt_ & ~0x3FFu) | (pic_.claim_id() << 2); break;
    case csr::MEIPT: v = pic_.meipt(); break;
    case csr::MEICURPL: v = pic_.meicurpl(); break;
    case csr::MEICIDPL: v = pic_.meicidpl(); break;
    case csr::TSELECT: v = tselect_; break;
    case csr::TDATA1: v = tdata1_[tselect_]; break;
    case csr::TDATA2: v = tdata2_[tselect_]; break;
    case csr::MICECT: v = micect_; break;
    case csr::MICCMECT: v = miccmect_; break;
    case csr::MDCCMECT: v = mdccmect_; break;
    case csr::MPMC: v = mpmc_ & 2; break;
    case csr::MCGC: v = mcgc_; break;
    case csr::MFDC: v = mfdc_; break;
    case csr::MFDHT: v = mfdht_; break;
    case csr::MFDHS: v = mfdhs_; break;
    case csr::MITCNT0: v = timer_value(0, now()); break;
    case csr::MITCNT1: v = timer_value(1, now()); break;
    case csr::MITB0: v = timers_[0].bound; break;
    case csr::MITB1: v = timers_[1].bound; break;
    case csr::MITCTL0: v = timers_[0].ctl; break;
    case csr::MITCTL1: v = timers_[1].ctl; break;
    case csr::MCOUNTINHIBIT: v = mcountinhibit_; break;
    case csr::MCOUNTEREN: v = mcounteren_; break;
    case csr::MSECCFG: v = pmp_.mseccfg(); break;
    default: break;  // write-only triggers (mcpc, meicpct, mdeau) and zero registers read 0
  }
  return true;
}

bool Hart::csr_write(uint16_t n, uint32_t v) {
  if (in(n, csr::PMPCFG0, csr::PMPCFG15)) { pmp_.write_cfg(n - csr::PMPCFG0, v); flush_tlb(); return true; }
  if (in(n, csr::PMPADDR0, csr::PMPADDR63)) { pmp_.write_addr(n - csr::PMPADDR0, v); flush_tlb(); return true; }
  auto set_lo = [](uint64_t& c, uint32_t x) { c = (c & ~0xFFFF'FFFFull) | x; };
  auto set_hi = [](uint64_t& c, uint32_t x) { c = (c & 0xFFFF'FFFFull) | (uint64_t{x} << 32); };
  if (in(n, csr::MHPMCOUNTER3, csr::MHPMCOUNTER6)) { set_lo(mhpmcounter_[n - csr::MHPMCOUNTER3], v); return true; }
  if (in(n, csr::MHPMCOUNTER3H, csr::MHPMCOUNTER6H)) { set_hi(mhpmcounter_[n - csr::MHPMCOUNTER3H], v); return true; }
  if (in(n, csr::MHPMEVENT3, csr::MHPMEVENT6)) {
    // WARL: events 0..56 except 29, 33, 51..53, and 512..516; anything else reads 0
    // (el2_dec_tlu_ctl.sv zero_event_r).
    const bool bad = v > 516 || (v > 56 && v < 512) || (v > 50 && v < 54) || v == 29 || v == 33;
    mhpmevent_[n - csr::MHPMEVENT3] = bad ? 0 : v;
    return true;
  }
  // The write lands after the writing instruction retires (it is still being counted).
  auto write_counter = [&](bool is_cycle, bool high) {
    const uint64_t cur = is_cycle ? mcycle_value() : minstret_value();
    uint64_t next = cur;
    high ? set_hi(next, v) : set_lo(next, v);
    const uint32_t inhibit = is_cycle ? 1 : 4;
    if (mcountinhibit_ & inhibit) {
      (is_cycle ? mcycle_frozen_ : minstret_frozen_) = next;
    } else if (is_cycle) {
      mcycle_delta_ = static_cast<int64_t>(next) - static_cast<int64_t>(cycles() + 1);
    } else {
      minstret_delta_ = static_cast<int64_t>(next) - static_cast<int64_t>(retired_ + 1);
    }
  };
  switch (n) {
    case csr::MSTATUS: {
      uint32_t next = v & (kMstatusMie | kMstatusMpie);
      if (cfg_.user_mode) {
        next |= (v & (1u << 12)) ? kMstatusMpp : 0;  // MPP keeps only bit 12: M or U
        next |= v & kMstatusMprv;
      } else {
        next |= kMstatusMpp;
      }
      const bool data_priv_change = (next ^ mstatus_) & (kMstatusMprv | kMstatusMpp);
      mstatus_ = next;
      if (data_priv_change) flush_tlb();
      note_interrupt_change();
      break;
    }
    case csr::MTVEC: mtvec_ = v & ~2u; break;
    case csr::MIE: mie_ = v & kMieMask; note_interrupt_change(); break;
    case csr::MCYCLE: write_counter(true, false); break;
    case csr::MCYCLEH: write_counter(true, true); break;
    case csr::MINSTRET: write_counter(false, false); break;
    case csr::MINSTRETH: write_counter(false, true); break;
    case csr::MSCRATCH: mscratch_ = v; break;
    case csr::MEPC: mepc_ = v & ~1u; break;
    case csr::MCAUSE: mcause_ = v; break;
    case csr::MSCAUSE: mscause_ = v & 0xF; break;
    case csr::MTVAL: mtval_ = v; break;
    case csr::MRAC: {
      const uint32_t both = v & (v >> 1) & 0x5555'5555u;  // side effect + cacheable is illegal
      mrac_ = v & ~both;
      break;
    }
    case csr::MDEAU: mdseac_locked_ = false; break;
    case csr::MEIVT: meivt_ = v & ~0x3FFu; break;
    case csr::MEIPT: pic_.set_meipt(v); break;
    case csr::MEICURPL: pic_.set_meicurpl(v); break;
    case csr::MEICIDPL: pic_.set_meicidpl(v); break;
    case csr::MEICPCT: pic_.capture(); break;
    case csr::TSELECT: tselect_ = v & 3; break;
    case csr::TDATA1: tdata1_[tselect_] = v; break;
    case csr::TDATA2: tdata2_[tselect_] = v; break;
    // The 5-bit threshold saturates at 26 (el2_dec_tlu_ctl.sv csr_sat).
    case csr::MICECT: micect_ = error_counter(v); note_interrupt_change(); break;
    case csr::MICCMECT: miccmect_ = error_counter(v); note_interrupt_change(); break;
    case csr::MDCCMECT: mdccmect_ = error_counter(v); note_interrupt_change(); break;
    case csr::MPMC:
      mpmc_ = v & 2;
      if (v & 1) {  // halt; haltie atomically enables interrupts (PRM "mpmc")
        if (v & 2) mstatus_ |= kMstatusMie;
        for (unsigned t = 0; t < 2; ++t) timer_settle(t, now() + 1);
        halted_ = true;
        timers_reschedule();
        note_interrupt_change();
      }
      break;
    case csr::MCPC:
      if (v) {
        for (unsigned t = 0; t < 2; ++t) timer_settle(t, now() + 1);
        paused_ = true;
        pause_until_ = now() + 1 + v;
        timers_reschedule();
        note_interrupt_change();
      }
      break;
    case csr::MCGC: mcgc_ = v & 0x3FF; break;
    case csr::MFDC: mfdc_ = v & 0x0007'1FFFu; break;  // mfdc_ns keeps bits 18:16 and 12:0
    case csr::MFDHT: mfdht_ = v & 0x3F; break;
    case csr::MFDHS: mfdhs_ = v & 0x3; break;
    case csr::MITCNT0: timer_write(0, n, v); break;
    case csr::MITCNT1: timer_write(1, n, v); break;
    case csr::MITB0: timer_write(0, n, v); break;
    case csr::MITB1: timer_write(1, n, v); break;
    case csr::MITCTL0: timer_write(0, n, v); break;
    case csr::MITCTL1: timer_write(1, n, v); break;
    case csr::MCOUNTINHIBIT: {
      const uint32_t next = v & 0x7D;
      const uint32_t changed = next ^ mcountinhibit_;
      if (changed & 1) {
        if (next & 1) mcycle_frozen_ = mcycle_value();
        else mcycle_delta_ = static_cast<int64_t>(mcycle_frozen_) - static_cast<int64_t>(cycles() + 1);
      }
      if (changed & 4) {
        if (next & 4) minstret_frozen_ = minstret_value();
        else minstret_delta_ = static_cast<int64_t>(minstret_frozen_) - static_cast<int64_t>(retired_ + 1);
      }
      mcountinhibit_ = next;
      break;
    }
    case csr::MCOUNTEREN: mcounteren_ = v & 0x7D; break;
    case csr::MSECCFG: pmp_.write_mseccfg(v); flush_tlb(); break;
    default: break;  // read-only zeros, void perf counters
  }
  return true;
}

bool Hart::csr_access(uint32_t op, uint16_t num, uint32_t src, bool do_write, uint32_t& old) {
  csr_priv_fault_ = false;
  if (!csr_exists(num)) return false;
  // Writes trap only for the CSRs dec_csr_legal_d names (el2_dec_tlu_ctl.sv): the ID
  // registers, mdseac and meihap. The user counter shadows (cycle, instret,
  // hpmcounter3..6 and their high halves) are legal CSRs no write enable selects: a
  // write there is ignored, not an illegal instruction.
  if (do_write && (in(num, csr::MVENDORID, csr::MHARTID) || num == csr::MDSEAC || num == csr::MEIHAP))
    return false;
  if (user_) {
    // A privilege violation on a legal CSR instruction (csr_acc_r) is reported as an
    // illegal instruction with mtval = 0, not the instruction bits (mtval_clear_r).
    csr_priv_fault_ = true;
    if (((num >> 8) & 3) != 0) return false;  // machine-level CSR from U-mode
    // User counters are gated by mcounteren (bit = counter index).
    if (!((mcounteren_ >> (num & 0x1F)) & 1)) return false;
    csr_priv_fault_ = false;
  }
  uint32_t cur = 0;
  csr_read(num, cur);
  old = cur;
  if (!do_write) return true;
  const Op kind = static_cast<Op>(op);
  uint32_t next = src;
  if (kind == Op::CSRRS || kind == Op::CSRRSI) next = cur | src;
  if (kind == Op::CSRRC || kind == Op::CSRRCI) next = cur & ~src;
  return csr_write(num, next);
}

bool Hart::peek_csr(uint16_t num, uint32_t& value) { return csr_exists(num) && csr_read(num, value); }

// ---------------------------------------------------------------------------------------
// Traps.

void Hart::set_privilege(bool user) {
  if (user == user_) return;
  user_ = user;
  flush_tlb();
}

void Hart::enter_trap(uint32_t cause, uint32_t tval, uint8_t mscause, uint32_t epc) {
  mepc_ = epc & ~1u;
  mcause_ = cause;
  mtval_ = tval;
  mscause_ = mscause & 0xF;
  uint32_t s = mstatus_ & ~(kMstatusMie | kMstatusMpie | kMstatusMpp);
  if (mstatus_ & kMstatusMie) s |= kMstatusMpie;
  if (!user_) s |= kMstatusMpp;
  mstatus_ = s;
  set_privilege(false);
  const uint32_t base = mtvec_ & ~3u;
  pc_ = ((cause & kInterrupt) && (mtvec_ & 1)) ? base + 4 * (cause & 0x1F) : base;
  wfi_ = false;
}

void Hart::enter_nmi(uint32_t cause) {
  enter_trap(cause, 0, 0, pc_);
  pc_ = nmi_vector_ & ~1u;
}

void Hart::do_mret() {
  pc_ = mepc_;
  const bool to_user = cfg_.user_mode && (mstatus_ & kMstatusMpp) != kMstatusMpp;
  uint32_t s = mstatus_ & ~(kMstatusMie | kMstatusMpp);
  if (mstatus_ & kMstatusMpie) s |= kMstatusMie;
  s |= kMstatusMpie;
  if (!cfg_.user_mode) s |= kMstatusMpp;  // MPP <- U where U exists, else stays M
  if (to_user) s &= ~kMstatusMprv;
  const bool data_priv_change = (s ^ mstatus_) & (kMstatusMprv | kMstatusMpp);
  mstatus_ = s;
  set_privilege(to_user);
  if (data_priv_change) flush_tlb();
  note_interrupt_change();
}

bool Hart::wake_from_halt() const {
  // el2_dec_tlu_ctl.sv i_cpu_run_req_d1: NMI, ready timer/software interrupts, held internal
  // timer pulses, or a ready external interrupt at the wake-up priority (mhwakeup).
  if (nmi_pending_) return true;
  const uint32_t ready = interrupts_enabled() ? (mip() & mie_) : 0;
  if (ready & (kMipMtip | kMipMsip)) return true;
  if (timer_hold_) return true;
  return (ready & kMipMeip) && pic_.wakeup();
}

void Hart::end_pause() {
  for (unsigned t = 0; t < 2; ++t) timer_settle(t, now());
  paused_ = false;
  timers_reschedule();
}

bool Hart::take_interrupt() {
  if (nmi_pending_) {
    nmi_pending_ = false;
    halted_ = false;
    if (paused_) end_pause();
    enter_nmi(nmi_cause_);
    return true;
  }
  if (halted_) {
    if (!wake_from_halt()) return false;
    for (unsigned t = 0; t < 2; ++t) timer_settle(t, now());
    halted_ = false;
    timers_reschedule();
  }
  const uint32_t pending = mip() & mie_;
  if (wfi_ && pending) wfi_ = false;  // wfi wakes on any enabled pending interrupt, even with MIE = 0
  if (!pending || !interrupts_enabled()) return false;
  if (paused_) end_pause();
  if (pending & kMipMeip) {
    if (!cfg_.fast_interrupt_redirect) {
      enter_trap(kIrqExternal, 0, 0, pc_);
      return true;
    }
    // Fast redirect (PRM "Fast Interrupt Redirect"): capture, then fetch the handler
    // address from the vector table, which must lie in the DCCM.
    pic_.capture();
    const uint32_t slot = (meivt_ & ~0x3FFu) | (pic_.claim_id() << 2);
    const bool in_dccm = cfg_.dccm.size && cfg_.dccm.contains(slot) && cfg_.dccm.contains(slot + 3);
    if (!in_dccm) {
      enter_nmi(in_dccm_region(slot) ? kNmiFastIntDccmRegion : kNmiFastIntNonDccm);
      return true;
    }
    uint32_t handler = 0;
    bus_.read(slot, 4, handler, bus::Requester::cpu(pc_));
    enter_trap(kIrqExternal, 0, 0, pc_);
    pc_ = handler & ~1u;
    return true;
  }
  uint32_t cause;
  if (pending & kMipMceip) cause = kIrqCorrectable;
  else if (pending & kMipMsip) cause = kIrqSoftware;
  else if (pending & kMipMtip) cause = kIrqTimer;
  else if (pending & kMipMitip0) { cause = kIrqIntTimer0; timer_hold_ &= ~kMipMitip0; }
  else { cause = kIrqIntTimer1; timer_hold_ &= ~kMipMitip1; }
  enter_trap(cause, 0, 0, pc_);
  return true;
}

}  // namespace calemu::rv
