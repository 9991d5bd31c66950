// `calemu image` end to end: create -> inspect -> verify round trips with our test firmware,
// fuse values, the TEST KEYS warning, and bad input answered with a message and exit code 2.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "common/elf.h"
#include "image_test_util.h"

namespace calemu::image {
namespace {

using namespace testing;
namespace fs = std::filesystem;

struct CliRun {
  int status;
  std::string output;  // stdout and stderr
};

CliRun run(const std::string& args) {
  const std::string cmd = std::string(CALEMU_BIN) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

std::string tmp(const std::string& name) {
  const fs::path dir = fs::path(CALEMU_BINARY_DIR) / "tests" / "image" / "cli";
  fs::create_directories(dir);
  return (dir / name).string();
}

std::string keys() { return " --key-dir " + key_dir(); }
std::string elf(const std::string& what, const std::string& g) { return firmware_elf(what + "/" + what + "-" + g + ".elf"); }

void write_bytes(const std::string& path, const Bytes& b) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

struct Flavor {
  const char* name;
  const char* format;
  const char* pqc;
  const char* g;
  const char* vendor_hash;
};

void PrintTo(const Flavor& f, std::ostream* os) { *os << f.name; }

class CliRoundTrip : public ::testing::TestWithParam<Flavor> {};

TEST_P(CliRoundTrip, CreateInspectVerify) {
  REQUIRE_TEST_KEYS();
  const Flavor& f = GetParam();
  const std::string out = tmp(std::string(f.name) + ".bin");
  const CliRun create = run(std::string("image create --format ") + f.format + " --pqc " + f.pqc + " --fmc " + elf("fmc", f.g) +
                         " --runtime " + elf("runtime", f.g) + " --fmc-version 0x10002 --svn 2 --fmc-svn 1 --runtime-svn 2" +
                         keys() + " -o " + out);
  ASSERT_EQ(create.status, 0) << create.output;
  EXPECT_NE(create.output.find("WARNING: TEST KEYS"), std::string::npos);

  const CliRun inspect = run("image inspect " + out);
  ASSERT_EQ(inspect.status, 0) << inspect.output;
  EXPECT_NE(inspect.output.find("firmware bundle"), std::string::npos);
  EXPECT_EQ(inspect.output.find("MISMATCH"), std::string::npos) << inspect.output;

  const CliRun json = run("image inspect --json " + out);
  ASSERT_EQ(json.status, 0) << json.output;
  const nlohmann::json d = nlohmann::json::parse(json.output);
  EXPECT_EQ(d["format"], f.format);
  EXPECT_EQ(d["fmc"]["version"], 0x10002u);
  EXPECT_EQ(d["fmc"]["entry_point"], 0x40000000u);
  EXPECT_EQ(d["fuses"]["vendor_pk_hash"], words_hex(words(f.vendor_hash)));

  // Fuses given explicitly as the spec's values for the test keys.
  const CliRun verify = run("image verify " + out + " --lifecycle production --vendor-pk-hash " + f.vendor_hash + " --fw-svn-fuse 2");
  EXPECT_EQ(verify.status, 0) << verify.output;
  EXPECT_NE(verify.output.find("ACCEPTED"), std::string::npos);

  const CliRun rollback = run("image verify " + out + " --fw-svn-fuse 3");
  EXPECT_EQ(rollback.status, 1) << rollback.output;
  EXPECT_NE(rollback.output.find("0x000B002E"), std::string::npos) << rollback.output;
}

INSTANTIATE_TEST_SUITE_P(Formats, CliRoundTrip,
                         ::testing::Values(Flavor{"Caliptra1x", "1.x", "lms", "1x", kSpecVendorHash1x},
                                           Flavor{"Caliptra2xLms", "2.x", "lms", "2x", kSpecVendorHash2xLms},
                                           Flavor{"Caliptra2xMldsa", "2.x", "mldsa", "2x", kSpecVendorHash2xMldsa}),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(Cli, CreateFromRawBinariesWithExplicitAddresses) {
  REQUIRE_TEST_KEYS();
  const ElfImage fmc = load_elf(elf("fmc", "1x")), rt = load_elf(elf("runtime", "1x"));
  write_bytes(tmp("fmc.bin"), fmc.segments[0].data);
  write_bytes(tmp("rt.bin"), rt.segments[0].data);
  const std::string out = tmp("raw-1x.bin");
  CliRun r = run("image create --format 1.x --fmc " + tmp("fmc.bin") + " --fmc-load 0x40000000 --runtime " + tmp("rt.bin") +
              " --runtime-load 0x40006000 --runtime-entry 0x40006000" + keys() + " -o " + out);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(run("image verify " + out).status, 0);
  r = run("image create --format 1.x --fmc " + tmp("fmc.bin") + " --runtime " + tmp("rt.bin") + keys() + " -o " + out);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("is not an ELF; give its load address (--fmc-load"), std::string::npos) << r.output;
}

TEST(Cli, FusesPrintsTheSpecWords) {
  REQUIRE_TEST_KEYS();
  CliRun r = run("image fuses --format 2.x --pqc mldsa" + keys());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("FUSE_VENDOR_PK_HASH (soc_ifc 0x260"), std::string::npos);
  EXPECT_NE(r.output.find("0x260 = 0x30399676"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("0x28c = 0xce8a2980"), std::string::npos);
  EXPECT_NE(r.output.find("0x140 = 0x48afdb07"), std::string::npos);
  EXPECT_NE(r.output.find("FUSE_PQC_KEY_TYPE (soc_ifc 0x38c) = 1"), std::string::npos);
  r = run("image fuses --format 1.x --json" + keys());
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string json = r.output.substr(r.output.find('{'));
  EXPECT_EQ(nlohmann::json::parse(json)["vendor_pk_hash"], words_hex(words(kSpecVendorHash1x)));
}

TEST(Cli, VerifyReportsTheRomErrorByName) {
  REQUIRE_TEST_KEYS();
  Bytes b = base_bundle(Generation::k2x, PqcKeyType::Lms);
  b[0x40E8] ^= 1;  // header.toc_digest: signed, so the vendor ECC signature breaks first
  write_bytes(tmp("broken.bin"), b);
  CliRun r = run("image verify " + tmp("broken.bin"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("REJECTED: 0x000B000C IMAGE_VERIFIER_ERR_VENDOR_ECC_SIGNATURE_INVALID"), std::string::npos) << r.output;
  r = run("image verify --json " + tmp("broken.bin"));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(nlohmann::json::parse(r.output)["error"], 0x000B000Cu);
  r = run("image verify " + tmp("broken.bin") + " --vendor-pk-hash " + kSpecVendorHash1x);
  EXPECT_NE(r.output.find("0x000B0005 IMAGE_VERIFIER_ERR_VENDOR_PUB_KEY_DIGEST_MISMATCH"), std::string::npos) << r.output;
}

TEST(Cli, UpdateResetKeepsTheFmc) {
  REQUIRE_TEST_KEYS();
  const std::string a = tmp("upd-a.bin"), b = tmp("upd-b.bin");
  ASSERT_EQ(run("image create -q --fmc " + elf("fmc", "2x") + " --runtime " + elf("runtime", "2x") + keys() + " -o " + a).status, 0);
  ASSERT_EQ(run("image create -q --fmc " + elf("fmc", "2x") + " --runtime " + elf("runtime", "2x") + " --runtime-version 2" + keys() + " -o " + b).status, 0);
  EXPECT_EQ(run("image verify " + b + " --update-reset-from " + a).status, 0);
  // A different FMC (the same code plus four bytes) needs a cold reset.
  Bytes fmc = load_elf(elf("fmc", "2x")).segments[0].data;
  fmc.resize(fmc.size() + 4, 0);
  write_bytes(tmp("fmc-longer.bin"), fmc);
  const std::string c = tmp("upd-c.bin");
  ASSERT_EQ(run("image create -q --fmc " + tmp("fmc-longer.bin") + " --fmc-load 0x40000000 --runtime " + elf("runtime", "2x") + keys() +
                " -o " + c).status, 0);
  const CliRun r = run("image verify " + c + " --update-reset-from " + a);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("0x000B001F IMAGE_VERIFIER_ERR_UPDATE_RESET_FMC_DIGEST_MISMATCH"), std::string::npos) << r.output;
}

TEST(Cli, BadInputGetsAMessageAndExitCode2) {
  REQUIRE_TEST_KEYS();
  const Bytes& good = base_bundle(Generation::k2x, PqcKeyType::MlDsa);
  write_bytes(tmp("truncated.bin"), Bytes(good.begin(), good.begin() + 1000));
  Bytes marker = good;
  marker[0] = 'X';
  write_bytes(tmp("marker.bin"), marker);
  Bytes size = good;
  store_le32(size, 0x416C + 52, 0x10000000);  // FMC TOC size far beyond the file
  write_bytes(tmp("size.bin"), size);
  write_bytes(tmp("tiny.bin"), Bytes{0x43, 0x4D});

  struct Bad {
    std::string args, message;
  };
  const std::vector<Bad> cases = {
      {"image inspect " + tmp("truncated.bin"), "truncated bundle: a CMN2 manifest is 16956 bytes, the file has 1000"},
      {"image inspect " + tmp("marker.bin"), "unknown marker 0x324e4d58"},
      {"image inspect " + tmp("size.bin"), "FMC TOC entry: offset 16956 + size 268435456 lies beyond the file"},
      {"image inspect " + tmp("tiny.bin"), "too short to hold a manifest marker"},
      {"image inspect " + tmp("does-not-exist.bin"), "cannot open"},
      {"image verify " + tmp("marker.bin"), "unknown marker"},
      {"image create --fmc " + firmware_elf("hello.elf") + " --runtime " + elf("runtime", "2x") + keys() + " -o " + tmp("x.bin"),
       "outside ICCM"},
      {"image create --fmc " + elf("fmc", "2x") + " --runtime " + elf("runtime", "2x") + " --vendor-key 7" + keys() + " -o " +
           tmp("x.bin"),
       "vendor ECC key 7 does not exist"},
      {"image create --format 3.x --fmc a --runtime b -o c", "--format: '3.x' is not 1.x or 2.x"},
      {"image create --fmc " + elf("fmc", "2x") + " --runtime " + elf("runtime", "2x") + " --svn 300" + keys() + " -o " + tmp("x.bin"),
       "SVN 300 exceeds the 2.x maximum of 128"},
      {"image verify " + tmp("marker.bin") + " --format 2.x --vendor-pk-hash 1234", "expected 96 hex digits"},
      {"image fuses --key-dir " + tmp("nowhere"), "not a directory of keys"},
  };
  for (const auto& c : cases) {
    const CliRun r = run(c.args);
    EXPECT_EQ(r.status, 2) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << c.args << "\n" << r.output;
  }
}

TEST(Cli, KeyOfTheWrongTypeInKeyDir) {
  REQUIRE_TEST_KEYS();
  const fs::path dir = tmp("wrong-keys");
  fs::create_directories(dir);
  for (const auto& entry : fs::directory_iterator(key_dir())) fs::copy_file(entry.path(), dir / entry.path().filename(), fs::copy_options::overwrite_existing);
  fs::copy_file(fs::path(key_dir()) / "vendor_lms_0_pub.pem", dir / "vendor_ecc_1_pub.pem", fs::copy_options::overwrite_existing);
  const CliRun r = run("image fuses --key-dir " + dir.string());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("vendor_ecc_1_pub.pem: is an LMS key"), std::string::npos) << r.output;
}

TEST(Cli, OwnerKeysFromAnotherDirectory) {
  REQUIRE_TEST_KEYS();
  const fs::path owner = tmp("other-owner");
  fs::create_directories(owner);
  for (const char* t : {"ecc", "lms", "mldsa"})
    for (const char* part : {"key", "pub"})
      fs::copy_file(fs::path(key_dir()) / ("vendor_" + std::string(t) + "_1_" + part + ".pem"),
                    owner / ("owner_" + std::string(t) + "_" + part + ".pem"), fs::copy_options::overwrite_existing);
  const std::string out = tmp("other-owner.bin");
  CliRun r = run("image create -q --fmc " + elf("fmc", "2x") + " --runtime " + elf("runtime", "2x") + keys() + " --owner-key-dir " +
                 owner.string() + " -o " + out);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(run("image verify " + out).status, 0);  // fused for its own owner keys
  r = run("image verify " + out + " --owner-pk-hash " + kSpecOwnerHash2xLms);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("0x000B0007"), std::string::npos) << r.output;
  r = run("image create -q --fmc " + elf("fmc", "2x") + " --runtime " + elf("runtime", "2x") + keys() + " --owner-key-dir " +
          tmp("nowhere") + " -o " + out);
  EXPECT_EQ(r.status, 2);
}

TEST(Cli, SocManifestCreateAndVerify) {
  REQUIRE_TEST_KEYS();
  const std::string fw = tmp("soc-fw.bin"), soc = tmp("soc.bin");
  write_bytes(fw, base_bundle(Generation::k2x, PqcKeyType::MlDsa));
  CliRun r = run("image soc-manifest --pqc mldsa --image 2:" + elf("runtime", "2x") + ":0xa8000000 --image 5:" + elf("fmc", "2x") +
              keys() + " -o " + soc);
  ASSERT_EQ(r.status, 0) << r.output;
  r = run("image inspect " + soc);
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("2 image(s)"), std::string::npos) << r.output;
  r = run("image verify " + soc + " --fw-bundle " + fw);
  EXPECT_EQ(r.status, 0) << r.output;
  r = run("image verify " + soc);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("--fw-bundle"), std::string::npos);
}

TEST(Cli, HelpTeachesWithExamples) {
  for (const char* sub : {"create", "inspect", "verify", "fuses"}) {
    const CliRun r = run(std::string("image ") + sub + " --help");
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.output.find("Examples:"), std::string::npos) << sub;
  }
}

}  // namespace
}  // namespace calemu::image
