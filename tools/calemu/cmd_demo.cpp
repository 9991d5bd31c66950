// calemu demo: the built-in default job of `make demo`, in three acts:
//   1. a bare-metal RV32 program on one VeeR EL2 hart;
//   2. the Caliptra 1.x core (every IP block) running our ECC test ROM against NIST/RFC vectors;
//   3. when an official Caliptra ROM is at hand (--rom-dir or $CALEMU_ROM_DIR), the real
//      thing: that ROM boots our signed 1.x firmware bundle to the runtime.
#include <unistd.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "caliptra/machine.h"
#include "commands.h"
#include "common/elf.h"
#include "machine/bare_machine.h"
#include "soc/boot_driver.h"

extern const unsigned char calemu_demo_elf[];
extern const size_t calemu_demo_elf_size;
extern const unsigned char calemu_demo_ecc_rom[];
extern const size_t calemu_demo_ecc_rom_size;

namespace calemu::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kOfficialRom = "caliptra-rom-with-log-1.1.1-";

void title(const char* text) {
  std::fflush(stdout);
  std::printf("\n== %s\n", text);
  std::fflush(stdout);
}

bool run_hart_demo() {
  title("1. A VeeR EL2 hart running bare-metal RV32IMC+Zb* code (firmware/demo/hello.c)");
  const std::vector<uint8_t> bytes(calemu_demo_elf, calemu_demo_elf + calemu_demo_elf_size);
  BareMachineConfig cfg;
  cfg.ram.push_back({"ram", 0x8000'0000, 0x10'0000});
  BareMachine m(cfg);
  m.load(parse_elf(bytes, "built-in demo"));
  const RunResult r = m.run(100'000'000);
  std::fflush(stdout);
  std::printf("(%llu instructions, %llu cycles)\n", static_cast<unsigned long long>(m.hart().retired()),
              static_cast<unsigned long long>(m.hart().cycles()));
  return r.outcome == RunOutcome::Exited && r.exit_code == 0;
}

bool run_caliptra_test_rom() {
  title("2. The Caliptra 1.x core running our ECC test ROM (firmware/tests/caliptra/ecc_rom.c)");
  caliptra::MachineConfig mc;
  mc.hw = caliptra::HwGen::V1;
  mc.rom.assign(calemu_demo_ecc_rom, calemu_demo_ecc_rom + calemu_demo_ecc_rom_size);
  mc.console = [](const std::string& line) { std::fputs(line.c_str(), stdout); };
  caliptra::Machine m(mc);
  soc::BootDriver d(m, soc::BootOptions{});  // default fuses, FUSE_WR_DONE, BOOTFSM_GO
  if (d.program_fuses() && d.start()) d.wait_until([&] { return m.exit_requested(); }, 50'000'000, "firmware exit");
  std::fflush(stdout);
  std::printf("(%llu instructions, %llu cycles)\n", static_cast<unsigned long long>(m.hart().retired()),
              static_cast<unsigned long long>(m.cycles()));
  return m.exit_requested() && m.exit_success();
}

std::string find_official_rom(const std::string& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().filename().string().rfind(kOfficialRom, 0) == 0) return e.path().string();
  return {};
}

// Act 3 is `calemu boot` itself, run as a child so its output is exactly what a user sees.
int run_self(const std::vector<std::string>& args) {
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv("/proc/self/exe", argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool run_official_boot(std::string rom_dir, std::string bundle) {
  title("3. The official Caliptra 1.1.1 ROM booting our firmware bundle to the runtime");
  if (rom_dir.empty()) {
    std::printf("skipped: set CALEMU_ROM_DIR (or --rom-dir) to a folder holding %s*.bin\n"
                "(caliptra-sw branch caliptra-1.x, rom/ci_frozen_rom/1.1/) to see it.\n", kOfficialRom);
    return true;
  }
  const std::string rom = find_official_rom(rom_dir);
  if (rom.empty()) {
    std::printf("skipped: no %s*.bin in %s\n", kOfficialRom, rom_dir.c_str());
    return true;
  }
  if (bundle.empty()) bundle = (fs::read_symlink("/proc/self/exe").parent_path() / "firmware/bundles/fw-1x.bin").string();
  if (!fs::exists(bundle)) {
    std::printf("skipped: no firmware bundle at %s (it is built with the test keys in ../shared/keys)\n",
                bundle.c_str());
    return true;
  }
  std::printf("calemu boot --hw 1.x --rom %s --fw %s --until runtime\n", rom.c_str(), bundle.c_str());
  return run_self({"calemu", "boot", "--hw", "1.x", "--rom", rom, "--fw", bundle, "--until", "runtime"}) == 0;
}

}  // namespace

void add_demo(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("demo", "Show what calemu does, on built-in firmware");
  static std::string rom_dir, bundle;
  cmd->add_option("--rom-dir", rom_dir, "Folder of official Caliptra ROMs (default: $CALEMU_ROM_DIR)");
  cmd->add_option("--fw", bundle, "1.x firmware bundle for act 3 (default: the test bundle of this build)");
  cmd->footer("Three acts, each checked:\n"
              "  1. a bare-metal RV32 program on one VeeR EL2 hart: software SHA-256 with Zbb and an\n"
              "     internal-timer interrupt waking the core from wfi (as run-elf would run it);\n"
              "  2. the Caliptra 1.x core running our ECC test ROM: keygen, sign and verify on the\n"
              "     emulated ECC engine against RFC 6979 and NIST CAVP vectors, PCR signing;\n"
              "  3. with an official ROM at hand, `calemu boot` of caliptra-rom-with-log-1.1.1 with\n"
              "     our signed firmware bundle: ROM log, FMC and runtime output, READY_FOR_RUNTIME.\n"
              "Exit status 0 when every act that ran passed.");
  cmd->callback([&exit_code] {
    if (rom_dir.empty())
      if (const char* env = std::getenv("CALEMU_ROM_DIR")) rom_dir = env;
    bool ok = run_hart_demo();
    ok = run_caliptra_test_rom() && ok;
    ok = run_official_boot(rom_dir, bundle) && ok;
    std::printf("\ncalemu demo: %s\n", ok ? "PASS" : "FAIL");
    exit_code = ok ? kOk : kFatal;
  });
}

}  // namespace calemu::cli
