// The standard interrupt block every Caliptra engine carries at +0x800
// (caliptra-rtl src/libs/rtl/interrupt_regs.rdl): enables, sticky W1C status set by
// hardware events or firmware triggers, saturating event counters, and two level outputs
// (error, notification) that go to the PIC.
#pragma once
#include <array>
#include <functional>
#include <string>
#include <vector>

#include "bus/regfile.h"

namespace calemu::caliptra {

class IntrBlock : public bus::RegBlock {
 public:
  static constexpr uint32_t kSize = 0x400;
  // error_events / notif_events: event names, bit i = name i (names appear in regmaps).
  IntrBlock(std::vector<std::string> error_events, std::vector<std::string> notif_events,
            std::function<void(bool error_line, bool notif_line)> on_lines);

  // A hardware event: sets the status bit if that event is enabled, counts it.
  void error_event(unsigned bit) { event(true, bit); }
  void notif_event(unsigned bit) { event(false, bit); }
  bool error_line() const { return error_line_; }
  bool notif_line() const { return notif_line_; }
  void reset(bus::ResetKind kind) override;

#define CALEMU_INTR_REGS(X)                                                                   \
  X(global_intr_en_r, 0x000, .rw(0x3))                                                       \
  X(error_intr_en_r, 0x004, .hook_write())                                                   \
  X(notif_intr_en_r, 0x008, .hook_write())                                                   \
  X(error_global_intr_r, 0x00C, .ro(0x1))                                                    \
  X(notif_global_intr_r, 0x010, .ro(0x1))                                                    \
  X(error_internal_intr_r, 0x014, .ro(0).w1c(0xFFFFFFFF).hook_write().sticky())              \
  X(notif_internal_intr_r, 0x018, .ro(0).w1c(0xFFFFFFFF).hook_write())                       \
  X(error_intr_trig_r, 0x01C, .ro(0).w1s(0xFFFFFFFF).hook_write())                           \
  X(notif_intr_trig_r, 0x020, .ro(0).w1s(0xFFFFFFFF).hook_write())                           \
  X(error_intr_count_r, 0x100, .count(32).sticky().hook_write())                              \
  X(notif_intr_count_r, 0x180, .count(32).hook_write())                                       \
  X(error_intr_count_incr_r, 0x200, .count(32).ro(0x1))                                       \
  X(notif_intr_count_incr_r, 0x280, .count(32).ro(0x1))
  CALEMU_REG_TABLE(CALEMU_INTR_REGS)
#undef CALEMU_INTR_REGS

 protected:
  Verdict write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester& who) override;
  uint32_t implemented(unsigned id) const;
  void after_write(unsigned id, unsigned index, uint32_t old, const bus::Requester& who) override;

 private:
  void event(bool error, unsigned bit);
  void update_lines();

  std::vector<std::string> error_names_, notif_names_;
  uint32_t error_mask_, notif_mask_;
  std::function<void(bool, bool)> on_lines_;
  bool error_line_ = false, notif_line_ = false;
};

}  // namespace calemu::caliptra
