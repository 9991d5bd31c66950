#include "bus/timeline.h"

#include <algorithm>

namespace calemu::bus {

void Timeline::schedule_at(Event& ev, uint64_t when) {
  if (when < now_) when = now_;
  ++ev.generation_;
  ev.armed_ = true;
  ev.when_ = when;
  heap_.push_back(Entry{when, seq_++, &ev, ev.generation_});
  std::push_heap(heap_.begin(), heap_.end(), std::greater<>{});
  if (when < horizon_ && flag_) *flag_ = true;
}

void Timeline::cancel(Event& ev) {
  ++ev.generation_;
  ev.armed_ = false;
}

void Timeline::drop_stale() const {
  while (!heap_.empty()) {
    const Entry& top = heap_.front();
    if (top.ev->armed_ && top.generation == top.ev->generation_) return;
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<>{});
    heap_.pop_back();
  }
}

uint64_t Timeline::next_deadline() const {
  drop_stale();
  return heap_.empty() ? kNever : heap_.front().when;
}

bool Timeline::run_due() {
  bool any = false;
  for (;;) {
    drop_stale();
    if (heap_.empty() || heap_.front().when > now_) return any;
    Entry e = heap_.front();
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<>{});
    heap_.pop_back();
    e.ev->armed_ = false;
    e.ev->fn_();
    any = true;
  }
}

}  // namespace calemu::bus
