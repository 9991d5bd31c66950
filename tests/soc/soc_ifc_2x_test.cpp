// soc_ifc, mailbox and SoC-window rules that caliptra-rtl 2.x adds or changes, checked
// against the 2.0.4 / 2.1.2 RDL (soc_ifc_external_reg.rdl, soc_ifc_fuse_reg.rdl,
// soc_ifc_subsystem_reg.rdl, mbox_csr.rdl) and soc_ifc_top.sv / soc_ifc_arb.sv.
#include <gtest/gtest.h>

#include "caliptra/machine.h"

using namespace calemu;
using bus::BusResult;
using bus::Requester;
using caliptra::HwGen;

namespace {

constexpr uint32_t kSocIfc = 0x3003'0000;
constexpr uint32_t kUser = 0xFFFF'FFFF;  // CPTRA_DEF_MBOX_VALID_AXI_USER

// Register offsets in the 2.x soc_ifc (soc_ifc_reg.rdl).
constexpr uint32_t kHwRevId = 0x0D4, kHwConfig = 0x0E0, kFuseWrDone = 0x0B0, kHwCap = 0x128, kFwCap = 0x12C,
                   kCapLock = 0x130, kOwnerPkHash = 0x140, kOwnerPkHashLock = 0x170, kUdsSeed = 0x200,
                   kVendorPkHash = 0x260, kEccRevocation = 0x290, kMldsaRevocation = 0x344, kPqcKeyType = 0x38C,
                   kHekSeed = 0x3C0, kMciBaseL = 0x508, kNumProdDbgHashes = 0x52C, kDmaAxiUser = 0x534,
                   kStrapGeneric = 0x5A0, kDbgServiceReq = 0x5C0, kDbgServiceRsp = 0x5C4;

std::unique_ptr<caliptra::Machine> machine(HwGen g, caliptra::SocStraps straps = {}) {
  caliptra::MachineConfig mc;
  mc.hw = g;
  mc.straps = straps;
  return std::make_unique<caliptra::Machine>(mc);
}

uint32_t soc_rd(caliptra::Machine& m, uint32_t off, uint32_t user = kUser) {
  uint32_t v = 0;
  EXPECT_EQ(m.soc_read(kSocIfc + off, v, user), BusResult::Ok) << std::hex << off;
  return v;
}
void soc_wr(caliptra::Machine& m, uint32_t off, uint32_t v, uint32_t user = kUser) {
  EXPECT_EQ(m.soc_write(kSocIfc + off, v, user), BusResult::Ok) << std::hex << off;
}
// The core's side (firmware), straight into the block.
void cpu_wr(caliptra::Machine& m, uint32_t off, uint32_t v) { m.soc_ifc().write(off, 4, v, Requester::cpu()); }
uint32_t cpu_rd(caliptra::Machine& m, uint32_t off) {
  uint32_t v = 0;
  m.soc_ifc().read(off, 4, v, Requester::cpu());
  return v;
}

}  // namespace

