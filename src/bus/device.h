// The bus-facing interface of every memory-mapped block.
#pragma once
#include <cstdint>
#include <string>

namespace calemu::bus {

// Outcome of one bus transaction. The hart turns these into architectural traps
// (or NMIs, for imprecise bus errors); other initiators turn them into error replies.
enum class BusResult : uint8_t {
  Ok = 0,
  Unmapped,     // no block decodes this address
  AccessFault,  // the block refused: wrong size, protected, locked
  Misaligned,   // the block requires natural alignment
  BusError,     // the block answered with an error response (AHB/AXI error)
};
const char* to_string(BusResult r);

// Who is driving the transaction. Caliptra blocks behave differently for the core
// and for the SoC (mailbox ownership, fuse write rules), and check the SoC's AXI user.
struct Requester {
  enum class Kind : uint8_t { Cpu, Soc, Dma, Debug } kind = Kind::Cpu;
  uint32_t axi_user = 0xFFFF'FFFF;  // 0xFFFF_FFFF is Caliptra itself in the mailbox RDL
  uint32_t pc = 0;                  // guest pc for CPU accesses (traces, errors)

  static Requester cpu(uint32_t pc = 0) { return {Kind::Cpu, 0xFFFF'FFFF, pc}; }
  static Requester soc(uint32_t user) { return {Kind::Soc, user, 0}; }
  static Requester debug() { return {Kind::Debug, 0xFFFF'FFFF, 0}; }
  bool is_soc() const { return kind == Kind::Soc; }
};

class Device {
 public:
  virtual ~Device() = default;
  virtual const char* name() const = 0;
  // size is 1, 2 or 4; offset is relative to the block's base.
  virtual BusResult read(uint32_t offset, unsigned size, uint32_t& value, const Requester& who) = 0;
  virtual BusResult write(uint32_t offset, unsigned size, uint32_t value, const Requester& who) = 0;
  // Register name at an offset, for traces; empty when the block has no such register.
  virtual std::string describe(uint32_t offset) const { return {}; }
};

}  // namespace calemu::bus
