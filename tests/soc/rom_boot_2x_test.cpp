// The official caliptra-sw frozen 2.x ROMs (main rom/ci_frozen_rom/2.1/, branch caliptra-2.0
// rom/ci_frozen_rom/2.0/) on the --hw 2.0 / 2.1 machines in passive mode. They are not in the
// repo: set CALEMU_ROM_DIR to a directory holding caliptra-rom[-with-log]-2.*.bin; without it
// the tests skip. The bundle tests also need the test bundles (target test-bundles, built
// when ../shared/keys/caliptra-fake exists).
//
// Expected values come from the spec, not from calemu: boot and error codes from
// caliptra-fw-protocol.md §2.3 / caliptra-fw-error-codes.md, the test keys' fuse hashes from
// caliptra-fw-protocol.md §1.4, and the IDevID CSRs are checked with independent verifiers
// (OpenSSL for ECDSA P-384, calemu's FIPS 204 code, proven by the NIST vectors, for ML-DSA-87).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>

#include "caliptra/machine.h"
#include "common/elf.h"
#include "crypto/bytes.h"
#include "crypto/ecc384.h"
#include "crypto/mldsa87.h"
#include "crypto/sha.h"
#include "soc/boot_driver.h"

using namespace calemu;
using caliptra::HwGen;
using caliptra::SecurityState;
using crypto::ByteView;
using crypto::Bytes;

