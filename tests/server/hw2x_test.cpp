// `calemu serve --hw 2.0|2.1`: the servers in front of a Caliptra 2.x core in passive mode.
// QEMU's clients (exact RFC v2 / AST1040 frames) do the SoC side with the 2.x fuse layout
// and the 2.x mailbox (256 KiB); the APB window is the 2.x SoC bus (soc_ifc_arb.sv: mailbox
// CSRs, SHA512_ACC, AXI DMA registers, soc_ifc; no mailbox SRAM); HELLO names the
// generation. Our echo ROM in CI; with CALEMU_ROM_DIR the official 2.0.2 / 2.1.2 ROMs boot
// calemu-built 2.x bundles to the runtime, over CPTR alone and with the built-in boot.
#include <gtest/gtest.h>

#include <filesystem>

#include "server/client.h"
#include "server_test_util.h"

using namespace calemu;
using namespace calemu::server;
using namespace calemu::server::test;
using caliptra::HwGen;
using std::chrono::milliseconds;

namespace {

constexpr uint32_t kAxiDmaId = 0x3002'2000;    // axi_dma_reg.rdl `id`: "CLPD" = 0x6776_8068
constexpr uint32_t kMboxSram2x = 0x3004'0000;  // the core's mailbox SRAM (uC direct access only)
constexpr uint32_t kOwnerPkHash = kSocIfc + 0x140, kVendorPkHash2x = kSocIfc + 0x260, kPqcKeyType = kSocIfc + 0x38C;
constexpr uint32_t kMfwv = 0x4D46'5756;

struct Gen {
  HwGen hw;
  uint32_t hello_code;  // HELLO_ACK.hw_generation (docs/protocol.md)
  uint16_t rev_id;      // CPTRA_HW_REV_ID.CPTRA_GENERATION reset (soc_ifc_external_reg.rdl)
  const char* name;
};
void PrintTo(const Gen& g, std::ostream* os) { *os << g.name; }
const Gen kGens[] = {{HwGen::V2_0, 0x20, 0x0402, "V2_0"}, {HwGen::V2_1, 0x21, 0x0212, "V2_1"}};

class ServeHw2x : public ::testing::TestWithParam<Gen> {
 protected:
  HwGen hw() const { return GetParam().hw; }
};

// The SoC side of a passive-mode 2.x boot with raw APB writes, as a bootmcu model would.
void boot_2x_to_ready_for_fw(int fd, const soc::Fuses& fuses, bool v2_1) {
  auto w = [&](uint32_t a, uint32_t v) { return qemu_rfc_v2_write(fd, a, v); };
  auto r = [&](uint32_t a) { return qemu_rfc_v2_read(fd, a); };
  ASSERT_TRUE(poll_until(r, kFlowStatus, kFlowReadyForFuses, kFlowReadyForFuses));
  ASSERT_TRUE(w(kValidUser0, 1) && w(kUserLock0, 1));
  ASSERT_TRUE(write_fuses_2x(w, fuses, v2_1));
  ASSERT_TRUE(w(kSocIfc + 0x110, 40'000'000) && w(kSocIfc + 0x114, 0));  // CPTRA_WDT_CFG: the boot budget
  ASSERT_TRUE(w(kFuseWrDone, 1) && w(kBootFsmGo, 1));
  ASSERT_TRUE(poll_until(r, kFlowStatus, kFlowReadyForFw, kFlowReadyForFw));
}

}  // namespace

