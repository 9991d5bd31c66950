// VeeR EL2 internal timers (PRM "Internal Timers", design/dec/el2_dec_tlu_ctl.sv
// el2_dec_timer_ctl). Counters are not ticked: each timer keeps (value, cycle) at its
// last change and is evaluated on demand; an event is scheduled for the next match.
//
// Per cycle the RTL does: pulse = (count >= bound); next = pulse ? 0 : count + inc_ok.
// So a counter that starts at c < bound matches at c..bound (bound - c cycles later),
// reads 0 the cycle after, and then matches every bound + 1 cycles.
#include "rv/csr.h"
#include "rv/exec_internal.h"
#include "rv/hart.h"

namespace calemu::rv {

namespace {
enum : uint32_t { kEnable = 1, kHaltEn = 2, kPauseEn = 4, kCascade = 8 };
}

bool Hart::timer_counting(unsigned t) const {
  const uint32_t ctl = timers_[t].ctl;
  if (!(ctl & kEnable)) return false;
  if (halted_ && !(ctl & kHaltEn)) return false;
  if (paused_ && !(ctl & kPauseEn)) return false;
  if (t == 1 && (ctl & kCascade)) return false;  // advanced by timer 0 matches instead
  return true;
}

uint32_t Hart::timer_value(unsigned t, uint64_t at) const {
  const Timer& tm = timers_[t];
  if (at < tm.base_cycle) return tm.prev_value;
  const uint64_t d = at - tm.base_cycle;
  const uint64_t c = tm.base_value, b = tm.bound;
  if (!tm.running) return (c >= b && d > 0) ? 0 : tm.base_value;
  const uint64_t first = c >= b ? 0 : b - c;
  if (d <= first) return static_cast<uint32_t>(c >= b ? c : c + d);
  return static_cast<uint32_t>((d - first - 1) % (b + 1));
}

void Hart::timer_settle(unsigned t, uint64_t at) {
  Timer& tm = timers_[t];
  const uint32_t v = timer_value(t, at);
  tm.prev_value = timer_value(t, at > 0 ? at - 1 : 0);
  tm.base_value = v;
  tm.base_cycle = at;
  tm.running = timer_counting(t);
}

uint64_t Hart::timer_next_match(unsigned t) const {
  const Timer& tm = timers_[t];
  if (tm.bound == 0) return bus::Timeline::kNever;  // matches every cycle: a level in mip()
  const uint64_t from = now();
  const uint64_t c = tm.base_value, b = tm.bound;
  if (!tm.running) return (c >= b && tm.base_cycle >= from) ? tm.base_cycle : bus::Timeline::kNever;
  const uint64_t first = tm.base_cycle + (c >= b ? 0 : b - c);
  if (first >= from) return first;
  const uint64_t period = b + 1;
  return first + ((from - first + period - 1) / period) * period;
}

void Hart::timers_reschedule() {
  for (unsigned t = 0; t < 2; ++t) {
    const uint64_t when = timer_next_match(t);
    if (when == bus::Timeline::kNever) timeline_.cancel(timer_event_[t]);
    else timeline_.schedule_at(timer_event_[t], when);
  }
}

void Hart::timer_write(unsigned t, uint16_t which, uint32_t value) {
  // A CSR write takes effect from the next cycle; if the counter matched this cycle the
  // pulse still happens (PRM note under mitcnt0/1).
  const uint64_t at = now() + 1;
  timer_settle(0, at);
  timer_settle(1, at);
  Timer& tm = timers_[t];
  switch (which) {
    case csr::MITCNT0: case csr::MITCNT1: tm.base_value = value; break;
    case csr::MITB0: case csr::MITB1: tm.bound = value; break;
    default: tm.ctl = value & (t == 0 ? 0x7u : 0xFu); break;
  }
  tm.running = timer_counting(t);
  timers_reschedule();
  note_interrupt_change();
}

void Hart::timer_fire(unsigned t) {
  const uint32_t bit = t == 0 ? (1u << 29) : (1u << 28);
  timer_pulse_ |= bit;
  if ((mie_ & bit) && interrupts_enabled()) timer_hold_ |= bit;
  note_interrupt_change();
  const uint64_t at = now();
  if (t == 0 && (timers_[1].ctl & (kCascade | kEnable)) == (kCascade | kEnable) &&
      (!halted_ || (timers_[1].ctl & kHaltEn)) && (!paused_ || (timers_[1].ctl & kPauseEn))) {
    // Cascade: timer 1 increments in the cycle timer 0 matches; a match clears instead.
    Timer& t1 = timers_[1];
    const uint32_t cur = timer_value(1, at);
    t1.prev_value = cur;
    t1.base_value = cur >= t1.bound ? 0 : cur + 1;
    t1.base_cycle = at + 1;
    t1.running = false;
  }
  // Timer t matched at `at`; it reads 0 from the next cycle on, counting or not.
  Timer& tm = timers_[t];
  tm.prev_value = timer_value(t, at);
  tm.base_value = 0;
  tm.base_cycle = at + 1;
  timers_reschedule();
}

}  // namespace calemu::rv
