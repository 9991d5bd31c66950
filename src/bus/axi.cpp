#include "bus/axi.h"

#include <algorithm>
#include <stdexcept>

namespace calemu::bus {

const char* to_string(AxiResp r) {
  switch (r) {
    case AxiResp::Okay: return "OKAY";
    case AxiResp::ExOkay: return "EXOKAY";
    case AxiResp::SlvErr: return "SLVERR";
    case AxiResp::DecErr: return "DECERR";
  }
  return "?";
}

AxiResp to_axi_resp(BusResult r) {
  switch (r) {
    case BusResult::Ok: return AxiResp::Okay;
    case BusResult::Unmapped: return AxiResp::DecErr;
    default: return AxiResp::SlvErr;
  }
}

namespace {

class MemoryTarget : public AxiTarget {
 public:
  MemoryTarget(Memory& m, bool writable) : mem_(m), writable_(writable) {}
  AxiResp read(uint64_t off, uint32_t& data, uint32_t) override {
    data = mem_.read(static_cast<uint32_t>(off), 4);
    return AxiResp::Okay;
  }
  AxiResp write(uint64_t off, uint32_t data, uint32_t) override {
    if (!writable_) return AxiResp::SlvErr;
    mem_.write(static_cast<uint32_t>(off), 4, data);
    return AxiResp::Okay;
  }

 private:
  Memory& mem_;
  bool writable_;
};

class DeviceTarget : public AxiTarget {
 public:
  explicit DeviceTarget(Device& d) : dev_(d) {}
  AxiResp read(uint64_t off, uint32_t& data, uint32_t user) override {
    return to_axi_resp(dev_.read(static_cast<uint32_t>(off), 4, data, Requester::soc(user)));
  }
  AxiResp write(uint64_t off, uint32_t data, uint32_t user) override {
    return to_axi_resp(dev_.write(static_cast<uint32_t>(off), 4, data, Requester::soc(user)));
  }

 private:
  Device& dev_;
};

class CallbackTarget : public AxiTarget {
 public:
  CallbackTarget(AxiSpace::ReadFn r, AxiSpace::WriteFn w) : read_(std::move(r)), write_(std::move(w)) {}
  AxiResp read(uint64_t off, uint32_t& data, uint32_t user) override {
    data = 0;
    return read_ ? read_(off, data, user) : AxiResp::SlvErr;
  }
  AxiResp write(uint64_t off, uint32_t data, uint32_t user) override {
    return write_ ? write_(off, data, user) : AxiResp::SlvErr;
  }

 private:
  AxiSpace::ReadFn read_;
  AxiSpace::WriteFn write_;
};

}  // namespace

void AxiSpace::add(Region r, std::unique_ptr<AxiTarget> owned) {
  if (r.size == 0 || r.base + (r.size - 1) < r.base)
    throw std::invalid_argument("AXI region " + r.name + " is empty or wraps the address space");
  for (const Region& o : regions_)
    if (r.base <= o.base + (o.size - 1) && o.base <= r.base + (r.size - 1))
      throw std::invalid_argument("AXI region " + r.name + " overlaps " + o.name);
  if (owned) owned_.push_back(std::move(owned));
  regions_.push_back(std::move(r));
  std::sort(regions_.begin(), regions_.end(), [](const Region& a, const Region& b) { return a.base < b.base; });
  last_ = 0;
}

void AxiSpace::map(std::string name, uint64_t base, uint64_t size, AxiTarget& target, uint32_t latency) {
  add(Region{std::move(name), base, size, &target, latency}, nullptr);
}

void AxiSpace::map_memory(std::string name, uint64_t base, Memory& mem, bool writable, uint32_t latency) {
  auto t = std::make_unique<MemoryTarget>(mem, writable);
  AxiTarget* p = t.get();
  add(Region{std::move(name), base, mem.size(), p, latency}, std::move(t));
}

void AxiSpace::map_device(std::string name, uint64_t base, uint32_t size, Device& dev, uint32_t latency) {
  auto t = std::make_unique<DeviceTarget>(dev);
  AxiTarget* p = t.get();
  add(Region{std::move(name), base, size, p, latency}, std::move(t));
}

void AxiSpace::map_callbacks(std::string name, uint64_t base, uint64_t size, ReadFn read, WriteFn write,
                             uint32_t latency) {
  auto t = std::make_unique<CallbackTarget>(std::move(read), std::move(write));
  AxiTarget* p = t.get();
  add(Region{std::move(name), base, size, p, latency}, std::move(t));
}

bool AxiSpace::unmap(uint64_t base) {
  auto it = std::find_if(regions_.begin(), regions_.end(), [base](const Region& r) { return r.base == base; });
  if (it == regions_.end()) return false;
  AxiTarget* t = it->target;
  regions_.erase(it);
  std::erase_if(owned_, [t](const std::unique_ptr<AxiTarget>& o) { return o.get() == t; });
  last_ = 0;
  return true;
}

const AxiSpace::Region* AxiSpace::find(uint64_t addr) const {
  if (last_ < regions_.size() && regions_[last_].contains(addr)) return &regions_[last_];
  auto it = std::upper_bound(regions_.begin(), regions_.end(), addr,
                             [](uint64_t a, const Region& r) { return a < r.base; });
  if (it == regions_.begin()) return nullptr;
  --it;
  if (!it->contains(addr)) return nullptr;
  last_ = static_cast<size_t>(it - regions_.begin());
  return &*it;
}

AxiResp AxiSpace::read(uint64_t addr, uint32_t& data, uint32_t axi_user) {
  data = 0;
  const Region* r = find(addr);
  const AxiResp resp = r ? r->target->read(addr - r->base, data, axi_user) : AxiResp::DecErr;
  if (observer) observer(addr, false, data, resp);
  return resp;
}

AxiResp AxiSpace::write(uint64_t addr, uint32_t data, uint32_t axi_user) {
  const Region* r = find(addr);
  const AxiResp resp = r ? r->target->write(addr - r->base, data, axi_user) : AxiResp::DecErr;
  if (observer) observer(addr, true, data, resp);
  return resp;
}

uint32_t AxiSpace::latency(uint64_t addr) const {
  const Region* r = find(addr);
  return r ? r->latency : kDefaultLatency;
}

}  // namespace calemu::bus