TEST_P(ServeHw2x, HelloAndTheApbWindowAreThoseOfTheGeneration) {
  TempDir dir;
  ServerThread s(echo_config(dir, false, nullptr, hw()));
  const int fd = connect_unix(s.cptr_path());
  ASSERT_GE(fd, 0);
  EXPECT_EQ(qemu_rfc_v2_read(fd, kHwRevId).value_or(0) & 0xFFFF, GetParam().rev_id);
  // The AXI DMA's registers are on the 2.x SoC bus.
  EXPECT_EQ(qemu_rfc_v2_read(fd, kAxiDmaId), 0x6776'8068u);
  // The mailbox SRAM is not: a legacy client reads 0xdeadbeef.
  EXPECT_EQ(qemu_rfc_v2_read(fd, kMboxSram2x), kApbErrorData);
  close(fd);

  Client c(s.cptr(), Protocol::Cptr);
  c.set_timeout(milliseconds(10'000));
  const HelloAck a = c.hello(kFeatureErrors);
  EXPECT_EQ(a.hw_generation, GetParam().hello_code);
  EXPECT_EQ(a.state.boot_state, BootState::ReadyForFuses);
  try {
    c.apb_read(kMboxSram2x);
    ADD_FAILURE() << "the SoC read the mailbox SRAM";
  } catch (const ServerError& e) {
    EXPECT_EQ(e.code(), ErrorCode::Unmapped) << e.what();
  }
  try {
    c.apb_read(kMboxLock);  // AXI user 1 is no valid mailbox user yet
    ADD_FAILURE() << "mailbox reached before the SoC made user 1 valid";
  } catch (const ServerError& e) {
    EXPECT_EQ(e.code(), ErrorCode::BusError);
    EXPECT_NE(std::string(e.what()).find("CPTRA_MBOX_VALID_AXI_USER"), std::string::npos) << e.what();
  }
}

TEST_P(ServeHw2x, AnRfcV2ClientDoesTheWholeSocSideWithThe2xFuseLayout) {
  TempDir dir;
  LogSink log;
  ServerThread s(echo_config(dir, false, &log, hw()));
  const int fd = connect_unix(s.cptr_path());
  ASSERT_GE(fd, 0);
  soc::Fuses f = soc::Fuses::defaults();
  for (size_t i = 0; i < f.owner_pk_hash.size(); ++i) f.owner_pk_hash[i] = 0x0A0B'0000u + static_cast<uint32_t>(i);
  for (size_t i = 0; i < f.vendor_pk_hash.size(); ++i) f.vendor_pk_hash[i] = 0x0C0D'0000u + static_cast<uint32_t>(i);
  f.pqc_key_type = 3;
  boot_2x_to_ready_for_fw(fd, f, hw() == HwGen::V2_1);
  // The 2.x places: owner key hash in CPTRA_OWNER_PK_HASH, vendor hash and PQC key type fuses.
  EXPECT_EQ(qemu_rfc_v2_read(fd, kOwnerPkHash + 4 * 11), 0x0A0B'000Bu);
  EXPECT_EQ(qemu_rfc_v2_read(fd, kVendorPkHash2x), 0x0C0D'0000u);
  EXPECT_EQ(qemu_rfc_v2_read(fd, kPqcKeyType), 3u);
  std::vector<uint8_t> fw(3000), out;
  for (size_t i = 0; i < fw.size(); ++i) fw[i] = static_cast<uint8_t>(i * 3);
  EXPECT_EQ(qemu_rfc_v2_mailbox(fd, kFirmwareLoad, fw, out), 2u);
  EXPECT_EQ(qemu_rfc_v2_read(fd, kBootStatus), 2u);
  const std::vector<uint8_t> msg = {'2', '.', 'x', '!', 0};
  EXPECT_EQ(qemu_rfc_v2_mailbox(fd, kEcho, msg, out), 1u);
  EXPECT_EQ(out, msg);
  close(fd);
  EXPECT_TRUE(log.contains("firmware received: 0x00000bb8 bytes")) << log.all();
}

TEST_P(ServeHw2x, Ast1040PeerUsesThe256KiBMailboxAfterTheBuiltInBoot) {
  TempDir dir;
  LogSink log;
  ServerThread s(echo_config(dir, true, &log, hw()));
  const int fd = connect_unix(s.mbox_path());
  ASSERT_GE(fd, 0);
  // The AST1040 qtest's request (an MCU command Caliptra's mailbox does not know): a reply
  // QEMU's peer accepts, CMD_FAILURE with no data.
  QemuMboxReply r = qemu_ast1040_execute(fd, kMfwv, {0xC0, 0xFE, 0xFF, 0xFF, 0, 0, 0, 0});
  ASSERT_TRUE(r.ok) << log.all();
  EXPECT_EQ(r.status, 3u);
  EXPECT_EQ(r.dlen, 0u);
  // 200 KiB do not fit Caliptra 1.x's 128 KiB mailbox; 2.x takes up to 256 KiB.
  r = qemu_ast1040_execute(fd, kFirmwareLoad, std::vector<uint8_t>(200 * 1024, 0x01));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.status, 2u);
  EXPECT_TRUE(log.contains("firmware received: 0x00032000 bytes")) << log.all();
  r = qemu_ast1040_execute(fd, kFirmwareLoad, std::vector<uint8_t>(256 * 1024, 0x02));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.status, 2u);
  r = qemu_ast1040_execute(fd, kFirmwareLoad, std::vector<uint8_t>(256 * 1024 + 4, 0x03));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.status, 3u);  // larger than the mailbox: CMD_FAILURE
  const std::vector<uint8_t> msg = {9, 8, 7, 6, 5};
  r = qemu_ast1040_execute(fd, kEcho, msg);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.status, 1u);
  EXPECT_EQ(r.dlen, 5u);
  EXPECT_TRUE(std::equal(msg.begin(), msg.end(), r.data.begin()));
  close(fd);
}

TEST_P(ServeHw2x, FusesExtensionWritesThe2xLayoutAndEventsFollowTheBoot) {
  TempDir dir;
  ServerThread s(echo_config(dir, false, nullptr, hw()));
  Client c(s.cptr(), Protocol::Cptr);
  c.set_timeout(milliseconds(20'000));
  c.hello(kFeatureEvents | kFeatureErrors);
  c.program_fuses("owner_pk_hash = 1 2 3 4 5 6 7 8 9 10 11 12\nvendor_pk_hash = 0x77 0 0 0 0 0 0 0 0 0 0 0\n"
                  "pqc_key_type = 1\n",
                  kFusesStart);
  EXPECT_EQ(c.apb_read(kOwnerPkHash), 1u);
  EXPECT_EQ(c.apb_read(kOwnerPkHash + 4 * 11), 12u);
  EXPECT_EQ(c.apb_read(kVendorPkHash2x), 0x77u);
  EXPECT_EQ(c.apb_read(kPqcKeyType), 1u);
  ASSERT_TRUE(c.wait_for_state(BootState::ReadyForFw, milliseconds(20'000)));
  Client m(s.mbox(), Protocol::Mbox);
  m.set_timeout(milliseconds(20'000));
  m.hello(kFeatureErrors);
  EXPECT_EQ(m.mbox_execute(kFirmwareLoad, std::vector<uint8_t>(64, 1)).status, 2u);
  try {
    m.mbox_execute(kEcho, std::vector<uint8_t>(256 * 1024 + 1, 0));
    ADD_FAILURE() << "a command larger than the mailbox was accepted";
  } catch (const ServerError& e) {
    EXPECT_EQ(e.code(), ErrorCode::TooLarge);
    EXPECT_NE(std::string(e.what()).find("262144"), std::string::npos) << e.what();
  }
  // A warm reset keeps what lives on cptra_pwrgood (soc_ifc_external_reg.rdl): FUSE_WR_DONE
  // and the owner key hash.
  c.reset(ResetKind::Warm);
  bool saw_reset = false;
  while (auto ev = c.next_event(milliseconds(2'000)))
    if ((saw_reset = ev->event == kEventReset && ev->code == 2)) break;
  EXPECT_TRUE(saw_reset);
  EXPECT_EQ(c.apb_read(kFuseWrDone), 1u);
  EXPECT_EQ(c.apb_read(kOwnerPkHash), 1u);
}

INSTANTIATE_TEST_SUITE_P(Gens, ServeHw2x, ::testing::ValuesIn(kGens),
                         [](const ::testing::TestParamInfo<Gen>& i) { return std::string(i.param.name); });

// ---- the official 2.x ROMs (CALEMU_ROM_DIR) ----------------------------------------------

namespace {

struct OfficialGen {
  HwGen hw;
  const char* rom_prefix;
  const char* bundle;
  const char* pqc;
  const char* name;
};
void PrintTo(const OfficialGen& g, std::ostream* os) { *os << g.name; }
const OfficialGen kOfficial[] = {
    {HwGen::V2_1, "caliptra-rom-with-log-2.1.2", "fw-2x-mldsa", "mldsa", "Rom2_1_2_MlDsa"},
    {HwGen::V2_0, "caliptra-rom-with-log-2.0.2", "fw-2x-lms", "lms", "Rom2_0_2_Lms"},
};

class ServeOfficialRom2x : public ::testing::TestWithParam<OfficialGen> {
 protected:
  void SetUp() override {
    rom_ = find_rom(GetParam().rom_prefix);
    if (rom_.empty()) GTEST_SKIP() << "set CALEMU_ROM_DIR to run the official ROM";
    if (!std::filesystem::exists(key_dir() + "/vendor_ecc_0_key.pem")) GTEST_SKIP() << "no test keys at " << key_dir();
    ASSERT_TRUE(std::filesystem::exists(bundle_path(GetParam().bundle))) << "build target test-bundles first";
  }
  ServerConfig config(const TempDir& dir, LogSink& log) const {
    ServerConfig cfg;
    cfg.host.machine.hw = GetParam().hw;
    cfg.host.machine.rom = read_file(rom_);
    cfg.host.machine.security = {caliptra::SecurityState::Production, true, false};
    cfg.host.machine.console = [&log](const std::string& s) { log.add("[caliptra] " + s); };
    cfg.log = [&log](const std::string& s) { log.add(s); };
    cfg.cptr.push_back(parse_endpoint("unix:" + dir.file("cptr.sock")));
    cfg.mbox.push_back(parse_endpoint("unix:" + dir.file("mbox.sock")));
    return cfg;
  }
  soc::Fuses fuses() const { return production_fuses(std::string("2.x --pqc ") + GetParam().pqc); }
  std::string rom_;
};

}  // namespace

// Issue 5's acceptance on 2.x: a client that speaks only CPTR, with QEMU RFC v2's frames,
// programs the 2.x fuses, starts the boot, loads the bundle through the mailbox registers
// and sees the ROM hand off to our FMC and the runtime report ready.
TEST_P(ServeOfficialRom2x, ACptrOnlyClientBootsTheBundleToTheRuntime) {
  TempDir dir;
  LogSink log;
  ServerThread s(config(dir, log));
  const int fd = connect_unix(s.cptr_path());
  ASSERT_GE(fd, 0);
  auto r = [&](uint32_t a) { return qemu_rfc_v2_read(fd, a); };
  auto w = [&](uint32_t a, uint32_t v) { return qemu_rfc_v2_write(fd, a, v); };
  boot_2x_to_ready_for_fw(fd, fuses(), GetParam().hw == HwGen::V2_1);
  if (HasFatalFailure()) return;
  const std::vector<uint8_t> fw = read_file(bundle_path(GetParam().bundle));
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
  ASSERT_TRUE(poll_until(r, kFlowStatus, kFlowReadyForRuntime, kFlowReadyForRuntime)) << log.all();
  EXPECT_EQ(r(kFwErrorFatal), 0u);
  EXPECT_TRUE(log.contains("[test-fmc] calemu test FMC for Caliptra 2.x running")) << log.all();
  EXPECT_TRUE(log.contains("[test-rt] calemu test runtime for Caliptra 2.x running")) << log.all();
  close(fd);
}

// What a QEMU machine does with --fw: HELLO with events, keep the application cores off until
// READY_FOR_RUNTIME arrives.
TEST_P(ServeOfficialRom2x, TheBuiltInBootSignalsReadyForRuntime) {
  TempDir dir;
  LogSink log;
  ServerConfig cfg = config(dir, log);
  cfg.firmware = read_file(bundle_path(GetParam().bundle));
  cfg.boot.fuses = fuses();
  ServerThread s(std::move(cfg));
  Client c(s.cptr(), Protocol::Cptr);
  c.set_timeout(milliseconds(60'000));
  const HelloAck a = c.hello(kFeatureEvents | kFeatureErrors);
  EXPECT_EQ(a.hw_generation, GetParam().hw == HwGen::V2_1 ? 0x21u : 0x20u);
  Event e;
  ASSERT_TRUE(c.wait_for_state(BootState::ReadyForRuntime, milliseconds(120'000), &e))
      << "last state " << to_string(e.state.boot_state) << "\n" << log.all();
  EXPECT_EQ(log.count("[test-fmc] calemu test FMC"), 1u) << log.all();
  // Warm reset: the 2.x ROM's warm-reset path relaunches the FMC without FIRMWARE_LOAD (the
  // built-in driver writes FUSE_WR_DONE again to release the core); cold: a whole new boot.
  ASSERT_TRUE(reset_and_wait(c, ResetKind::Warm, BootState::ReadyForRuntime, milliseconds(120'000))) << log.all();
  EXPECT_EQ(log.count("[test-fmc] calemu test FMC"), 2u) << log.all();
  EXPECT_EQ(log.count("firmware loaded"), 1u) << log.all();
  ASSERT_TRUE(reset_and_wait(c, ResetKind::Cold, BootState::ReadyForRuntime, milliseconds(120'000))) << log.all();
  EXPECT_EQ(log.count("firmware loaded"), 2u) << log.all();
}

INSTANTIATE_TEST_SUITE_P(Roms, ServeOfficialRom2x, ::testing::ValuesIn(kOfficial),
                         [](const ::testing::TestParamInfo<OfficialGen>& i) { return std::string(i.param.name); });
