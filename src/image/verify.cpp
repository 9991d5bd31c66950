#include "image/verify.h"

#include <algorithm>

#include "crypto/sha.h"
#include "image/bundle.h"
#include "image/manifest_fields.h"
#include "image/signatures.h"

namespace calemu::image {

namespace {

// CaliptraError values (../shared/spec/caliptra-fw-error-codes.md). 1.x uses the same numbers
// for the checks both generations share; where 1.x names differ the 2.x name is used here.
namespace err {
constexpr uint32_t kInvalidImageSize = 0x01020002;  // FW_PROC_INVALID_IMAGE_SIZE
constexpr uint32_t kMarkerMismatch = 0x000B0001, kSizeMismatch = 0x000B0002;
constexpr uint32_t kVendorPkDigestInvalid = 0x000B0003, kVendorPkDigestMismatch = 0x000B0005;
constexpr uint32_t kOwnerPkDigestMismatch = 0x000B0007;
constexpr uint32_t kVendorEccIndexOutOfBounds = 0x000B0008, kVendorEccRevoked = 0x000B0009;
constexpr uint32_t kVendorEccVerifyFailure = 0x000B000B, kVendorEccSignatureInvalid = 0x000B000C;
constexpr uint32_t kVendorEccIndexMismatch = 0x000B000D;
constexpr uint32_t kOwnerEccVerifyFailure = 0x000B000E, kOwnerEccSignatureInvalid = 0x000B000F;
constexpr uint32_t kTocEntryCountInvalid = 0x000B0010, kTocDigestMismatch = 0x000B0012;
constexpr uint32_t kFmcDigestFailure = 0x000B0013, kFmcDigestMismatch = 0x000B0014;
constexpr uint32_t kRuntimeDigestFailure = 0x000B0015, kRuntimeDigestMismatch = 0x000B0016;
constexpr uint32_t kFmcRuntimeOverlap = 0x000B0017, kFmcRuntimeIncorrectOrder = 0x000B0018;
constexpr uint32_t kOwnerEccPubKeyInvalidArg = 0x000B0019, kOwnerEccSignatureInvalidArg = 0x000B001A;
constexpr uint32_t kVendorEccPubKeyInvalidArg = 0x000B001B, kVendorEccSignatureInvalidArg = 0x000B001C;
constexpr uint32_t kUpdateResetOwnerDigest = 0x000B001D, kUpdateResetVendorEccIndex = 0x000B001E;
constexpr uint32_t kUpdateResetFmcDigest = 0x000B001F;
constexpr uint32_t kFmcLoadAddrInvalid = 0x000B0021, kFmcLoadAddrUnaligned = 0x000B0022;
constexpr uint32_t kFmcEntryInvalid = 0x000B0023, kFmcEntryUnaligned = 0x000B0024;
constexpr uint32_t kFmcSvnGreaterThanMax1x = 0x000B0025, kFmcSvnLessThanFuse1x = 0x000B0027;
constexpr uint32_t kRuntimeLoadAddrInvalid = 0x000B0028, kRuntimeLoadAddrUnaligned = 0x000B0029;
constexpr uint32_t kRuntimeEntryInvalid = 0x000B002A, kRuntimeEntryUnaligned = 0x000B002B;
constexpr uint32_t kSvnGreaterThanMax = 0x000B002C, kSvnLessThanFuse = 0x000B002E;  // 1.x: runtime SVN
constexpr uint32_t kImageLenMoreThanBundle = 0x000B002F;
constexpr uint32_t kVendorPqcIndexMismatch = 0x000B0030, kVendorLmsVerifyFailure = 0x000B0031;
constexpr uint32_t kVendorPqcIndexOutOfBounds = 0x000B0032, kVendorLmsSignatureInvalid = 0x000B0033;
constexpr uint32_t kLoadAddrOverlap = 0x000B0034;
constexpr uint32_t kOwnerLmsVerifyFailure = 0x000B0036, kOwnerLmsSignatureInvalid = 0x000B0038;
constexpr uint32_t kVendorPqcRevoked = 0x000B003A;
constexpr uint32_t kVendorLmsRevoked1x = 0x00B0003A;  // sic: 1.x's value has a misplaced digit
constexpr uint32_t kFmcSizeZero = 0x000B003B, kRuntimeSizeZero = 0x000B003C;
constexpr uint32_t kUpdateResetVendorPqcIndex = 0x000B003D;
constexpr uint32_t kFmcLoadOverflow = 0x000B003E, kRuntimeLoadOverflow = 0x000B003F;
constexpr uint32_t kTocEntryRangeOverflow = 0x000B0040;
constexpr uint32_t kEccDescriptorVersion = 0x000B0042, kEccDescriptorCountGtMax = 0x000B0043;
constexpr uint32_t kPqcDescriptorVersion = 0x000B0044, kPqcDescriptorTypeMismatch = 0x000B0045;
constexpr uint32_t kPqcDescriptorCountGtMax = 0x000B0046, kEccDescriptorCountInvalid = 0x000B0047;
constexpr uint32_t kPqcDescriptorCountInvalid = 0x000B0048, kPqcKeyTypeInvalid = 0x000B0049;
constexpr uint32_t kVendorMldsaSignatureInvalid = 0x000B0055, kOwnerMldsaSignatureInvalid = 0x000B0057;
constexpr uint32_t kVendorEccPubKeyDigestMismatch = 0x000B0059, kVendorPqcPubKeyDigestMismatch = 0x000B005A;
constexpr uint32_t kInvalidPqcKeyTypeInFuse = 0x000B005B, kPqcKeyTypeMismatch = 0x000B005C;
constexpr uint32_t kDotOwnerPkDigestMismatch = 0x000B005E;
}  // namespace err

constexpr uint32_t kMaxFmcSvn1x = 32, kMaxRuntimeSvn1x = 128;
// Passive-mode mailbox SRAM the ROM hashes the images from (spec §3.1).
constexpr uint64_t kMailboxBytes1x = 128 * 1024, kMailboxBytes2x = 256 * 1024;

DigestWords stored_words(ByteView hw48) {  // a digest field as the ROM reads its u32 words
  DigestWords w{};
  for (size_t i = 0; i < w.size(); ++i) w[i] = load_le32(hw48, 4 * i);
  return w;
}

DigestWords sha_words(ByteView data) { return digest_words(crypto::sha384(data)); }

struct EccCodes {
  uint32_t pub_zero, sig_zero, hw_failure, mismatch;
};
struct PqcCodes {
  uint32_t lms_failure, lms_invalid, mldsa_invalid;
};
constexpr EccCodes kVendorEcc{err::kVendorEccPubKeyInvalidArg, err::kVendorEccSignatureInvalidArg,
                              err::kVendorEccVerifyFailure, err::kVendorEccSignatureInvalid};
constexpr EccCodes kOwnerEcc{err::kOwnerEccPubKeyInvalidArg, err::kOwnerEccSignatureInvalidArg,
                             err::kOwnerEccVerifyFailure, err::kOwnerEccSignatureInvalid};
constexpr PqcCodes kVendorPqc{err::kVendorLmsVerifyFailure, err::kVendorLmsSignatureInvalid, err::kVendorMldsaSignatureInvalid};
constexpr PqcCodes kOwnerPqc{err::kOwnerLmsVerifyFailure, err::kOwnerLmsSignatureInvalid, err::kOwnerMldsaSignatureInvalid};

class Verifier {
 public:
  Verifier(Generation gen, ByteView bundle, const VerifyContext& ctx)
      : gen_(gen), f_(manifest_fields(gen)), bundle_(bundle), ctx_(ctx), fuses_(ctx.fuses),
        m_(bundle, f_.manifest_bytes) {}

