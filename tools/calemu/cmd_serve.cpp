// calemu serve: one Caliptra instance behind the CPTR (QEMU RFC v2) and MBOX (QEMU AST1040)
// socket protocols. A thin layer over src/server: options, logging, signals.
#include <csignal>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "common/elf.h"
#include "server/server.h"
#include "soc/fuses.h"

namespace calemu::cli {

namespace {

struct ServeOptions {
  std::string hw = "1.x", rom, fw, fuses_file, lifecycle = "unprovisioned", boot_until = "runtime";
  std::vector<std::string> cptr, mbox;
  uint64_t seed = 0;
  uint32_t axi_user = 1;
  double idle_mhz = 400, slice_us = 4, quiet_slice_us = 50;
  int64_t poll_us = 50;
  uint64_t mbox_timeout_cycles = 2'000'000'000;
  size_t max_clients = 64;
  bool debug_locked = false, itrng = false, quiet = false, exit_on_boot_failure = false;
};

server::Server* g_server = nullptr;

void on_signal(int) {
  if (g_server) g_server->stop();
}

void log_line(const std::string& line) {
  std::fprintf(stderr, "calemu serve: %s\n", line.c_str());
  std::fflush(stderr);
}

int serve(const ServeOptions& o) {
  server::ServerConfig cfg;
  caliptra::MachineConfig& mc = cfg.host.machine;
  const auto hw = caliptra::parse_hw_gen(o.hw);
  if (!hw) {
    std::fprintf(stderr, "calemu serve: unknown --hw '%s' (use 1.x, 2.0 or 2.1)\n", o.hw.c_str());
    return kUsage;
  }
  mc.hw = *hw;
  using LC = caliptra::SecurityState;
  if (o.lifecycle == "unprovisioned") mc.security = {LC::Unprovisioned, false, false};
  else if (o.lifecycle == "manufacturing") mc.security = {LC::Manufacturing, true, false};
  else if (o.lifecycle == "production") mc.security = {LC::Production, true, false};
  else {
    std::fprintf(stderr, "calemu serve: unknown --lifecycle '%s'\n", o.lifecycle.c_str());
    return kUsage;
  }
  if (o.debug_locked) mc.security.debug_locked = true;
  mc.seed = o.seed;
  mc.itrng = o.itrng;
  if (!o.quiet) mc.console = [](const std::string& line) {
    std::fputs(("[caliptra] " + line).c_str(), stdout);
    std::fflush(stdout);
  };
  if (o.boot_until == "runtime") cfg.boot_target = server::BootTarget::Runtime;
  else if (o.boot_until == "fmc") cfg.boot_target = server::BootTarget::Fmc;
  else if (o.boot_until == "loaded") cfg.boot_target = server::BootTarget::FirmwareLoaded;
  else {
    std::fprintf(stderr, "calemu serve: unknown --boot-until '%s' (runtime, fmc or loaded)\n", o.boot_until.c_str());
    return kUsage;
  }
  if (o.cptr.empty() && o.mbox.empty()) {
    std::fprintf(stderr, "calemu serve: nothing to serve; give --cptr and/or --mbox\n");
    return kUsage;
  }
  try {
    mc.rom = read_file(o.rom);
    if (!o.fw.empty()) cfg.firmware = read_file(o.fw);
    if (!o.fuses_file.empty()) {
      const auto text = read_file(o.fuses_file);
      cfg.boot.fuses = soc::parse_fuse_file(std::string(text.begin(), text.end()), cfg.boot.fuses);
    }
    for (const auto& e : o.cptr) cfg.cptr.push_back(server::parse_endpoint(e));
    for (const auto& e : o.mbox) cfg.mbox.push_back(server::parse_endpoint(e));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "calemu serve: %s\n", e.what());
    return kUsage;
  }
  cfg.boot.soc_user = o.axi_user;
  cfg.axi_user = o.axi_user;
  cfg.host.idle_clock_mhz = o.idle_mhz;
  cfg.host.slice_us = o.slice_us;
  cfg.host.quiet_slice_us = o.quiet_slice_us;
  cfg.poll_us = o.poll_us;
  cfg.mbox_limits.execute_cycles = o.mbox_timeout_cycles;
  cfg.max_clients = o.max_clients;
  cfg.log = log_line;

  std::unique_ptr<server::Server> s;
  try {
    s = std::make_unique<server::Server>(std::move(cfg));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "calemu serve: %s\n", e.what());
    return kUsage;
  }
  s->exit_on_boot_failure = o.exit_on_boot_failure;
  log_line("Caliptra " + o.hw + ", ROM " + o.rom + (o.fw.empty() ? ", the client owns the SoC side"
                                                                  : ", booting " + o.fw + " with the built-in driver"));
  g_server = s.get();
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  const int rc = s->run();
  g_server = nullptr;
  const auto& st = s->stats();
  log_line("stopped after " + std::to_string(st.connections) + " connections, " + std::to_string(st.requests) +
           " requests, " + std::to_string(st.errors) + " errors");
  return rc == 0 ? kOk : kFatal;
}

}  // namespace

