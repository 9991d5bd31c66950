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
  ip_.fill(0);
  reverse_ = false;
  meipt_ = meicidpl_ = meicurpl_ = claimid_ = 0;
  changed();
}

bool Pic::pending(unsigned id) const {
  if (gwctrl_[id] & kEdge) return ip_[id];
  return (input_[id] != 0) != ((gwctrl_[id] & kPolarityLow) != 0);
}

unsigned Pic::winner(uint32_t& priority) const {
  unsigned best = 0;
  priority = 0;
  for (unsigned id = 1; id <= sources_; ++id) {
    if (!enable_[id] || !pending(id)) continue;
    if (best == 0 || priority_[id] > priority) {
      best = id;
      priority = priority_[id];
    }
  }
  return best;
}

bool Pic::notify() const {
  uint32_t p;
  if (!winner(p)) return false;
  const uint32_t threshold = meipt_ > meicurpl_ ? meipt_ : meicurpl_;
  return p > threshold;
}

bool Pic::wakeup() const {
  uint32_t p;
  return winner(p) != 0 && p == 15;
}

void Pic::capture() {
  uint32_t p;
  claimid_ = winner(p);
  meicidpl_ = p;
}

void Pic::set_source(unsigned id, bool level) {
  if (id == 0 || id > sources_) return;
  const bool old = input_[id];
  input_[id] = level;
  // Edge gateways latch the transition into the active level (PRM "Gateway").
  const bool active_low = gwctrl_[id] & kPolarityLow;
  if ((gwctrl_[id] & kEdge) && old != level && level != active_low) ip_[id] = 1;
  if (old != level) changed();
}

BusResult Pic::read(uint32_t offset, unsigned size, uint32_t& value, const bus::Requester&) {
  if (size != 4 || (offset & 3)) return BusResult::AccessFault;
  value = 0;
  const unsigned idx = (offset & 0xFFF) >> 2;
  switch (offset & ~0xFFFu) {
    case kMeipl: if (idx && idx <= sources_) value = fw(priority_[idx]); break;
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
    case kMeipl: if (valid) priority_[idx] = static_cast<uint8_t>(hw(value)); break;
    case kMeie: if (valid) enable_[idx] = value & 1; break;
    case kMpiccfg: if (idx == 0) reverse_ = value & 1; break;
    case kMeigwctrl: if (valid) gwctrl_[idx] = value & 3; break;
    case kMeigwclr: if (valid) ip_[idx] = 0; break;
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
