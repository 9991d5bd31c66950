#include "caliptra/intr_block.h"

namespace calemu::caliptra {

namespace {
uint32_t mask_for(size_t n) { return n >= 32 ? 0xFFFF'FFFFu : (1u << n) - 1; }
}

IntrBlock::IntrBlock(std::vector<std::string> error_events, std::vector<std::string> notif_events,
                     std::function<void(bool, bool)> on_lines)
    : bus::RegBlock("intr_block_rf", kRegs, kSize),
      error_names_(std::move(error_events)),
      notif_names_(std::move(notif_events)),
      error_mask_(mask_for(error_names_.size())),
      notif_mask_(mask_for(notif_names_.size())),
      on_lines_(std::move(on_lines)) {}

void IntrBlock::reset(bus::ResetKind kind) {
  bus::RegBlock::reset(kind);
  update_lines();
}

void IntrBlock::event(bool error, unsigned bit) {
  const uint32_t m = 1u << bit;
  const unsigned en = error ? error_intr_en_r : notif_intr_en_r;
  const unsigned sts = error ? error_internal_intr_r : notif_internal_intr_r;
  const unsigned cnt = error ? error_intr_count_r : notif_intr_count_r;
  // The status bit's hardware write is gated by the per-event enable (RDL "enable").
  if (reg(en) & m) reg(sts) |= m;
  if (reg(cnt, bit) != 0xFFFF'FFFFu) ++reg(cnt, bit);  // incrsaturate
  update_lines();
}

// Only the bits of events this block has exist; counters exist only for those events.
uint32_t IntrBlock::implemented(unsigned id) const {
  switch (id) {
    case error_intr_en_r: case error_internal_intr_r: case error_intr_trig_r: return error_mask_;
    case notif_intr_en_r: case notif_internal_intr_r: case notif_intr_trig_r: return notif_mask_;
    default: return 0xFFFF'FFFFu;
  }
}

bus::RegBlock::Verdict IntrBlock::write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old,
                                             const bus::Requester&) {
  if (id == error_intr_count_r && index >= error_names_.size()) return Verdict::Ignore;
  if (id == notif_intr_count_r && index >= notif_names_.size()) return Verdict::Ignore;
  next &= implemented(id);
  return Verdict::Store;
}

void IntrBlock::after_write(unsigned id, unsigned index, uint32_t old, const bus::Requester&) {
  // Trigger registers pulse for one cycle: each written 1 raises that event, then reads 0.
  if (id == error_intr_trig_r || id == notif_intr_trig_r) {
    const bool error = id == error_intr_trig_r;
    const uint32_t bits = reg(id) & (error ? error_mask_ : notif_mask_);
    reg(id) = 0;
    for (unsigned b = 0; b < 32; ++b)
      if (bits & (1u << b)) event(error, b);
  }
  update_lines();
}

void IntrBlock::update_lines() {
  const bool err = (reg(global_intr_en_r) & 1) && (reg(error_internal_intr_r) & error_mask_);
  const bool notif = (reg(global_intr_en_r) & 2) && (reg(notif_internal_intr_r) & notif_mask_);
  reg(error_global_intr_r) = err;
  reg(notif_global_intr_r) = notif;
  if (err != error_line_ || notif != notif_line_) {
    error_line_ = err;
    notif_line_ = notif;
    if (on_lines_) on_lines_(err, notif);
  }
}

}  // namespace calemu::caliptra