void add_serve(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ServeOptions>();
  auto* cmd = app.add_subcommand("serve", "Serve a Caliptra core over the QEMU CPTR and MBOX socket protocols");
  cmd->footer(
      "CPTR (--cptr) forwards 32-bit APB accesses to Caliptra's SoC window (QEMU RFC v2\n"
      "aspeed-caliptra-emu, socket-path=PATH). MBOX (--mbox) runs whole mailbox commands (QEMU\n"
      "AST1040 cptra-mbox-peer-extern, -chardev socket,path=PATH). Both take calemu's\n"
      "extensions after a HELLO: boot-state events, reset, fuses, explicit errors\n"
      "(docs/protocol.md, docs/qemu.md).\n\n"
      "With --fw the built-in SoC driver programs fuses, loads the bundle and waits for the\n"
      "runtime; clients that did not say HELLO are answered once that is done. Without --fw the\n"
      "clients own the SoC side (fuses, FUSE_WR_DONE, FIRMWARE_LOAD).\n\n"
      "The core runs between requests; while it sleeps, time follows the wall clock at\n"
      "--idle-mhz and the server blocks (after a request it polls for --poll-us first, as\n"
      "the next one usually follows at once). Ctrl-C (SIGINT) or SIGTERM stops it.\n\n"
      "A production part checks the bundle's keys against the fuses: give --lifecycle\n"
      "production with --fuses from `calemu image fuses --fuse-file`.\n\n"
      "Examples:\n"
      "  calemu serve --hw 1.x --rom caliptra-rom-1.1.1.bin --fw image-bundle.bin \\\n"
      "      --cptr unix:/tmp/caliptra.sock --mbox unix:/tmp/caliptra-mbox.sock\n"
      "  calemu serve --hw 2.1 --rom caliptra-rom-2.1.2.bin --fw bundle-2x.bin --lifecycle production \\\n"
      "      --fuses fuses.txt --mbox unix:/tmp/caliptra-mbox.sock     # then: calemu mbox --connect ...\n"
      "  calemu serve --hw 2.0 --rom caliptra-rom-2.0.2.bin --cptr unix:/tmp/c.sock   # the client boots it");
  cmd->add_option("--hw", o->hw, "Caliptra generation: 1.x, 2.0 or 2.1 (2.x in passive mode)")->capture_default_str();
  cmd->add_option("--rom", o->rom, "ROM image (raw binary)")->required();
  cmd->add_option("--fw", o->fw, "Firmware bundle: boot it with the built-in SoC driver");
  cmd->add_option("--cptr", o->cptr, "CPTR endpoint: unix:PATH or tcp:127.0.0.1:PORT (repeatable)");
  cmd->add_option("--mbox", o->mbox, "MBOX endpoint: unix:PATH or tcp:127.0.0.1:PORT (repeatable)");
  cmd->add_option("--fuses", o->fuses_file, "Fuse file for the built-in boot (see `calemu boot --help`)");
  cmd->add_option("--lifecycle", o->lifecycle, "unprovisioned, manufacturing or production")->capture_default_str();
  cmd->add_flag("--debug-locked", o->debug_locked, "Force the debug_locked security-state bit");
  cmd->add_option("--boot-until", o->boot_until, "With --fw: runtime, fmc or loaded (FIRMWARE_LOAD completed)")
      ->capture_default_str();
  cmd->add_option("--axi-user", o->axi_user, "AXI user of client accesses and of the built-in boot")
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "Seed for the emulated TRNG")->capture_default_str();
  cmd->add_flag("--itrng", o->itrng, "Report an internal TRNG in CPTRA_HW_CONFIG");
  cmd->add_option("--idle-mhz", o->idle_mhz, "Emulated clock while the core sleeps (0: jump to the next event)")
      ->capture_default_str();
  cmd->add_option("--slice-us", o->slice_us, "Wall time the core runs between looks at the sockets")
      ->capture_default_str();
  cmd->add_option("--quiet-slice-us", o->quiet_slice_us,
                  "The same while no client has sent a request for 20 ms (a faster unattended boot)")
      ->capture_default_str();
  cmd->add_option("--poll-us", o->poll_us,
                  "After a request, poll the sockets this long before blocking (lower latency; 0: block at once)")
      ->capture_default_str();
  cmd->add_option("--mbox-timeout-cycles", o->mbox_timeout_cycles, "Give up on a mailbox command after this many cycles")
      ->capture_default_str();
  cmd->add_option("--max-clients", o->max_clients, "Connections served at once")->capture_default_str();
  cmd->add_flag("--exit-on-boot-failure", o->exit_on_boot_failure, "Stop (exit status 5) if the built-in boot fails");
  cmd->add_flag("-q,--quiet", o->quiet, "Do not print firmware output");
  cmd->callback([o, &exit_code] { exit_code = serve(*o); });
}

}  // namespace calemu::cli
