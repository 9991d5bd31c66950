// Building bundles: fuse hashes of the test keys against the spec's values, bytes at the spec's
// offsets, round trips build -> inspect -> verify, and signatures checked independently.
#include <gtest/gtest.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <memory>

#include "crypto/lms.h"
#include "crypto/mldsa87.h"
#include "crypto/sha.h"
#include "image/inspect.h"
#include "image/layout.h"
#include "image_test_util.h"

namespace calemu::image {
namespace {

using namespace testing;

TEST(FuseHashes, TestKeysMatchSpecSection1_4) {
  REQUIRE_TEST_KEYS();
  const PublicKeyHashes lms = key_fuse_hashes(Generation::k2x, PqcKeyType::Lms, test_keys());
  const PublicKeyHashes mldsa = key_fuse_hashes(Generation::k2x, PqcKeyType::MlDsa, test_keys());
  EXPECT_EQ(lms.vendor, words(kSpecVendorHash2xLms));
  EXPECT_EQ(lms.owner, words(kSpecOwnerHash2xLms));
  EXPECT_EQ(mldsa.vendor, words(kSpecVendorHash2xMldsa));
  EXPECT_EQ(mldsa.owner, words(kSpecOwnerHash2xMldsa));
  EXPECT_TRUE(uses_caliptra_test_keys(test_keys()));
}

TEST(FuseHashes, TestKeysMatchSpecSection1_7For1x) {
  REQUIRE_TEST_KEYS();
  const PublicKeyHashes h = key_fuse_hashes(Generation::k1x, PqcKeyType::Lms, test_keys());
  EXPECT_EQ(h.vendor, words(kSpecVendorHash1x));
  EXPECT_EQ(h.owner, words(kSpecOwnerHash1x));
}

TEST(FuseHashes, FuseWordsAreTheDigestCutIntoBigEndianWords) {  // spec §0.2
  const DigestWords w = words(kSpecVendorHash2xLms);
  EXPECT_EQ(w[0], 0xb17ca877u);
  EXPECT_EQ(w[11], 0xd3b2d909u);
}

TEST(FuseHashes, BundleManifestsHashToTheSpecValues) {
  REQUIRE_TEST_KEYS();
  for (auto [gen, pqc, vendor] : {std::tuple{Generation::k2x, PqcKeyType::Lms, kSpecVendorHash2xLms},
                                  std::tuple{Generation::k2x, PqcKeyType::MlDsa, kSpecVendorHash2xMldsa},
                                  std::tuple{Generation::k1x, PqcKeyType::Lms, kSpecVendorHash1x}}) {
    const Bytes& b = base_bundle(gen, pqc);
    EXPECT_EQ(manifest_fuse_hashes(gen, ManifestBytes(b, manifest_bytes(gen))).vendor, words(vendor));
  }
}

TEST(BundleBytes, Cmn2FieldsSitAtTheSpecOffsets) {
  REQUIRE_TEST_KEYS();
  BundleSpec s = base_spec(Generation::k2x, PqcKeyType::MlDsa);
  s.vendor_ecc_key_idx = 2;
  s.vendor_pqc_key_idx = 1;
  s.svn = 0x11;
  s.pl0_pauser = 0xABCD;
  const Bytes b = build_bundle(s, test_keys());
  auto u32 = [&](uint32_t off) { return load_le32(b, off); };
  EXPECT_EQ(std::string(b.begin(), b.begin() + 4), "CMN2");
  EXPECT_EQ(u32(0x0004), 16956u);
  EXPECT_EQ(b[0x0008], 1);                       // pqc_key_type ML-DSA
  EXPECT_EQ(load_le16(b, 0x000C), 1);            // ECC descriptor version
  EXPECT_EQ(b[0x000F], 4);                       // 4 ECC key hashes
  EXPECT_EQ(b[0x00D2], 1);                       // PQC descriptor key_type
  EXPECT_EQ(b[0x00D3], 4);                       // 4 ML-DSA key hashes
  EXPECT_EQ(u32(0x06D4), 2u);                    // vendor_ecc_pub_key_idx
  EXPECT_EQ(u32(0x0738), 1u);                    // vendor_pqc_pub_key_idx
  EXPECT_EQ(u32(0x40D4), 2u);                    // header copies
  EXPECT_EQ(u32(0x40D8), 1u);
  EXPECT_EQ(u32(0x40DC), 1u);                    // flags bit 0: pl0_pauser valid
  EXPECT_EQ(u32(0x40E0), 2u);                    // toc_len
  EXPECT_EQ(u32(0x40E4), 0xABCDu);               // pl0_pauser
  EXPECT_EQ(u32(0x4118), 0x11u);                 // svn
  EXPECT_EQ(u32(0x416C), 1u);                    // FMC TOC id
  EXPECT_EQ(u32(0x416C + 4), 1u);                // executable
  EXPECT_EQ(u32(0x416C + 28), 0x0102u);          // version
  EXPECT_EQ(u32(0x416C + 40), 0x40000000u);      // load_addr
  EXPECT_EQ(u32(0x416C + 48), 16956u);           // FMC right after the manifest
  EXPECT_EQ(u32(0x41D4), 2u);                    // runtime TOC id
  EXPECT_EQ(u32(0x41D4 + 40), 0x40008000u);
  EXPECT_EQ(u32(0x41D4 + 48), 16956u + u32(0x416C + 52));
  EXPECT_EQ(b.size() % 256, 0u);                 // §1.1: padded to 256 bytes
  // The active ECC key is the SPKI key of vendor_ecc_2 in hw format (each dword reversed).
  const Bytes x = test_keys().vendor_ecc[2].pub.x;
  EXPECT_EQ(b[0x06D8], x[3]);
  EXPECT_EQ(b[0x06D8 + 3], x[0]);
  // The active ML-DSA key is copied raw (§0.1).
  EXPECT_TRUE(std::equal(test_keys().vendor_mldsa[1].pub.begin(), test_keys().vendor_mldsa[1].pub.end(), b.begin() + 0x073C));
}

TEST(BundleBytes, CmanFieldsSitAtTheSpecOffsets) {
  REQUIRE_TEST_KEYS();
  BundleSpec s = base_spec(Generation::k1x, PqcKeyType::Lms);
  s.vendor_ecc_key_idx = 3;
  s.vendor_pqc_key_idx = 9;
  const Bytes b = build_bundle(s, test_keys());
  auto u32 = [&](uint32_t off) { return load_le32(b, off); };
  EXPECT_EQ(std::string(b.begin(), b.begin() + 4), "CMAN");
  EXPECT_EQ(u32(0x0004), 5884u);
  EXPECT_EQ(u32(0x0788), 3u);
  EXPECT_EQ(u32(0x078C), 9u);
  EXPECT_EQ(u32(0x1590 + 8), 3u);               // header ECC index
  EXPECT_EQ(u32(0x1590 + 12), 9u);              // header LMS index
  EXPECT_EQ(u32(0x1590 + 20), 2u);              // toc_len
  EXPECT_EQ(u32(0x162C), 1u);                   // FMC TOC id
  EXPECT_EQ(u32(0x162C + 32), 3u);              // FMC svn
  EXPECT_EQ(u32(0x1694 + 32), 7u);              // runtime svn
  EXPECT_EQ(u32(0x1694 + 40), 0x40006000u);     // runtime load address
  EXPECT_EQ(u32(0x162C + 48), 5884u);
  // LMS slot 9 holds vendor_lms_1 (4 keys repeated over 32 slots, spec §1.4).
  EXPECT_TRUE(std::equal(test_keys().vendor_lms[1].pub.begin(), test_keys().vendor_lms[1].pub.end(), b.begin() + 0x0188 + 9 * 48));
  EXPECT_EQ(b.size(), 5884u + u32(0x162C + 52) + u32(0x1694 + 52));  // 1.x: no padding
}

// Round trips: build -> strict parse -> describe -> verify on a production part fused with the
// spec's test values.
struct Format {
  Generation gen;
  PqcKeyType pqc;
};
void PrintTo(const Format& f, std::ostream* os) { *os << generation_name(f.gen) << " " << pqc_name(f.pqc); }

class RoundTrip : public ::testing::TestWithParam<Format> {};

TEST_P(RoundTrip, BuildInspectVerify) {
  REQUIRE_TEST_KEYS();
  const auto [gen, pqc] = GetParam();
  const Bytes& b = base_bundle(gen, pqc);
  ASSERT_NO_THROW(check_bundle_structure(gen, b));
  const nlohmann::json d = describe_bundle(gen, b);
  EXPECT_EQ(d["format"], gen == Generation::k1x ? "1.x" : "2.x");
  EXPECT_EQ(d["pqc_key_type"], pqc == PqcKeyType::Lms ? "LMS" : "ML-DSA-87");
  EXPECT_TRUE(d["toc_digest_matches"].get<bool>());
  EXPECT_TRUE(d["fmc"]["digest_matches"].get<bool>());
  EXPECT_TRUE(d["runtime"]["digest_matches"].get<bool>());
  EXPECT_EQ(d["fmc"]["load_addr"], 0x40000000u);
  EXPECT_EQ(d["runtime"]["load_addr"], gen == Generation::k1x ? 0x40006000u : 0x40008000u);
  EXPECT_FALSE(render_description(d).empty());

  VerifyContext ctx;
  ctx.fuses = spec_fuses(gen, pqc);
  const VerifyResult r = verify_bundle(gen, b, ctx);
  EXPECT_TRUE(r.ok()) << std::hex << r.error << " " << r.rule;
}

INSTANTIATE_TEST_SUITE_P(Formats, RoundTrip,
                         ::testing::Values(Format{Generation::k1x, PqcKeyType::Lms}, Format{Generation::k2x, PqcKeyType::Lms},
                                           Format{Generation::k2x, PqcKeyType::MlDsa}),
                         [](const auto& param_info) {
                           return std::string(param_info.param.gen == Generation::k1x ? "Caliptra1x" : "Caliptra2x") +
                                  (param_info.param.pqc == PqcKeyType::Lms ? "Lms" : "Mldsa");
                         });

TEST(RoundTrip, BuildIsDeterministic) {
  REQUIRE_TEST_KEYS();
  EXPECT_EQ(build_bundle(base_spec(Generation::k2x, PqcKeyType::Lms), test_keys()), base_bundle(Generation::k2x, PqcKeyType::Lms));
}

// The vendor ECC signature checked with OpenSSL's own ECDSA over the spec's signed range,
// independently of the image library's and src/crypto's verification code.
TEST(Signatures, VendorEccSignatureVerifiesWithOpenSsl) {
  REQUIRE_TEST_KEYS();
  for (Generation gen : {Generation::k1x, Generation::k2x}) {
    const Bytes& b = base_bundle(gen, PqcKeyType::Lms);
    const bool v1 = gen == Generation::k1x;
    const uint32_t header = v1 ? 0x1590 : 0x40CC, signed_len = v1 ? 116 : 120, sig = v1 ? 0x0790 : 0x115C;
    const Bytes digest = crypto::sha384(ByteView(b).subspan(header, signed_len));
    const Bytes r = hw_format(ByteView(b).subspan(sig, 48)), s = hw_format(ByteView(b).subspan(sig + 48, 48));

    std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen((key_dir() + "/vendor_ecc_0_pub.pem").c_str(), "r"), std::fclose);
    ASSERT_TRUE(f);
    std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key(PEM_read_PUBKEY(f.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
    ASSERT_TRUE(key);
    ECDSA_SIG* es = ECDSA_SIG_new();
    ECDSA_SIG_set0(es, BN_bin2bn(r.data(), 48, nullptr), BN_bin2bn(s.data(), 48, nullptr));
    unsigned char* der = nullptr;
    const int der_len = i2d_ECDSA_SIG(es, &der);
    ECDSA_SIG_free(es);
    std::unique_ptr<EVP_PKEY_CTX, void (*)(EVP_PKEY_CTX*)> ctx(EVP_PKEY_CTX_new(key.get(), nullptr), EVP_PKEY_CTX_free);
    ASSERT_EQ(EVP_PKEY_verify_init(ctx.get()), 1);
    EXPECT_EQ(EVP_PKEY_verify(ctx.get(), der, der_len, digest.data(), digest.size()), 1) << (v1 ? "1.x" : "2.x");
    OPENSSL_free(der);
  }
}

// The PQC signatures checked directly with src/crypto over the spec's message: LMS over the
// SHA-384 of the vendor-signed header, ML-DSA-87 over the raw header bytes (spec §0.3).
TEST(Signatures, PqcSignaturesCoverTheSpecMessages) {
  REQUIRE_TEST_KEYS();
  const Bytes& lms = base_bundle(Generation::k2x, PqcKeyType::Lms);
  const Bytes lms_digest = crypto::sha384(ByteView(lms).subspan(0x40CC, 120));
  EXPECT_TRUE(crypto::lms::verify(ByteView(lms).subspan(0x073C, 48), lms_digest, ByteView(lms).subspan(0x11BC, 1620)));
  const Bytes owner_digest = crypto::sha384(ByteView(lms).subspan(0x40CC, 160));
  EXPECT_TRUE(crypto::lms::verify(ByteView(lms).subspan(0x2430, 48), owner_digest, ByteView(lms).subspan(0x2EB0, 1620)));
  // u32str(q), big-endian: q = 5 for the sparse test trees.
  EXPECT_EQ(Bytes(lms.begin() + 0x11BC, lms.begin() + 0x11BC + 4), (Bytes{0, 0, 0, 5}));

  const Bytes& ml = base_bundle(Generation::k2x, PqcKeyType::MlDsa);
  EXPECT_TRUE(crypto::mldsa87::verify(ByteView(ml).subspan(0x073C, 2592), ByteView(ml).subspan(0x40CC, 120), {},
                                      ByteView(ml).subspan(0x11BC, 4627)));
  EXPECT_TRUE(crypto::mldsa87::verify(ByteView(ml).subspan(0x2430, 2592), ByteView(ml).subspan(0x40CC, 160), {},
                                      ByteView(ml).subspan(0x2EB0, 4627)));
}

TEST(BuildErrors, RejectsWhatNoRomAccepts) {
  REQUIRE_TEST_KEYS();
  auto expect_error = [](BundleSpec s, const std::string& part) {
    try {
      build_bundle(s, test_keys());
      ADD_FAILURE() << "no error, expected one containing '" << part << "'";
    } catch (const ImageError& e) {
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
  };
  BundleSpec s = base_spec(Generation::k2x, PqcKeyType::Lms);
  BundleSpec outside = s;
  outside.fmc.exe.load_addr = 0x80000000;
  outside.fmc.exe.entry_point = 0x80000000;
  expect_error(outside, "outside ICCM");
  BundleSpec overlap = s;
  overlap.runtime.exe.load_addr = overlap.runtime.exe.entry_point = 0x40000100;
  expect_error(overlap, "overlap");
  BundleSpec big = base_spec(Generation::k1x, PqcKeyType::Lms);  // fits 1.x ICCM, not a 1.x bundle
  big.fmc.exe.content.resize(0x6000);
  big.runtime.exe.content.resize(0x1A000);
  expect_error(big, "accepts at most 131072");
  BundleSpec key = s;
  key.vendor_ecc_key_idx = 4;
  expect_error(key, "vendor ECC key 4 does not exist");
  BundleSpec mldsa = base_spec(Generation::k2x, PqcKeyType::MlDsa);
  mldsa.vendor_pqc_key_idx = 7;
  expect_error(mldsa, "ML-DSA key 7");
  BundleSpec svn = s;
  svn.svn = 129;
  expect_error(svn, "SVN 129");
  BundleSpec date = s;
  date.vendor_not_before = "2024-01-01";
  expect_error(date, "YYYYMMDDHHMMSS");
  BundleSpec empty = s;
  empty.fmc.exe.content.clear();
  expect_error(empty, "FMC is empty");
}

}  // namespace
}  // namespace calemu::image
