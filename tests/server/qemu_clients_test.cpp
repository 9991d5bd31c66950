// The servers against stand-ins of QEMU's two clients, sending exactly the frames QEMU
// sends (server_test_util.h): the RFC v2 aspeed-caliptra-emu device doing the whole SoC side
// of a boot over CPTR, and the AST1040 cptra-mbox-peer-extern running mailbox commands.
// Expected values come from the RDL reset values and the echo ROM's documented behaviour.
#include <gtest/gtest.h>

#include "server_test_util.h"

using namespace calemu;
using namespace calemu::server;
using namespace calemu::server::test;

namespace {

// The SoC side of a Caliptra 1.x boot done with raw APB accesses, as a bootmcu would:
// mailbox users, fuses, FUSE_WR_DONE, BOOTFSM_GO, wait for READY_FOR_FW.
void boot_to_ready_for_fw(int fd) {
  auto w = [&](uint32_t a, uint32_t v) { return qemu_rfc_v2_write(fd, a, v); };
  ASSERT_EQ(qemu_rfc_v2_read(fd, kFlowStatus).value_or(0) & kFlowReadyForFuses, kFlowReadyForFuses);
  ASSERT_TRUE(w(kValidUser0, 1) && w(kUserLock0, 1));
  ASSERT_TRUE(write_fuses_1x(w, soc::Fuses::defaults()));
  ASSERT_TRUE(w(kFuseWrDone, 1) && w(kBootFsmGo, 1));
  for (int i = 0; i < 200'000; ++i) {
    const auto flow = qemu_rfc_v2_read(fd, kFlowStatus);
    ASSERT_TRUE(flow.has_value());
    if (*flow & kFlowReadyForFw) return;
  }
  FAIL() << "no READY_FOR_FW";
}

}  // namespace

TEST(QemuRfcV2, ReadsResetValuesThroughTheApbWindow) {
  TempDir dir;
  ServerThread s(echo_config(dir, false));
  const int fd = connect_unix(s.cptr_path());
  ASSERT_GE(fd, 0);
  // caliptra-hw-registers.md §3.4.1: CPTRA_HW_REV_ID = 0x11 on 1.x; MBOX_VALID_PAUSER resets
  // to 0xFFFF_FFFF; READY_FOR_FUSES is up after power-on.
  EXPECT_EQ(qemu_rfc_v2_read(fd, kHwRevId).value_or(0) & 0xFFFF, 0x11u);
  EXPECT_EQ(qemu_rfc_v2_read(fd, kValidUser0), 0xFFFF'FFFFu);
  EXPECT_EQ(qemu_rfc_v2_read(fd, kFlowStatus).value_or(0) & kFlowReadyForFuses, kFlowReadyForFuses);
  EXPECT_TRUE(qemu_rfc_v2_write(fd, kValidUser0 + 4, 7));
  EXPECT_EQ(qemu_rfc_v2_read(fd, kValidUser0 + 4), 7u);
  close(fd);
}

TEST(QemuRfcV2, DoesTheWholeSocSideOfABoot) {
  TempDir dir;
  LogSink log;
  ServerThread s(echo_config(dir, false, &log));
  const int fd = connect_unix(s.cptr_path());
  ASSERT_GE(fd, 0);
  boot_to_ready_for_fw(fd);
  // FIRMWARE_LOAD: the echo ROM sums the image, completes and sets boot status 2.
  std::vector<uint8_t> fw(1000);
  for (size_t i = 0; i < fw.size(); ++i) fw[i] = static_cast<uint8_t>(i);
  std::vector<uint8_t> out;
  EXPECT_EQ(qemu_rfc_v2_mailbox(fd, kFirmwareLoad, fw, out), 2u);
  EXPECT_EQ(qemu_rfc_v2_read(fd, kBootStatus), 2u);
  // ECHO answers DATA_READY with the request.
  const std::vector<uint8_t> msg = {'h', 'e', 'l', 'l', 'o', '!', '?'};
  EXPECT_EQ(qemu_rfc_v2_mailbox(fd, kEcho, msg, out), 1u);
  EXPECT_EQ(out, msg);
  close(fd);
  EXPECT_TRUE(log.contains("firmware received: 0x000003e8 bytes")) << log.all();
}

TEST(QemuRfcV2, BusErrorsReadAsDeadbeefAndTheConnectionStays) {
  TempDir dir;
  ServerThread s(echo_config(dir, false));
  const int fd = connect_unix(s.cptr_path());
  ASSERT_GE(fd, 0);
  // Mailbox access from AXI user 1 before the SoC made it a valid user: a bus error, which
  // caliptra-server and QEMU both express as 0xdeadbeef.
  EXPECT_EQ(qemu_rfc_v2_read(fd, kMboxLock), kApbErrorData);
  EXPECT_EQ(qemu_rfc_v2_read(fd, 0x3002'0002), kApbErrorData);  // unaligned
  EXPECT_EQ(qemu_rfc_v2_read(fd, 0x4000'0000), kApbErrorData);  // not on the SoC bus
  EXPECT_TRUE(qemu_rfc_v2_write(fd, 0x1234'5678, 1));           // acknowledged, dropped
  EXPECT_EQ(qemu_rfc_v2_read(fd, kHwRevId).value_or(0) & 0xFFFF, 0x11u);
  close(fd);
}

TEST(QemuAst1040, RunsMailboxCommandsAfterTheBuiltInBoot) {
  TempDir dir;
  LogSink log;
  ServerThread s(echo_config(dir, true, &log));
  const int fd = connect_unix(s.mbox_path());
  ASSERT_GE(fd, 0);
  // Sent while the built-in boot may still run: the legacy request waits for it.
  const std::vector<uint8_t> msg = {1, 2, 3, 4, 5, 6};
  QemuMboxReply r = qemu_ast1040_execute(fd, kEcho, msg);
  ASSERT_TRUE(r.ok) << log.all();
  EXPECT_EQ(r.status, 1u);  // DATA_READY
  EXPECT_EQ(r.dlen, 6u);
  ASSERT_EQ(r.data.size(), 8u);  // padded as QEMU copies it into its SRAM
  EXPECT_TRUE(std::equal(msg.begin(), msg.end(), r.data.begin()));
  EXPECT_TRUE(log.contains("firmware received: 0x00000100 bytes")) << log.all();

  // A command the echo ROM does not know: CMD_FAILURE, no data.
  r = qemu_ast1040_execute(fd, 0x1234'5678, {0, 0, 0, 0});
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.status, 3u);
  EXPECT_EQ(r.dlen, 0u);
  // Empty request.
  r = qemu_ast1040_execute(fd, kEcho, {});
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.status, 1u);
  EXPECT_EQ(r.dlen, 0u);
  close(fd);
}

TEST(QemuAst1040, TheQtestsOwnFrameGetsAReplyQemuAccepts) {
  TempDir dir;
  ServerThread s(echo_config(dir, true));
  const int fd = connect_unix(s.mbox_path());
  ASSERT_GE(fd, 0);
  // Byte for byte what the AST1040 series' qtest makes QEMU send: MBOX_EXECUTE of
  // MFWV (0x4d465756), DLEN 8, SRAM words 0xfffffec0 (the checksum) and 0.
  const std::vector<uint8_t> frame = {0x58, 0x4F, 0x42, 0x4D, 0x01, 0x00, 0x01, 0x00, 0x10, 0x00, 0x00, 0x00,
                                      0x56, 0x57, 0x46, 0x4D, 0x08, 0x00, 0x00, 0x00, 0xC0, 0xFE, 0xFF, 0xFF,
                                      0x00, 0x00, 0x00, 0x00};
  ASSERT_TRUE(write_all(fd, frame.data(), 12));  // the peer writes the header, then the payload
  ASSERT_TRUE(write_all(fd, frame.data() + 12, frame.size() - 12));
  // Caliptra's mailbox (here the echo ROM) does not know MFWV, an MCU command: CMD_FAILURE,
  // no data: 12-byte header "MBOX" v1 RESPONSE, payload {3, 0}.
  std::vector<uint8_t> reply(20);
  ASSERT_TRUE(read_all(fd, reply.data(), reply.size(), 30'000));
  EXPECT_EQ(reply, std::vector<uint8_t>({0x58, 0x4F, 0x42, 0x4D, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00, 0x00, 0x03,
                                         0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}));
  // Nothing more follows.
  pollfd pfd{fd, POLLIN, 0};
  EXPECT_EQ(poll(&pfd, 1, 100), 0);
  close(fd);
}

TEST(QemuAst1040, AMailboxLargerThanCaliptrasIsACmdFailure) {
  TempDir dir;
  ServerThread s(echo_config(dir, true));
  const int fd = connect_unix(s.mbox_path());
  ASSERT_GE(fd, 0);
  // QEMU's frontend allows 2 MiB; Caliptra 1.x's mailbox holds 128 KiB.
  const QemuMboxReply r = qemu_ast1040_execute(fd, kEcho, std::vector<uint8_t>(128 * 1024 + 4, 0x11));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.status, 3u);
  // And the connection still works.
  const QemuMboxReply ok = qemu_ast1040_execute(fd, kEcho, {9, 8, 7, 6});
  ASSERT_TRUE(ok.ok);
  EXPECT_EQ(ok.status, 1u);
  close(fd);
}