  VerifyResult run() {
    const bool ok = transfer() && marker_and_size() && (gen_ == Generation::k2x ? preamble_v2() : preamble_v1()) &&
                    header() && toc() && fmc() && runtime() && svn_v2();
    (void)ok;
    return std::move(result_);
  }

 private:
  bool fail(uint32_t code, std::string rule) {
    result_.error = code;
    result_.rule = std::move(rule);
    return false;
  }
  bool pass(std::string rule) {
    result_.passed.push_back(std::move(rule));
    return true;
  }
  bool provisioned() const { return fuses_.lifecycle != Lifecycle::Unprovisioned; }
  bool svn_check_required() const { return provisioned() && !fuses_.anti_rollback_disable; }

  // ---- firmware processor: the mailbox transfer itself ----
  bool transfer() {
    if (bundle_.empty() || bundle_.size() > f_.max_bundle_bytes)
      return fail(err::kInvalidImageSize, "bundle size " + std::to_string(bundle_.size()) + " is 0 or above " +
                                              std::to_string(f_.max_bundle_bytes) + " bytes");
    return pass("bundle size within 1.." + std::to_string(f_.max_bundle_bytes) + " bytes");
  }

  bool marker_and_size() {
    if (m_.u32(cman::marker) != f_.marker)
      return fail(err::kMarkerMismatch, "manifest marker " + hex32(m_.u32(cman::marker)) + " is not " + hex32(f_.marker));
    if (m_.u32(f_.size) != f_.manifest_bytes)
      return fail(err::kSizeMismatch, "manifest size field " + std::to_string(m_.u32(f_.size)) + " is not " +
                                          std::to_string(f_.manifest_bytes));
    return pass("manifest marker and size");
  }

