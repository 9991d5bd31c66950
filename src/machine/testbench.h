// A testbench block for bare-metal tests: lets firmware drive the hart's interrupt inputs
// (PIC sources, NMI, timer and software interrupt lines), optionally after a delay, and
// exit or print without HTIF. Register map: docs/hart.md "The testbench block".
#pragma once
#include <cstdint>
#include <functional>

#include "bus/device.h"
#include "bus/timeline.h"

namespace calemu {
namespace rv { class Hart; }

class Testbench : public bus::Device {
 public:
  static constexpr uint32_t kDefaultBase = 0xF000'0000;
  static constexpr uint32_t kSize = 0x100;
  enum Reg : uint32_t {
    IRQ_SET = 0x00, IRQ_CLEAR = 0x04, NMI = 0x08, MTIP = 0x0C, MSIP = 0x10, DELAY = 0x14,
    NMI_VECTOR = 0x18, EXIT = 0x1C, PUTC = 0x20, CYCLE_LO = 0x24, CYCLE_HI = 0x28,
  };

  Testbench(rv::Hart& hart, bus::Timeline& timeline, std::function<void(int)> on_exit,
            std::function<void(char)> on_putc);
  const char* name() const override { return "testbench"; }
  bus::BusResult read(uint32_t offset, unsigned size, uint32_t& value, const bus::Requester&) override;
  bus::BusResult write(uint32_t offset, unsigned size, uint32_t value, const bus::Requester&) override;
  std::string describe(uint32_t offset) const override;

 private:
  void act(uint32_t reg, uint32_t value);

  rv::Hart& hart_;
  bus::Timeline& timeline_;
  std::function<void(int)> on_exit_;
  std::function<void(char)> on_putc_;
  uint32_t delay_ = 0;
  uint32_t pending_reg_ = 0, pending_value_ = 0;
  bus::Event delayed_;
};

}  // namespace calemu
