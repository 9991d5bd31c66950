// The standard interrupt block every Caliptra engine carries (caliptra-rtl
// src/libs/rtl/interrupt_regs.rdl; soc_ifc has its own variant with more events): enables,
// sticky W1C status set by hardware events or firmware triggers, saturating event counters,
// and two level outputs (error, notification) that go to the PIC.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "bus/regfile.h"

namespace calemu::caliptra {

namespace detail {
// Holds the generated register names; a base so it is built before RegBlock.
struct IntrTable {
  IntrTable(const std::vector<std::string>& error_events, const std::vector<std::string>& notif_events,
            bool cpu_write_only, unsigned counted_notifs);
  std::vector<std::string> names;
  std::vector<bus::RegDef> defs;
};
}  // namespace detail

class IntrBlock : private detail::IntrTable, public bus::RegBlock {
 public:
  static constexpr uint32_t kSize = 0x400;
  // Register ids of the fixed part; counters follow (errors, then notifications), then the
  // count-increment pulse registers.
  enum Reg : unsigned {
    global_intr_en_r, error_intr_en_r, notif_intr_en_r, error_global_intr_r, notif_global_intr_r,
    error_internal_intr_r, notif_internal_intr_r, error_intr_trig_r, notif_intr_trig_r, kFixedRegs
  };

  // Event names as the RDL spells them, e.g. {"error0", ...} or soc_ifc's {"error_internal", ...};
  // the counters are named "<event>_intr_count_r".
  // cpu_write_only: soc_ifc's block is read-only to the SoC (RDL swwel = soc_req).
  // counted_notifs: only the first n notification events have a counter and an incrementor
  // (2.1 sha3_reg.rdl counts notif_cmd_done but not notif_msg_fifo_empty).
  IntrBlock(std::vector<std::string> error_events, std::vector<std::string> notif_events,
            std::function<void(bool error_line, bool notif_line)> on_lines, bool cpu_write_only = false,
            unsigned counted_notifs = ~0u);

  // A hardware event: sets the sticky status bit and counts it.
  void error_event(unsigned bit) { event(true, bit); }
  void notif_event(unsigned bit) { event(false, bit); }
  // Told which status bits firmware cleared (W1C), e.g. to service a watchdog.
  void set_status_observer(std::function<void(bool error, uint32_t cleared)> obs) { status_observer_ = std::move(obs); }
  bool error_line() const { return error_line_; }
  bool notif_line() const { return notif_line_; }
  void reset(bus::ResetKind kind) override;

 protected:
  Verdict write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester& who) override;
  void after_write(unsigned id, unsigned index, uint32_t old, const bus::Requester& who) override;

 private:
  void event(bool error, unsigned bit);
  void update_lines();
  unsigned count_reg(bool error, unsigned bit) const { return kFixedRegs + (error ? 0 : n_error_) + bit; }

  unsigned n_error_, n_notif_, n_counted_notif_;
  uint32_t error_mask_, notif_mask_;
  std::function<void(bool, bool)> on_lines_;
  std::function<void(bool, uint32_t)> status_observer_;
  bool error_line_ = false, notif_line_ = false;
};

}  // namespace calemu::caliptra
