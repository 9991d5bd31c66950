// The AXI fabric as Caliptra's DMA sees it (caliptra-rtl src/axi/rtl/axi_mgr_{rd,wr}.sv): a
// 64-bit address space of subordinates that answer 32-bit beats with OKAY, SLVERR or
// DECERR. The machine owns one; the SoC integrator (or the subsystem) maps memories and
// devices into it, and where nothing is mapped the interconnect answers DECERR.
//
// Every beat the DMA issues carries all four byte strobes (axi_mgr_wr.sv ties wstrb to
// '1), so a subordinate only ever sees whole-word reads and writes. Timing is per
// subordinate: `latency` is the cycles from a read burst's address to its first data beat
// and from a write burst's last data beat to its response.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "bus/device.h"
#include "bus/memory.h"

namespace calemu::bus {

enum class AxiResp : uint8_t { Okay = 0, ExOkay = 1, SlvErr = 2, DecErr = 3 };
const char* to_string(AxiResp r);
// SLVERR and DECERR (axi_pkg.sv); the DMA counts either as an error.
inline bool is_error(AxiResp r) { return (static_cast<uint8_t>(r) & 2) != 0; }
// How a register block's bus answer looks on AXI: an address the block does not decode is
// DECERR, any other refusal SLVERR.
AxiResp to_axi_resp(BusResult r);

// One subordinate. Offsets are relative to where it is mapped.
class AxiTarget {
 public:
  virtual ~AxiTarget() = default;
  virtual AxiResp read(uint64_t offset, uint32_t& data, uint32_t axi_user) = 0;
  virtual AxiResp write(uint64_t offset, uint32_t data, uint32_t axi_user) = 0;
};

class AxiSpace {
 public:
  static constexpr uint32_t kDefaultLatency = 2;

  struct Region {
    std::string name;
    uint64_t base = 0, size = 0;
    AxiTarget* target = nullptr;
    uint32_t latency = kDefaultLatency;
    bool contains(uint64_t a) const { return a - base < size; }
  };

  AxiSpace() = default;
  AxiSpace(const AxiSpace&) = delete;
  AxiSpace& operator=(const AxiSpace&) = delete;

  // Maps `target` at [base, base + size). Throws std::invalid_argument for an empty or
  // overlapping region.
  void map(std::string name, uint64_t base, uint64_t size, AxiTarget& target, uint32_t latency = kDefaultLatency);
  // Host memory (e.g. the MCU SRAM); writes are refused with SLVERR unless `writable`.
  void map_memory(std::string name, uint64_t base, Memory& mem, bool writable = true,
                  uint32_t latency = kDefaultLatency);
  // A register block, accessed as the SoC with the beat's AXI user (Requester::soc).
  void map_device(std::string name, uint64_t base, uint32_t size, Device& dev, uint32_t latency = kDefaultLatency);
  // Anything else, as two callbacks (e.g. a machine's own AXI subordinate).
  using ReadFn = std::function<AxiResp(uint64_t offset, uint32_t& data, uint32_t axi_user)>;
  using WriteFn = std::function<AxiResp(uint64_t offset, uint32_t data, uint32_t axi_user)>;
  void map_callbacks(std::string name, uint64_t base, uint64_t size, ReadFn read, WriteFn write,
                     uint32_t latency = kDefaultLatency);
  // Removes the region mapped at exactly `base`; false if there is none.
  bool unmap(uint64_t base);

  // One beat. Unmapped addresses answer DECERR (reads return 0).
  AxiResp read(uint64_t addr, uint32_t& data, uint32_t axi_user);
  AxiResp write(uint64_t addr, uint32_t data, uint32_t axi_user);
  // The latency of the subordinate at `addr` (the interconnect's for unmapped addresses).
  uint32_t latency(uint64_t addr) const;

  const Region* find(uint64_t addr) const;
  std::span<const Region> regions() const { return regions_; }

  // Called after every beat (traces, tests).
  std::function<void(uint64_t addr, bool write, uint32_t data, AxiResp resp)> observer;

 private:
  void add(Region r, std::unique_ptr<AxiTarget> owned);

  std::vector<Region> regions_;  // sorted by base
  std::vector<std::unique_ptr<AxiTarget>> owned_;
  mutable size_t last_ = 0;  // the region the previous lookup hit
};

}  // namespace calemu::bus
