// The VeeR EL2 programmable interrupt controller (PRM ch. "External Interrupts"):
// memory-mapped gateway/priority/enable registers plus the CSR-side threshold,
// claim and vector registers. The hart owns one and reads its notification lines.
#pragma once
#include <array>
#include <cstdint>
#include <functional>

#include "bus/device.h"

namespace calemu::rv {

class Pic : public bus::Device {
 public:
  static constexpr unsigned kMaxSources = 255;
  static constexpr uint32_t kWindow = 0x8000;  // 32 KiB: unused offsets read 0, ignore writes

  // sources: the highest implemented source id (Caliptra: 31). on_change is called when
  // the notification to the core may have changed.
  Pic(unsigned sources, std::function<void()> on_change);
  void reset();

  // bus::Device: word accesses only; anything else is an access fault (PRM note on PIC regs).
  const char* name() const override { return "pic"; }
  bus::BusResult read(uint32_t offset, unsigned size, uint32_t& value, const bus::Requester&) override;
  bus::BusResult write(uint32_t offset, unsigned size, uint32_t value, const bus::Requester&) override;
  std::string describe(uint32_t offset) const override;

  // Interrupt request input from a source (level; the gateway applies polarity/type).
  void set_source(unsigned id, bool level);
  bool source_level(unsigned id) const { return id <= sources_ && input_[id]; }

  // mexintirq: a pending, enabled interrupt above both thresholds.
  bool notify() const;
  // mhwakeup: the winning pending, enabled interrupt has the maximum priority level.
  bool wakeup() const;
  // Captures claim id and priority (meicpct write or fast-redirect hardware capture).
  void capture();

  // CSR side, values as firmware sees them (inverted when mpiccfg.priord = 1).
  uint32_t meipt() const { return fw(meipt_); }
  void set_meipt(uint32_t v) { meipt_ = hw(v); changed(); }
  uint32_t meicidpl() const { return fw(meicidpl_); }
  void set_meicidpl(uint32_t v) { meicidpl_ = hw(v); }
  uint32_t meicurpl() const { return fw(meicurpl_); }
  void set_meicurpl(uint32_t v) { meicurpl_ = hw(v); changed(); }
  uint32_t claim_id() const { return claimid_; }
  unsigned sources() const { return sources_; }

 private:
  uint32_t fw(uint32_t p) const { return reverse_ ? (~p & 15) : p; }
  uint32_t hw(uint32_t v) const { return reverse_ ? (~v & 15) : (v & 15); }
  bool pending(unsigned id) const;
  // Highest priority, then lowest id, among pending and enabled sources (0 if none).
  unsigned winner(uint32_t& priority) const;
  void changed() { if (on_change_) on_change_(); }

  unsigned sources_;
  std::function<void()> on_change_;
  std::array<uint8_t, kMaxSources + 1> priority_{}, enable_{}, gwctrl_{}, ip_{}, input_{};
  bool reverse_ = false;
  uint32_t meipt_ = 0, meicidpl_ = 0, meicurpl_ = 0, claimid_ = 0;
};

}  // namespace calemu::rv
