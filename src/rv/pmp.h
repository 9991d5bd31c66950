// Physical memory protection with Smepmp, as VeeR EL2 implements it (design/el2_pmp.sv):
// 34-bit compare, 4-byte grain, first matching entry decides for each end of an access,
// no match denies U-mode
// (and M-mode under MMWP, and M-mode fetches under MML).
#pragma once
#include <array>
#include <cstdint>

namespace calemu::rv {

enum class AccessType : uint8_t { Read, Write, Exec };

class Pmp {
 public:
  static constexpr unsigned kMaxEntries = 64;
  enum : uint8_t { R = 1, W = 2, X = 4, A_SHIFT = 3, L = 0x80 };
  enum : uint32_t { MML = 1, MMWP = 2, RLB = 4 };

  Pmp(unsigned entries, bool smepmp) : entries_(entries), smepmp_(smepmp) { reset(); }
  void reset();

  unsigned entries() const { return entries_; }
  uint32_t read_cfg(unsigned reg) const;             // pmpcfgN: four entries
  void write_cfg(unsigned reg, uint32_t value);
  uint32_t read_addr(unsigned i) const { return addr_[i]; }
  void write_addr(unsigned i, uint32_t value);
  uint32_t mseccfg() const { return mseccfg_; }
  void write_mseccfg(uint32_t value);

  // user: the effective privilege is U (else M).
  bool allowed(uint32_t addr, unsigned size, AccessType t, bool user) const;
  // True when every byte of [base, base + size) gets the same answer as `addr` would,
  // so a fast path may cache the decision for the whole block.
  bool uniform(uint32_t base, uint32_t size, bool user) const;
  // Whether PMP can deny anything at all in the given mode (lets M-mode skip checks).
  bool restricts(bool user) const;

 private:
  bool locked(unsigned i) const { return (cfg_[i] & L) && !(mseccfg_ & RLB); }
  unsigned mode(unsigned i) const { return (cfg_[i] >> A_SHIFT) & 3; }
  bool matches_all(unsigned i, uint64_t lo, uint64_t hi) const;  // [lo, hi] inclusive
  bool matches_any(unsigned i, uint64_t lo, uint64_t hi) const;
  bool permits(unsigned i, AccessType t, bool user) const;
  bool allowed_at(uint32_t addr, AccessType t, bool user) const;  // one byte's grain
  void recompute();

  unsigned entries_;
  bool smepmp_;
  std::array<uint8_t, kMaxEntries> cfg_{};
  std::array<uint32_t, kMaxEntries> addr_{};
  std::array<uint64_t, kMaxEntries> lo_{}, hi_{};  // decoded byte ranges, inclusive
  uint32_t mseccfg_ = 0;
  bool any_enabled_ = false, any_locked_ = false;
};

}  // namespace calemu::rv
