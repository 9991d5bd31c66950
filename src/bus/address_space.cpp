#include "bus/address_space.h"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace calemu::bus {

const char* to_string(BusResult r) {
  switch (r) {
    case BusResult::Ok: return "ok";
    case BusResult::Unmapped: return "unmapped address";
    case BusResult::AccessFault: return "access refused";
    case BusResult::Misaligned: return "misaligned access";
    case BusResult::BusError: return "bus error";
  }
  return "?";
}

namespace {
constexpr size_t kPages = size_t{1} << (32 - AddressSpace::kPageBits);
std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}
}  // namespace

AddressSpace::AddressSpace()
    : page_region_(static_cast<uint16_t*>(std::calloc(kPages, sizeof(uint16_t))), std::free) {
  if (!page_region_) throw std::bad_alloc();
}

void AddressSpace::check_free(uint32_t base, uint32_t size, const std::string& name) const {
  if (size == 0) throw std::invalid_argument(name + ": region size is zero");
  if (uint64_t{base} + size > (uint64_t{1} << 32))
    throw std::invalid_argument(name + ": region " + hex(base) + "+" + hex(size) + " wraps past 4 GiB");
  for (const auto& r : regions_) {
    if (base <= r.last() && r.base <= base + (size - 1))
      throw std::invalid_argument(name + " [" + hex(base) + ".." + hex(base + size - 1) +
                                  "] overlaps " + r.name + " [" + hex(r.base) + ".." + hex(r.last()) + "]");
  }
  if (regions_.size() >= kShared - 1) throw std::invalid_argument("too many regions");
}

void AddressSpace::index_region(size_t idx) {
  const Region& r = regions_[idx];
  for (uint64_t p = r.base >> kPageBits; p <= (r.last() >> kPageBits); ++p) {
    uint16_t& slot = page_region_[p];
    slot = slot == 0 ? static_cast<uint16_t>(idx + 1) : kShared;
  }
}

void AddressSpace::map_memory(Memory& mem, uint32_t base) {
  check_free(base, mem.size(), mem.name());
  mem.set_base(base);
  regions_.push_back(Region{mem.name(), base, mem.size(), &mem, nullptr});
  index_region(regions_.size() - 1);
}

void AddressSpace::map_device(Device& dev, uint32_t base, uint32_t size, std::string name) {
  if (name.empty()) name = dev.name();
  check_free(base, size, name);
  regions_.push_back(Region{std::move(name), base, size, nullptr, &dev});
  index_region(regions_.size() - 1);
}

const Region* AddressSpace::find(uint32_t addr) const {
  uint16_t slot = page_region_[addr >> kPageBits];
  if (slot == 0) return nullptr;
  if (slot != kShared) {
    const Region& r = regions_[slot - 1];
    return r.contains(addr) ? &r : nullptr;
  }
  for (const auto& r : regions_)
    if (r.contains(addr)) return &r;
  return nullptr;
}

BusResult AddressSpace::read(uint32_t addr, unsigned size, uint32_t& value, const Requester& who) const {
  const Region* r = find(addr);
  if (!r || !r->contains(addr + size - 1)) return BusResult::Unmapped;
  if (r->memory) {
    value = r->memory->read(addr - r->base, size);
    return BusResult::Ok;
  }
  if (addr & (size - 1)) return BusResult::Misaligned;
  return r->device->read(addr - r->base, size, value, who);
}

BusResult AddressSpace::write(uint32_t addr, unsigned size, uint32_t value, const Requester& who) const {
  const Region* r = find(addr);
  if (!r || !r->contains(addr + size - 1)) return BusResult::Unmapped;
  if (r->memory) {
    if (!r->memory->cpu_writable() && who.kind != Requester::Kind::Debug) {
      if (r->memory->on_write_denied) r->memory->on_write_denied();
      return BusResult::AccessFault;
    }
    r->memory->write(addr - r->base, size, value);
    return BusResult::Ok;
  }
  if (addr & (size - 1)) return BusResult::Misaligned;
  return r->device->write(addr - r->base, size, value, who);
}

BusResult AddressSpace::read_bytes(uint32_t addr, uint8_t* out, uint32_t len, const Requester& who) const {
  for (uint32_t i = 0; i < len; ++i) {
    uint32_t v;
    if (auto res = read(addr + i, 1, v, who); res != BusResult::Ok) return res;
    out[i] = static_cast<uint8_t>(v);
  }
  return BusResult::Ok;
}

BusResult AddressSpace::write_bytes(uint32_t addr, const uint8_t* in, uint32_t len, const Requester& who) const {
  const Region* r = find(addr);
  if (r && r->memory && len && r->contains(addr + len - 1) &&
      (r->memory->cpu_writable() || who.kind == Requester::Kind::Debug)) {
    r->memory->write_bytes(addr - r->base, {in, len});
    return BusResult::Ok;
  }
  for (uint32_t i = 0; i < len; ++i)
    if (auto res = write(addr + i, 1, in[i], who); res != BusResult::Ok) return res;
  return BusResult::Ok;
}

std::string AddressSpace::describe(uint32_t addr) const {
  const Region* r = find(addr);
  if (!r) return hex(addr);
  uint32_t off = addr - r->base;
  if (r->device) {
    std::string reg = r->device->describe(off);
    if (!reg.empty()) return r->name + "." + reg;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "+0x%x", off);
  return r->name + buf;
}

}  // namespace calemu::bus