  // ---- 2.x preamble (spec §1.5 steps 2-5) ----
  bool preamble_v2() {
    const auto pqc = pqc_from_byte(m_.u8(cmn2::pqc_key_type));
    if (!pqc) return fail(err::kPqcKeyTypeInvalid, "pqc_key_type " + std::to_string(m_.u8(cmn2::pqc_key_type)) + " is neither 1 (ML-DSA) nor 3 (LMS)");
    pqc_ = *pqc;
    if (provisioned()) {
      const auto fuse = pqc_from_byte(fuses_.pqc_key_type & 0xFF);
      if (!fuse) return fail(err::kInvalidPqcKeyTypeInFuse, "FUSE_PQC_KEY_TYPE " + std::to_string(fuses_.pqc_key_type) + " is invalid");
      if (*fuse != pqc_) return fail(err::kPqcKeyTypeMismatch, "manifest PQC type differs from FUSE_PQC_KEY_TYPE");
    }
    pass("PQC key type " + std::string(pqc_name(pqc_)));
    return vendor_key_info_v2() && owner_key() && ecc_index(cmn2::kVendorEccKeys) && pqc_index_v2();
  }

  bool vendor_key_info_v2() {
    if (!provisioned()) return pass("vendor key hashes not checked (unprovisioned)");
    using namespace cmn2;
    if (is_zero(fuses_.vendor_pk_hash)) return fail(err::kVendorPkDigestInvalid, "vendor public key hash fuse is zero");
    const Field ecc = ecc_key_descriptor, pq = pqc_key_descriptor;
    if (m_.u16(ecc.at(descriptor::version)) != kKeyDescriptorVersion) return fail(err::kEccDescriptorVersion, "ECC key descriptor version is not 1");
    const uint8_t ecc_count = m_.u8(ecc.at(descriptor::count)), pqc_count = m_.u8(pq.at(descriptor::count));
    if (ecc_count == 0) return fail(err::kEccDescriptorCountInvalid, "ECC key descriptor lists no keys");
    if (ecc_count > kVendorEccKeys) return fail(err::kEccDescriptorCountGtMax, "ECC key descriptor lists more than 4 keys");
    if (m_.u16(pq.at(descriptor::version)) != kKeyDescriptorVersion) return fail(err::kPqcDescriptorVersion, "PQC key descriptor version is not 1");
    if (m_.u8(pq.at(descriptor::type_or_reserved)) != static_cast<uint8_t>(pqc_))
      return fail(err::kPqcDescriptorTypeMismatch, "PQC key descriptor type differs from pqc_key_type");
    if (pqc_count == 0) return fail(err::kPqcDescriptorCountInvalid, "PQC key descriptor lists no keys");
    if (pqc_count > (pqc_ == PqcKeyType::Lms ? kVendorLmsKeys : kVendorMldsaKeys))
      return fail(err::kPqcDescriptorCountGtMax, "PQC key descriptor lists too many keys");
    if (sha_words(m_.view(vendor_key_descriptors)) != fuses_.vendor_pk_hash)
      return fail(err::kVendorPkDigestMismatch, "SHA-384 of the key descriptors differs from the vendor public key hash fuse");

    const uint32_t ecc_idx = m_.u32(vendor_ecc_key_idx), pqc_idx = m_.u32(vendor_pqc_key_idx);
    if (ecc_idx >= kVendorEccKeys) return fail(err::kVendorEccIndexOutOfBounds, "vendor ECC key index " + std::to_string(ecc_idx) + " out of bounds");
    if (sha_words(m_.view(vendor_ecc_active_key)) != stored_words(hash_slot(ecc, ecc_idx)))
      return fail(err::kVendorEccPubKeyDigestMismatch, "active vendor ECC key does not hash to descriptor entry " + std::to_string(ecc_idx));
    if (pqc_idx >= (pqc_ == PqcKeyType::Lms ? kVendorLmsKeys : kVendorMldsaKeys))
      return fail(err::kVendorPqcIndexOutOfBounds, "vendor PQC key index " + std::to_string(pqc_idx) + " out of bounds");
    const ByteView active_pqc = m_.view(vendor_pqc_active_key).first(pqc_public_key_bytes(pqc_));
    if (sha_words(active_pqc) != stored_words(hash_slot(pq, pqc_idx)))
      return fail(err::kVendorPqcPubKeyDigestMismatch, "active vendor PQC key does not hash to descriptor entry " + std::to_string(pqc_idx));
    return pass("vendor key descriptors match the fuse; active keys match their hashes");
  }

