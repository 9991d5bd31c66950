// soc_ifc behaviour from the SoC side, checked against the 1.x RDL and soc_ifc_top.sv.
#include <gtest/gtest.h>

#include "test_machine.h"

using namespace calemu;
using namespace calemu::test;
using bus::BusResult;

namespace {
uint32_t rd(caliptra::Machine& m, uint32_t a) {
  uint32_t v = 0;
  EXPECT_EQ(m.soc_read(a, v, kDefaultUser), BusResult::Ok);
  return v;
}
}  // namespace

TEST(SocIfc, FusesAreWritableUntilFuseWriteDoneAndTheCoreWaitsForIt) {
  auto m = echo_machine();
  EXPECT_TRUE(m->soc_ifc().ready_for_fuses());
  EXPECT_EQ(rd(*m, kFlowStatus) & (1u << 30), 1u << 30);       // ready_for_fuses
  EXPECT_EQ((rd(*m, kFlowStatus) >> 25) & 7, 1u);              // boot_fsm_ps = BOOT_FUSE
  m->run(100'000);
  EXPECT_FALSE(m->core_running());                               // held in reset: nothing retires
  EXPECT_EQ(m->hart().retired(), 0u);
  ASSERT_EQ(m->soc_write(0x3003'0250, 0x12345678, kDefaultUser), BusResult::Ok);  // key manifest pk hash[0]
  EXPECT_EQ(rd(*m, 0x3003'0250), 0x12345678u);
  ASSERT_EQ(m->soc_write(kFuseWrDone, 1, kDefaultUser), BusResult::Ok);
  EXPECT_EQ((rd(*m, kFlowStatus) >> 25) & 7, 4u);              // BOOT_DONE
  EXPECT_FALSE(m->soc_ifc().ready_for_fuses());
  ASSERT_EQ(m->soc_write(0x3003'0250, 0x0, kDefaultUser), BusResult::Ok);  // locked now: dropped
  EXPECT_EQ(rd(*m, 0x3003'0250), 0x12345678u);
  m->run(200'000, [&] { return m->soc_ifc().ready_for_fw(); });
  EXPECT_TRUE(m->soc_ifc().ready_for_fw());                    // the core ran
}

// soc_ifc_top.sv fuse_wr_done_reg_write_observed latches CPTRA_FUSE_WR_DONE.done.swmod, which
// any write raises (soc_ifc_reg.sv), even one that swwe = soc_req & ~done refuses; the boot FSM
// leaves BOOT_FUSE on done & observed, and ready_for_fuses = BOOT_FUSE & ~observed
// (soc_ifc_boot_fsm.sv). So a 0 ends ready_for_fuses without releasing the core, and after a
// warm reset (done is sticky) the SoC's next write releases it.
TEST(SocIfc, AnyFuseWrDoneWriteIsObservedAndAWarmResetNeedsANewOne) {
  auto m = echo_machine();
  ASSERT_EQ(m->soc_write(kFuseWrDone, 0, kDefaultUser), BusResult::Ok);
  EXPECT_FALSE(m->soc_ifc().ready_for_fuses());
  EXPECT_EQ((rd(*m, kFlowStatus) >> 25) & 7, 1u);  // still BOOT_FUSE
  EXPECT_FALSE(m->core_running());
  ASSERT_EQ(m->soc_write(kFuseWrDone, 1, kDefaultUser), BusResult::Ok);
  EXPECT_EQ((rd(*m, kFlowStatus) >> 25) & 7, 4u);  // BOOT_DONE
  m->run(200'000, [&] { return m->soc_ifc().ready_for_fw(); });
  ASSERT_TRUE(m->soc_ifc().ready_for_fw());

  m->warm_reset();
  EXPECT_EQ(rd(*m, kFuseWrDone), 1u);  // sticky
  EXPECT_TRUE(m->soc_ifc().ready_for_fuses());
  m->run(100'000);
  EXPECT_FALSE(m->core_running());
  ASSERT_EQ(m->soc_write(kFuseWrDone, 1, kDefaultUser), BusResult::Ok);
  EXPECT_EQ(rd(*m, kFuseWrDone), 1u);
  EXPECT_EQ((rd(*m, kFlowStatus) >> 25) & 7, 4u);  // BOOT_DONE
  m->run(200'000, [&] { return m->soc_ifc().ready_for_fw(); });
  EXPECT_TRUE(m->soc_ifc().ready_for_fw());  // the core ran again
}

TEST(SocIfc, UdsSeedIsWriteOnceAndNotReadable) {
  auto m = echo_machine();
  ASSERT_EQ(m->soc_write(0x3003'0200, 0xAAAA'AAAA, kDefaultUser), BusResult::Ok);
  ASSERT_EQ(m->soc_write(0x3003'0200, 0x5555'5555, kDefaultUser), BusResult::Ok);
  EXPECT_EQ(rd(*m, 0x3003'0200), 0u);  // sw = w1: no readback
  EXPECT_EQ(m->soc_ifc().uds_seed()[0], 0xAAAA'AAAAu);
}

TEST(SocIfc, BootStatusIsWrittenByTheCoreOnly) {
  auto m = echo_machine();
  ASSERT_EQ(m->soc_write(kBootStatus, 0x55, kDefaultUser), BusResult::Ok);
  EXPECT_EQ(rd(*m, kBootStatus), 0u);  // swwel = soc_req
  ASSERT_EQ(m->soc_write(kFuseWrDone, 1, kDefaultUser), BusResult::Ok);
  m->run(200'000, [&] { return m->soc_ifc().ready_for_fw(); });
  EXPECT_EQ(rd(*m, kBootStatus), 1u);  // the test ROM's value
}

TEST(SocIfc, HwRevIdAndSecurityStateReadAsTheRtlDefines) {
  caliptra::MachineConfig mc;
  mc.rom = read_file(std::string(CALEMU_BINARY_DIR) + "/firmware/caliptra/mbox_echo_rom.bin");
  mc.security = {caliptra::SecurityState::Production, true, false};
  caliptra::Machine m(mc);
  EXPECT_EQ(rd(m, 0x3003'00D4) & 0xFFFF, 0x0011u);  // CPTRA_GENERATION reset 'h11
  EXPECT_EQ(rd(m, 0x3003'0044), 0b111u);            // lifecycle 3 (production) | debug_locked
}

TEST(SocIfc, AddressesOutsideTheSocWindowAreBusErrors) {
  auto m = echo_machine();
  uint32_t v;
  EXPECT_EQ(m->soc_read(0x1000'0000, v, kDefaultUser), BusResult::BusError);  // DOE: core-only
  EXPECT_EQ(m->soc_read(0x3000'0000, v, kDefaultUser), BusResult::BusError);  // 1.x SRAM: core-only
  EXPECT_EQ(m->soc_read(0x3003'0002, v, kDefaultUser), BusResult::BusError);  // unaligned
}
