#include "rv/pmp.h"

namespace calemu::rv {

namespace {
enum : unsigned { OFF = 0, TOR = 1, NA4 = 2, NAPOT = 3 };
}

void Pmp::reset() {
  cfg_.fill(0);
  addr_.fill(0);
  mseccfg_ = 0;
  recompute();
}

uint32_t Pmp::read_cfg(unsigned reg) const {
  uint32_t v = 0;
  for (unsigned k = 0; k < 4; ++k)
    if (reg * 4 + k < entries_) v |= uint32_t{cfg_[reg * 4 + k]} << (8 * k);
  return v;
}

void Pmp::write_cfg(unsigned reg, uint32_t value) {
  for (unsigned k = 0; k < 4; ++k) {
    const unsigned i = reg * 4 + k;
    if (i >= entries_ || locked(i)) continue;
    // el2_dec_pmp_ctl.sv: bits 6:5 read as zero; without Smepmp, W without R is dropped.
    uint8_t c = static_cast<uint8_t>(value >> (8 * k)) & 0x9F;
    if (!smepmp_ && !(c & R)) c &= static_cast<uint8_t>(~W);
    cfg_[i] = c;
  }
  recompute();
}

void Pmp::write_addr(unsigned i, uint32_t value) {
  if (i >= entries_ || locked(i)) return;
  // A locked TOR entry also locks the address below it.
  if (i + 1 < entries_ && locked(i + 1) && mode(i + 1) == TOR) return;
  addr_[i] = value & 0x3FFF'FFFFu;  // pmpaddr[31:30] are hardwired to zero
  recompute();
}

void Pmp::write_mseccfg(uint32_t value) {
  if (!smepmp_) return;
  uint32_t rlb = value & RLB;
  if (any_locked_) rlb &= mseccfg_;  // RLB can only be cleared while any rule is locked
  mseccfg_ = rlb | ((value | mseccfg_) & (MML | MMWP));  // MML and MMWP are sticky
  recompute();
}

void Pmp::recompute() {
  any_enabled_ = any_locked_ = false;
  for (unsigned i = 0; i < entries_; ++i) {
    any_locked_ |= (cfg_[i] & L) != 0;
    const uint64_t a = uint64_t{addr_[i]} << 2;
    switch (mode(i)) {
      case OFF: lo_[i] = 1; hi_[i] = 0; continue;  // empty
      case TOR: {
        const uint64_t base = i ? uint64_t{addr_[i - 1]} << 2 : 0;
        lo_[i] = base;
        if (a <= base) { lo_[i] = 1; hi_[i] = 0; } else hi_[i] = a - 1;
        break;
      }
      case NA4: lo_[i] = a; hi_[i] = a + 3; break;
      case NAPOT: {
        // Trailing ones of pmpaddr give the size: 2^(ones + 3) bytes.
        const uint64_t ones = static_cast<uint64_t>(__builtin_ctzll(~uint64_t{addr_[i]}));
        const uint64_t size = uint64_t{8} << ones;
        lo_[i] = a & ~(size - 1);
        hi_[i] = lo_[i] + size - 1;
        break;
      }
    }
    any_enabled_ = true;
  }
}

bool Pmp::matches_all(unsigned i, uint64_t lo, uint64_t hi) const { return lo >= lo_[i] && hi <= hi_[i]; }
bool Pmp::matches_any(unsigned i, uint64_t lo, uint64_t hi) const { return lo <= hi_[i] && hi >= lo_[i]; }

// el2_pmp.sv: perm_check_wrapper / mml_perm_check / orig_perm_check.
bool Pmp::permits(unsigned i, AccessType t, bool user) const {
  const uint8_t c = cfg_[i];
  const bool r = c & R, w = c & W, x = c & X, l = c & L;
  const bool basic = (t == AccessType::Exec && x) || (t == AccessType::Write && w) || (t == AccessType::Read && r);
  if (!(mseccfg_ & MML)) return user ? basic : (!l || basic);
  if (!r && w) {
    switch ((l ? 2 : 0) | (x ? 1 : 0)) {
      case 0: return t == AccessType::Read || (t == AccessType::Write && !user);
      case 1: return t == AccessType::Read || t == AccessType::Write;
      case 2: return t == AccessType::Exec;
      default: return t == AccessType::Exec || (t == AccessType::Read && !user);
    }
  }
  if (r && w && x && l) return t == AccessType::Read;
  return basic && (user ? !l : l);
}

bool Pmp::allowed_at(uint32_t addr, AccessType t, bool user) const {
  for (unsigned i = 0; i < entries_; ++i)
    if (mode(i) != OFF && matches_all(i, addr, addr)) return permits(i, t, user);  // first match decides
  if (smepmp_) return !((mseccfg_ & MMWP) || user || ((mseccfg_ & MML) && t == AccessType::Exec));
  return !(any_enabled_ && user);
}

bool Pmp::allowed(uint32_t addr, unsigned size, AccessType t, bool user) const {
  // el2_pmp.sv checks one address per channel; the LSU puts the first and the last byte
  // of an access on two channels (el2_lsu.sv lsu_pmp_addr_start / _end) and faults if
  // either fails. Entries cover whole 4-byte grains, so an access is allowed when the
  // grains of both its ends are: there is no "partial match fails" rule as in the
  // privileged spec, which VeeR does not implement.
  const uint32_t last = addr + size - 1;
  return allowed_at(addr, t, user) && ((last >> 2) == (addr >> 2) || allowed_at(last, t, user));
}

bool Pmp::uniform(uint32_t base, uint32_t size, bool user) const {
  const uint64_t lo = base, hi = uint64_t{base} + size - 1;
  for (unsigned i = 0; i < entries_; ++i) {
    if (mode(i) == OFF || !matches_any(i, lo, hi)) continue;
    return matches_all(i, lo, hi);  // this entry covers the block, or the block is split
  }
  return true;  // no entry touches the block: the default answer holds for all of it
}

bool Pmp::restricts(bool user) const {
  if (user) return true;
  if (mseccfg_ & (MML | MMWP)) return true;
  return any_locked_ && any_enabled_;
}

}  // namespace calemu::rv