namespace {

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

std::string bundle_path(const std::string& name) {
  return std::string(CALEMU_BINARY_DIR) + "/firmware/bundles/" + name + ".bin";
}

// "caliptra-rom-with-log-2.1.2-" -> "with_log_2_1_2"
std::string test_name(std::string prefix) {
  std::string n = prefix.substr(std::strlen("caliptra-rom-"));
  if (!n.empty() && n.back() == '-') n.pop_back();
  for (char& c : n)
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

// caliptra-fw-protocol.md §2.3 boot statuses and §2.1 flow-status bits.
constexpr uint32_t kLDevIdDerivationComplete = 0x46;
constexpr uint32_t kFlowReadyForFw = 1u << 28;
constexpr uint32_t kTestFmcBootStatus = 0x7E57'F001;  // our test FMC (docs/image.md)

const char* lifecycle_name(SecurityState::Lifecycle lc) {
  switch (lc) {
    case SecurityState::Unprovisioned: return "unprovisioned";
    case SecurityState::Manufacturing: return "manufacturing";
    case SecurityState::Production: return "production";
  }
  return "?";
}

// As `calemu boot --lifecycle` sets them: debug unlocked only while unprovisioned.
SecurityState security(SecurityState::Lifecycle lc) { return {lc, lc != SecurityState::Unprovisioned, false}; }

// A machine and its SoC-side driver, with the cycle at which the ROM set READY_FOR_FW.
struct Boot {
  Boot(const std::string& rom, HwGen hw, SecurityState::Lifecycle lc, soc::BootOptions opts = {}) {
    caliptra::MachineConfig mc;
    mc.hw = hw;
    mc.rom = read_file(rom);
    mc.security = security(lc);
    m = std::make_unique<caliptra::Machine>(mc);
    d = std::make_unique<soc::BootDriver>(*m, std::move(opts));
    m->on_flow_status = [this](uint32_t v) {
      if ((v & kFlowReadyForFw) && !ready_for_fw) ready_for_fw = m->cycles();
    };
  }
  Boot(const Boot&) = delete;
  Boot& operator=(const Boot&) = delete;

  std::unique_ptr<caliptra::Machine> m;
  std::unique_ptr<soc::BootDriver> d;
  uint64_t ready_for_fw = 0;  // cycle at which the ROM set READY_FOR_FW
  uint64_t waiting = 0;       // cycle of the ROM's last action before it polls the mailbox
  double seconds = 0;
};

// Boots to the ROM's mailbox wait; false (with the driver's message) if it does not get there.
::testing::AssertionResult boot_to_mailbox_wait(Boot& b) {
  const auto t0 = std::chrono::steady_clock::now();
  soc::BootDriver& d = *b.d;
  const bool ok = d.program_fuses() && d.start() && d.wait_ready_for_fw(100'000'000) &&
                  d.wait_for_mailbox_poll(10'000, 100'000'000);
  b.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  b.waiting = b.m->last_activity();
  if (!ok) return ::testing::AssertionFailure() << d.error().message << "\nROM log:\n" << b.m->output();
  return ::testing::AssertionSuccess();
}

void report(const char* what, const std::string& rom, uint64_t cycles, double seconds) {
  std::printf("[ figures  ] %s: %s: %llu cycles, %.2f s\n", fs::path(rom).filename().c_str(), what,
              static_cast<unsigned long long>(cycles), seconds);
  ::testing::Test::RecordProperty(std::string(what) + "_cycles", std::to_string(cycles));
}

// ---- every 2.x ROM reaches READY_FOR_FW ----------------------------------------------------

struct RomCase {
  const char* prefix;
  HwGen hw;
  bool logs;
  SecurityState::Lifecycle lc = SecurityState::Unprovisioned;
};

std::string case_name(const RomCase& c) {
  return test_name(c.prefix) + "_" + lifecycle_name(c.lc);
}

void PrintTo(const RomCase& c, std::ostream* os) { *os << case_name(c); }

class OfficialRom2x : public ::testing::TestWithParam<RomCase> {};

TEST_P(OfficialRom2x, BootsToReadyForFwWithNoError) {
  const RomCase& c = GetParam();
  const std::string rom = find_rom(c.prefix);
  if (rom.empty()) GTEST_SKIP() << "set CALEMU_ROM_DIR to run the official ROMs (" << c.prefix << "*)";
  Boot b(rom, c.hw, c.lc);
  ASSERT_TRUE(boot_to_mailbox_wait(b));
  const caliptra::SocIfc& s = b.m->soc_ifc();
  // The ROM writes CPTRA_BOOT_STATUS only while debug is unlocked (caliptra-sw
  // drivers/src/soc_ifc.rs report_boot_status; it keeps a copy in DCCM either way).
  const bool debug_locked = c.lc != SecurityState::Unprovisioned;
  EXPECT_EQ(s.reg(caliptra::SocIfc::CPTRA_BOOT_STATUS), debug_locked ? 0u : kLDevIdDerivationComplete);
  EXPECT_EQ(s.reg(caliptra::SocIfc::CPTRA_FW_ERROR_FATAL), 0u);
  EXPECT_EQ(s.reg(caliptra::SocIfc::CPTRA_FW_ERROR_NON_FATAL), 0u);
  EXPECT_EQ(s.reg(caliptra::SocIfc::CPTRA_HW_ERROR_FATAL), 0u);
  EXPECT_EQ(s.reg(caliptra::SocIfc::CPTRA_HW_ERROR_NON_FATAL), 0u);
  EXPECT_NE(b.ready_for_fw, 0u);
  if (c.logs) {
    // The KATs of every engine the ROM uses (2.1 adds SHAKE-256 on the KMAC block), the two
    // DICE layers and the firmware processor's wait.
    std::vector<const char*> lines = {"Running Caliptra ROM", "[kat] SHA2-512-ACC", "[kat] ECDH",
                                      "[kat] HMAC-512Kdf",    "[kat] MLDSA87",      "[kat] --",
                                      "[idev] --",            "[ldev] --",          "[fwproc] Wait for Commands"};
    if (c.hw == HwGen::V2_1) lines.push_back("[kat] SHAKE-256");
    for (const char* l : lines) EXPECT_NE(b.m->output().find(l), std::string::npos) << "missing '" << l << "'";
  }
  report("READY_FOR_FW", rom, b.ready_for_fw, b.seconds);
  report("mailbox wait", rom, b.waiting, b.seconds);
}

const RomCase kRoms[] = {
    {"caliptra-rom-with-log-2.1.2-", HwGen::V2_1, true},
    {"caliptra-rom-2.1.2-", HwGen::V2_1, false},
    {"caliptra-rom-with-log-2.1.1-", HwGen::V2_1, true},
    {"caliptra-rom-2.1.1-", HwGen::V2_1, false},
    {"caliptra-rom-with-log-2.1.0-", HwGen::V2_1, true},
    {"caliptra-rom-2.1.0-", HwGen::V2_1, false},
    {"caliptra-rom-with-log-2.0.2-", HwGen::V2_0, true},
    {"caliptra-rom-2.0.2-", HwGen::V2_0, false},
    {"caliptra-rom-with-log-2.0.1-", HwGen::V2_0, true},
    {"caliptra-rom-2.0.1-", HwGen::V2_0, false},
    {"caliptra-rom-with-log-2.0.0-", HwGen::V2_0, true},
    {"caliptra-rom-2.0.0-", HwGen::V2_0, false},
    // The debug-locked lifecycles take other paths through the KATs and key derivation.
    {"caliptra-rom-with-log-2.1.2-", HwGen::V2_1, true, SecurityState::Manufacturing},
    {"caliptra-rom-with-log-2.1.2-", HwGen::V2_1, true, SecurityState::Production},
    {"caliptra-rom-with-log-2.0.2-", HwGen::V2_0, true, SecurityState::Manufacturing},
    {"caliptra-rom-with-log-2.0.2-", HwGen::V2_0, true, SecurityState::Production},
};

INSTANTIATE_TEST_SUITE_P(Roms, OfficialRom2x, ::testing::ValuesIn(kRoms),
                         [](const auto& p) { return case_name(p.param); });

// ---- the 2.x ROMs verify calemu-built bundles and hand off to our FMC -----------------------

// caliptra-fw-protocol.md §1.4: the fuse values of Caliptra's test keys and the PQC key type
// (1 = ECC + ML-DSA-87, 3 = ECC + LMS).
struct PqcCase {
  const char* name;
  const char* bundle;
  const char* vendor_hash;
  const char* owner_hash;
  uint32_t pqc_key_type;
};
const PqcCase kMldsa = {"MlDsa", "fw-2x-mldsa",
                        "30399676a17e3e973677b3ff862f4bf2d1932d884778453c376fe00dc93fb8aa0770f3ebf3411a0853e9c57ece8a2980",
                        "48afdb073c5e0d4ee46490468ef81f2cf57249b6e76a28f5fca4de696a7d3e2ed3efc4e6774318543e95307a54988bd7",
                        1};
const PqcCase kLms = {"Lms", "fw-2x-lms",
                      "b17ca877666657ccd100e6926c7206b60c995cb68992c6c9baefce728af05441dee1ff415adfc187e1e4edb4d3b2d909",
                      "1b179390e4e6c44422ed553e256c7d675cd93190cb49d88d485aa4ef3906cd492ab3ee3d3ba5f2c990ad13390fed4de5",
                      3};

std::array<uint32_t, 12> hash_words(const char* hex) {
  const Bytes b = crypto::from_hex(hex);
  std::array<uint32_t, 12> w{};
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = uint32_t{b[4 * i]} << 24 | uint32_t{b[4 * i + 1]} << 16 | uint32_t{b[4 * i + 2]} << 8 | b[4 * i + 3];
  return w;
}

soc::BootOptions production_fuses(const PqcCase& p) {
  soc::BootOptions o;
  o.fuses.vendor_pk_hash = hash_words(p.vendor_hash);
  o.fuses.owner_pk_hash = hash_words(p.owner_hash);
  o.fuses.pqc_key_type = p.pqc_key_type;
  return o;
}

struct BundleCase {
  const char* rom_prefix;
  HwGen hw;
  PqcCase pqc;
};

void PrintTo(const BundleCase& c, std::ostream* os) { *os << test_name(c.rom_prefix) << " " << c.pqc.bundle; }

class OfficialRom2xBundle : public ::testing::TestWithParam<BundleCase> {
 protected:
  void SetUp() override {
    rom_ = find_rom(GetParam().rom_prefix);
    if (rom_.empty()) GTEST_SKIP() << "set CALEMU_ROM_DIR to run the official ROMs (" << GetParam().rom_prefix << "*)";
    if (!fs::exists(bundle_path(GetParam().pqc.bundle)))
      GTEST_SKIP() << "no " << GetParam().pqc.bundle << ".bin (the test bundles need ../shared/keys/caliptra-fake)";
    bundle_ = read_file(bundle_path(GetParam().pqc.bundle));
  }
  std::string rom_;
  std::vector<uint8_t> bundle_;
};

TEST_P(OfficialRom2xBundle, VerifiesOurBundleAndHandsOffToOurFmc) {
  const auto t0 = std::chrono::steady_clock::now();
  Boot b(rom_, GetParam().hw, SecurityState::Production, production_fuses(GetParam().pqc));
  soc::BootDriver& d = *b.d;
  ASSERT_TRUE(d.program_fuses() && d.start() && d.wait_ready_for_fw(100'000'000)) << d.error().message;
  ASSERT_TRUE(d.load_firmware(bundle_, 100'000'000)) << d.error().message << "\nROM log:\n" << b.m->output();
  ASSERT_TRUE(d.wait_until([&] { return b.m->entered_fmc(); }, 100'000'000, "the FMC")) << d.error().message;
  const uint64_t fmc_at = b.m->cycles();
  const double fmc_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(d.wait_ready_for_runtime(10'000'000)) << d.error().message << "\nlog:\n" << b.m->output();
  const std::string& out = b.m->output();
  EXPECT_NE(out.find("[test-fmc] calemu test FMC for Caliptra 2.x running"), std::string::npos) << out;
  EXPECT_NE(out.find("[test-rt] calemu test runtime for Caliptra 2.x running"), std::string::npos) << out;
  EXPECT_EQ(b.m->soc_ifc().reg(caliptra::SocIfc::CPTRA_FW_ERROR_FATAL), 0u);
  EXPECT_EQ(b.m->soc_ifc().reg(caliptra::SocIfc::CPTRA_FW_ERROR_NON_FATAL), 0u);
  // The logging ROMs name the PQC signature they checked ("[fwproc] Img verified ...").
  if (const size_t at = out.find("Img verified"); at != std::string::npos) {
    const std::string line = out.substr(at, out.find('\n', at) - at);
    EXPECT_NE(line.find(GetParam().pqc.pqc_key_type == 1 ? "MLDSA" : "LMS"), std::string::npos) << line;
  }
  report("FMC", rom_, fmc_at, fmc_s);
}

// A warm reset keeps the fuses (sticky) and the DCCM: the SoC writes CPTRA_FUSE_WR_DONE again
// (soc_ifc_top.sv observes the write even though done stays set), the ROM takes its warm-reset
// path and relaunches the FMC from the ICCM without a new FIRMWARE_LOAD.
TEST_P(OfficialRom2xBundle, WarmResetRelaunchesTheFmcWithoutAFirmwareLoad) {
  Boot b(rom_, GetParam().hw, SecurityState::Production, production_fuses(GetParam().pqc));
  soc::BootDriver& d = *b.d;
  ASSERT_TRUE(d.program_fuses() && d.start() && d.wait_ready_for_fw(100'000'000) &&
              d.load_firmware(bundle_, 100'000'000) && d.wait_ready_for_runtime(100'000'000))
      << d.error().message;
  const size_t cold_log = b.m->output().size();
  b.m->warm_reset();
  EXPECT_FALSE(b.m->soc_ifc().ready_for_runtime());
  soc::BootDriver warm(*b.m, production_fuses(GetParam().pqc));
  ASSERT_TRUE(warm.program_fuses() && warm.start()) << warm.error().message;
  ASSERT_TRUE(warm.wait_ready_for_runtime(100'000'000)) << warm.error().message << "\n" << b.m->output();
  EXPECT_TRUE(b.m->entered_fmc());
  const std::string after = b.m->output().substr(cold_log);
  EXPECT_NE(after.find("[test-fmc] calemu test FMC for Caliptra 2.x running"), std::string::npos) << after;
  EXPECT_EQ(after.find("[fwproc]"), std::string::npos) << after;
  if (std::string(GetParam().rom_prefix).find("with-log") != std::string::npos) {
    EXPECT_NE(after.find("[warm-reset] --"), std::string::npos) << after;
  }
  EXPECT_EQ(b.m->soc_ifc().reg(caliptra::SocIfc::CPTRA_FW_ERROR_FATAL), 0u);
  EXPECT_EQ(b.m->soc_ifc().reg(caliptra::SocIfc::CPTRA_FW_ERROR_NON_FATAL), 0u);
}

// The PQC key type fuse selects the signature: the other type's bundle is refused with
// 0x000B005C IMAGE_VERIFIER_ERR_PQC_KEY_TYPE_MISMATCH.
TEST_P(OfficialRom2xBundle, RefusesTheOtherPqcKeyType) {
  PqcCase other = GetParam().pqc.pqc_key_type == 1 ? kLms : kMldsa;
  Boot b(rom_, GetParam().hw, SecurityState::Production, production_fuses(other));
  soc::BootDriver& d = *b.d;
  ASSERT_TRUE(d.program_fuses() && d.start() && d.wait_ready_for_fw(100'000'000)) << d.error().message;
  EXPECT_FALSE(d.load_firmware(bundle_, 100'000'000));
  EXPECT_EQ(d.error().fw_error, 0x000B'005Cu) << d.error().message;
  EXPECT_FALSE(b.m->entered_fmc());
}

const BundleCase kBundles[] = {
    {"caliptra-rom-with-log-2.1.2-", HwGen::V2_1, kMldsa},
    {"caliptra-rom-with-log-2.1.2-", HwGen::V2_1, kLms},
    {"caliptra-rom-2.1.2-", HwGen::V2_1, kMldsa},
    {"caliptra-rom-2.1.2-", HwGen::V2_1, kLms},
    {"caliptra-rom-with-log-2.0.2-", HwGen::V2_0, kMldsa},
    {"caliptra-rom-with-log-2.0.2-", HwGen::V2_0, kLms},
};

INSTANTIATE_TEST_SUITE_P(Roms, OfficialRom2xBundle, ::testing::ValuesIn(kBundles), [](const auto& p) {
  return test_name(p.param.rom_prefix) + "_" + p.param.pqc.name;
});

// ---- the IDevID CSR envelope (manufacturing, MFG_FLAG_GEN_IDEV_CSR) ------------------------

// A DER TLV: `whole` is the encoding, `body` its contents. Short and long definite lengths.
struct Tlv {
  uint8_t tag = 0;
  ByteView whole, body;
};

std::optional<Tlv> next_tlv(ByteView& in) {
  if (in.size() < 2) return std::nullopt;
  size_t len = in[1], hdr = 2;
  if (len & 0x80) {
    const size_t n = len & 0x7F;
    if (n == 0 || n > 3 || in.size() < 2 + n) return std::nullopt;
    len = 0;
    for (size_t i = 0; i < n; ++i) len = len << 8 | in[2 + i];
    hdr += n;
  }
  if (in.size() < hdr + len) return std::nullopt;
  Tlv t{in[0], in.first(hdr + len), in.subspan(hdr, len)};
  in = in.subspan(hdr + len);
  return t;
}

// PKCS#10: SEQUENCE { CertificationRequestInfo, AlgorithmIdentifier, BIT STRING signature }.
struct Csr {
  ByteView info;       // the signed bytes
  ByteView alg_oid;    // the signature algorithm's OID contents
  ByteView spki_key;   // subjectPublicKey (BIT STRING contents after the unused-bits byte)
  ByteView signature;  // likewise
};

std::optional<Csr> parse_csr(ByteView der) {
  auto outer = next_tlv(der);
  if (!outer || outer->tag != 0x30) return std::nullopt;
  ByteView body = outer->body;
  auto info = next_tlv(body), alg = next_tlv(body), sig = next_tlv(body);
  if (!info || !alg || !sig || sig->tag != 0x03 || sig->body.empty()) return std::nullopt;
  ByteView alg_body = alg->body;
  auto oid = next_tlv(alg_body);
  ByteView ib = info->body;
  auto version = next_tlv(ib), subject = next_tlv(ib), spki = next_tlv(ib);
  if (!oid || !version || !subject || !spki) return std::nullopt;
  ByteView sb = spki->body;
  auto spki_alg = next_tlv(sb), key = next_tlv(sb);
  if (!spki_alg || !key || key->tag != 0x03 || key->body.empty()) return std::nullopt;
  return Csr{info->whole, oid->body, key->body.subspan(1), sig->body.subspan(1)};
}

Bytes unsigned_48(ByteView integer) {
  while (integer.size() > 48 && integer[0] == 0) integer = integer.subspan(1);
  Bytes out(48 - std::min<size_t>(48, integer.size()), 0);
  out.insert(out.end(), integer.begin(), integer.end());
  return out;
}

// RFC 5758 ecdsa-with-SHA384 (1.2.840.10045.4.3.3) and FIPS 204 id-ml-dsa-87
// (2.16.840.1.101.3.4.3.19).
const Bytes kEcdsaSha384Oid = {0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03};
const Bytes kMlDsa87Oid = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x13};

bool ecdsa_csr_verifies(const Csr& c) {
  if (c.spki_key.size() != 97 || c.spki_key[0] != 0x04) return false;
  crypto::EccPublicKey pub{Bytes(c.spki_key.begin() + 1, c.spki_key.begin() + 49),
                           Bytes(c.spki_key.begin() + 49, c.spki_key.end())};
  ByteView sig = c.signature;
  auto seq = next_tlv(sig);
  if (!seq) return false;
  ByteView rs = seq->body;
  auto r = next_tlv(rs), s = next_tlv(rs);
  if (!r || !s) return false;
  return crypto::ecc384_verify_digest(pub, crypto::sha384(c.info), {unsigned_48(r->body), unsigned_48(s->body)});
}

uint32_t le32(ByteView b, size_t at) {
  return uint32_t{b[at]} | uint32_t{b[at + 1]} << 8 | uint32_t{b[at + 2]} << 16 | uint32_t{b[at + 3]} << 24;
}

struct CsrCase {
  const char* prefix;
  HwGen hw;
};

void PrintTo(const CsrCase& c, std::ostream* os) { *os << test_name(c.prefix); }

class OfficialRom2xCsr : public ::testing::TestWithParam<CsrCase> {};

// caliptra-sw drivers/src/persistent.rs InitDevIdCsrEnvelope: marker 0x435352 ("RSC"), size,
// {u32 len, ECC CSR[512]}, {u32 len, ML-DSA CSR[7680 (2.0) / 8192 (2.1)]}, and an HMAC-512
// tag over everything before it keyed by the HMAC block's CSR key: cptra_csr_hmac_key, which
// caliptra_top.sv latches only in manufacturing (zeros from our SoC).
TEST_P(OfficialRom2xCsr, SignsBothIdevIdCsrsAndMacsTheEnvelope) {
  const std::string rom = find_rom(GetParam().prefix);
  if (rom.empty()) GTEST_SKIP() << "set CALEMU_ROM_DIR to run the official ROMs (" << GetParam().prefix << "*)";
  soc::BootOptions o;
  o.request_idevid_csr = true;
  Boot b(rom, GetParam().hw, SecurityState::Manufacturing, o);
  ASSERT_TRUE(boot_to_mailbox_wait(b));
  const std::vector<uint8_t>& env = b.d->idevid_csr();
  ASSERT_GE(env.size(), 8u + 516 + 4 + 64);
  EXPECT_EQ(le32(env, 0), 0x0043'5352u);
  ASSERT_EQ(le32(env, 4), env.size());
  const size_t mldsa_max = env.size() - 8 - 516 - 4 - 64;
  EXPECT_EQ(mldsa_max, GetParam().hw == HwGen::V2_0 ? 7680u : 8192u);
  const ByteView all(env);
  const uint32_t ecc_len = le32(all, 8), mldsa_len = le32(all, 8 + 516);
  ASSERT_LE(ecc_len, 512u);
  ASSERT_LE(mldsa_len, mldsa_max);

  const auto ecc = parse_csr(all.subspan(12, ecc_len));
  ASSERT_TRUE(ecc);
  EXPECT_TRUE(std::equal(ecc->alg_oid.begin(), ecc->alg_oid.end(), kEcdsaSha384Oid.begin(), kEcdsaSha384Oid.end()));
  EXPECT_TRUE(ecdsa_csr_verifies(*ecc)) << "the ECC IDevID CSR's signature does not verify";

  const auto mldsa = parse_csr(all.subspan(8 + 516 + 4, mldsa_len));
  ASSERT_TRUE(mldsa);
  EXPECT_TRUE(std::equal(mldsa->alg_oid.begin(), mldsa->alg_oid.end(), kMlDsa87Oid.begin(), kMlDsa87Oid.end()));
  ASSERT_EQ(mldsa->spki_key.size(), 2592u);
  ASSERT_EQ(mldsa->signature.size(), 4627u);
  EXPECT_TRUE(crypto::mldsa87::verify(mldsa->spki_key, mldsa->info, {}, mldsa->signature))
      << "the ML-DSA-87 IDevID CSR's signature does not verify";

  const size_t mac_at = env.size() - 64;
  const Bytes zeros(64, 0);
  const Bytes tag = crypto::hmac_sha512(zeros, all.first(mac_at));
  EXPECT_TRUE(std::equal(tag.begin(), tag.end(), env.begin() + mac_at)) << "CSR envelope MAC";
}

INSTANTIATE_TEST_SUITE_P(Roms, OfficialRom2xCsr,
                         ::testing::Values(CsrCase{"caliptra-rom-with-log-2.1.2-", HwGen::V2_1},
                                           CsrCase{"caliptra-rom-with-log-2.0.2-", HwGen::V2_0}),
                         [](const auto& p) {
                           return test_name(p.param.prefix);
                         });

}  // namespace