  ByteView hash_slot(const Field& descriptor, uint32_t i) const {
    return m_.view(Field{"key_hash", descriptor.offset + cmn2::descriptor::hashes.offset + i * kDigestBytes, kDigestBytes});
  }

  bool pqc_index_v2() {
    const uint32_t count = m_.u8(cmn2::pqc_key_descriptor.at(cmn2::descriptor::count));
    const uint32_t revocation = pqc_ == PqcKeyType::Lms ? fuses_.lms_revocation : fuses_.mldsa_revocation & 0xF;
    return pqc_like_index(m_.u32(cmn2::vendor_pqc_key_idx), count - 1, revocation, err::kVendorPqcIndexOutOfBounds,
                          err::kVendorPqcRevoked, "vendor PQC");
  }

  // ---- 1.x preamble ----
  bool preamble_v1() {
    if (provisioned()) {
      if (is_zero(fuses_.vendor_pk_hash)) return fail(err::kVendorPkDigestInvalid, "vendor public key hash fuse is zero");
      if (sha_words(m_.view(cman::vendor_pub_keys)) != fuses_.vendor_pk_hash)
        return fail(err::kVendorPkDigestMismatch, "SHA-384 of the vendor public keys differs from FUSE_KEY_MANIFEST_PK_HASH");
      pass("vendor public keys match FUSE_KEY_MANIFEST_PK_HASH");
    } else {
      pass("vendor key hash not checked (unprovisioned)");
    }
    pqc_ = PqcKeyType::Lms;
    if (!owner_key() || !ecc_index(cman::kVendorEccKeys)) return false;
    if (!fuses_.lms_verify) return pass("LMS not verified (FUSE_LMS_VERIFY = 0)");
    return pqc_like_index(m_.u32(cman::vendor_lms_key_idx), cman::kVendorLmsKeys - 1, fuses_.lms_revocation,
                          err::kVendorPqcIndexOutOfBounds, err::kVendorLmsRevoked1x, "vendor LMS");
  }

