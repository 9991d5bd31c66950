#include "image/manifest_fields.h"

namespace calemu::image {

namespace {

const ManifestFields kCman{
    cman::kMarker, cman::kManifestBytes, cman::kMaxBundleBytes, cman::size,
    cman::vendor_ecc_key_idx, cman::vendor_lms_key_idx,
    cman::vendor_ecc_sig, cman::vendor_lms_sig,
    cman::owner_ecc_pub_key, cman::owner_lms_pub_key, cman::owner_ecc_sig, cman::owner_lms_sig,
    cman::header, cman::header_ecc_key_idx, cman::header_lms_key_idx, cman::header_flags, cman::header_toc_len,
    cman::header_pl0_pauser, cman::header_toc_digest, cman::header_vendor_data, cman::header_owner_data,
    cman::kVendorSignedHeaderBytes,
    cman::fmc_toc, cman::runtime_toc, cman::tocs,
    cman::vendor_pub_keys, cman::owner_pub_keys,
};

const ManifestFields kCmn2{
    cmn2::kMarker, cmn2::kManifestBytes, cmn2::kMaxBundleBytes, cmn2::size,
    cmn2::vendor_ecc_key_idx, cmn2::vendor_pqc_key_idx,
    cmn2::vendor_ecc_sig, cmn2::vendor_pqc_sig,
    cmn2::owner_ecc_pub_key, cmn2::owner_pqc_pub_key, cmn2::owner_ecc_sig, cmn2::owner_pqc_sig,
    cmn2::header, cmn2::header_ecc_key_idx, cmn2::header_pqc_key_idx, cmn2::header_flags, cmn2::header_toc_len,
    cmn2::header_pl0_pauser, cmn2::header_toc_digest, cmn2::header_vendor_data, cmn2::header_owner_data,
    cmn2::kVendorSignedHeaderBytes,
    cmn2::fmc_toc, cmn2::runtime_toc, cmn2::tocs,
    cmn2::vendor_key_descriptors, cmn2::owner_pub_keys,
};

}  // namespace

const ManifestFields& manifest_fields(Generation gen) { return gen == Generation::k1x ? kCman : kCmn2; }

std::optional<PqcKeyType> manifest_pqc(Generation gen, const ManifestBytes& m) {
  if (gen == Generation::k1x) return PqcKeyType::Lms;
  return pqc_from_byte(m.u8(cmn2::pqc_key_type));
}

uint32_t pqc_public_key_bytes(PqcKeyType t) { return t == PqcKeyType::Lms ? kLmsPublicKeyBytes : kMldsaPublicKeyBytes; }
uint32_t pqc_signature_bytes(PqcKeyType t) { return t == PqcKeyType::Lms ? kLmsSignatureBytes : kMldsaSignatureBytes; }

std::optional<Field> vendor_ecc_key_field(Generation gen, const ManifestBytes& m) {
  if (gen == Generation::k2x) return cmn2::vendor_ecc_active_key;
  const uint32_t idx = m.u32(cman::vendor_ecc_key_idx);
  if (idx >= cman::kVendorEccKeys) return std::nullopt;
  return Field{"vendor_ecc_pub_key", cman::vendor_ecc_pub_keys.offset + idx * kEccKeyBytes, kEccKeyBytes};
}

std::optional<Field> vendor_pqc_key_field(Generation gen, const ManifestBytes& m) {
  if (gen == Generation::k2x) return cmn2::vendor_pqc_active_key;
  const uint32_t idx = m.u32(cman::vendor_lms_key_idx);
  if (idx >= cman::kVendorLmsKeys) return std::nullopt;
  return Field{"vendor_lms_pub_key", cman::vendor_lms_pub_keys.offset + idx * kLmsPublicKeyBytes, kLmsPublicKeyBytes};
}

}  // namespace calemu::image
