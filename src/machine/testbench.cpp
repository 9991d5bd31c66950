#include "machine/testbench.h"

#include "rv/hart.h"

namespace calemu {

using bus::BusResult;

Testbench::Testbench(rv::Hart& hart, bus::Timeline& timeline, std::function<void(int)> on_exit,
                     std::function<void(char)> on_putc)
    : hart_(hart), timeline_(timeline), on_exit_(std::move(on_exit)), on_putc_(std::move(on_putc)),
      delayed_("testbench.delayed", [this] { act(pending_reg_, pending_value_); }) {}

BusResult Testbench::read(uint32_t offset, unsigned size, uint32_t& value, const bus::Requester&) {
  if (size != 4) return BusResult::AccessFault;
  switch (offset) {
    case DELAY: value = delay_; break;
    case CYCLE_LO: value = static_cast<uint32_t>(timeline_.now()); break;
    case CYCLE_HI: value = static_cast<uint32_t>(timeline_.now() >> 32); break;
    default: value = 0; break;
  }
  return BusResult::Ok;
}

BusResult Testbench::write(uint32_t offset, unsigned size, uint32_t value, const bus::Requester&) {
  if (size != 4) return BusResult::AccessFault;
  if (offset == DELAY) {
    delay_ = value;
    return BusResult::Ok;
  }
  const bool delayable = offset == IRQ_SET || offset == IRQ_CLEAR || offset == NMI || offset == MTIP || offset == MSIP;
  if (delayable && delay_) {
    pending_reg_ = offset;
    pending_value_ = value;
    timeline_.schedule_in(delayed_, delay_);
    delay_ = 0;
    return BusResult::Ok;
  }
  act(offset, value);
  return BusResult::Ok;
}

void Testbench::act(uint32_t reg, uint32_t value) {
  switch (reg) {
    case IRQ_SET: hart_.pic().set_source(value, true); break;
    case IRQ_CLEAR: hart_.pic().set_source(value, false); break;
    case NMI: hart_.raise_nmi(rv::kNmiPin); break;
    case MTIP: hart_.set_timer_irq(value & 1); break;
    case MSIP: hart_.set_soft_irq(value & 1); break;
    case NMI_VECTOR: hart_.set_nmi_vector(value); break;
    case EXIT: on_exit_(static_cast<int>(value)); break;
    case PUTC: on_putc_(static_cast<char>(value)); break;
    default: break;
  }
}

std::string Testbench::describe(uint32_t offset) const {
  switch (offset) {
    case IRQ_SET: return "IRQ_SET";
    case IRQ_CLEAR: return "IRQ_CLEAR";
    case NMI: return "NMI";
    case MTIP: return "MTIP";
    case MSIP: return "MSIP";
    case DELAY: return "DELAY";
    case NMI_VECTOR: return "NMI_VECTOR";
    case EXIT: return "EXIT";
    case PUTC: return "PUTC";
    case CYCLE_LO: return "CYCLE_LO";
    case CYCLE_HI: return "CYCLE_HI";
  }
  return {};
}

}  // namespace calemu