  // ---- shared preamble rules ----
  bool owner_key() {
    const DigestWords actual = sha_words(m_.view(f_.owner_pk_hash_input));
    if (is_zero(fuses_.owner_pk_hash)) {
      if (gen_ == Generation::k2x && fuses_.dot_owner_pk_hash && *fuses_.dot_owner_pk_hash != actual)
        return fail(err::kDotOwnerPkDigestMismatch, "owner keys differ from the hash installed by INSTALL_OWNER_PK_HASH");
      pass("owner key hash not fused: any owner keys accepted");
    } else if (fuses_.owner_pk_hash != actual) {
      return fail(err::kOwnerPkDigestMismatch, "SHA-384 of the owner public keys differs from the owner key hash");
    } else {
      pass("owner keys match the owner key hash");
    }
    if (ctx_.update_reset && ctx_.update_reset->owner_pk_hash != actual)
      return fail(err::kUpdateResetOwnerDigest, "owner keys differ from the cold boot's (update reset)");
    return true;
  }

  // The ROM computes count - 1 in u32 and shifts by the index: Rust's release-mode wrapping
  // is reproduced so that unprovisioned parts with odd descriptors behave the same.
  bool ecc_index(uint32_t key_slots) {
    const uint32_t idx = m_.u32(f_.vendor_ecc_key_idx);
    const uint32_t last = gen_ == Generation::k2x ? uint32_t{m_.u8(cmn2::ecc_key_descriptor.at(cmn2::descriptor::count))} - 1
                                                  : key_slots - 1;
    if (idx > last) return fail(err::kVendorEccIndexOutOfBounds, "vendor ECC key index " + std::to_string(idx) + " out of bounds");
    if (idx != last) {
      const uint32_t key = (1u << (idx & 31)) & 0xF, revoked = fuses_.ecc_revocation & 0xF;
      if ((revoked & key) == key)
        return fail(err::kVendorEccRevoked, "vendor ECC key " + std::to_string(idx) + " is revoked");
    }
    if (ctx_.update_reset && ctx_.update_reset->vendor_ecc_key_idx != idx)
      return fail(err::kUpdateResetVendorEccIndex, "vendor ECC key index differs from the cold boot's (update reset)");
    return pass("vendor ECC key " + std::to_string(idx) + " in range and not revoked");
  }

  bool pqc_like_index(uint32_t idx, uint32_t last, uint32_t revocation, uint32_t out_of_bounds, uint32_t revoked,
                      const std::string& what) {
    if (idx > last) return fail(out_of_bounds, what + " key index " + std::to_string(idx) + " out of bounds");
    if (idx != last && (revocation & (1u << (idx & 31))))
      return fail(revoked, what + " key " + std::to_string(idx) + " is revoked");
    if (ctx_.update_reset && ctx_.update_reset->vendor_pqc_key_idx != idx)
      return fail(err::kUpdateResetVendorPqcIndex, what + " key index differs from the cold boot's (update reset)");
    return pass(what + " key " + std::to_string(idx) + " in range and not revoked");
  }

