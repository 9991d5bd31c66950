// Every verification rule of the ROM (spec §1.5 for 2.x; ROM 1.1/1.2 for 1.x) with a bundle
// that breaks it, and the CaliptraError the ROM raises (values from caliptra-fw-error-codes.md).
#include <gtest/gtest.h>

#include <functional>

#include "common/caliptra_errors.h"
#include "crypto/sha.h"
#include "image/manifest_fields.h"
#include "image_test_util.h"

namespace calemu::image {
namespace {

using namespace testing;
constexpr Generation V1 = Generation::k1x, V2 = Generation::k2x;
constexpr PqcKeyType LMS = PqcKeyType::Lms, MLDSA = PqcKeyType::MlDsa;

using Edit = std::function<void(ManifestBytes&)>;

ManifestBytes manifest_of(Generation gen, const Bytes& b) { return ManifestBytes(b, manifest_bytes(gen)); }

Bytes with_manifest(const Bytes& bundle, const ManifestBytes& m) {
  Bytes out = bundle;
  std::copy(m.bytes().begin(), m.bytes().end(), out.begin());
  return out;
}

// The base bundle with its manifest edited, TOC digest recomputed and the header re-signed, so
// that only the rule under test can fail.
Bytes resigned(Generation gen, PqcKeyType pqc, const Edit& edit) {
  const Bytes& base = base_bundle(gen, pqc);
  ManifestBytes m = manifest_of(gen, base);
  edit(m);
  update_toc_digest(m, gen);
  sign_manifest(m, gen, test_keys(), true);
  return with_manifest(base, m);
}

// The base bundle with its manifest edited and nothing re-signed.
Bytes edited(Generation gen, PqcKeyType pqc, const Edit& edit) {
  const Bytes& base = base_bundle(gen, pqc);
  ManifestBytes m = manifest_of(gen, base);
  edit(m);
  return with_manifest(base, m);
}

const ManifestFields& F(Generation gen) { return manifest_fields(gen); }
Field toc_field(Generation gen, bool fmc, const Field& f) { return (fmc ? F(gen).fmc_toc : F(gen).runtime_toc).at(f); }
uint32_t toc_u32(Generation gen, const ManifestBytes& m, bool fmc, const Field& f) { return m.u32(toc_field(gen, fmc, f)); }
void set_toc(Generation gen, ManifestBytes& m, bool fmc, const Field& f, uint32_t v) { m.set_u32(toc_field(gen, fmc, f), v); }

void flip(ManifestBytes& m, const Field& f, uint32_t at = 0) {
  Bytes b(m.view(f).begin(), m.view(f).end());
  b[at] ^= 0x01;
  m.set(f, b);
}
void zero(ManifestBytes& m, Field f, uint32_t len) { m.set(Field{f.name, f.offset, len}, Bytes(len, 0)); }
void fill(ManifestBytes& m, Field f, uint32_t len, uint8_t v) { m.set(Field{f.name, f.offset, len}, Bytes(len, v)); }
void set_be32(ManifestBytes& m, const Field& f, uint32_t at, uint32_t v) {
  Bytes b(m.view(f).begin(), m.view(f).end());
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
  m.set(f, b);
}

std::array<uint32_t, 4> svn_words(uint32_t n) {
  std::array<uint32_t, 4> w{};
  for (uint32_t i = 0; i < n; ++i) w[i / 32] |= 1u << (i % 32);
  return w;
}

ColdBootRecord cold_boot_of(Generation gen, PqcKeyType pqc) {
  const ManifestBytes m = manifest_of(gen, base_bundle(gen, pqc));
  ColdBootRecord r;
  r.vendor_ecc_key_idx = m.u32(F(gen).vendor_ecc_key_idx);
  r.vendor_pqc_key_idx = m.u32(F(gen).vendor_pqc_key_idx);
  r.owner_pk_hash = spec_fuses(gen, pqc).owner_pk_hash;
  const ByteView d = m.view(F(gen).fmc_toc.at(toc::digest));
  for (size_t i = 0; i < 12; ++i) r.fmc_digest[i] = load_le32(d, 4 * i);
  return r;
}

Bytes built_with(Generation gen, PqcKeyType pqc, uint32_t ecc_idx, uint32_t pqc_idx) {
  BundleSpec s = base_spec(gen, pqc);
  s.vendor_ecc_key_idx = ecc_idx;
  s.vendor_pqc_key_idx = pqc_idx;
  return build_bundle(s, test_keys());
}

struct Case {
  const char* name;
  Generation gen;
  PqcKeyType pqc;
  uint32_t expected;  // 0 = accepted
  std::function<Bytes()> bundle;
  std::function<void(VerifyContext&)> context = [](VerifyContext&) {};
};

std::vector<Case> cases() {
  const DigestWords other = words(kSpecVendorHash1x);
  return {
      // ---- firmware processor: the transfer ----
      {"EmptyBundle", V2, MLDSA, 0x01020002, [] { return Bytes{}; }},
      {"BundleAbove256KiB", V2, MLDSA, 0x01020002, [] { Bytes b = base_bundle(V2, MLDSA); b.resize(256 * 1024 + 4); return b; }},
      {"BundleAbove128KiB1x", V1, LMS, 0x01020002, [] { Bytes b = base_bundle(V1, LMS); b.resize(128 * 1024 + 4); return b; }},
      // ---- 1: marker and size ----
      {"MarkerMismatch", V2, MLDSA, 0x000B0001, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { m.set_u32(cmn2::marker, 0x324E4D44); }); }},
      {"CmanBundleGivenTo2xRom", V2, MLDSA, 0x000B0001, [] { return base_bundle(V1, LMS); }},
      {"CmnBundleGivenTo1xRom", V1, LMS, 0x000B0001, [] { return base_bundle(V2, LMS); }},
      {"ManifestSizeMismatch", V2, MLDSA, 0x000B0002, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { m.set_u32(cmn2::size, 16957); }); }},
      {"ManifestSizeMismatch1x", V1, LMS, 0x000B0002, [] { return edited(V1, LMS, [](ManifestBytes& m) { m.set_u32(cman::size, 5880); }); }},
      // ---- 2: PQC key type ----
      {"PqcKeyTypeInvalid", V2, MLDSA, 0x000B0049, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { m.set_u8(cmn2::pqc_key_type, 2); }); }},
      {"PqcKeyTypeDiffersFromFuse", V2, LMS, 0x000B005C, [] { return base_bundle(V2, LMS); }, [](VerifyContext& c) { c.fuses.pqc_key_type = 1; }},
      {"PqcKeyTypeFuseInvalid", V2, LMS, 0x000B005B, [] { return base_bundle(V2, LMS); }, [](VerifyContext& c) { c.fuses.pqc_key_type = 2; }},
      {"UnprovisionedIgnoresPqcFuse", V2, LMS, 0, [] { return base_bundle(V2, LMS); },
       [](VerifyContext& c) { c.fuses.pqc_key_type = 2; c.fuses.lifecycle = Lifecycle::Unprovisioned; }},
      // ---- 3: vendor key descriptors against FUSE_VENDOR_PK_HASH ----
      {"VendorHashFuseZero", V2, MLDSA, 0x000B0003, [] { return base_bundle(V2, MLDSA); }, [](VerifyContext& c) { c.fuses.vendor_pk_hash = {}; }},
      {"EccDescriptorVersion", V2, MLDSA, 0x000B0042, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { m.set_u16(cmn2::ecc_key_descriptor.at(cmn2::descriptor::version), 2); }); }},
      {"EccDescriptorWithoutKeys", V2, MLDSA, 0x000B0047, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { m.set_u8(cmn2::ecc_key_descriptor.at(cmn2::descriptor::count), 0); }); }},
      {"EccDescriptorAboveFourKeys", V2, MLDSA, 0x000B0043, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { m.set_u8(cmn2::ecc_key_descriptor.at(cmn2::descriptor::count), 5); }); }},
      {"PqcDescriptorVersion", V2, MLDSA, 0x000B0044, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { m.set_u16(cmn2::pqc_key_descriptor.at(cmn2::descriptor::version), 0); }); }},
      {"PqcDescriptorTypeMismatch", V2, MLDSA, 0x000B0045, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { m.set_u8(cmn2::pqc_key_descriptor.at(cmn2::descriptor::type_or_reserved), 3); }); }},
      {"PqcDescriptorWithoutKeys", V2, MLDSA, 0x000B0048, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { m.set_u8(cmn2::pqc_key_descriptor.at(cmn2::descriptor::count), 0); }); }},
      {"MldsaDescriptorAboveFourKeys", V2, MLDSA, 0x000B0046, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { m.set_u8(cmn2::pqc_key_descriptor.at(cmn2::descriptor::count), 5); }); }},
      {"LmsDescriptorAbove32Keys", V2, LMS, 0x000B0046, [] { return edited(V2, LMS, [](ManifestBytes& m) { m.set_u8(cmn2::pqc_key_descriptor.at(cmn2::descriptor::count), 33); }); }},
      {"VendorKeysDifferFromFuse", V2, MLDSA, 0x000B0005, [] { return base_bundle(V2, MLDSA); }, [other](VerifyContext& c) { c.fuses.vendor_pk_hash = other; }},
      {"EccIndexBeyondDescriptor", V2, MLDSA, 0x000B0008, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { m.set_u32(cmn2::vendor_ecc_key_idx, 4); }); }},
      {"ActiveEccKeyNotTheIndexedOne", V2, MLDSA, 0x000B0059, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { m.set(cmn2::vendor_ecc_active_key, test_keys().vendor_ecc[1].manifest_bytes()); }); }},
      {"MldsaIndexBeyondFourSlots", V2, MLDSA, 0x000B0032, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { m.set_u32(cmn2::vendor_pqc_key_idx, 4); }); }},
      {"LmsIndexBeyond32Slots", V2, LMS, 0x000B0032, [] { return edited(V2, LMS, [](ManifestBytes& m) { m.set_u32(cmn2::vendor_pqc_key_idx, 32); }); }},
      {"ActivePqcKeyNotTheIndexedOne", V2, MLDSA, 0x000B005A, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { m.set(cmn2::vendor_pqc_active_key, test_keys().vendor_mldsa[1].pub); }); }},
      // ---- 4: owner keys ----
      {"OwnerKeysDifferFromFuse", V2, MLDSA, 0x000B0007, [] { return base_bundle(V2, MLDSA); }, [other](VerifyContext& c) { c.fuses.owner_pk_hash = other; }},
      {"OwnerFuseZeroAcceptsAnyOwner", V2, MLDSA, 0, [] { return base_bundle(V2, MLDSA); }, [](VerifyContext& c) { c.fuses.owner_pk_hash = {}; }},
      {"DotOwnerHashMismatch", V2, MLDSA, 0x000B005E, [] { return base_bundle(V2, MLDSA); },
       [other](VerifyContext& c) { c.fuses.owner_pk_hash = {}; c.fuses.dot_owner_pk_hash = other; }},
      {"DotOwnerHashMatches", V2, MLDSA, 0, [] { return base_bundle(V2, MLDSA); },
       [](VerifyContext& c) { c.fuses.owner_pk_hash = {}; c.fuses.dot_owner_pk_hash = words(kSpecOwnerHash2xMldsa); }},
      {"UpdateResetOwnerChanged", V2, MLDSA, 0x000B001D, [] { return base_bundle(V2, MLDSA); },
       [other](VerifyContext& c) { c.update_reset = cold_boot_of(V2, MLDSA); c.update_reset->owner_pk_hash = other; }},
      {"UpdateResetSameBundle", V2, MLDSA, 0, [] { return base_bundle(V2, MLDSA); }, [](VerifyContext& c) { c.update_reset = cold_boot_of(V2, MLDSA); }},
      // ---- 5: key indices and revocation ----
      {"EccKeyRevoked", V2, MLDSA, 0x000B0009, [] { return base_bundle(V2, MLDSA); }, [](VerifyContext& c) { c.fuses.ecc_revocation = 1; }},
      {"LastEccKeyCannotBeRevoked", V2, MLDSA, 0, [] { return built_with(V2, MLDSA, 3, 0); }, [](VerifyContext& c) { c.fuses.ecc_revocation = 0xF; }},
      {"EccIndexBeyondCountUnprovisioned", V2, MLDSA, 0x000B0008,
       [] { return edited(V2, MLDSA, [](ManifestBytes& m) { m.set_u8(cmn2::ecc_key_descriptor.at(cmn2::descriptor::count), 2); m.set_u32(cmn2::vendor_ecc_key_idx, 3); }); },
       [](VerifyContext& c) { c.fuses.lifecycle = Lifecycle::Unprovisioned; }},
      {"UpdateResetEccIndexChanged", V2, MLDSA, 0x000B001E, [] { return base_bundle(V2, MLDSA); },
       [](VerifyContext& c) { c.update_reset = cold_boot_of(V2, MLDSA); c.update_reset->vendor_ecc_key_idx = 1; }},
      {"MldsaKeyRevoked", V2, MLDSA, 0x000B003A, [] { return base_bundle(V2, MLDSA); }, [](VerifyContext& c) { c.fuses.mldsa_revocation = 1; }},
      {"LmsKeyRevoked", V2, LMS, 0x000B003A, [] { return base_bundle(V2, LMS); }, [](VerifyContext& c) { c.fuses.lms_revocation = 1; }},
      {"OtherLmsKeysRevoked", V2, LMS, 0, [] { return base_bundle(V2, LMS); }, [](VerifyContext& c) { c.fuses.lms_revocation = 0xFFFFFFFE; }},
      {"LastMldsaKeyCannotBeRevoked", V2, MLDSA, 0, [] { return built_with(V2, MLDSA, 0, 3); }, [](VerifyContext& c) { c.fuses.mldsa_revocation = 0xF; }},
      {"UpdateResetPqcIndexChanged", V2, MLDSA, 0x000B003D, [] { return base_bundle(V2, MLDSA); },
       [](VerifyContext& c) { c.update_reset = cold_boot_of(V2, MLDSA); c.update_reset->vendor_pqc_key_idx = 2; }},
      // ---- 6: header signatures ----
      {"VendorEccKeyZero", V2, MLDSA, 0x000B001B, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { zero(m, cmn2::vendor_ecc_active_key, 48); }); },
       [](VerifyContext& c) { c.fuses.lifecycle = Lifecycle::Unprovisioned; }},
      {"VendorEccSignatureZero", V2, MLDSA, 0x000B001C, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { zero(m, cmn2::vendor_ecc_sig, 48); }); }},
      {"VendorEccSignatureOutOfRange", V2, MLDSA, 0x000B000B, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { fill(m, cmn2::vendor_ecc_sig, 48, 0xFF); }); }},
      {"VendorEccSignatureWrong", V2, MLDSA, 0x000B000C, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { flip(m, cmn2::vendor_ecc_sig, 60); }); }},
      {"HeaderChangedAfterSigning", V2, MLDSA, 0x000B000C, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { m.set_u32(cmn2::header_svn, 6); }); }},
      {"VendorMldsaSignatureWrong", V2, MLDSA, 0x000B0055, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { flip(m, cmn2::vendor_pqc_sig, 100); }); }},
      {"VendorLmsSignatureWrong", V2, LMS, 0x000B0033, [] { return edited(V2, LMS, [](ManifestBytes& m) { flip(m, cmn2::vendor_pqc_sig, 1600); }); }},
      {"VendorLmsLeafOutOfRange", V2, LMS, 0x000B0031, [] { return edited(V2, LMS, [](ManifestBytes& m) { set_be32(m, cmn2::vendor_pqc_sig, 0, 0x8000); }); }},
      {"VendorLmsOtsTypeDiffersFromKey", V2, LMS, 0x000B0031, [] { return edited(V2, LMS, [](ManifestBytes& m) { set_be32(m, cmn2::vendor_pqc_sig, 4, 8); }); }},
      {"VendorLmsTreeNotHeight15", V2, LMS, 0x000B0031, [] { return edited(V2, LMS, [](ManifestBytes& m) { set_be32(m, cmn2::vendor_pqc_sig, 1256, 11); }); }},
      {"HeaderEccIndexDiffersFromPreamble", V2, MLDSA, 0x000B000D, [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { m.set_u32(cmn2::header_ecc_key_idx, 1); }); }},
      {"HeaderPqcIndexDiffersFromPreamble", V2, MLDSA, 0x000B0030, [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { m.set_u32(cmn2::header_pqc_key_idx, 1); }); }},
      {"OwnerEccKeyZero", V2, MLDSA, 0x000B0019, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { zero(m, cmn2::owner_ecc_pub_key, 96); }); },
       [](VerifyContext& c) { c.fuses.owner_pk_hash = {}; }},
      {"OwnerEccSignatureZero", V2, MLDSA, 0x000B001A, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { zero(m, cmn2::owner_ecc_sig, 96); }); }},
      {"OwnerEccSignatureOutOfRange", V2, MLDSA, 0x000B000E, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { fill(m, Field{"s", cmn2::owner_ecc_sig.offset + 48, 48}, 48, 0xFF); }); }},
      {"OwnerEccSignatureWrong", V2, MLDSA, 0x000B000F, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { flip(m, cmn2::owner_ecc_sig, 5); }); }},
      {"OwnerMldsaSignatureWrong", V2, MLDSA, 0x000B0057, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { flip(m, cmn2::owner_pqc_sig, 4000); }); }},
      {"OwnerLmsSignatureWrong", V2, LMS, 0x000B0038, [] { return edited(V2, LMS, [](ManifestBytes& m) { flip(m, cmn2::owner_pqc_sig, 40); }); }},
      {"OwnerLmsSignatureMalformed", V2, LMS, 0x000B0036, [] { return edited(V2, LMS, [](ManifestBytes& m) { set_be32(m, cmn2::owner_pqc_sig, 4, 3); }); }},
      {"NoOwnerSignatures", V2, MLDSA, 0x000B0019, [] { BundleSpec s = base_spec(V2, MLDSA); s.owner = false; return build_bundle(s, test_keys()); },
       [](VerifyContext& c) { c.fuses.owner_pk_hash = {}; }},
      // ---- 7: TOC ----
      {"TocLenNotTwo", V2, MLDSA, 0x000B0010, [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { m.set_u32(cmn2::header_toc_len, 3); }); }},
      {"TocChangedWithoutDigest", V2, MLDSA, 0x000B0012, [] { return edited(V2, MLDSA, [](ManifestBytes& m) { set_toc(V2, m, true, toc::version, 9); }); }},
      {"FmcSizeZero", V2, MLDSA, 0x000B003B, [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { set_toc(V2, m, true, toc::size, 0); }); }},
      {"RuntimeSizeZero", V2, MLDSA, 0x000B003C, [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { set_toc(V2, m, false, toc::size, 0); }); }},
      {"ImagesLongerThanBundle", V2, MLDSA, 0x000B002F,
       [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { set_toc(V2, m, false, toc::size, toc_u32(V2, m, false, toc::size) + 2000); }); }},
      {"TocOffsetPlusSizeOverflows", V2, MLDSA, 0x000B0040, [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { set_toc(V2, m, true, toc::offset, 0xFFFFFF00); }); }},
      {"FmcAndRuntimeBytesOverlap", V2, MLDSA, 0x000B0017,
       [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { set_toc(V2, m, false, toc::offset, toc_u32(V2, m, true, toc::offset) + 4); }); }},
      {"RuntimeBeforeFmc", V2, MLDSA, 0x000B0018, [] {
         return resigned(V2, MLDSA, [](ManifestBytes& m) {
           set_toc(V2, m, false, toc::offset, 16956);
           set_toc(V2, m, true, toc::offset, 16956 + toc_u32(V2, m, false, toc::size));
         });
       }},
      {"FmcLoadRangeOverflows", V2, MLDSA, 0x000B003E, [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { set_toc(V2, m, true, toc::load_addr, 0xFFFFFF00); }); }},
      {"RuntimeLoadRangeOverflows", V2, MLDSA, 0x000B003F, [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { set_toc(V2, m, false, toc::load_addr, 0xFFFFFF00); }); }},
      {"LoadRangesOverlap", V2, MLDSA, 0x000B0034, [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { set_toc(V2, m, false, toc::load_addr, 0x40000100); }); }},
      // ---- 8: FMC and runtime ----
      {"FmcBytesChanged", V2, MLDSA, 0x000B0014, [] { Bytes b = base_bundle(V2, MLDSA); b[16956 + 10] ^= 1; return b; }},
      {"FmcOutsideMailbox", V2, MLDSA, 0x000B0013, [] {
         return resigned(V2, MLDSA, [](ManifestBytes& m) {
           set_toc(V2, m, true, toc::offset, 300000);
           set_toc(V2, m, false, toc::offset, 300000 + toc_u32(V2, m, true, toc::size));
         });
       }},
      {"FmcLoadOutsideIccm", V2, MLDSA, 0x000B0021, [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { set_toc(V2, m, true, toc::load_addr, 0x40040000); }); }},
      {"FmcLoadUnaligned", V2, MLDSA, 0x000B0022, [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { set_toc(V2, m, true, toc::load_addr, 0x40000002); }); }},
      {"FmcEntryOutsideIccm", V2, MLDSA, 0x000B0023, [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { set_toc(V2, m, true, toc::entry_point, 0x50000000); }); }},
      {"FmcEntryUnaligned", V2, MLDSA, 0x000B0024, [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { set_toc(V2, m, true, toc::entry_point, 0x40000002); }); }},
      {"UpdateResetFmcChanged", V2, MLDSA, 0x000B001F, [] { return base_bundle(V2, MLDSA); },
       [](VerifyContext& c) { c.update_reset = cold_boot_of(V2, MLDSA); c.update_reset->fmc_digest[0] ^= 1; }},
      {"RuntimeBytesChanged", V2, MLDSA, 0x000B0016, [] { Bytes b = base_bundle(V2, MLDSA); b[16956 + 600] ^= 1; return b; }},
      {"RuntimeOutsideMailbox", V2, MLDSA, 0x000B0015, [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { set_toc(V2, m, false, toc::offset, 300000); }); }},
      {"RuntimeLoadOutsideIccm", V2, MLDSA, 0x000B0028, [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { set_toc(V2, m, false, toc::load_addr, 0x4003FFF0); }); }},
      {"RuntimeLoadUnaligned", V2, MLDSA, 0x000B0029, [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { set_toc(V2, m, false, toc::load_addr, 0x40008001); }); }},
      {"RuntimeEntryOutsideIccm", V2, MLDSA, 0x000B002A, [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { set_toc(V2, m, false, toc::entry_point, 0); }); }},
      {"RuntimeEntryUnaligned", V2, MLDSA, 0x000B002B, [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { set_toc(V2, m, false, toc::entry_point, 0x40008006); }); }},
      // ---- 9: SVN ----
      {"SvnAboveMax", V2, MLDSA, 0x000B002C, [] { return resigned(V2, MLDSA, [](ManifestBytes& m) { m.set_u32(cmn2::header_svn, 129); }); }},
      {"SvnBelowFuse", V2, MLDSA, 0x000B002E, [] { return base_bundle(V2, MLDSA); }, [](VerifyContext& c) { c.fuses.firmware_svn = svn_words(6); }},
      {"SvnEqualToFuse", V2, MLDSA, 0, [] { return base_bundle(V2, MLDSA); }, [](VerifyContext& c) { c.fuses.firmware_svn = svn_words(5); }},
      {"SvnBelowFuseAntiRollbackDisabled", V2, MLDSA, 0, [] { return base_bundle(V2, MLDSA); },
       [](VerifyContext& c) { c.fuses.firmware_svn = svn_words(100); c.fuses.anti_rollback_disable = true; }},
      {"SvnBelowFuseUnprovisioned", V2, MLDSA, 0, [] { return base_bundle(V2, MLDSA); },
       [](VerifyContext& c) { c.fuses.firmware_svn = svn_words(100); c.fuses.lifecycle = Lifecycle::Unprovisioned; c.fuses.vendor_pk_hash = {}; }},
      // ---- Caliptra 1.x (ROM 1.1 / 1.2) ----
      {"VendorHashFuseZero1x", V1, LMS, 0x000B0003, [] { return base_bundle(V1, LMS); }, [](VerifyContext& c) { c.fuses.vendor_pk_hash = {}; }},
      {"VendorKeysDifferFromFuse1x", V1, LMS, 0x000B0005, [] { return base_bundle(V1, LMS); },
       [](VerifyContext& c) { c.fuses.vendor_pk_hash = words(kSpecVendorHash2xLms); }},
      {"TruncatedManifest1x", V1, LMS, 0x000B0005, [] { Bytes b = base_bundle(V1, LMS); b.resize(100); return b; }},
      {"OwnerKeysDifferFromFuse1x", V1, LMS, 0x000B0007, [] { return base_bundle(V1, LMS); }, [other](VerifyContext& c) { c.fuses.owner_pk_hash = other; }},
      {"EccIndexOutOfBounds1x", V1, LMS, 0x000B0008, [] { return edited(V1, LMS, [](ManifestBytes& m) { m.set_u32(cman::vendor_ecc_key_idx, 4); }); }},
      {"EccKeyRevoked1x", V1, LMS, 0x000B0009, [] { return base_bundle(V1, LMS); }, [](VerifyContext& c) { c.fuses.ecc_revocation = 1; }},
      {"LmsIndexOutOfBounds1x", V1, LMS, 0x000B0032, [] { return edited(V1, LMS, [](ManifestBytes& m) { m.set_u32(cman::vendor_lms_key_idx, 32); }); }},
      {"LmsKeyRevoked1x", V1, LMS, 0x00B0003A, [] { return base_bundle(V1, LMS); }, [](VerifyContext& c) { c.fuses.lms_revocation = 1; }},
      {"LmsIgnoredWithoutLmsVerifyFuse1x", V1, LMS, 0, [] {
         return edited(V1, LMS, [](ManifestBytes& m) { m.set_u32(cman::vendor_lms_key_idx, 40); flip(m, cman::vendor_lms_sig, 900); });
       }, [](VerifyContext& c) { c.fuses.lms_verify = false; c.fuses.lms_revocation = 0xFFFFFFFF; }},
      {"VendorEccKeyZero1x", V1, LMS, 0x000B001B, [] { return edited(V1, LMS, [](ManifestBytes& m) { zero(m, cman::vendor_ecc_pub_keys, 48); }); },
       [](VerifyContext& c) { c.fuses.lifecycle = Lifecycle::Unprovisioned; }},
      {"VendorEccSignatureWrong1x", V1, LMS, 0x000B000C, [] { return edited(V1, LMS, [](ManifestBytes& m) { flip(m, cman::vendor_ecc_sig, 7); }); }},
      {"VendorLmsSignatureWrong1x", V1, LMS, 0x000B0033, [] { return edited(V1, LMS, [](ManifestBytes& m) { flip(m, cman::vendor_lms_sig, 900); }); }},
      {"HeaderLmsIndexDiffers1x", V1, LMS, 0x000B0030, [] { return resigned(V1, LMS, [](ManifestBytes& m) { m.set_u32(cman::header_lms_key_idx, 1); }); }},
      {"OwnerEccSignatureWrong1x", V1, LMS, 0x000B000F, [] { return edited(V1, LMS, [](ManifestBytes& m) { flip(m, cman::owner_ecc_sig, 70); }); }},
      {"OwnerLmsSignatureWrong1x", V1, LMS, 0x000B0038, [] { return edited(V1, LMS, [](ManifestBytes& m) { flip(m, cman::owner_lms_sig, 300); }); }},
      {"TocChangedWithoutDigest1x", V1, LMS, 0x000B0012, [] { return edited(V1, LMS, [](ManifestBytes& m) { set_toc(V1, m, false, toc::svn_v1, 8); }); }},
      {"FmcLoadOutsideIccm1x", V1, LMS, 0x000B0021, [] { return resigned(V1, LMS, [](ManifestBytes& m) { set_toc(V1, m, true, toc::load_addr, 0x4001FF00); }); }},
      {"FmcSvnAboveMax1x", V1, LMS, 0x000B0025, [] { return resigned(V1, LMS, [](ManifestBytes& m) { set_toc(V1, m, true, toc::svn_v1, 33); }); }},
      {"FmcSvnBelowFuse1x", V1, LMS, 0x000B0027, [] { return base_bundle(V1, LMS); }, [](VerifyContext& c) { c.fuses.fmc_svn = svn_words(4)[0]; }},
      {"RuntimeSvnAboveMax1x", V1, LMS, 0x000B002C, [] { return resigned(V1, LMS, [](ManifestBytes& m) { set_toc(V1, m, false, toc::svn_v1, 129); }); }},
      {"RuntimeSvnBelowFuse1x", V1, LMS, 0x000B002E, [] { return base_bundle(V1, LMS); }, [](VerifyContext& c) { c.fuses.firmware_svn = svn_words(8); }},
      {"SvnsBelowFuseAntiRollbackDisabled1x", V1, LMS, 0, [] { return base_bundle(V1, LMS); },
       [](VerifyContext& c) { c.fuses.firmware_svn = svn_words(100); c.fuses.fmc_svn = 0xFFFF; c.fuses.anti_rollback_disable = true; }},
      {"UpdateResetFmcChanged1x", V1, LMS, 0x000B001F, [] { return base_bundle(V1, LMS); },
       [](VerifyContext& c) { c.update_reset = cold_boot_of(V1, LMS); c.update_reset->fmc_digest[3] ^= 8; }},
  };
}

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class VerifyRule : public ::testing::TestWithParam<Case> {};

