// A bare VeeR EL2 machine for `calemu run-elf`: one hart, RAM where asked, the PIC,
// Spike's HTIF (tohost/fromhost) and a small testbench block for interrupt tests.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bus/address_space.h"
#include "bus/memory.h"
#include "bus/timeline.h"
#include "common/elf.h"
#include "machine/testbench.h"
#include "rv/hart.h"

namespace calemu {

struct MemorySpec {
  std::string name;
  uint32_t base = 0, size = 0;
};

struct BareMachineConfig {
  std::vector<MemorySpec> ram;     // plain RAM on the system bus
  MemorySpec dccm, iccm;           // optional core-local memories (size 0: none)
  bool fast_interrupt_redirect = true;
  bool jit = true;                 // HartConfig::jit: translate hot code (speed only)
  uint32_t testbench_base = Testbench::kDefaultBase;
};

enum class RunOutcome { Exited, Limit, Idle, Fatal };

struct RunResult {
  RunOutcome outcome = RunOutcome::Limit;
  int exit_code = 0;          // for Exited
  std::string message;        // for Idle / Fatal
};

class BareMachine {
 public:
  explicit BareMachine(const BareMachineConfig& config);  // throws std::invalid_argument
  // Loads the segments and sets pc to the entry; finds tohost/fromhost. Throws on a
  // segment that does not fit in memory.
  void load(const ElfImage& elf);
  RunResult run(uint64_t max_instructions);

  rv::Hart& hart() { return *hart_; }
  bus::Timeline& timeline() { return timeline_; }
  bus::AddressSpace& bus() { return bus_; }
  // Console output goes here (stdout by default).
  void set_console(std::function<void(char)> out) { console_ = std::move(out); }
  bool has_htif() const { return tohost_ != 0; }

 private:
  void htif_check();
  void console_put(char c) { if (console_) console_(c); }
  bool read64(uint32_t addr, uint64_t& v);
  bool write64(uint32_t addr, uint64_t v);
  void exit_with(int code);

  bus::Timeline timeline_;
  bus::AddressSpace bus_;
  std::vector<std::unique_ptr<bus::Memory>> memories_;
  std::unique_ptr<rv::Hart> hart_;
  std::unique_ptr<Testbench> testbench_;
  std::function<void(char)> console_;
  uint32_t tohost_ = 0, fromhost_ = 0;
  bus::Event htif_event_;
  bool exited_ = false;
  int exit_code_ = 0;
};

}  // namespace calemu
