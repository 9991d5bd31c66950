// The 2.x SoC manifest (ATM2): bytes at the spec's offsets (§5.2), acceptance against the
// firmware bundle it belongs to, and the runtime's error code for each SET_AUTH_MANIFEST check.
#include <gtest/gtest.h>

#include "crypto/sha.h"
#include "image/inspect.h"
#include "image/lms_sign.h"
#include "image/signatures.h"
#include "image/soc_manifest.h"
#include "image_test_util.h"

namespace calemu::image {
namespace {

using namespace testing;

SocManifestSpec soc_spec(PqcKeyType pqc) {
  SocManifestSpec s;
  s.pqc = pqc;
  s.svn = 4;
  for (uint32_t id : {7u, 2u, 9u}) {
    ImageMetadataEntry e;
    e.fw_id = id;
    e.component_id = 0x100 + id;
    e.load_addr = 0xA800'0000ull + id;
    e.staging_addr = 0x1'0000'0000ull * id;
    e.digest = crypto::sha384(Bytes(10, static_cast<uint8_t>(id)));
    s.entries.push_back(e);
  }
  return s;
}

const Bytes& soc_manifest(PqcKeyType pqc) {
  static std::map<PqcKeyType, Bytes> cache;
  auto it = cache.find(pqc);
  if (it == cache.end()) it = cache.emplace(pqc, build_soc_manifest(soc_spec(pqc), test_keys())).first;
  return it->second;
}

uint32_t verify_code(const Bytes& m, PqcKeyType pqc, const std::function<void(FuseState&, SocManifestFuses&)>& tweak = {}) {
  FuseState f = spec_fuses(Generation::k2x, pqc);
  SocManifestFuses sf;
  if (tweak) tweak(f, sf);
  return verify_soc_manifest(m, base_bundle(Generation::k2x, pqc), f, sf).error;
}

// Re-signs the image list (both signatures) after an edit of the entries, with the same keys
// the builder uses for the manifest's own keys.
Bytes resign_collection(Bytes m, PqcKeyType pqc) {
  const ByteView imc = ByteView(m).subspan(atm2::kPreambleBytes);
  const Bytes digest = crypto::sha384(imc);
  auto sign = [&](const EccKey& ecc, const LmsKey& lms, const MldsaKey& mldsa, uint32_t offset) {
    Bytes sig = ecc_sign(ecc, digest);
    const Bytes pq = pqc == PqcKeyType::Lms ? lms_sign_image(lms, digest) : mldsa_sign(mldsa, imc);
    sig.insert(sig.end(), pq.begin(), pq.end());
    std::copy(sig.begin(), sig.end(), m.begin() + offset);
  };
  const KeySet& k = test_keys();
  sign(k.vendor_ecc[0], k.vendor_lms[0], k.vendor_mldsa[0], atm2::vendor_imc_signatures.offset);
  sign(*k.owner_ecc, *k.owner_lms, *k.owner_mldsa, atm2::owner_imc_signatures.offset);
  return m;
}

TEST(SocManifest, FieldsSitAtTheSpecOffsets) {
  REQUIRE_TEST_KEYS();
  const Bytes& m = soc_manifest(PqcKeyType::Lms);
  EXPECT_EQ(m.size(), 24292u + 4 + 3 * 80);  // preamble, entry_count, 3 entries of 80 bytes
  EXPECT_EQ(std::string(m.begin(), m.begin() + 4), "ATM2");
  EXPECT_EQ(load_le32(m, 4), 24292u);
  EXPECT_EQ(load_le32(m, 8), 2u);    // version
  EXPECT_EQ(load_le32(m, 12), 4u);   // svn
  EXPECT_EQ(load_le32(m, 16), 1u);   // VENDOR_SIGNATURE_REQUIRED
  EXPECT_EQ(load_le32(m, 24292), 3u);
  EXPECT_EQ(load_le32(m, 24296), 7u);                 // first entry's fw_id
  EXPECT_EQ(load_le32(m, 24296 + 4), 0x107u);         // component_id
  EXPECT_EQ(load_le32(m, 24296 + 16), 0xA8000007u);   // load address low
  EXPECT_EQ(load_le32(m, 24296 + 28), 7u);            // staging address high
  EXPECT_EQ(Bytes(m.begin() + 24296 + 32, m.begin() + 24296 + 80), crypto::sha384(Bytes(10, 7)));
  EXPECT_EQ(load_le32(m, 24296 + 80), 2u);            // second entry
  // The manifest's vendor ECC key is the bundle's active vendor ECC key (hw format).
  EXPECT_TRUE(std::equal(m.begin() + 20, m.begin() + 20 + 96, test_keys().vendor_ecc[0].manifest_bytes().begin()));
}

TEST(SocManifest, AcceptedWithItsFirmwareBundle) {
  REQUIRE_TEST_KEYS();
  EXPECT_EQ(verify_code(soc_manifest(PqcKeyType::Lms), PqcKeyType::Lms), 0u);
  EXPECT_EQ(verify_code(soc_manifest(PqcKeyType::MlDsa), PqcKeyType::MlDsa), 0u);
  const nlohmann::json d = describe_soc_manifest(soc_manifest(PqcKeyType::MlDsa));
  EXPECT_EQ(d["entries"].size(), 3u);
  EXPECT_EQ(d["entries"][2]["fw_id"], 9u);
}

TEST(SocManifest, RuntimeErrorCodes) {
  REQUIRE_TEST_KEYS();
  constexpr PqcKeyType L = PqcKeyType::Lms, M = PqcKeyType::MlDsa;
  auto patched = [](PqcKeyType pqc, size_t offset, uint8_t x) {
    Bytes m = soc_manifest(pqc);
    m[offset] ^= x;
    return m;
  };
  const Bytes& lms = soc_manifest(L);
  EXPECT_EQ(verify_code(Bytes(lms.begin(), lms.begin() + 24291), L), 0x000E004Bu);  // PREAMBLE_SIZE_LT_MIN
  EXPECT_EQ(verify_code(patched(L, 0, 1), L), 0x000E0045u);                         // INVALID_AUTH_MANIFEST_MARKER
  EXPECT_EQ(verify_code(patched(L, 4, 1), L), 0x000E0046u);                         // PREAMBLE_SIZE_MISMATCH
  EXPECT_EQ(verify_code(lms, L, [](FuseState&, SocManifestFuses& s) { s.soc_manifest_max_svn = 3; }), 0x000B002Cu);
  EXPECT_EQ(verify_code(lms, L, [](FuseState&, SocManifestFuses& s) { s.soc_manifest_svn = {0x1F, 0, 0, 0}; }), 0x000B002Eu);
  EXPECT_EQ(verify_code(lms, L, [](FuseState& f, SocManifestFuses& s) { f.anti_rollback_disable = true; s.soc_manifest_max_svn = 0; }), 0u);
  EXPECT_EQ(verify_code(lms, L, [](FuseState& f, SocManifestFuses&) { f.pqc_key_type = 1; }), 0x000E008Cu);  // PQC_KEY_TYPE_MISMATCH
  EXPECT_EQ(verify_code(lms, L, [](FuseState& f, SocManifestFuses&) { f.pqc_key_type = 0; }), 0x000E008Au);  // ..._IN_FUSE
  EXPECT_EQ(verify_code(patched(L, 20, 1), L), 0x000E0047u);                         // vendor keys changed: vendor ECC sig
  EXPECT_EQ(verify_code(patched(L, 2708 + 96 + 700, 1), L), 0x000E0048u);            // vendor LMS sig
  EXPECT_EQ(verify_code(patched(M, 2708 + 96 + 700, 1), M), 0x000E0065u);            // vendor ML-DSA sig
  EXPECT_EQ(verify_code(patched(L, 7432, 1), L), 0x000E0049u);                       // owner keys changed: owner ECC sig
  EXPECT_EQ(verify_code(patched(L, 10120 + 96 + 40, 1), L), 0x000E004Au);            // owner LMS sig
  EXPECT_EQ(verify_code(patched(M, 10120 + 96 + 40, 1), M), 0x000E0068u);            // owner ML-DSA sig
  EXPECT_EQ(verify_code(patched(L, 24296 + 40, 1), L), 0x000E0047u);                 // entry changed: vendor IMC ECC sig
  EXPECT_EQ(verify_code(patched(L, 19568 + 3, 1), L), 0x000E0049u);                  // owner IMC ECC sig
  EXPECT_EQ(verify_code(Bytes(lms.begin(), lms.begin() + 24294), L), 0x000E004Cu);   // no IMC
  EXPECT_EQ(verify_code(Bytes(lms.begin(), lms.end() - 1), L), 0x000E004Cu);          // shorter than entry_count says
  Bytes none = lms;
  store_le32(none, 24292, 0);
  EXPECT_EQ(verify_code(none, L), 0x000E004Du);                                      // INVALID_ENTRY_COUNT
  Bytes duplicate = lms;
  store_le32(duplicate, 24296 + 80, 7);
  EXPECT_EQ(verify_code(resign_collection(duplicate, L), L), 0x000E0053u);            // DUPLICATE_FIRMWARE_ID
  // Without VENDOR_SIGNATURE_REQUIRED only the owner signs the list.
  SocManifestSpec s = soc_spec(M);
  s.vendor_signature_required = false;
  const Bytes owner_only = build_soc_manifest(s, test_keys());
  EXPECT_EQ(verify_code(owner_only, M), 0u);
}

TEST(SocManifest, BuildRejectsBadSpecs) {
  REQUIRE_TEST_KEYS();
  SocManifestSpec s = soc_spec(PqcKeyType::Lms);
  s.entries.push_back(s.entries[0]);
  EXPECT_THROW(build_soc_manifest(s, test_keys()), ImageError);
  s.entries.clear();
  EXPECT_THROW(build_soc_manifest(s, test_keys()), ImageError);
}

}  // namespace
}  // namespace calemu::image
