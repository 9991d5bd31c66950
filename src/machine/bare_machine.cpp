#include "machine/bare_machine.h"

#include <cstdio>
#include <stdexcept>

namespace calemu {

namespace {
std::string hex(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08x", v);
  return b;
}
// Spike fesvr: the host notices tohost between instruction batches. We look a few
// instructions after the first store, so both halves of a 64-bit value have landed.
constexpr uint64_t kHtifLatency = 8;
constexpr uint64_t kSysWrite = 64, kSysExit = 93;
}  // namespace

BareMachine::BareMachine(const BareMachineConfig& cfg)
    : htif_event_("htif", [this] { htif_check(); }) {
  if (cfg.ram.empty() && cfg.dccm.size == 0 && cfg.iccm.size == 0)
    throw std::invalid_argument("no memory: give at least one --ram BASE:SIZE (e.g. --ram 0x80000000:0x100000)");
  auto add = [&](const MemorySpec& m) {
    if (m.size == 0) throw std::invalid_argument(m.name + " at " + hex(m.base) + " has size 0");
    memories_.push_back(std::make_unique<bus::Memory>(m.name, m.size, true));
    bus_.map_memory(*memories_.back(), m.base);
  };
  for (const auto& m : cfg.ram) add(m);
  if (cfg.dccm.size) add(cfg.dccm);
  if (cfg.iccm.size) add(cfg.iccm);

  rv::HartConfig hc;
  hc.name = "hart0";
  hc.fast_interrupt_redirect = cfg.fast_interrupt_redirect;
  hc.jit = cfg.jit;
  hc.dccm = {cfg.dccm.base, cfg.dccm.size};
  hc.iccm = {cfg.iccm.base, cfg.iccm.size};
  hc.dbus_error_nmi = false;  // bare metal: report bad addresses precisely
  hart_ = std::make_unique<rv::Hart>(hc, bus_, timeline_);
  testbench_ = std::make_unique<Testbench>(
      *hart_, timeline_, [this](int code) { exit_with(code); }, [this](char c) { console_put(c); });
  bus_.map_device(*testbench_, cfg.testbench_base, Testbench::kSize);
  console_ = [](char c) { std::fputc(c, stdout); };
}

void BareMachine::load(const ElfImage& elf) {
  for (const auto& s : elf.segments) {
    const bus::Region* r = bus_.find(s.paddr);
    if (!r || !r->memory || !r->contains(s.paddr + s.memsz - 1))
      throw std::invalid_argument("segment at " + hex(s.paddr) + " (" + std::to_string(s.memsz) +
                                  " bytes) is outside memory; add --ram covering it");
    bus::Memory& m = *r->memory;
    const uint32_t off = s.paddr - r->base;
    m.write_bytes(off, s.data);
    std::vector<uint8_t> zeros(s.memsz - s.data.size(), 0);
    m.write_bytes(off + static_cast<uint32_t>(s.data.size()), zeros);
  }
  // A core whose first fetch fails would trap to mtvec = 0 and die there: say what is wrong.
  const bus::Region* er = bus_.find(elf.entry);
  if (!er || !er->memory)
    throw std::invalid_argument("entry point " + hex(elf.entry) + " is outside memory; add --ram covering it");
  hart_->set_pc(elf.entry);
  const auto to = elf.symbol("tohost"), from = elf.symbol("fromhost");
  if (to) {
    const bus::Region* r = bus_.find(*to);
    if (!r || !r->memory) throw std::invalid_argument("tohost at " + hex(*to) + " is not in memory");
    tohost_ = *to;
    fromhost_ = from.value_or(0);
    r->memory->add_write_watch(*to - r->base, 8, [this] {
      if (!htif_event_.armed()) timeline_.schedule_in(htif_event_, kHtifLatency);
    });
  }
}

bool BareMachine::read64(uint32_t addr, uint64_t& v) {
  uint32_t lo = 0, hi = 0;
  const auto who = bus::Requester::debug();
  if (bus_.read(addr, 4, lo, who) != bus::BusResult::Ok || bus_.read(addr + 4, 4, hi, who) != bus::BusResult::Ok)
    return false;
  v = (uint64_t{hi} << 32) | lo;
  return true;
}

bool BareMachine::write64(uint32_t addr, uint64_t v) {
  const auto who = bus::Requester::debug();
  return bus_.write(addr, 4, static_cast<uint32_t>(v), who) == bus::BusResult::Ok &&
         bus_.write(addr + 4, 4, static_cast<uint32_t>(v >> 32), who) == bus::BusResult::Ok;
}

void BareMachine::exit_with(int code) {
  exited_ = true;
  exit_code_ = code;
  hart_->request_stop();
}

// Spike's HTIF: tohost = device << 56 | command << 48 | payload.
void BareMachine::htif_check() {
  uint64_t v = 0;
  if (!read64(tohost_, v) || v == 0) return;
  const uint64_t dev = v >> 56, cmd = (v >> 48) & 0xFF, payload = v & 0xFFFF'FFFF'FFFFull;
  write64(tohost_, 0);
  if (dev == 0 && cmd == 0) {
    if (payload & 1) {
      exit_with(static_cast<int>(payload >> 1));
      return;
    }
    // Syscall proxy: payload points at {n, a0, a1, a2} as 64-bit words.
    const auto block = static_cast<uint32_t>(payload);
    uint64_t n = 0, a0 = 0, a1 = 0, a2 = 0;
    if (!read64(block, n) || !read64(block + 8, a0) || !read64(block + 16, a1) || !read64(block + 24, a2)) return;
    int64_t ret = -38;  // ENOSYS
    if (n == kSysWrite && (a0 == 1 || a0 == 2)) {
      for (uint64_t i = 0; i < a2; ++i) {
        uint32_t c = 0;
        if (bus_.read(static_cast<uint32_t>(a1 + i), 1, c, bus::Requester::debug()) != bus::BusResult::Ok) break;
        console_put(static_cast<char>(c));
      }
      ret = static_cast<int64_t>(a2);
    } else if (n == kSysExit) {
      exit_with(static_cast<int>(a0));
      return;
    }
    write64(block, static_cast<uint64_t>(ret));
    if (fromhost_) write64(fromhost_, 1);
  } else if (dev == 1 && cmd == 1) {
    console_put(static_cast<char>(payload & 0xFF));
    if (fromhost_) write64(fromhost_, (dev << 56) | (cmd << 48) | 0x100 | (payload & 0xFF));
  }
}

RunResult BareMachine::run(uint64_t max_instructions) {
  RunResult res;
  const rv::StopReason why = hart_->run(max_instructions);
  if (exited_) {
    res.outcome = RunOutcome::Exited;
    res.exit_code = exit_code_;
    return res;
  }
  switch (why) {
    case rv::StopReason::Limit: res.outcome = RunOutcome::Limit; break;
    case rv::StopReason::Idle:
      res.outcome = RunOutcome::Idle;
      res.message = "the hart is asleep (wfi/halt) at pc " + hex(hart_->pc()) + " and nothing can wake it";
      break;
    case rv::StopReason::Fatal:
      res.outcome = RunOutcome::Fatal;
      res.message = hart_->fatal_message();
      break;
    case rv::StopReason::Stop: res.outcome = RunOutcome::Limit; break;
  }
  return res;
}

}  // namespace calemu
