#include "rv/pic.h"

#include <cstdio>

namespace calemu::rv {

using bus::BusResult;

namespace {
enum : uint32_t {
  kMeipl = 0x0000, kMeip = 0x1000, kMeie = 0x2000, kMpiccfg = 0x3000, kMeigwctrl = 0x4000, kMeigwclr = 0x5000,
};
enum : uint8_t { kPolarityLow = 1, kEdge = 2 };
}  // namespace

Pic::Pic(unsigned sources, std::function<void()> on_change)
    : sources_(sources > kMaxSources ? kMaxSources : sources), on_change_(std::move(on_change)) {}

void Pic::reset() {
  priority_.fill(0);
  enable_.fill(0);
  gwctrl_.fill(0);
  for (unsigned id = 0; id <= kMaxSources; ++id) ip_[id] = id && id <= sources_ && active(id);
  reverse_ = false;
  meipt_ = meicidpl_ = meicurpl_ = claimid_ = 0;
  changed();
}

// el2_configurable_gw: the IP flop is set in every cycle the input is at its active level
// (there is no edge detector, whatever the type) and cleared by meigwclr only while the
// input is inactive; an edge-type gateway requests while the input is active or the flop
// is set, a level-type one only while the input is active.
bool Pic::pending(unsigned id) const { return active(id) || ((gwctrl_[id] & kEdge) && ip_[id]); }

unsigned Pic::winner(uint32_t& priority) const {
  unsigned best = 0;
  priority = 0;
  for (unsigned id = 1; id <= sources_; ++id) {
    if (!enable_[id] || !pending(id)) continue;
    const uint32_t p = order(priority_[id]);
    if (p > priority) {
      best = id;
      priority = p;
    }
  }
  return best;
}

// mexintpend: the winner's priority is above both thresholds (compared in standard order).
bool Pic::notify() const {
  uint32_t p;
  winner(p);
  return p > order(meipt_) && p > order(meicurpl_);
}

// mhwakeup: the winner has the maximum priority (15, or 0 in reverse order).
bool Pic::wakeup() const {
  uint32_t p;
  winner(p);
  return p == 15;
}

void Pic::capture() {
  uint32_t p;
  claimid_ = winner(p);
  meicidpl_ = order(p);  // back to firmware's order (pl_in_q)
}

void Pic::set_source(unsigned id, bool level) {
  if (id == 0 || id > sources_) return;
  const bool old = input_[id];
  input_[id] = level;
  if (active(id)) ip_[id] = 1;
  if (old != level) changed();
}

BusResult Pic::read(uint32_t offset, unsigned size, uint32_t& value, const bus::Requester&) {
  if (size != 4 || (offset & 3)) return BusResult::AccessFault;
  value = 0;
  const unsigned idx = (offset & 0xFFF) >> 2;
  switch (offset & ~0xFFFu) {
    case kMeipl: if (idx && idx <= sources_) value = priority_[idx]; break;
    case kMeip:
      if (idx < 8)
        for (unsigned b = 0; b < 32; ++b) {
          const unsigned id = idx * 32 + b;
          if (id && id <= sources_ && pending(id)) value |= 1u << b;
        }
      break;
    case kMeie: if (idx && idx <= sources_) value = enable_[idx]; break;
    case kMpiccfg: if (idx == 0) value = reverse_; break;
    case kMeigwctrl: if (idx && idx <= sources_) value = gwctrl_[idx]; break;
    default: break;  // meigwclr reads 0; unused offsets read 0
  }
  return BusResult::Ok;
}

BusResult Pic::write(uint32_t offset, unsigned size, uint32_t value, const bus::Requester&) {
  if (size != 4 || (offset & 3)) return BusResult::AccessFault;
  const unsigned idx = (offset & 0xFFF) >> 2;
  const bool valid = idx && idx <= sources_;
  switch (offset & ~0xFFFu) {
    case kMeipl: if (valid) priority_[idx] = static_cast<uint8_t>(value & 15); break;
    case kMeie: if (valid) enable_[idx] = value & 1; break;
    case kMpiccfg: if (idx == 0) reverse_ = value & 1; break;
    case kMeigwctrl:
      if (valid) {
        gwctrl_[idx] = value & 3;
        if (active(idx)) ip_[idx] = 1;  // the new polarity applies from now on
      }
      break;
    case kMeigwclr: if (valid) ip_[idx] = active(idx); break;
    default: break;
  }
  changed();
  return BusResult::Ok;
}

std::string Pic::describe(uint32_t offset) const {
  const unsigned idx = (offset & 0xFFF) >> 2;
  char buf[32];
  switch (offset & ~0xFFFu) {
    case kMeipl: std::snprintf(buf, sizeof buf, "meipl%u", idx); return buf;
    case kMeip: std::snprintf(buf, sizeof buf, "meip%u", idx); return buf;
    case kMeie: std::snprintf(buf, sizeof buf, "meie%u", idx); return buf;
    case kMpiccfg: return idx ? "" : "mpiccfg";
    case kMeigwctrl: std::snprintf(buf, sizeof buf, "meigwctrl%u", idx); return buf;
    case kMeigwclr: std::snprintf(buf, sizeof buf, "meigwclr%u", idx); return buf;
  }
  return {};
}

}  // namespace calemu::rv