  // ---- header signatures (spec §1.5 step 6) ----
  bool header() {
    const ByteView header = m_.view(f_.header);
    const ByteView vendor_part = header.first(f_.vendor_signed_header_bytes);
    const Bytes vendor_digest = crypto::sha384(vendor_part), owner_digest = crypto::sha384(header);
    const bool pqc_checked = gen_ == Generation::k2x || fuses_.lms_verify;

    const std::optional<Field> ecc_key = vendor_ecc_key_field(gen_, m_);
    if (!ecc_key) return fail(err::kVendorEccIndexOutOfBounds, "vendor ECC key index out of bounds");
    if (!ecc_verify(m_.view(*ecc_key), m_.view(f_.vendor_ecc_sig), vendor_digest, kVendorEcc, "vendor")) return false;
    if (pqc_checked) {
      const std::optional<Field> pqc_key = vendor_pqc_key_field(gen_, m_);
      if (!pqc_key) return fail(err::kVendorPqcIndexOutOfBounds, "vendor LMS key index out of bounds");
      if (!pqc_verify(m_.view(*pqc_key), m_.view(f_.vendor_pqc_sig), vendor_digest, vendor_part, kVendorPqc, "vendor")) return false;
    }
    if (m_.u32(f_.header_ecc_key_idx) != m_.u32(f_.vendor_ecc_key_idx))
      return fail(err::kVendorEccIndexMismatch, "header ECC key index differs from the preamble's");
    if (pqc_checked && m_.u32(f_.header_pqc_key_idx) != m_.u32(f_.vendor_pqc_key_idx))
      return fail(err::kVendorPqcIndexMismatch, "header PQC key index differs from the preamble's");
    pass("header key indices match the preamble");
    if (!ecc_verify(m_.view(f_.owner_ecc_pub_key), m_.view(f_.owner_ecc_sig), owner_digest, kOwnerEcc, "owner")) return false;
    if (pqc_checked &&
        !pqc_verify(m_.view(f_.owner_pqc_pub_key), m_.view(f_.owner_pqc_sig), owner_digest, header, kOwnerPqc, "owner"))
      return false;
    return true;
  }

  bool ecc_verify(ByteView key_hw, ByteView sig_hw, ByteView digest, const EccCodes& c, const std::string& who) {
    const SigResult r = ecc_check(key_hw, sig_hw, digest);
    switch (r.status) {
      case SigCheck::Ok: return pass(who + " ECC signature");
      case SigCheck::ZeroKey: return fail(c.pub_zero, who + " " + r.reason);
      case SigCheck::ZeroSignature: return fail(c.sig_zero, who + " " + r.reason);
      case SigCheck::DriverError: return fail(c.hw_failure, who + " " + r.reason);
      case SigCheck::Mismatch: break;
    }
    return fail(c.mismatch, who + " " + r.reason);
  }

  bool pqc_verify(ByteView key_field, ByteView sig_field, ByteView digest, ByteView raw_message, const PqcCodes& c,
                  const std::string& who) {
    if (pqc_ == PqcKeyType::MlDsa) {
      const SigResult r = mldsa_check(key_field.first(kMldsaPublicKeyBytes), sig_field.first(kMldsaSignatureBytes), raw_message);
      if (r.status != SigCheck::Ok) return fail(c.mldsa_invalid, who + " " + r.reason);
      return pass(who + " ML-DSA-87 signature");
    }
    const SigResult r = lms_check(key_field.first(kLmsPublicKeyBytes), sig_field.first(kLmsSignatureBytes), digest);
    if (r.status == SigCheck::DriverError) return fail(c.lms_failure, who + " " + r.reason);
    if (r.status != SigCheck::Ok) return fail(c.lms_invalid, who + " " + r.reason);
    return pass(who + " LMS signature");
  }

  // ---- TOC (spec §1.5 step 7) ----
  struct Entry {
    uint32_t load_addr, entry_point, offset, size, svn;
    DigestWords digest;
  };
  Entry entry(const Field& base) const {
    return {m_.u32(base.at(toc::load_addr)), m_.u32(base.at(toc::entry_point)), m_.u32(base.at(toc::offset)),
            m_.u32(base.at(toc::size)), gen_ == Generation::k1x ? m_.u32(base.at(toc::svn_v1)) : 0,
            stored_words(m_.view(base.at(toc::digest)))};
  }

