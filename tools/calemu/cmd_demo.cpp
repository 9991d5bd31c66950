// calemu demo: the built-in default job of `make demo`.
#include <cstdio>

#include "commands.h"
#include "common/elf.h"
#include "machine/bare_machine.h"

extern const unsigned char calemu_demo_elf[];
extern const size_t calemu_demo_elf_size;

namespace calemu::cli {

void add_demo(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("demo", "Run the built-in demonstration firmware");
  cmd->footer("Runs a bare-metal RV32 program built into calemu on one VeeR EL2 hart:\n"
              "software SHA-256 with Zbb, an internal-timer interrupt waking the core from wfi,\n"
              "and exact instruction counts. Equivalent to run-elf on firmware/demo/hello.c.");
  cmd->callback([&exit_code] {
    const std::vector<uint8_t> bytes(calemu_demo_elf, calemu_demo_elf + calemu_demo_elf_size);
    BareMachineConfig cfg;
    cfg.ram.push_back({"ram", 0x8000'0000, 0x10'0000});
    BareMachine m(cfg);
    m.load(parse_elf(bytes, "built-in demo"));
    const RunResult r = m.run(100'000'000);
    std::fflush(stdout);
    std::printf("(%llu instructions, %llu cycles)\n", static_cast<unsigned long long>(m.hart().retired()),
                static_cast<unsigned long long>(m.hart().cycles()));
    exit_code = r.outcome == RunOutcome::Exited ? r.exit_code : kFatal;
  });
}

}  // namespace calemu::cli
