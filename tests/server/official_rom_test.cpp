// The acceptance runs with the official Caliptra 1.1.1 ROM and a calemu-built bundle
// (firmware/bundles/fw-1x.bin, signed with Caliptra's test keys): a client that speaks only
// CPTR, with exactly QEMU RFC v2's frames, does the whole SoC side and sees Caliptra reach
// the FMC and the runtime; and the built-in boot reports READY_FOR_RUNTIME as an event.
// Needs CALEMU_ROM_DIR (the ROMs are not in the repository) and the shared test keys.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>

#include "server/client.h"
#include "server_test_util.h"

using namespace calemu;
using namespace calemu::server;
using namespace calemu::server::test;
namespace fs = std::filesystem;

namespace {

#define REQUIRE_OFFICIAL_ROM(var)                                                                          \
  const std::string var = find_rom("caliptra-rom-with-log-1.1.1");                                         \
  if (var.empty()) GTEST_SKIP() << "set CALEMU_ROM_DIR to run the official ROM";                            \
  if (!fs::exists(key_dir() + "/vendor_ecc_0_key.pem")) GTEST_SKIP() << "no test keys at " << key_dir(); \
  ASSERT_TRUE(fs::exists(bundle_path("fw-1x"))) << "build target test-bundles first"

ServerConfig official_config(const TempDir& dir, const std::string& rom, LogSink& log) {
  ServerConfig cfg;
  cfg.host.machine.rom = read_file(rom);
  cfg.host.machine.security = {caliptra::SecurityState::Production, true, false};
  cfg.host.machine.console = [&log](const std::string& s) { log.add("[caliptra] " + s); };
  cfg.log = [&log](const std::string& s) { log.add(s); };
  cfg.cptr.push_back(parse_endpoint("unix:" + dir.file("cptr.sock")));
  cfg.mbox.push_back(parse_endpoint("unix:" + dir.file("mbox.sock")));
  return cfg;
}

}  // namespace

TEST(OfficialRom, ACptrOnlyClientBootsCaliptraToTheFmcAndRuntime) {
  REQUIRE_OFFICIAL_ROM(rom);
  TempDir dir;
  LogSink log;
  ServerThread s(official_config(dir, rom, log));
  const int fd = connect_unix(s.cptr_path());
  ASSERT_GE(fd, 0);
  auto r = [&](uint32_t a) { return qemu_rfc_v2_read(fd, a); };
  auto w = [&](uint32_t a, uint32_t v) { return qemu_rfc_v2_write(fd, a, v); };

  // The SoC side, register by register (caliptra-fw-protocol.md §2.1).
  ASSERT_TRUE(poll_until(r, kFlowStatus, kFlowReadyForFuses, kFlowReadyForFuses));
  ASSERT_TRUE(w(kValidUser0, 1) && w(kUserLock0, 1));
  ASSERT_TRUE(write_fuses_1x(w, production_fuses("1.x")));
  ASSERT_TRUE(w(kSocIfc + 0x110, 40'000'000) && w(kSocIfc + 0x114, 0));  // CPTRA_WDT_CFG: the boot budget
  ASSERT_TRUE(w(kFuseWrDone, 1) && w(kBootFsmGo, 1));
  ASSERT_TRUE(poll_until(r, kFlowStatus, kFlowReadyForFw, kFlowReadyForFw)) << log.all();

  // FIRMWARE_LOAD through the mailbox registers.
  const std::vector<uint8_t> fw = read_file(bundle_path("fw-1x"));
  ASSERT_EQ(r(kMboxLock).value_or(1) & 1, 0u);
  ASSERT_TRUE(w(kMboxCmd, kFirmwareLoad) && w(kMboxDlen, static_cast<uint32_t>(fw.size())));
  for (size_t i = 0; i < fw.size(); i += 4) {
    uint32_t word = 0;
    for (size_t k = 0; k < 4 && i + k < fw.size(); ++k) word |= uint32_t{fw[i + k]} << (8 * k);
    ASSERT_TRUE(w(kMboxDatain, word));
  }
  ASSERT_TRUE(w(kMboxExecute, 1));
  ASSERT_TRUE(poll_until(r, kMboxStatus, 0xF, 2)) << "FIRMWARE_LOAD not completed\n" << log.all();
  ASSERT_TRUE(w(kMboxExecute, 0));

  // The FMC runs (it prints and sets its boot status), then the runtime reports ready.
  ASSERT_TRUE(poll_until(r, kFlowStatus, kFlowReadyForRuntime, kFlowReadyForRuntime)) << log.all();
  EXPECT_EQ(r(kBootStatus), 0x600u);
  EXPECT_EQ(r(kFwErrorFatal), 0u);
  EXPECT_TRUE(log.contains("[test-fmc] calemu test FMC for Caliptra 1.x running")) << log.all();
  EXPECT_TRUE(log.contains("[test-rt] calemu test runtime for Caliptra 1.x running")) << log.all();
  close(fd);
}

TEST(OfficialRom, TheBuiltInBootSignalsReadyForRuntime) {
  REQUIRE_OFFICIAL_ROM(rom);
  TempDir dir;
  LogSink log;
  ServerConfig cfg = official_config(dir, rom, log);
  cfg.firmware = read_file(bundle_path("fw-1x"));
  cfg.boot.fuses = production_fuses("1.x");
  ServerThread s(std::move(cfg));
  // What a QEMU machine does: HELLO with events, keep the CA35 off until READY_FOR_RUNTIME.
  Client c(s.cptr(), Protocol::Cptr);
  c.set_timeout(std::chrono::milliseconds(60'000));
  c.hello(kFeatureEvents | kFeatureErrors);
  Event e;
  ASSERT_TRUE(c.wait_for_state(BootState::ReadyForRuntime, std::chrono::milliseconds(120'000), &e))
      << "last state " << to_string(e.state.boot_state) << "\n" << log.all();
  EXPECT_EQ(e.state.boot_status, 0x600u);
  EXPECT_TRUE(log.contains("[test-fmc]")) << log.all();
}

TEST(OfficialRom, AJunkImageIsAFatalEventWithTheRomsCode) {
  REQUIRE_OFFICIAL_ROM(rom);
  TempDir dir;
  LogSink log;
  ServerConfig cfg = official_config(dir, rom, log);
  cfg.firmware = std::vector<uint8_t>(1000, 0x5A);
  cfg.boot.fuses = production_fuses("1.x");
  ServerThread s(std::move(cfg));
  Client c(s.cptr(), Protocol::Cptr);
  c.set_timeout(std::chrono::milliseconds(60'000));
  c.hello(kFeatureEvents | kFeatureErrors);
  Event e;
  EXPECT_FALSE(c.wait_for_state(BootState::ReadyForRuntime, std::chrono::milliseconds(120'000), &e));
  EXPECT_EQ(e.state.boot_state, BootState::Fatal);
  // caliptra-fw-error-codes.md: 0x000B0001 IMAGE_VERIFIER_ERR_MANIFEST_MARKER_MISMATCH.
  EXPECT_EQ(e.code, 0x000B'0001u);
}
