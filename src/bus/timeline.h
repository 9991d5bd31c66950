// Device time. One tick is one core clock; a hart advances time by the instructions it
// retires (and by the cycles it sleeps). Devices schedule events instead of being polled.
#pragma once
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace calemu::bus {

class Timeline;

// A reusable one-shot event owned by a device. Rescheduling replaces the pending shot.
class Event {
 public:
  explicit Event(std::string name, std::function<void()> fn) : name_(std::move(name)), fn_(std::move(fn)) {}
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  bool armed() const { return armed_; }
  uint64_t when() const { return when_; }
  const std::string& name() const { return name_; }

 private:
  friend class Timeline;
  std::string name_;
  std::function<void()> fn_;
  uint64_t when_ = 0;
  uint32_t generation_ = 0;
  bool armed_ = false;
};

class Timeline {
 public:
  static constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();

  uint64_t now() const { return now_; }
  // Called by the agent that is executing; time never goes backwards.
  void advance_to(uint64_t t) { if (t > now_) now_ = t; }

  void schedule_at(Event& ev, uint64_t when);
  // A delay past the end of time (a 64-bit watchdog period of all ones) never comes due.
  void schedule_in(Event& ev, uint64_t delay) { schedule_at(ev, delay > kNever - now_ ? kNever : now_ + delay); }
  void cancel(Event& ev);

  uint64_t next_deadline() const;
  // Fires every event due at or before now(), in (time, scheduling order).
  bool run_due();

  // The running hart registers the point it intends to run to; scheduling anything
  // earlier raises *interrupt_flag so it stops and re-plans.
  void set_horizon(uint64_t horizon, bool* interrupt_flag) { horizon_ = horizon; flag_ = interrupt_flag; }

 private:
  struct Entry {
    uint64_t when, seq;
    Event* ev;
    uint32_t generation;
    bool operator>(const Entry& o) const { return when != o.when ? when > o.when : seq > o.seq; }
  };
  void drop_stale() const;

  uint64_t now_ = 0;
  uint64_t seq_ = 0;
  mutable std::vector<Entry> heap_;
  uint64_t horizon_ = kNever;
  bool* flag_ = nullptr;
};

}  // namespace calemu::bus