TEST(SocIfc2x, HwRevIdIsTheRtlGenerationPlusTheSteppingFuse) {
  // CPTRA_GENERATION reset values: 'h402 in v2.0.4, 'h212 in v2.1.2 ({patch, minor, major}).
  auto m20 = machine(HwGen::V2_0);
  EXPECT_EQ(soc_rd(*m20, kHwRevId), 0x0402u);
  auto m21 = machine(HwGen::V2_1);
  soc_wr(*m21, 0x348, 0xBEEF);  // fuse_soc_stepping_id -> SOC_STEPPING_ID[31:16]
  EXPECT_EQ(soc_rd(*m21, kHwRevId), 0xBEEF'0212u);
}

TEST(SocIfc2x, HwConfigInPassiveModeHasOnlyTheLmsAccelerator) {
  auto m = machine(HwGen::V2_1);
  EXPECT_EQ(soc_rd(*m, kHwConfig), 0x10u);  // LMS_acc_en hard-wired; SUBSYSTEM_MODE_en 0 in passive mode
  caliptra::SocStraps ss;
  ss.subsystem_mode = true;
  ss.ocp_lock_en = true;
  EXPECT_EQ(soc_rd(*machine(HwGen::V2_1, ss), kHwConfig), 0x70u);  // + SUBSYSTEM_MODE_en, OCP_LOCK_MODE_en
  EXPECT_EQ(soc_rd(*machine(HwGen::V2_0, ss), kHwConfig), 0x30u);  // 2.0 has no OCP_LOCK_MODE_en
}

TEST(SocIfc2x, FusesAtTheir2xOffsetsLockWithFuseWrDone) {
  auto m = machine(HwGen::V2_1);
  soc_wr(*m, kVendorPkHash, 0x1111'2222);
  soc_wr(*m, kEccRevocation, 0xFF);  // 4-bit field
  soc_wr(*m, kMldsaRevocation, 0xFF);
  soc_wr(*m, kPqcKeyType, 0xFF);     // 2-bit field
  soc_wr(*m, kHekSeed, 0x5A5A'5A5A);
  EXPECT_EQ(soc_rd(*m, kVendorPkHash), 0x1111'2222u);
  EXPECT_EQ(soc_rd(*m, kEccRevocation), 0xFu);
  EXPECT_EQ(soc_rd(*m, kMldsaRevocation), 0xFu);
  EXPECT_EQ(soc_rd(*m, kPqcKeyType), 0x3u);
  EXPECT_EQ(m->soc_ifc().hek_seed()[0], 0x5A5A'5A5Au);
  soc_wr(*m, kFuseWrDone, 1);
  soc_wr(*m, kVendorPkHash, 0);
  soc_wr(*m, kPqcKeyType, 0);
  EXPECT_EQ(soc_rd(*m, kVendorPkHash), 0x1111'2222u);
  EXPECT_EQ(soc_rd(*m, kPqcKeyType), 0x3u);
}

TEST(SocIfc2x, UdsSeedHasSixteenWriteOnceWords) {
  auto m = machine(HwGen::V2_0);
  for (uint32_t i = 0; i < 16; ++i) soc_wr(*m, kUdsSeed + 4 * i, 0x100 + i);
  soc_wr(*m, kUdsSeed + 60, 0xDEAD);  // second write of word 15: ignored (sw = w1)
  ASSERT_EQ(m->soc_ifc().uds_seed().size(), 16u);
  EXPECT_EQ(m->soc_ifc().uds_seed()[15], 0x10Fu);
  EXPECT_EQ(soc_rd(*m, kUdsSeed), 0u);  // not readable
  EXPECT_EQ(soc_rd(*m, 0x240), 0u);     // field entropy moved to 0x240, also write-only
}

TEST(SocIfc2x, HekSeedExistsOnlyIn21) {
  auto m = machine(HwGen::V2_0);
  soc_wr(*m, kHekSeed, 0x1234);
  EXPECT_EQ(soc_rd(*m, kHekSeed), 0u);  // a decode miss in 2.0
  EXPECT_TRUE(m->soc_ifc().hek_seed().empty());
}

TEST(SocIfc2x, OwnerPkHashIsTheSocsUntilLockedAndSurvivesWarmReset) {
  auto m = machine(HwGen::V2_1);
  cpu_wr(*m, kOwnerPkHash, 0x7777);  // Caliptra access: RO
  EXPECT_EQ(soc_rd(*m, kOwnerPkHash), 0u);
  soc_wr(*m, kOwnerPkHash, 0xABCD'0001);
  soc_wr(*m, kOwnerPkHash + 44, 0xABCD'000C);
  soc_wr(*m, kOwnerPkHashLock, 1);  // RW1-S
  soc_wr(*m, kOwnerPkHashLock, 0);
  EXPECT_EQ(soc_rd(*m, kOwnerPkHashLock), 1u);
  soc_wr(*m, kOwnerPkHash, 0);
  EXPECT_EQ(soc_rd(*m, kOwnerPkHash), 0xABCD'0001u);
  m->warm_reset();  // resetsignal = cptra_pwrgood
  EXPECT_EQ(soc_rd(*m, kOwnerPkHash + 44), 0xABCD'000Cu);
  EXPECT_EQ(soc_rd(*m, kOwnerPkHashLock), 1u);
  m->cold_reset();
  EXPECT_EQ(soc_rd(*m, kOwnerPkHash), 0u);
  EXPECT_EQ(soc_rd(*m, kOwnerPkHashLock), 0u);
}

TEST(SocIfc2x, CapabilitiesAreFirmwaresUntilCapLockWhichAWarmResetClears) {
  auto m = machine(HwGen::V2_1);
  soc_wr(*m, kHwCap, 0xFFFF);  // SOC access: RO
  EXPECT_EQ(soc_rd(*m, kHwCap), 0u);
  cpu_wr(*m, kHwCap, 0x1234);
  cpu_wr(*m, kFwCap, 0x5678);
  cpu_wr(*m, kCapLock, 1);
  cpu_wr(*m, kHwCap, 0);
  cpu_wr(*m, kCapLock, 0);
  EXPECT_EQ(soc_rd(*m, kHwCap), 0x1234u);
  EXPECT_EQ(soc_rd(*m, kFwCap), 0x5678u);
  EXPECT_EQ(cpu_rd(*m, kCapLock), 1u);
  m->warm_reset();  // resetsignal = cptra_rst_b
  EXPECT_EQ(cpu_rd(*m, kCapLock), 0u);
  EXPECT_EQ(cpu_rd(*m, kHwCap), 0u);
}

TEST(SocIfc2x, StrapsLoadAtResetAndTheSocMayOverrideThemUntilFuseWrDone) {
  caliptra::SocStraps ss;
  ss.mci_base_addr = 0x0000'0001'2000'0000ull;
  ss.caliptra_dma_axi_user = 0x42;
  ss.generic = {1, 2, 3, 4};
  auto m = machine(HwGen::V2_1, ss);
  EXPECT_EQ(soc_rd(*m, kMciBaseL), 0x2000'0000u);
  EXPECT_EQ(soc_rd(*m, kMciBaseL + 4), 0x1u);
  EXPECT_EQ(soc_rd(*m, kDmaAxiUser), 0x42u);
  EXPECT_EQ(soc_rd(*m, kStrapGeneric + 12), 4u);
  EXPECT_EQ(soc_rd(*m, kNumProdDbgHashes), 8u);
  soc_wr(*m, kStrapGeneric, 0x99);
  EXPECT_EQ(soc_rd(*m, kStrapGeneric), 0x99u);
  soc_wr(*m, kFuseWrDone, 1);
  soc_wr(*m, kStrapGeneric, 0x55);
  EXPECT_EQ(soc_rd(*m, kStrapGeneric), 0x99u);  // swwel = CPTRA_FUSE_WR_DONE
  m->warm_reset();                               // fuses done: the straps are not recaptured
  EXPECT_EQ(soc_rd(*m, kStrapGeneric), 0x99u);
}

TEST(SocIfc2x, DebugServiceRequestsNeedTheDebugIntentStrap) {
  auto passive = machine(HwGen::V2_1);  // passive mode ties SS_DEBUG_INTENT to 0
  soc_wr(*passive, kDbgServiceReq, 0x7);
  EXPECT_EQ(soc_rd(*passive, kDbgServiceReq), 0u);
  cpu_wr(*passive, kDbgServiceRsp, 0x3FF);
  EXPECT_EQ(soc_rd(*passive, kDbgServiceRsp), 0x3C0u);  // only the UDS-programming and TAP bits
  soc_wr(*passive, kDbgServiceRsp, 0);                   // firmware-only register
  EXPECT_EQ(soc_rd(*passive, kDbgServiceRsp), 0x3C0u);

  caliptra::MachineConfig mc;
  mc.hw = HwGen::V2_1;
  mc.straps.subsystem_mode = true;
  mc.straps.debug_intent = true;
  mc.security = {caliptra::SecurityState::Manufacturing, false, false};
  caliptra::Machine m(mc);
  soc_wr(m, kDbgServiceReq, 0x7);
  EXPECT_EQ(soc_rd(m, kDbgServiceReq), 0x1u);  // MANUF_DBG_UNLOCK_REQ only; UDS_PROGRAM_REQ is not sw-writable
  cpu_wr(m, kDbgServiceRsp, 0x1);                // MANUF_DBG_UNLOCK_SUCCESS is sticky once set
  cpu_wr(m, kDbgServiceRsp, 0x0);
  EXPECT_EQ(soc_rd(m, kDbgServiceRsp) & 1, 1u);
}

TEST(SocIfc2x, TheSocReachesSha512AccOnlyWithTheDmaAxiUser) {
  caliptra::SocStraps ss;
  ss.caliptra_dma_axi_user = 0x10;
  auto m = machine(HwGen::V2_1, ss);
  uint32_t v = 0;
  EXPECT_EQ(m->soc_read(0x3002'1000, v, kUser), BusResult::BusError);  // soc_ifc_arb.sv valid_sha_user
  EXPECT_EQ(m->soc_read(0x3002'1000, v, 0x10), BusResult::Ok);
  auto m1 = machine(HwGen::V1);
  EXPECT_EQ(m1->soc_read(0x3002'1000, v, kUser), BusResult::Ok);  // 1.x has no such rule
}

TEST(Mailbox2x, TapModeIsFirmwaresAndTheStatusHasA16BitReadPointer) {
  auto m = machine(HwGen::V2_1);
  uint32_t v = 0;
  ASSERT_EQ(m->soc_write(0x3002'0024, 1, kUser), BusResult::Ok);
  ASSERT_EQ(m->soc_read(0x3002'0024, v, kUser), BusResult::Ok);
  EXPECT_EQ(v, 0u);  // swwel = soc_req
  m->mailbox().write(0x24, 4, 1, Requester::cpu());
  ASSERT_EQ(m->soc_read(0x3002'0024, v, kUser), BusResult::Ok);
  EXPECT_EQ(v, 1u);
  EXPECT_EQ(m->mailbox().def(caliptra::Mailbox::mbox_status).mask_, 0x07FF'FFFFu);
  EXPECT_EQ(machine(HwGen::V1)->mailbox().def(caliptra::Mailbox::mbox_status).mask_, 0x01FF'FFFFu);
  EXPECT_FALSE(machine(HwGen::V1)->mailbox().def(caliptra::Mailbox::tap_mode).exists());
}

TEST(Machine2x, MemoryMapOfThe2xCore) {
  auto m = machine(HwGen::V2_1);
  EXPECT_EQ(m->map().rom_size, 96u * 1024);
  EXPECT_EQ(m->map().iccm_size, 256u * 1024);
  EXPECT_EQ(m->map().dccm_size, 256u * 1024);
  EXPECT_EQ(m->map().mbox_sram_base, 0x3004'0000u);
  EXPECT_EQ(m->map().mbox_sram_size, 256u * 1024);
  EXPECT_EQ(caliptra::parse_hw_gen("2.0"), HwGen::V2_0);
  EXPECT_EQ(caliptra::parse_hw_gen("1.2"), HwGen::V1);
  EXPECT_FALSE(caliptra::parse_hw_gen("3.0").has_value());
}