TEST_P(VerifyRule, RaisesTheRomErrorCode) {
  REQUIRE_TEST_KEYS();
  const Case& c = GetParam();
  VerifyContext ctx;
  ctx.fuses = spec_fuses(c.gen, c.pqc);
  c.context(ctx);
  const VerifyResult r = verify_bundle(c.gen, c.bundle(), ctx);
  EXPECT_EQ(r.error, c.expected) << "got " << describe_error(c.gen, r.error) << " (" << r.rule << "), expected "
                                 << describe_error(c.gen, c.expected);
  if (c.expected) {
    EXPECT_TRUE(error_name(c.gen, c.expected).has_value()) << "expected code has no name in this generation";
  }
}

INSTANTIATE_TEST_SUITE_P(Rules, VerifyRule, ::testing::ValuesIn(cases()), [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(VerifyRule, PassedRulesAreReportedInRomOrder) {
  REQUIRE_TEST_KEYS();
  VerifyContext ctx;
  ctx.fuses = spec_fuses(V2, LMS);
  const VerifyResult r = verify_bundle(V2, base_bundle(V2, LMS), ctx);
  ASSERT_TRUE(r.ok()) << r.rule;
  ASSERT_GE(r.passed.size(), 10u);
  EXPECT_NE(r.passed.front().find("bundle size"), std::string::npos);
  EXPECT_NE(r.passed.back().find("SVN"), std::string::npos);
}

}  // namespace
}  // namespace calemu::image
