// calemu's protocol extensions (docs/protocol.md): HELLO, boot-state events, GET_STATE,
// FUSES, RESET, per-connection AXI users; and that the server blocks instead of spinning
// while Caliptra's core cannot run.
#include <gtest/gtest.h>
#include <pthread.h>
#include <time.h>

#include "server/client.h"
#include "server_test_util.h"

using namespace calemu;
using namespace calemu::server;
using namespace calemu::server::test;
using std::chrono::milliseconds;

namespace {

Client connect(const std::string& ep, Protocol p) {
  Client c(ep, p);
  c.set_timeout(milliseconds(20'000));
  return c;
}

}  // namespace

TEST(Extensions, HelloReportsTheHardwareAndTheBootState) {
  TempDir dir;
  ServerThread s(echo_config(dir, false));
  Client c = connect(s.cptr(), Protocol::Cptr);
  const HelloAck a = c.hello(kFeatureEvents | kFeatureErrors | 0x8000'0000u);
  EXPECT_EQ(a.revision, kExtensionRevision);
  EXPECT_EQ(a.features, kFeatureEvents | kFeatureErrors);  // unknown bits are not granted
  EXPECT_EQ(a.hw_generation, 0x10u);
  EXPECT_EQ(a.axi_user, 1u);
  EXPECT_EQ(a.state.boot_state, BootState::ReadyForFuses);
  EXPECT_NE(a.server.find("calemu"), std::string::npos);
  EXPECT_EQ(c.get_state().boot_state, BootState::ReadyForFuses);
}

TEST(Extensions, EventsFollowTheBootThroughFusesFirmwareAndReset) {
  TempDir dir;
  ServerThread s(echo_config(dir, false));
  Client cptr = connect(s.cptr(), Protocol::Cptr);
  Client mbox = connect(s.mbox(), Protocol::Mbox);
  cptr.hello(kFeatureEvents | kFeatureErrors);
  mbox.hello(kFeatureErrors);  // no events on this one
  // FUSES with START: fuses, mailbox users 0-4, FUSE_WR_DONE, BOOTFSM_GO.
  cptr.program_fuses("uds_seed = 1 2 3 4 5 6 7 8 9 10 11 12\n", kFusesStart);
  EXPECT_EQ(cptr.apb_read(kFuseWrDone), 1u);
  EXPECT_EQ(cptr.apb_read(kSocIfc + 0x200), 0u);  // the UDS seed is a secret field: reads 0
  Event e;
  ASSERT_TRUE(cptr.wait_for_state(BootState::ReadyForFw, milliseconds(20'000), &e));
  EXPECT_EQ(e.state.flow_status & kFlowReadyForFw, kFlowReadyForFw);
  // Fuses are refused once written.
  try {
    cptr.program_fuses("");
    ADD_FAILURE() << "fuses accepted after FUSE_WR_DONE";
  } catch (const ServerError& err) {
    EXPECT_EQ(err.code(), ErrorCode::NotReady);
  }
  // FIRMWARE_LOAD through MBOX, then the echo ROM's boot status 2 over CPTR.
  const MboxResponse r = mbox.mbox_execute(kFirmwareLoad, std::vector<uint8_t>(64, 1));
  EXPECT_EQ(r.status, 2u);
  EXPECT_EQ(cptr.apb_read(kBootStatus), 2u);
  // EXIT: the echo ROM ends the run; an EXITED event follows.
  EXPECT_EQ(mbox.mbox_execute(0x5449'5845, std::vector<uint8_t>{}).status, 2u);
  ASSERT_TRUE(cptr.wait_for_state(BootState::Exited, milliseconds(20'000)) ||
              cptr.get_state().boot_state == BootState::Exited);
  // Cold reset: RESET, then READY_FOR_FUSES again.
  cptr.reset(ResetKind::Cold);
  bool saw_reset = false, saw_fuses = false;
  while (auto ev = cptr.next_event(milliseconds(2'000))) {
    saw_reset |= ev->event == kEventReset && ev->code == 1;
    saw_fuses |= ev->event == static_cast<uint32_t>(BootState::ReadyForFuses);
    if (saw_reset && saw_fuses) break;
  }
  EXPECT_TRUE(saw_reset);
  EXPECT_TRUE(saw_fuses);
  EXPECT_EQ(cptr.apb_read(kSocIfc + 0x200), 0u);  // fuses cleared by the cold reset
  EXPECT_EQ(cptr.get_state().boot_state, BootState::ReadyForFuses);
}

TEST(Extensions, AFatalErrorIsAnEventWithItsCode) {
  TempDir dir;
  ServerThread s(echo_config(dir, false));
  Client c = connect(s.cptr(), Protocol::Cptr);
  c.hello(kFeatureEvents | kFeatureErrors);
  // The SoC can write CPTRA_FW_ERROR_FATAL like the firmware does (the register is RW).
  c.apb_write(kFwErrorFatal, 0x000B'0001);
  Event e;
  ASSERT_TRUE(c.wait_for_state(BootState::Fatal, milliseconds(10'000), &e) ||
              e.event == static_cast<uint32_t>(BootState::Fatal));
  EXPECT_EQ(e.code, 0x000B'0001u);
  EXPECT_EQ(e.state.fw_error_fatal, 0x000B'0001u);
  // A mailbox command now fails at once, naming the error.
  Client m = connect(s.mbox(), Protocol::Mbox);
  m.hello(kFeatureErrors);
  try {
    m.mbox_execute(kEcho, std::vector<uint8_t>{1, 2, 3, 4});
    ADD_FAILURE() << "command ran on a Caliptra with a fatal error";
  } catch (const ServerError& err) {
    EXPECT_EQ(err.code(), ErrorCode::CaliptraFatal);
    EXPECT_NE(std::string(err.what()).find("0x000B0001"), std::string::npos) << err.what();
  }
}

TEST(Extensions, EachConnectionCanHaveItsOwnAxiUser) {
  TempDir dir;
  ServerThread s(echo_config(dir, false));
  Client soc = connect(s.cptr(), Protocol::Cptr);
  soc.hello(kFeatureErrors);
  soc.apb_write(kValidUser0, 1);
  soc.apb_write(kUserLock0, 1);
  Client stranger = connect(s.cptr(), Protocol::Cptr);
  stranger.hello(kFeatureErrors, 0x99);
  EXPECT_EQ(soc.apb_read(kMboxLock) & 1, 0u);  // user 1: granted
  try {
    stranger.apb_read(kMboxLock);
    ADD_FAILURE() << "user 0x99 reached the mailbox";
  } catch (const ServerError& e) {
    EXPECT_EQ(e.code(), ErrorCode::BusError);
  }
}

TEST(Extensions, TheServerBlocksWhileTheCoreCannotRun) {
  TempDir dir;
  ServerThread s(echo_config(dir, false));
  // Before fuses the core is held in reset: the server thread sleeps in epoll.
  Client c = connect(s.cptr(), Protocol::Cptr);
  EXPECT_EQ(c.apb_read(kHwRevId) & 0xFFFF, 0x11u);
  const double used = server_cpu_seconds_over(s, milliseconds(300));
  EXPECT_LT(used, 0.05) << "the server used " << used << " s of CPU in 0.3 s with the core held";
}

TEST(Extensions, TheServerBlocksWhileTheCoreSleepsForGood) {
  TempDir dir;
  ServerThread s(echo_config(dir, true));
  Client m = connect(s.mbox(), Protocol::Mbox);
  m.hello(kFeatureEvents | kFeatureErrors);
  // EXIT: the echo ROM returns, reports on the output wire and sleeps in wfi with nothing
  // scheduled to wake it.
  EXPECT_EQ(m.mbox_execute(0x5449'5845, std::vector<uint8_t>{}).status, 2u);
  ASSERT_TRUE(m.wait_for_state(BootState::Exited, milliseconds(10'000)));
  std::this_thread::sleep_for(milliseconds(100));  // past the poll window of the last request
  EXPECT_LT(server_cpu_seconds_over(s, milliseconds(300)), 0.05);
  // And it still answers at once.
  EXPECT_EQ(m.get_state().boot_state, BootState::Exited);
}

TEST(Extensions, AWarmResetEndsTheFatalStateButKeepsTheStickyCode) {
  TempDir dir;
  ServerThread s(echo_config(dir, false));
  Client c = connect(s.cptr(), Protocol::Cptr);
  c.hello(kFeatureEvents | kFeatureErrors);
  c.program_fuses("", kFusesStart);
  ASSERT_TRUE(c.wait_for_state(BootState::ReadyForFw, milliseconds(10'000)));
  c.apb_write(kFwErrorFatal, 0x000B'0001);
  ASSERT_TRUE(c.wait_for_state(BootState::Fatal, milliseconds(10'000)));
  // CPTRA_FW_ERROR_FATAL is rw_rw_sticky (cptra_pwrgood): a warm reset keeps the code, but
  // clears the cptra_error_fatal pin. The boot FSM waits for the SoC's FUSE_WR_DONE write
  // again (the fuses themselves stay) and the mailbox users are back to their reset value
  // (CPTRA_MBOX_VALID_PAUSER/PAUSER_LOCK are on cptra_rst_b); then the ROM runs and serves
  // commands again.
  ASSERT_TRUE(reset_and_wait(c, ResetKind::Warm, BootState::ReadyForFuses, milliseconds(10'000)));
  c.apb_write(kValidUser0, 1);
  c.apb_write(kUserLock0, 1);
  c.apb_write(kFuseWrDone, 1);
  c.apb_write(kBootFsmGo, 1);
  ASSERT_TRUE(c.wait_for_state(BootState::ReadyForFw, milliseconds(10'000)));
  EXPECT_EQ(c.apb_read(kFwErrorFatal), 0x000B'0001u);
  EXPECT_EQ(c.get_state().fw_error_fatal, 0x000B'0001u);
  Client m = connect(s.mbox(), Protocol::Mbox);
  m.hello(kFeatureErrors);
  const std::vector<uint8_t> msg = {1, 2, 3};
  const MboxResponse r = m.mbox_execute(kEcho, msg);
  EXPECT_EQ(r.status, 1u);
  EXPECT_EQ(r.data, msg);
  // A cold reset clears it.
  ASSERT_TRUE(reset_and_wait(c, ResetKind::Cold, BootState::ReadyForFuses, milliseconds(10'000)));
  EXPECT_EQ(c.apb_read(kFwErrorFatal), 0u);
}
