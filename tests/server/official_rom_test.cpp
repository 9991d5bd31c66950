// The acceptance runs with the official Caliptra 1.1.1 ROM and a calemu-built bundle
// (firmware/bundles/fw-1x.bin, signed with Caliptra's test keys): a client that speaks only
// CPTR, with exactly QEMU RFC v2's frames, does the whole SoC side and sees Caliptra reach
// the FMC and the runtime; and the built-in boot reports READY_FOR_RUNTIME as an event.
// `calemu mbox` decodes what the official 1.x and 2.x ROMs answer at READY_FOR_FW.
// Needs CALEMU_ROM_DIR (the ROMs are not in the repository) and the shared test keys.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

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
  EXPECT_EQ(log.count("[test-fmc] calemu test FMC"), 1u) << log.all();
  // The runtime sleeps in wfi (the watchdog's timer pending): the server blocks in epoll.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_LT(server_cpu_seconds_over(s, std::chrono::milliseconds(300)), 0.05);
  // A warm reset: the ROM takes its warm-reset path and relaunches the FMC from the ICCM
  // without a new FIRMWARE_LOAD; a cold reset boots everything again.
  ASSERT_TRUE(reset_and_wait(c, ResetKind::Warm, BootState::ReadyForRuntime, std::chrono::milliseconds(120'000)))
      << log.all();
  EXPECT_EQ(log.count("[test-fmc] calemu test FMC"), 2u) << log.all();
  EXPECT_EQ(log.count("firmware loaded"), 1u) << log.all();
  ASSERT_TRUE(reset_and_wait(c, ResetKind::Cold, BootState::ReadyForRuntime, std::chrono::milliseconds(120'000)))
      << log.all();
  EXPECT_EQ(log.count("firmware loaded"), 2u) << log.all();
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

// The mailbox client against the official ROMs: a client programs fuses (FUSES with START),
// the ROM reaches READY_FOR_FW and answers the ROM-time commands CAPABILITIES and VERSION,
// which `calemu mbox` sends with their checksum and decodes (text and JSON). VERSION's first
// FIPS revision word is CPTRA_HW_REV_ID as the ROM reads it.
namespace {
struct RomCase {
  caliptra::HwGen hw;
  const char* prefix;
  const char* name;
};
void PrintTo(const RomCase& c, std::ostream* os) { *os << c.name; }
class OfficialRomMbox : public ::testing::TestWithParam<RomCase> {};
}  // namespace

TEST_P(OfficialRomMbox, TheCliDecodesTheRomsAnswers) {
  const std::string rom = find_rom(GetParam().prefix);
  if (rom.empty()) GTEST_SKIP() << "set CALEMU_ROM_DIR to run the official ROM";
  TempDir dir;
  LogSink log;
  ServerConfig cfg = official_config(dir, rom, log);
  cfg.host.machine.hw = GetParam().hw;
  ServerThread s(std::move(cfg));
  Client c(s.mbox(), Protocol::Mbox);
  c.set_timeout(std::chrono::milliseconds(60'000));
  c.hello(kFeatureEvents | kFeatureErrors);
  c.program_fuses("", kFusesStart);
  ASSERT_TRUE(c.wait_for_state(BootState::ReadyForFw, std::chrono::milliseconds(60'000))) << log.all();
  Client cptr(s.cptr(), Protocol::Cptr);
  cptr.set_timeout(std::chrono::milliseconds(10'000));
  const uint32_t hw_rev = cptr.apb_read(kHwRevId);

  const std::string ep = " --connect " + s.mbox() + " --timeout 60 ";
  auto [rc, out] = calemu_cli("mbox" + ep + "--json VERSION");
  ASSERT_EQ(rc, 0) << out << log.all();
  const auto v = nlohmann::json::parse(out);
  EXPECT_EQ(v["status"], "DATA_READY");
  EXPECT_EQ(v["checksum_ok"], true);
  EXPECT_EQ(v["fips_status"], "0x00000000");
  EXPECT_EQ(v["fields"]["name"], "Caliptra RTM");
  EXPECT_EQ(v["fields"]["mode"], 0x4649'5053);  // "FIPS"
  char rev[16];
  std::snprintf(rev, sizeof rev, "0x%08x", hw_rev);
  EXPECT_EQ(v["fields"]["fips_rev"][0], rev);
  std::tie(rc, out) = calemu_cli("mbox" + ep + "CAPS");
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("CAPABILITIES (0x43415053 'CAPS') -> DATA_READY, 24 bytes"), std::string::npos) << out;
  EXPECT_NE(out.find("checksum: ok"), std::string::npos) << out;
  EXPECT_NE(out.find("fips_status: 0x00000000 (approved)"), std::string::npos) << out;
}

INSTANTIATE_TEST_SUITE_P(Roms, OfficialRomMbox,
                         ::testing::Values(RomCase{caliptra::HwGen::V1, "caliptra-rom-with-log-1.1.1", "Rom1_1_1"},
                                           RomCase{caliptra::HwGen::V2_0, "caliptra-rom-with-log-2.0.2", "Rom2_0_2"},
                                           RomCase{caliptra::HwGen::V2_1, "caliptra-rom-with-log-2.1.2", "Rom2_1_2"}),
                         [](const ::testing::TestParamInfo<RomCase>& i) { return std::string(i.param.name); });