  bool toc() {
    if (m_.u32(f_.header_toc_len) != 2) return fail(err::kTocEntryCountInvalid, "toc_len " + std::to_string(m_.u32(f_.header_toc_len)) + " is not 2");
    if (sha_words(m_.view(f_.tocs)) != stored_words(m_.view(f_.header_toc_digest)))
      return fail(err::kTocDigestMismatch, "SHA-384 of the TOC differs from header.toc_digest");
    const Entry fmc = entry(f_.fmc_toc), rt = entry(f_.runtime_toc);
    if (fmc.size == 0) return fail(err::kFmcSizeZero, "FMC size is 0");
    if (rt.size == 0) return fail(err::kRuntimeSizeZero, "runtime size is 0");
    const uint64_t img_len = uint64_t{m_.u32(f_.size)} + fmc.size + rt.size;
    if (img_len > bundle_.size())
      return fail(err::kImageLenMoreThanBundle, "manifest + FMC + runtime = " + std::to_string(img_len) + " bytes, bundle has " +
                                                    std::to_string(bundle_.size()));
    const uint64_t fmc_end = uint64_t{fmc.offset} + fmc.size, rt_end = uint64_t{rt.offset} + rt.size;
    if (fmc_end > UINT32_MAX || rt_end > UINT32_MAX) return fail(err::kTocEntryRangeOverflow, "TOC offset + size overflows 32 bits");
    if (fmc.offset < rt_end && fmc_end > rt.offset) return fail(err::kFmcRuntimeOverlap, "FMC and runtime bytes overlap");
    if (fmc_end > rt.offset) return fail(err::kFmcRuntimeIncorrectOrder, "runtime does not follow FMC");
    const uint64_t fmc_last = uint64_t{fmc.load_addr} + fmc.size - 1, rt_last = uint64_t{rt.load_addr} + rt.size - 1;
    if (fmc_last > UINT32_MAX) return fail(err::kFmcLoadOverflow, "FMC load address + size overflows");
    if (rt_last > UINT32_MAX) return fail(err::kRuntimeLoadOverflow, "runtime load address + size overflows");
    if (fmc.load_addr <= rt_last && fmc_last >= rt.load_addr) return fail(err::kLoadAddrOverlap, "FMC and runtime load ranges overlap");
    return pass("TOC digest, sizes, order and load ranges");
  }

  // SHA-384 of mailbox SRAM [offset, offset + len): the bundle, then zeros.
  std::optional<DigestWords> sram_digest(uint32_t offset, uint32_t len) const {
    const uint64_t sram = gen_ == Generation::k1x ? kMailboxBytes1x : kMailboxBytes2x;
    if (uint64_t{offset} + len > sram) return std::nullopt;
    Bytes data(len, 0);
    if (offset < bundle_.size()) {
      const size_t n = std::min<size_t>(len, bundle_.size() - offset);
      std::copy_n(bundle_.begin() + offset, n, data.begin());
    }
    return sha_words(data);
  }

  struct ExeCodes {
    uint32_t digest_failure, digest_mismatch, load_invalid, load_unaligned, entry_invalid, entry_unaligned;
  };

  bool executable(const Entry& e, const ExeCodes& c, const std::string& what) {
    const std::optional<DigestWords> actual = sram_digest(e.offset, e.size);
    if (!actual) return fail(c.digest_failure, what + " bytes lie outside the mailbox");
    if (*actual != e.digest) return fail(c.digest_mismatch, what + " digest mismatch");
    const MemoryRange iccm = iccm_range(gen_);
    if (!iccm.contains(e.load_addr) || !iccm.contains(e.load_addr + e.size - 1))
      return fail(c.load_invalid, what + " load range " + hex32(e.load_addr) + "+" + std::to_string(e.size) + " is not inside ICCM");
    if (e.load_addr % 4) return fail(c.load_unaligned, what + " load address not 4-byte aligned");
    if (!iccm.contains(e.entry_point)) return fail(c.entry_invalid, what + " entry point " + hex32(e.entry_point) + " is not in ICCM");
    if (e.entry_point % 4) return fail(c.entry_unaligned, what + " entry point not 4-byte aligned");
    return pass(what + " digest, load address and entry point");
  }

