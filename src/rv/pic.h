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

  // CSR side. Like the RTL, the registers hold what firmware wrote; with mpiccfg.priord = 1
  // the PIC inverts them where it compares (el2_pic_ctrl.sv intpriority_reg_inv,
  // meipt_inv, meicurpl_inv), so changing priord later changes their meaning, not their
  // value.
  uint32_t meipt() const { return meipt_; }
  void set_meipt(uint32_t v) { meipt_ = v & 15; changed(); }
  uint32_t meicidpl() const { return meicidpl_; }
  void set_meicidpl(uint32_t v) { meicidpl_ = v & 15; }
  uint32_t meicurpl() const { return meicurpl_; }
  void set_meicurpl(uint32_t v) { meicurpl_ = v & 15; changed(); }
  uint32_t claim_id() const { return claimid_; }
  unsigned sources() const { return sources_; }

 private:
  // Firmware value <-> the PIC's internal (standard-order) priority; the same inversion
  // both ways.
  uint32_t order(uint32_t p) const { return reverse_ ? (~p & 15) : (p & 15); }
  // The gateway: its input at the active level (input ^ polarity).
  bool active(unsigned id) const { return (input_[id] != 0) != ((gwctrl_[id] & 1) != 0); }
  bool pending(unsigned id) const;
  // The evaluation tree: highest internal priority, then lowest id; source 0 takes part
  // with priority 0, so nothing above priority 0 means claim id 0 (el2_cmp_and_mux).
  // priority is internal (standard order).
  unsigned winner(uint32_t& priority) const;
  void changed() { if (on_change_) on_change_(); }

  unsigned sources_;
  std::function<void()> on_change_;
  std::array<uint8_t, kMaxSources + 1> priority_{}, enable_{}, gwctrl_{}, ip_{}, input_{};
  bool reverse_ = false;
  uint32_t meipt_ = 0, meicidpl_ = 0, meicurpl_ = 0, claimid_ = 0;
};

}  // namespace calemu::rv
