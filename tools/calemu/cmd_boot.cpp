// calemu boot: power on a Caliptra core with the official ROM and drive the SoC side of
// the boot (fuses, FUSE_WR_DONE, firmware load), printing what the core reports.
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bus/memory.h"
#include "caliptra/boot_status.h"
#include "caliptra/machine.h"
#include "commands.h"
#include "common/caliptra_errors.h"
#include "common/elf.h"
#include "soc/boot_driver.h"

namespace calemu::cli {

namespace {

struct BootCliOptions {
  std::string hw = "1.x";
  std::string rom, fw, fuses_file, lifecycle = "unprovisioned", until = "ready-for-fw", idevid_csr;
  std::vector<std::string> axi_srams;  // ADDR:SIZE
  uint64_t max_cycles = 200'000'000;
  uint64_t seed = 0;
  bool debug_locked = false, debug_unlocked = false, quiet = false, trace_mmio = false, itrng = false;
};

constexpr uint64_t kSettleCycles = 10'000;  // quiet for this long while polling the mailbox: the ROM waits

std::string hex(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08x", v);
  return b;
}

// --axi-sram ADDR:SIZE: a zero-filled RAM on the 2.x AXI fabric (the DMA's subordinates).
struct AxiSram {
  uint64_t base = 0;
  uint32_t size = 0;
};
bool parse_axi_sram(const std::string& spec, AxiSram& out) {
  const auto colon = spec.find(':');
  if (colon == std::string::npos) return false;
  try {
    size_t used = 0;
    out.base = std::stoull(spec.substr(0, colon), &used, 0);
    if (used != colon) return false;
    const std::string size = spec.substr(colon + 1);
    const uint64_t n = std::stoull(size, &used, 0);
    if (used != size.size() || n == 0 || n > 0x8000'0000u || n % 4) return false;
    out.size = static_cast<uint32_t>(n);
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

std::string flow_bits(uint32_t v) {
  std::string s;
  auto add = [&](const char* n) { s += s.empty() ? n : std::string(", ") + n; };
  if (v & (1u << 24)) add("idevid_csr_ready");
  if (v & (1u << 28)) add("ready_for_fw");
  if (v & (1u << 29)) add("ready_for_runtime");
  if (v & (1u << 31)) add("mailbox_flow_done");
  return s.empty() ? "-" : s;
}

int boot(const BootCliOptions& o) {
  caliptra::MachineConfig mc;
  const auto hw = caliptra::parse_hw_gen(o.hw);
  if (!hw) {
    std::fprintf(stderr, "calemu boot: unknown --hw '%s' (use 1.x, 2.0 or 2.1)\n", o.hw.c_str());
    return kUsage;
  }
  mc.hw = *hw;
  soc::BootOptions bo;
  std::vector<uint8_t> fw;
  try {
    mc.rom = read_file(o.rom);
    if (!o.fuses_file.empty()) {
      const auto text = read_file(o.fuses_file);
      bo.fuses = soc::parse_fuse_file(std::string(text.begin(), text.end()), bo.fuses);
    }
    if (!o.fw.empty()) fw = read_file(o.fw);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "calemu boot: %s\n", e.what());
    return kUsage;
  }
  using LC = caliptra::SecurityState;
  if (o.lifecycle == "unprovisioned") mc.security = {LC::Unprovisioned, false, false};
  else if (o.lifecycle == "manufacturing") mc.security = {LC::Manufacturing, true, false};
  else if (o.lifecycle == "production") mc.security = {LC::Production, true, false};
  else {
    std::fprintf(stderr, "calemu boot: unknown --lifecycle '%s'\n", o.lifecycle.c_str());
    return kUsage;
  }
  if (o.debug_locked) mc.security.debug_locked = true;
  if (o.debug_unlocked) mc.security.debug_locked = false;
  mc.seed = o.seed;
  mc.itrng = o.itrng;
  mc.console = [](const std::string& line) { std::fputs(line.c_str(), stdout); std::fflush(stdout); };
  const bool need_fw = o.until == "fmc" || o.until == "runtime";
  if (need_fw && fw.empty()) {
    std::fprintf(stderr, "calemu boot: --until %s needs --fw IMAGE\n", o.until.c_str());
    return kUsage;
  }
  if (o.until != "ready-for-fw" && o.until != "fmc" && o.until != "runtime" && o.until != "exit") {
    std::fprintf(stderr, "calemu boot: unknown --until '%s'\n", o.until.c_str());
    return kUsage;
  }

  std::vector<AxiSram> srams;
  for (const auto& spec : o.axi_srams) {
    AxiSram a;
    if (!parse_axi_sram(spec, a)) {
      std::fprintf(stderr, "calemu boot: bad --axi-sram '%s' (want ADDR:SIZE, SIZE a non-zero multiple of 4)\n",
                   spec.c_str());
      return kUsage;
    }
    if (!caliptra::is_2x(mc.hw)) {
      std::fprintf(stderr, "calemu boot: --axi-sram needs --hw 2.0 or 2.1 (1.x has no AXI DMA)\n");
      return kUsage;
    }
    srams.push_back(a);
  }

  std::vector<std::unique_ptr<bus::Memory>> sram_mems;  // declared first: they outlive the machine
  std::unique_ptr<caliptra::Machine> m;
  try {
    m = std::make_unique<caliptra::Machine>(mc);
    for (const AxiSram& a : srams) {
      sram_mems.push_back(std::make_unique<bus::Memory>("axi_sram", a.size, true));
      m->axi().map_memory("axi_sram", a.base, *sram_mems.back());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "calemu boot: %s\n", e.what());
    return kUsage;
  }
  const auto gen = caliptra::is_2x(mc.hw) ? CaliptraGeneration::k2x : CaliptraGeneration::k1x;
  if (!o.quiet) {
    uint32_t last_status = ~0u;
    m->on_boot_status = [&, last_status](uint32_t s) mutable {
      if (s == last_status) return;
      last_status = s;
      const std::string n = caliptra::boot_status_name(mc.hw, s);
      std::fprintf(stderr, "  [boot status] %s %-36s cycle %" PRIu64 "\n", hex(s).c_str(), n.c_str(), m->cycles());
    };
    // The last-seen values live in the callbacks: this block's locals end before the boot runs.
    m->on_flow_status = [&, last_flow = uint32_t{0}](uint32_t v) mutable {
      const uint32_t bits = v & 0xB100'0000u;
      if (bits != last_flow)
        std::fprintf(stderr, "  [flow status] %s (%s) cycle %" PRIu64 "\n", hex(v).c_str(), flow_bits(v).c_str(), m->cycles());
      last_flow = bits;
    };
    m->on_fw_error = [&](uint32_t code, bool fatal) {
      if (code)
        std::fprintf(stderr, "  [%s error] %s\n", fatal ? "fatal" : "non-fatal", describe_error(gen, code).c_str());
    };
  }
  if (o.trace_mmio)
    m->set_mmio_trace([&](std::string_view block, const std::string& reg, bool write, uint32_t value,
                          const bus::Requester& who) {
      std::fprintf(stderr, "  mmio %-5s %s %s.%s = %s\n", who.is_soc() ? "soc" : "core", write ? "W" : "R",
                   std::string(block).c_str(), reg.c_str(), hex(value).c_str());
    });
  std::fprintf(stderr, "calemu: Caliptra %s, ROM %s (%zu bytes), lifecycle %s, debug %s\n", o.hw.c_str(),
               o.rom.c_str(), mc.rom.size(), o.lifecycle.c_str(), mc.security.debug_locked ? "locked" : "unlocked");

  bo.request_idevid_csr = !o.idevid_csr.empty();
  soc::BootDriver d(*m, bo);
  const auto t0 = std::chrono::steady_clock::now();
  auto report = [&](const char* what) {
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fflush(stdout);
    std::fprintf(stderr, "calemu: %s after %" PRIu64 " cycles (%" PRIu64 " instructions, %.2f s)\n", what,
                 m->cycles(), m->hart().retired(), s);
  };
  auto save_csr = [&]() {
    if (o.idevid_csr.empty()) return true;
    if (d.idevid_csr().empty()) {
      std::fprintf(stderr, "calemu boot: the ROM did not produce an IDevID CSR (it does so in the manufacturing "
                           "lifecycle with debug locked)\n");
      return false;
    }
    std::ofstream f(o.idevid_csr, std::ios::binary);
    f.write(reinterpret_cast<const char*>(d.idevid_csr().data()), static_cast<std::streamsize>(d.idevid_csr().size()));
    if (!f) {
      std::fprintf(stderr, "calemu boot: cannot write %s\n", o.idevid_csr.c_str());
      return false;
    }
    // 2.x: caliptra-sw's InitDevIdCsrEnvelope (ECC and ML-DSA-87 CSRs and an HMAC-512 tag).
    std::fprintf(stderr, "calemu: IDevID CSR %s (%zu bytes) written to %s\n",
                 caliptra::is_2x(mc.hw) ? "envelope" : "(DER)", d.idevid_csr().size(), o.idevid_csr.c_str());
    return true;
  };
  auto failed = [&]() {
    std::fflush(stdout);
    std::fprintf(stderr, "calemu boot: %s\n", d.error().message.c_str());
    report("stopped");
    return d.error().fw_error ? kFatal : (m->fatal_message().empty() ? kLimit : kFatal);
  };
  if (!d.program_fuses() || !d.start()) return failed();
  if (o.until == "exit" && fw.empty()) {
    // A test ROM: it runs to its verdict without the firmware-load protocol.
    if (!d.wait_until([&] { return m->exit_requested(); }, o.max_cycles, "firmware exit")) return failed();
    report(m->exit_success() ? "firmware exited with success" : "firmware exited with failure");
    return m->exit_success() ? kOk : 1;
  }
  if (!d.wait_ready_for_fw(o.max_cycles)) return failed();
  if (o.until == "ready-for-fw" && fw.empty()) {
    const uint64_t at = m->cycles();
    // The 1.x ROM raises READY_FOR_FW early and keeps deriving IDevID/LDevID; let it finish
    // and settle into waiting for the mailbox.
    if (!d.wait_for_mailbox_poll(kSettleCycles, o.max_cycles)) return failed();
    if (!save_csr()) return kUsage;
    std::fflush(stdout);
    std::fprintf(stderr, "calemu: READY_FOR_FW raised at cycle %" PRIu64 "; the ROM polls the mailbox for firmware from cycle %" PRIu64 "\n", at, m->cycles() - kSettleCycles);
    report("done");
    return kOk;
  }
  if (!fw.empty()) {
    if (!d.load_firmware(fw, o.max_cycles)) return failed();
    if (!save_csr()) return kUsage;
  }
  if (o.until == "ready-for-fw") {
    report("READY_FOR_FW reached and firmware loaded");
    return kOk;
  }
  if (o.until == "runtime") {
    if (!d.wait_ready_for_runtime(o.max_cycles)) return failed();
    report("READY_FOR_RUNTIME reached");
    return kOk;
  }
  if (o.until == "fmc") {
    if (!d.wait_until([&] { return m->entered_fmc(); }, o.max_cycles, "the FMC")) return failed();
    report("FMC reached");
    return kOk;
  }
  // exit
  if (!d.wait_until([&] { return m->exit_requested(); }, o.max_cycles, "firmware exit")) return failed();
  report(m->exit_success() ? "firmware exited with success" : "firmware exited with failure");
  return m->exit_success() ? kOk : 1;
}

}  // namespace

void add_boot(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<BootCliOptions>();
  auto* cmd = app.add_subcommand("boot", "Boot a Caliptra core with its ROM, acting as the SoC");
  cmd->footer(
      "Powers on the core, programs fuses (defaults: caliptra-sw's test UDS and field entropy),\n"
      "locks the mailbox users, writes CPTRA_FUSE_WR_DONE and BOOTFSM_GO, then waits for the\n"
      "requested state. With --fw it loads the image with the mailbox FIRMWARE_LOAD command.\n"
      "Firmware output goes to stdout; boot/flow status changes and errors to stderr.\n\n"
      "--until ready-for-fw  stop when the ROM asks for firmware (after loading --fw if given)\n"
      "--until fmc           stop when the core first runs code from the ICCM (the FMC)\n"
      "--until runtime       stop when firmware sets ready_for_runtime\n"
      "--until exit          stop when firmware writes 0xFF (pass) or 0x01 (fail) to the output wire\n\n"
      "Exit status: 0 when the state is reached; 5 when Caliptra reports a fatal error (printed\n"
      "with its name) or the core cannot continue; 3 on timeout (--max-cycles); 2 on bad input.\n\n"
      "Example:\n  calemu boot --hw 1.x --rom caliptra-rom-with-log-1.1.1-d6713db.bin --until ready-for-fw");
  cmd->add_option("--hw", o->hw, "Caliptra generation: 1.x, 2.0 or 2.1 (passive mode)")->capture_default_str();
  cmd->add_option("--rom", o->rom, "ROM image (raw binary)")->required();
  cmd->add_option("--fw", o->fw, "Firmware bundle to load with FIRMWARE_LOAD");
  cmd->add_option("--fuses", o->fuses_file, "Fuse file ('name = value' lines; see below)");
  cmd->add_option("--lifecycle", o->lifecycle, "unprovisioned (debug unlocked), manufacturing or production (debug locked)")
      ->capture_default_str();
  cmd->add_flag("--debug-locked", o->debug_locked, "Force the debug_locked security-state bit");
  cmd->add_flag("--debug-unlocked", o->debug_unlocked, "Force debug unlocked");
  cmd->add_option("--until", o->until, "ready-for-fw, fmc, runtime or exit")->capture_default_str();
  cmd->add_option("--max-cycles", o->max_cycles, "Give up after this many core cycles per step")->capture_default_str();
  cmd->add_option("--seed", o->seed, "Seed for the emulated TRNG (same seed, same run)")->capture_default_str();
  cmd->add_flag("--itrng", o->itrng, "Report an internal TRNG in CPTRA_HW_CONFIG (else the SoC answers TRNG requests)");
  cmd->add_option("--idevid-csr", o->idevid_csr,
                  "Ask the ROM for its IDevID CSR (MFG_FLAG_GEN_IDEV_CSR) and write it to this file: DER "
                  "(1.x), the CSR envelope with the ECC and ML-DSA-87 CSRs (2.x)");
  cmd->add_flag("--trace-mmio", o->trace_mmio, "Print every register access with its name");
  cmd->add_option("--axi-sram", o->axi_srams,
                  "2.x: map zero-filled RAM on the AXI fabric at ADDR:SIZE (e.g. 0x100000000:0x10000) for the DMA; "
                  "repeatable. Unmapped AXI addresses answer DECERR");
  cmd->add_flag("-q,--quiet", o->quiet, "Do not print boot/flow status changes");
  cmd->callback([o, &exit_code] { exit_code = boot(*o); });
}

}  // namespace calemu::cli
