// One initiator's view of the address map: host memories and MMIO blocks.
// MMIO dispatch is a page-indexed table, so finding the block costs one lookup.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bus/device.h"
#include "bus/memory.h"

namespace calemu::bus {

struct Region {
  std::string name;
  uint32_t base = 0;
  uint32_t size = 0;
  Memory* memory = nullptr;  // host-backed, or
  Device* device = nullptr;  // memory-mapped registers
  uint32_t last() const { return base + (size - 1); }
  bool contains(uint32_t addr) const { return addr - base < size; }
};

class AddressSpace {
 public:
  static constexpr unsigned kPageBits = 12;

  AddressSpace();
  // Throws std::invalid_argument on overlap, zero size or wrap-around.
  void map_memory(Memory& mem, uint32_t base);
  void map_device(Device& dev, uint32_t base, uint32_t size, std::string name = {});

  const Region* find(uint32_t addr) const;
  const std::vector<Region>& regions() const { return regions_; }

  // The slow path: any size 1/2/4, any initiator. Misaligned accesses are split into
  // bytes for memories and refused (Misaligned) for devices; a hart applies its own
  // region rules before it gets here.
  BusResult read(uint32_t addr, unsigned size, uint32_t& value, const Requester& who) const;
  BusResult write(uint32_t addr, unsigned size, uint32_t value, const Requester& who) const;
  // Bulk helpers for loaders and DMA-like initiators (memories only fast; devices by word).
  BusResult read_bytes(uint32_t addr, uint8_t* out, uint32_t len, const Requester& who) const;
  BusResult write_bytes(uint32_t addr, const uint8_t* in, uint32_t len, const Requester& who) const;

  // Name of what is at addr ("DCCM+0x10", "soc_ifc.CPTRA_BOOT_STATUS"), for traces.
  std::string describe(uint32_t addr) const;

 private:
  void check_free(uint32_t base, uint32_t size, const std::string& name) const;
  void index_region(size_t idx);

  std::vector<Region> regions_;
  // page -> region index + 1; 0 means unmapped; kShared means several regions share the page.
  static constexpr uint16_t kShared = 0xFFFF;
  std::unique_ptr<uint16_t[], void (*)(void*)> page_region_;
};

}  // namespace calemu::bus
