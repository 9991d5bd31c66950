// The official frozen 1.x ROMs judge calemu-built bundles on the emulated 1.x Caliptra:
// they accept our test bundle and hand off to our FMC, and for broken bundles they raise the
// same CaliptraError that `calemu image verify` predicts. The ROMs are not in the repo: set
// CALEMU_ROM_DIR to a directory holding caliptra-rom-{1.1.1,1.0.3}-*.bin; without it the
// tests skip.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "image_test_util.h"

namespace calemu::image {
namespace {

using namespace testing;
namespace fs = std::filesystem;

std::string find_rom(const std::string& prefix) {
  const char* dir = std::getenv("CALEMU_ROM_DIR");
  if (!dir || !fs::is_directory(dir)) return {};
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    if (n.rfind(prefix, 0) == 0 && n.size() > 4 && n.substr(n.size() - 4) == ".bin") return e.path().string();
  }
  return {};
}

std::pair<int, std::string> sh(const std::string& args) {
  FILE* p = popen((std::string(CALEMU_BIN) + " " + args + " 2>&1").c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

std::string scratch(const std::string& name) {
  const fs::path dir = fs::path(CALEMU_BINARY_DIR) / "tests" / "image" / "rom";
  fs::create_directories(dir);
  return (dir / name).string();
}

std::string bundle_1x() { return std::string(CALEMU_BINARY_DIR) + "/firmware/bundles/fw-1x.bin"; }

// Fuses of a production part for the test keys, written by `calemu image fuses --fuse-file`.
std::string fuse_file(const std::string& extra) {
  const auto [rc, text] = sh("image fuses --format 1.x --fuse-file --key-dir " + key_dir());
  EXPECT_EQ(rc, 0) << text;
  const std::string path = scratch("fuses-" + std::to_string(std::hash<std::string>{}(extra)) + ".txt");
  std::ofstream(path) << text.substr(text.find("# Caliptra")) << extra;
  return path;
}

class OfficialRom1x : public ::testing::TestWithParam<const char*> {};

TEST_P(OfficialRom1x, BootsOurBundleIntoOurFmcAndRuntime) {
  REQUIRE_TEST_KEYS();
  const std::string rom = find_rom(GetParam());
  if (rom.empty()) GTEST_SKIP() << "set CALEMU_ROM_DIR to run the official ROMs (" << GetParam() << "*)";
  ASSERT_TRUE(fs::exists(bundle_1x())) << "build target test-bundles first";
  const auto [rc, out] = sh("boot --hw 1.x --rom " + rom + " --fw " + bundle_1x() + " --fuses " + fuse_file("") +
                            " --lifecycle production --until runtime -q");
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("[test-fmc] calemu test FMC for Caliptra 1.x running"), std::string::npos) << out;
  EXPECT_NE(out.find("[test-rt] calemu test runtime for Caliptra 1.x running"), std::string::npos) << out;
  EXPECT_NE(out.find("READY_FOR_RUNTIME"), std::string::npos) << out;
}

// After READY_FOR_RUNTIME our runtime idles. In production the ROM leaves the watchdog
// running, so the runtime must stop it (or timer 2 expires into a fatal error), and the CLI's
// callbacks keep running for the whole wait (they once wrote to a dead stack slot: SIGSEGV).
TEST_P(OfficialRom1x, OurRuntimeIdlesWithoutAWatchdogFatal) {
  REQUIRE_TEST_KEYS();
  const std::string rom = find_rom(GetParam());
  if (rom.empty()) GTEST_SKIP() << "set CALEMU_ROM_DIR to run the official ROMs (" << GetParam() << "*)";
  const auto [rc, out] = sh("boot --hw 1.x --rom " + rom + " --fw " + bundle_1x() + " --fuses " + fuse_file("") +
                            " --lifecycle production --until exit --max-cycles 80000000");
  EXPECT_EQ(rc, 3) << out;  // the cycle budget ran out: no exit, no fatal error
  EXPECT_NE(out.find("[test-rt] ready for runtime; watchdog stopped"), std::string::npos) << out;
  EXPECT_EQ(out.find("fatal"), std::string::npos) << out;
}

INSTANTIATE_TEST_SUITE_P(Roms, OfficialRom1x, ::testing::Values("caliptra-rom-1.1.1", "caliptra-rom-1.0.3"),
                         [](const auto& param_info) { return std::string(param_info.param).substr(13) == "1.1.1" ? "Rom111" : "Rom103"; });

struct Broken {
  const char* name;
  uint32_t flip_offset;   // 0: bundle unchanged
  const char* fuses;      // extra fuse-file lines for `calemu boot`
  const char* verify;     // the same fuses for `calemu image verify`
};

void PrintTo(const Broken& c, std::ostream* os) { *os << c.name; }

class RomAgreesWithVerify : public ::testing::TestWithParam<Broken> {};

TEST_P(RomAgreesWithVerify, SameErrorCode) {
  REQUIRE_TEST_KEYS();
  const std::string rom = find_rom("caliptra-rom-1.1.1");
  if (rom.empty()) GTEST_SKIP() << "set CALEMU_ROM_DIR to run the official ROMs";
  const Broken& c = GetParam();
  std::ifstream in(bundle_1x(), std::ios::binary);
  Bytes b((std::istreambuf_iterator<char>(in)), {});
  ASSERT_FALSE(b.empty());
  if (c.flip_offset) b[c.flip_offset] ^= 1;
  const std::string path = scratch(std::string(c.name) + ".bin");
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));

  const auto [rom_rc, rom_out] = sh("boot --hw 1.x --rom " + rom + " --fw " + path + " --fuses " + fuse_file(c.fuses) +
                                    " --lifecycle production --until runtime -q");
  const auto [v_rc, v_out] = sh("image verify " + path + " --vendor-pk-hash " + kSpecVendorHash1x + " " + c.verify);
  std::smatch rom_code, verify_code;
  ASSERT_TRUE(std::regex_search(rom_out, rom_code, std::regex("fatal error: (0x[0-9A-F]{8})"))) << rom_out;
  ASSERT_TRUE(std::regex_search(v_out, verify_code, std::regex("REJECTED: (0x[0-9A-F]{8})"))) << v_out;
  EXPECT_EQ(rom_code[1], verify_code[1]);
  EXPECT_EQ(v_rc, 1);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RomAgreesWithVerify,
    ::testing::Values(Broken{"EccKeyRevoked", 0, "vendor_pk_hash_mask = 1\n", "--ecc-revocation 1"},
                      Broken{"LmsKeyRevoked", 0, "lms_revocation = 1\n", "--lms-revocation 1"},
                      Broken{"VendorLmsSignature", 0x07F0 + 900, "", ""},
                      Broken{"OwnerLmsSignature", 0x0F34 + 300, "", ""},
                      Broken{"VendorEccSignature", 0x0790 + 60, "", ""},
                      Broken{"TocDigest", 0x162C + 28, "", ""},
                      Broken{"FmcBytes", 5884 + 10, "", ""},
                      Broken{"FmcSvnBelowFuse", 0, "fmc_key_manifest_svn = 1\n", "--fmc-svn-fuse 1"},
                      Broken{"RuntimeSvnBelowFuse", 0, "runtime_svn = 1\n", "--fw-svn-fuse 1"},
                      Broken{"OwnerKeyHash", 0, "owner_pk_hash = 1\n",
                             "--owner-pk-hash 000000010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace calemu::image
