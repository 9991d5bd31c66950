// The mailbox protocol as mbox.sv / mbox_csr.rdl define it, driven from the SoC side against
// our test ROM on the core.
#include <gtest/gtest.h>

#include "soc/mailbox_client.h"
#include "test_machine.h"

using namespace calemu;
using namespace calemu::test;
using bus::BusResult;

namespace {

class Mailbox : public ::testing::Test {
 protected:
  void SetUp() override {
    m = echo_machine();
    ASSERT_EQ(m->soc_write(kFuseWrDone, 1, kDefaultUser), BusResult::Ok);
    m->run(200'000, [&] { return m->soc_ifc().ready_for_fw(); });
    ASSERT_TRUE(m->soc_ifc().ready_for_fw());
  }
  uint32_t rd(uint32_t a, uint32_t user = kDefaultUser) {
    uint32_t v = 0;
    EXPECT_EQ(m->soc_read(a, v, user), BusResult::Ok) << std::hex << a;
    return v;
  }
  void wr(uint32_t a, uint32_t v, uint32_t user = kDefaultUser) {
    EXPECT_EQ(m->soc_write(a, v, user), BusResult::Ok) << std::hex << a;
  }
  std::unique_ptr<caliptra::Machine> m;
};

// mbox_fsm_e encodings from mbox_csr.rdl.
constexpr uint32_t kIdle = 0, kRdyForCmd = 1, kRdyForDlen = 3, kRdyForData = 2, kExecSoc = 4, kExecUc = 6,
                   kError = 7;

}  // namespace

TEST_F(Mailbox, LockIsTakenByTheFirstReaderAndHeldAgainstOthers) {
  EXPECT_EQ(rd(kLock), 0u);           // acquired
  EXPECT_EQ(rd(kUser), kDefaultUser);  // the requester's AXI user is latched
  EXPECT_EQ(fsm(rd(kStatus)), kRdyForCmd);
  EXPECT_EQ(rd(kLock), 1u);  // already held
  EXPECT_EQ(rd(kStatus) & (1u << 9), 1u << 9);  // soc_has_lock
}

TEST_F(Mailbox, AnAxiUserOutsideTheValidSetGetsABusError) {
  uint32_t v;
  EXPECT_EQ(m->soc_read(kLock, v, 7), BusResult::BusError);
  // Locking user 7 in as a valid user makes it work (CPTRA_MBOX_VALID_PAUSER / _LOCK).
  wr(kValidUser0, 7);
  wr(kUserLock0, 1);
  EXPECT_EQ(m->soc_read(kLock, v, 7), BusResult::Ok);
  EXPECT_EQ(v, 0u);
  // Once locked the entry is read-only.
  wr(kValidUser0, 9);
  EXPECT_EQ(rd(kValidUser0), 7u);
}

TEST_F(Mailbox, RegistersWrittenByAnotherUserThanTheLockHolderAreIgnored) {
  wr(kValidUser0, 7);
  wr(kUserLock0, 1);
  EXPECT_EQ(rd(kLock), 0u);                  // the default user holds the lock
  wr(kCmd, 0x1234, 7);                       // user 7 is valid on the bus but not the requester
  EXPECT_EQ(rd(kCmd), 0u);
  EXPECT_EQ(fsm(rd(kStatus)), kRdyForCmd);
}

TEST_F(Mailbox, CommandLengthDataExecuteWalkTheStates) {
  EXPECT_EQ(rd(kLock), 0u);
  wr(kCmd, 0x4F484345);  // "ECHO"
  EXPECT_EQ(fsm(rd(kStatus)), kRdyForDlen);
  wr(kDlen, 8);
  EXPECT_EQ(fsm(rd(kStatus)), kRdyForData);
  wr(kDatain, 0xAABBCCDD);
  wr(kDatain, 0x11223344);
  wr(kExecute, 1);
  EXPECT_EQ(fsm(rd(kStatus)), kExecUc);
  EXPECT_EQ(rd(kStatus) & 0xF, 0u);  // CMD_BUSY until the core answers
  m->run(100'000, [&] { return (rd(kStatus) & 0xF) != 0; });
  EXPECT_EQ(rd(kStatus) & 0xF, 1u);  // DATA_READY
  EXPECT_EQ(fsm(rd(kStatus)), kExecSoc);
  EXPECT_EQ(rd(kDlen), 8u);
  EXPECT_EQ(rd(kDataout), 0xAABBCCDDu);
  EXPECT_EQ(rd(kDataout), 0x11223344u);
  EXPECT_EQ(rd(kDataout), 0u);  // past DLEN
  wr(kExecute, 0);
  EXPECT_EQ(fsm(rd(kStatus)), kIdle);
  EXPECT_EQ(rd(kLock), 0u);  // free again
}

TEST_F(Mailbox, DataBeyondDlenIsNotReturned) {
  EXPECT_EQ(rd(kLock), 0u);
  wr(kCmd, 0x4F484345);
  wr(kDlen, 6);  // 6 bytes: two words valid
  for (uint32_t w : {1u, 2u, 3u, 4u}) wr(kDatain, w);
  wr(kExecute, 1);
  m->run(100'000, [&] { return (rd(kStatus) & 0xF) != 0; });
  ASSERT_EQ(rd(kStatus) & 0xF, 1u);
  EXPECT_EQ(rd(kDlen), 6u);
  EXPECT_EQ(rd(kDataout), 1u);
  EXPECT_EQ(rd(kDataout), 2u);
  EXPECT_EQ(rd(kDataout), 0u);
  wr(kExecute, 0);
}

TEST_F(Mailbox, OutOfOrderAccessMovesToErrorAndFlagsTheProtocolError) {
  EXPECT_EQ(rd(kLock), 0u);
  wr(kDlen, 4);  // DLEN before CMD: out of order
  EXPECT_EQ(fsm(rd(kStatus)), kError);
  EXPECT_EQ(rd(kHwErrorNonFatal) & 0x2, 0x2u);  // mbox_prot_ooo
  // Only the core's force-unlock leaves ERROR; the SoC's write to UNLOCK is dropped.
  wr(kUnlock, 1);
  EXPECT_EQ(fsm(rd(kStatus)), kError);
}

TEST_F(Mailbox, AccessWithoutTheLockIsAProtocolError) {
  wr(kCmd, 0x1234);  // IDLE: nobody holds the lock
  EXPECT_EQ(rd(kHwErrorNonFatal) & 0x1, 0x1u);  // mbox_prot_no_lock
  EXPECT_EQ(fsm(rd(kStatus)), kIdle);
  EXPECT_EQ(rd(kCmd), 0u);
}

TEST_F(Mailbox, CommandFailureIsReported) {
  soc::MailboxClient c(*m, kDefaultUser);
  const std::vector<uint8_t> payload = {1, 2, 3, 4};
  const soc::MboxResult r = c.execute(0x12345678, payload, 1'000'000);  // the test ROM refuses it
  EXPECT_EQ(r.status, soc::MboxResult::Failure);
  EXPECT_EQ(fsm(rd(kStatus)), kIdle);
}

TEST_F(Mailbox, ChecksumIsTheNegatedByteSum) {
  // caliptra-fw-protocol.md §3.3: chksum = 0 - (sum of the command's bytes and the payload).
  const uint8_t data[] = {0x01, 0x02, 0x03};
  const uint32_t cmd = 0x4D455341;  // 0x4D + 0x45 + 0x53 + 0x41 = 0x126
  EXPECT_EQ(soc::MailboxClient::checksum(cmd, data), 0u - (0x126u + 6u));
}
