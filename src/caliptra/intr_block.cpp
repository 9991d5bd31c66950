#include "caliptra/intr_block.h"

#include <algorithm>

namespace calemu::caliptra {

namespace {
uint32_t mask_for(size_t n) { return n >= 32 ? 0xFFFF'FFFFu : (1u << n) - 1; }
}

namespace detail {
IntrTable::IntrTable(const std::vector<std::string>& err, const std::vector<std::string>& notif_events,
                     bool cpu_write_only, unsigned counted_notifs) {
  const std::vector<std::string> notif(notif_events.begin(),
                                       notif_events.begin() + std::min<size_t>(counted_notifs, notif_events.size()));
  const uint32_t em = mask_for(err.size()), nm = mask_for(notif_events.size());
  names.reserve(9 + 2 * (err.size() + notif.size()));
  auto add = [&](std::string name, uint32_t offset, bus::RegDef shape) {
    names.push_back(std::move(name));
    bus::RegDef d = shape;
    d.name = names.back();
    d.offset = offset;
    if (cpu_write_only) d = d.cpu_write_only();
    defs.push_back(d);
  };
  const bus::RegDef base("", 0);
  add("global_intr_en_r", 0x000, base.rw(0x3).hook_write());
  add("error_intr_en_r", 0x004, base.rw(em).hook_write());
  add("notif_intr_en_r", 0x008, base.rw(nm).hook_write());
  add("error_global_intr_r", 0x00C, base.ro(0x1));
  add("notif_global_intr_r", 0x010, base.ro(0x1));
  // Error status and counters live in the pwrgood domain (RDL error_reset_b).
  add("error_internal_intr_r", 0x014, base.ro(0).w1c(em).sticky().hook_write());
  add("notif_internal_intr_r", 0x018, base.ro(0).w1c(nm).hook_write());
  add("error_intr_trig_r", 0x01C, base.ro(0).w1s(em).hook_write());
  add("notif_intr_trig_r", 0x020, base.ro(0).w1s(nm).hook_write());
  for (size_t i = 0; i < err.size(); ++i)
    add(err[i] + "_intr_count_r", 0x100 + 4 * static_cast<uint32_t>(i), base.sticky());
  for (size_t i = 0; i < notif.size(); ++i)
    add(notif[i] + "_intr_count_r", 0x180 + 4 * static_cast<uint32_t>(i), base);
  uint32_t off = 0x200;
  for (const auto& e : err) add(e + "_intr_count_incr_r", (off += 4) - 4, base.ro(0x1));
  for (const auto& n : notif) add(n + "_intr_count_incr_r", (off += 4) - 4, base.ro(0x1));
}
}  // namespace detail

IntrBlock::IntrBlock(std::vector<std::string> error_events, std::vector<std::string> notif_events,
                     std::function<void(bool, bool)> on_lines, bool cpu_write_only, unsigned counted_notifs)
    : detail::IntrTable(error_events, notif_events, cpu_write_only, counted_notifs),
      bus::RegBlock("intr_block_rf", defs, kSize),
      n_error_(static_cast<unsigned>(error_events.size())),
      n_notif_(static_cast<unsigned>(notif_events.size())),
      n_counted_notif_(std::min(counted_notifs, n_notif_)),
      error_mask_(mask_for(n_error_)),
      notif_mask_(mask_for(n_notif_)),
      on_lines_(std::move(on_lines)) {}

void IntrBlock::reset(bus::ResetKind kind) {
  bus::RegBlock::reset(kind);
  update_lines();
}

void IntrBlock::event(bool error, unsigned bit) {
  const uint32_t m = 1u << bit;
  reg(error ? error_internal_intr_r : notif_internal_intr_r) |= m;
  if (error || bit < n_counted_notif_) {
    uint32_t& cnt = reg(count_reg(error, bit));
    if (cnt != 0xFFFF'FFFFu) ++cnt;  // incrsaturate
  }
  update_lines();
}

bus::RegBlock::Verdict IntrBlock::write_hook(unsigned, unsigned, uint32_t&, uint32_t, const bus::Requester&) {
  return Verdict::Store;
}

void IntrBlock::after_write(unsigned id, unsigned, uint32_t old, const bus::Requester&) {
  if ((id == error_internal_intr_r || id == notif_internal_intr_r) && status_observer_ && (old & ~reg(id)))
    status_observer_(id == error_internal_intr_r, old & ~reg(id));
  // Trigger bits pulse for one cycle: each written 1 raises that event, then reads 0.
  if (id == error_intr_trig_r || id == notif_intr_trig_r) {
    const bool error = id == error_intr_trig_r;
    const uint32_t bits = reg(id);
    reg(id) = 0;
    for (unsigned b = 0; b < 32; ++b)
      if (bits & (1u << b)) event(error, b);
  }
  update_lines();
}

void IntrBlock::update_lines() {
  // The RDL's "enable" on the status fields masks the interrupt, not the status bit.
  const bool err = (reg(global_intr_en_r) & 1) && (reg(error_internal_intr_r) & reg(error_intr_en_r));
  const bool notif = (reg(global_intr_en_r) & 2) && (reg(notif_internal_intr_r) & reg(notif_intr_en_r));
  reg(error_global_intr_r) = err;
  reg(notif_global_intr_r) = notif;
  if (err != error_line_ || notif != notif_line_) {
    error_line_ = err;
    notif_line_ = notif;
    if (on_lines_) on_lines_(err, notif);
  }
}

}  // namespace calemu::caliptra
