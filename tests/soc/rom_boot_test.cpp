// The official caliptra-sw frozen 1.x ROMs on the 1.x machine. They are not in the repo:
// set CALEMU_ROM_DIR to a directory holding caliptra-rom[-with-log]-{1.1.1,1.0.3}-*.bin
// (caliptra-sw branch caliptra-1.x, rom/ci_frozen_rom/); without it the tests skip.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "caliptra/machine.h"
#include "common/elf.h"
#include "soc/boot_driver.h"

using namespace calemu;

namespace {

std::string find_rom(const std::string& prefix) {
  const char* dir = std::getenv("CALEMU_ROM_DIR");
  if (!dir) return {};
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    if (n.rfind(prefix, 0) == 0 && n.size() > 4 && n.substr(n.size() - 4) == ".bin") return e.path().string();
  }
  return {};
}

struct RomCase {
  const char* prefix;
  bool logs;
};

void PrintTo(const RomCase& c, std::ostream* os) { *os << c.prefix << "*.bin"; }

class OfficialRom : public ::testing::TestWithParam<RomCase> {};

}  // namespace

TEST_P(OfficialRom, BootsToReadyForFwAndDerivesLDevId) {
  const std::string rom = find_rom(GetParam().prefix);
  if (rom.empty()) GTEST_SKIP() << "set CALEMU_ROM_DIR to run the official ROMs (" << GetParam().prefix << "*)";
  caliptra::MachineConfig mc;
  mc.rom = read_file(rom);
  caliptra::Machine m(mc);
  soc::BootDriver d(m, soc::BootOptions{});
  ASSERT_TRUE(d.program_fuses() && d.start()) << d.error().message;
  ASSERT_TRUE(d.wait_ready_for_fw(100'000'000)) << d.error().message;
  ASSERT_TRUE(d.wait_for_mailbox_poll(10'000, 100'000'000)) << d.error().message;
  // caliptra-fw-protocol.md §2.3: 0x46 = LDevIdDerivationComplete, the last status before the
  // firmware processor; no fatal error on the way.
  EXPECT_EQ(m.soc_ifc().reg(caliptra::SocIfc::CPTRA_BOOT_STATUS), 0x46u);
  EXPECT_EQ(m.soc_ifc().reg(caliptra::SocIfc::CPTRA_FW_ERROR_FATAL), 0u);
  if (GetParam().logs) {
    const std::string& out = m.output();
    for (const char* s : {"Running Caliptra ROM", "[kat] --", "[idev] --", "[ldev] --"})
      EXPECT_NE(out.find(s), std::string::npos) << "missing '" << s << "' in the ROM log";
  }
}

TEST_P(OfficialRom, RejectsAnImageWithoutAManifestMarker) {
  const std::string rom = find_rom(GetParam().prefix);
  if (rom.empty()) GTEST_SKIP() << "set CALEMU_ROM_DIR to run the official ROMs";
  caliptra::MachineConfig mc;
  mc.rom = read_file(rom);
  caliptra::Machine m(mc);
  soc::BootDriver d(m, soc::BootOptions{});
  ASSERT_TRUE(d.program_fuses() && d.start() && d.wait_ready_for_fw(100'000'000)) << d.error().message;
  const std::vector<uint8_t> junk(1000, 0x5A);
  EXPECT_FALSE(d.load_firmware(junk, 100'000'000));
  // caliptra-fw-error-codes.md: 0x000B0001 IMAGE_VERIFIER_ERR_MANIFEST_MARKER_MISMATCH.
  EXPECT_EQ(d.error().fw_error, 0x000B0001u);
}

INSTANTIATE_TEST_SUITE_P(Caliptra1x, OfficialRom,
                         ::testing::Values(RomCase{"caliptra-rom-with-log-1.1.1-", true},
                                           RomCase{"caliptra-rom-1.1.1-", false},
                                           RomCase{"caliptra-rom-with-log-1.0.3-", true},
                                           RomCase{"caliptra-rom-1.0.3-", false}),
                         [](const auto& p) {
                           std::string n = p.param.prefix;
                           for (char& c : n)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });
