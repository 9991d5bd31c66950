// OpenTitan's shadowed register (caliptra-rtl caliptra_prim_subreg_shadow.sv), used by the
// AES and KMAC control registers: the first write is staged, a second write with the same
// value commits it, a second write with another value is an update error (a recoverable
// alert) and commits nothing. Either way the phase returns to "first". A read of the register
// also returns the phase to "first". Writes the hardware does not grant (the block is busy,
// the register is locked) never reach the primitive and leave the phase alone.
#pragma once
#include <cstdint>

namespace calemu::caliptra {

class ShadowedReg {
 public:
  enum class Write : uint8_t { Staged, Committed, UpdateError };

  explicit ShadowedReg(uint32_t reset_value) : reset_(reset_value), value_(reset_value) {}

  uint32_t value() const { return value_; }
  bool staged() const { return staged_phase_; }  // prim phase_o: a first write is waiting

  Write write(uint32_t v) {
    if (!staged_phase_) {
      staged_ = v;
      staged_phase_ = true;
      return Write::Staged;
    }
    staged_phase_ = false;
    if (v != staged_) return Write::UpdateError;
    value_ = v;
    return Write::Committed;
  }
  void read() { staged_phase_ = false; }
  void reset() {
    value_ = reset_;
    staged_ = 0;
    staged_phase_ = false;
  }

 private:
  uint32_t reset_;
  uint32_t value_;
  uint32_t staged_ = 0;
  bool staged_phase_ = false;
};

}  // namespace calemu::caliptra