  bool fmc() {
    const Entry e = entry(f_.fmc_toc);
    if (!executable(e, {err::kFmcDigestFailure, err::kFmcDigestMismatch, err::kFmcLoadAddrInvalid, err::kFmcLoadAddrUnaligned,
                        err::kFmcEntryInvalid, err::kFmcEntryUnaligned}, "FMC"))
      return false;
    if (gen_ == Generation::k1x && svn_check_required()) {
      if (e.svn > kMaxFmcSvn1x) return fail(err::kFmcSvnGreaterThanMax1x, "FMC SVN " + std::to_string(e.svn) + " above 32");
      if (e.svn < fuse_svn(fuses_.fmc_svn)) return fail(err::kFmcSvnLessThanFuse1x, "FMC SVN " + std::to_string(e.svn) + " below the fuse SVN");
      pass("FMC SVN");
    }
    if (ctx_.update_reset && ctx_.update_reset->fmc_digest != e.digest)
      return fail(err::kUpdateResetFmcDigest, "FMC differs from the cold boot's; the FMC cannot change without a cold reset");
    return true;
  }

  bool runtime() {
    const Entry e = entry(f_.runtime_toc);
    if (!executable(e, {err::kRuntimeDigestFailure, err::kRuntimeDigestMismatch, err::kRuntimeLoadAddrInvalid,
                        err::kRuntimeLoadAddrUnaligned, err::kRuntimeEntryInvalid, err::kRuntimeEntryUnaligned}, "runtime"))
      return false;
    if (gen_ == Generation::k1x && svn_check_required()) {
      if (e.svn > kMaxRuntimeSvn1x) return fail(err::kSvnGreaterThanMax, "runtime SVN " + std::to_string(e.svn) + " above 128");
      if (e.svn < fuse_svn(fuses_.firmware_svn)) return fail(err::kSvnLessThanFuse, "runtime SVN " + std::to_string(e.svn) + " below the fuse SVN");
      pass("runtime SVN");
    }
    return true;
  }

  bool svn_v2() {
    if (gen_ != Generation::k2x) return true;
    if (!svn_check_required()) return pass("SVN not checked (unprovisioned or anti-rollback disabled)");
    const uint32_t svn = m_.u32(cmn2::header_svn);
    if (svn > cmn2::kMaxFirmwareSvn) return fail(err::kSvnGreaterThanMax, "firmware SVN " + std::to_string(svn) + " above 128");
    if (svn < fuse_svn(fuses_.firmware_svn)) return fail(err::kSvnLessThanFuse, "firmware SVN " + std::to_string(svn) + " below the fuse SVN");
    return pass("firmware SVN");
  }

  Generation gen_;
  const ManifestFields& f_;
  ByteView bundle_;
  const VerifyContext& ctx_;
  const FuseState& fuses_;
  ManifestBytes m_;
  PqcKeyType pqc_ = PqcKeyType::Lms;
  VerifyResult result_;
};

}  // namespace

std::optional<Lifecycle> lifecycle_from_name(std::string_view name) {
  if (name == "unprovisioned") return Lifecycle::Unprovisioned;
  if (name == "manufacturing") return Lifecycle::Manufacturing;
  if (name == "production") return Lifecycle::Production;
  return std::nullopt;
}

std::string_view lifecycle_name(Lifecycle l) {
  switch (l) {
    case Lifecycle::Unprovisioned: return "unprovisioned";
    case Lifecycle::Manufacturing: return "manufacturing";
    case Lifecycle::Production: return "production";
  }
  return "?";
}

uint32_t fuse_svn(const std::array<uint32_t, 4>& words) {
  for (int i = 3; i >= 0; --i)
    if (words[i]) return 32 * i + fuse_svn(words[i]);
  return 0;
}

uint32_t fuse_svn(uint32_t word) {
  uint32_t n = 0;
  for (; word; word >>= 1) ++n;
  return n;
}

VerifyResult verify_bundle(Generation gen, ByteView bundle, const VerifyContext& ctx) {
  return Verifier(gen, bundle, ctx).run();
}

}  // namespace calemu::image
