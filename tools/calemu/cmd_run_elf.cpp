// calemu run-elf: run a bare-metal RV32 ELF on one VeeR EL2 hart.
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"
#include "common/elf.h"
#include "machine/bare_machine.h"
#include "rv/disasm.h"

namespace calemu::cli {

namespace {

MemorySpec parse_range(const std::string& text, const std::string& name) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) throw CLI::ValidationError(name, "expected BASE:SIZE, got '" + text + "'");
  auto num = [&](const std::string& s) -> uint64_t {
    size_t used = 0;
    uint64_t v = 0;
    try {
      v = std::stoull(s, &used, 0);
    } catch (const std::exception&) {
      throw CLI::ValidationError(name, "'" + s + "' is not a number");
    }
    if (used != s.size()) throw CLI::ValidationError(name, "'" + s + "' is not a number");
    // Size suffixes: K, M (binary).
    return v;
  };
  std::string size_text = text.substr(colon + 1);
  uint64_t mult = 1;
  if (!size_text.empty() && (size_text.back() == 'K' || size_text.back() == 'k')) { mult = 1024; size_text.pop_back(); }
  else if (!size_text.empty() && (size_text.back() == 'M' || size_text.back() == 'm')) { mult = 1 << 20; size_text.pop_back(); }
  const uint64_t base = num(text.substr(0, colon)), size = num(size_text) * mult;
  if (base > 0xFFFF'FFFFull || size == 0 || size > 0x1'0000'0000ull || base + size > 0x1'0000'0000ull)
    throw CLI::ValidationError(name, "'" + text + "' is not a range inside the 32-bit address space");
  return MemorySpec{name, static_cast<uint32_t>(base), static_cast<uint32_t>(size)};
}

struct RunElfOptions {
  std::string file;
  std::vector<std::string> ram;
  std::string dccm, iccm;
  uint64_t max_instr = 10'000'000'000ull;
  bool trace = false, stats = false, no_fast_irq = false;
};

int run_elf(const RunElfOptions& o) {
  BareMachineConfig cfg;
  for (size_t i = 0; i < o.ram.size(); ++i) cfg.ram.push_back(parse_range(o.ram[i], "ram" + std::to_string(i)));
  if (!o.dccm.empty()) cfg.dccm = parse_range(o.dccm, "dccm");
  if (!o.iccm.empty()) cfg.iccm = parse_range(o.iccm, "iccm");
  cfg.fast_interrupt_redirect = !o.no_fast_irq;

  ElfImage elf;
  std::unique_ptr<BareMachine> m;
  try {
    elf = load_elf(o.file);
    m = std::make_unique<BareMachine>(cfg);
    m->load(elf);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "calemu run-elf: %s\n", e.what());
    return kUsage;
  }
  if (!m->has_htif())
    std::fprintf(stderr, "calemu run-elf: note: %s has no 'tohost' symbol; it can only stop through the testbench EXIT register\n",
                 o.file.c_str());
  if (o.trace) {
    auto& hart = m->hart();
    hart.set_trace([&hart](const rv::TraceRecord& r) {
      if (r.trapped) {
        std::printf("%08x  trap   mcause=0x%08x mtval=0x%08x\n", r.pc, r.cause, r.tval);
        return;
      }
      const std::string text = rv::disassemble(r.raw, r.pc);
      if (r.len == 2) std::printf("%08x  %04x      %-32s", r.pc, r.raw & 0xFFFF, text.c_str());
      else std::printf("%08x  %08x  %-32s", r.pc, r.raw, text.c_str());
      if (r.rd > 0) std::printf(" %s=0x%08x", rv::kRegNames[r.rd], r.rd_value);
      std::printf("\n");
    });
  }
  const auto t0 = std::chrono::steady_clock::now();
  const RunResult res = m->run(o.max_instr);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fflush(stdout);
  if (o.stats) {
    const uint64_t n = m->hart().retired();
    std::fprintf(stderr, "instructions: %" PRIu64 "\ncycles: %" PRIu64 "\nwall: %.3f s\nMIPS: %.1f\n", n,
                 m->hart().cycles(), secs, secs > 0 ? n / secs / 1e6 : 0.0);
  }
  switch (res.outcome) {
    case RunOutcome::Exited: return res.exit_code;
    case RunOutcome::Limit:
      std::fprintf(stderr, "calemu run-elf: stopped after %" PRIu64 " instructions (--max-instr) at pc 0x%08x\n",
                   m->hart().retired(), m->hart().pc());
      return kLimit;
    case RunOutcome::Idle:
      std::fprintf(stderr, "calemu run-elf: %s\n", res.message.c_str());
      return kIdle;
    case RunOutcome::Fatal:
      std::fprintf(stderr, "calemu run-elf: fatal: %s\n", res.message.c_str());
      return kFatal;
  }
  return kFatal;
}

}  // namespace

void add_run_elf(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<RunElfOptions>();
  auto* cmd = app.add_subcommand("run-elf", "Run a bare-metal RV32 ELF on one VeeR EL2 hart");
  cmd->footer(
      "The ELF's segments are loaded, pc starts at its entry. Spike's HTIF is honoured on the\n"
      "'tohost'/'fromhost' symbols: tohost = (code << 1) | 1 exits with `code`; an even value\n"
      "points at a syscall block {n, a0, a1, a2} (SYS_write = 64 to fd 1/2, SYS_exit = 93);\n"
      "device 1 / command 1 prints one character.\n"
      "The exit status is the guest's exit code, or 3 (instruction limit), 4 (core asleep with\n"
      "nothing to wake it), 5 (fatal: the trap handler itself cannot be fetched), 2 (bad input).\n"
      "A testbench block at 0xF0000000 drives interrupts (see docs/hart.md).\n\n"
      "Example:\n  calemu run-elf t.elf --ram 0x80000000:0x100000 --stats");
  cmd->add_option("file", o->file, "RV32 ELF executable")->required();
  cmd->add_option("--ram", o->ram, "RAM region BASE:SIZE on the system bus (repeatable; SIZE may end in K or M)");
  cmd->add_option("--dccm", o->dccm, "Core-local data memory BASE:SIZE (VeeR DCCM rules apply)");
  cmd->add_option("--iccm", o->iccm, "Core-local instruction memory BASE:SIZE");
  cmd->add_option("--max-instr", o->max_instr, "Stop after this many retired instructions")->capture_default_str();
  cmd->add_flag("--trace", o->trace, "Print pc, instruction and register write for every instruction");
  cmd->add_flag("--stats", o->stats, "Print retired instructions, cycles, wall time and MIPS to stderr");
  cmd->add_flag("--no-fast-irq", o->no_fast_irq,
                "Model VeeR without fast interrupt redirect (external interrupts go to mtvec; meicpct exists)");
  cmd->callback([o, &exit_code] { exit_code = run_elf(*o); });
}

}  // namespace calemu::cli
