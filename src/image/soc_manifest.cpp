#include "image/soc_manifest.h"

#include <algorithm>
#include <set>

#include "crypto/sha.h"
#include "image/lms_sign.h"
#include "image/signatures.h"

namespace calemu::image {

namespace {

namespace err {  // CaliptraError values (caliptra-fw-error-codes.md)
constexpr uint32_t kMarker = 0x000E0045, kPreambleSizeMismatch = 0x000E0046, kPreambleSizeLtMin = 0x000E004B;
constexpr uint32_t kVendorEcc = 0x000E0047, kVendorLms = 0x000E0048, kVendorMldsa = 0x000E0065;
constexpr uint32_t kOwnerEcc = 0x000E0049, kOwnerLms = 0x000E004A, kOwnerMldsa = 0x000E0068;
constexpr uint32_t kImcInvalidSize = 0x000E004C, kImcInvalidEntryCount = 0x000E004D, kImcDuplicateFwId = 0x000E0053;
constexpr uint32_t kInvalidPqcKeyTypeInFuse = 0x000E008A, kInvalidPqcKeyType = 0x000E008B, kPqcKeyTypeMismatch = 0x000E008C;
constexpr uint32_t kSvnGreaterThanMax = 0x000B002C, kSvnLessThanFuse = 0x000B002E;  // shared with the image verifier
}  // namespace err

constexpr uint32_t kMaxSvn = 128;
constexpr uint32_t kCollectionBytes = 4 + atm2::kMaxEntries * atm2::ime::kBytes;

// The keys that sign one part of the manifest: an ECC key and the PQC key of the bundle's type.
struct KeyPair {
  const EccKey* ecc;
  const LmsKey* lms;
  const MldsaKey* mldsa;
};

Bytes public_keys_block(const KeyPair& k, PqcKeyType pqc) {
  Bytes b = k.ecc->manifest_bytes();
  const Bytes& pq = pqc == PqcKeyType::Lms ? k.lms->pub : k.mldsa->pub;
  b.insert(b.end(), pq.begin(), pq.end());
  b.resize(atm2::kPubKeysBytes, 0);
  return b;
}

Bytes signatures_block(const KeyPair& k, PqcKeyType pqc, ByteView data, std::optional<uint32_t> lms_leaf) {
  const Bytes digest = crypto::sha384(data);
  Bytes b = ecc_sign(*k.ecc, digest);
  const Bytes pq = pqc == PqcKeyType::Lms ? lms_sign_image(*k.lms, digest, lms_leaf) : mldsa_sign(*k.mldsa, data);
  b.insert(b.end(), pq.begin(), pq.end());
  b.resize(atm2::kSignaturesBytes, 0);
  return b;
}

void put_entry(Bytes& out, const ImageMetadataEntry& e) {
  const size_t at = out.size();
  out.resize(at + atm2::ime::kBytes, 0);
  using namespace atm2::ime;
  store_le32(out, at + fw_id.offset, e.fw_id);
  store_le32(out, at + component_id.offset, e.component_id);
  store_le32(out, at + classification.offset, e.classification);
  store_le32(out, at + flags.offset, e.flags);
  store_le32(out, at + load_addr.offset, static_cast<uint32_t>(e.load_addr));
  store_le32(out, at + load_addr.offset + 4, static_cast<uint32_t>(e.load_addr >> 32));
  store_le32(out, at + staging_addr.offset, static_cast<uint32_t>(e.staging_addr));
  store_le32(out, at + staging_addr.offset + 4, static_cast<uint32_t>(e.staging_addr >> 32));
  std::copy(e.digest.begin(), e.digest.end(), out.begin() + at + digest.offset);
}

ImageMetadataEntry read_entry(ByteView b) {
  using namespace atm2::ime;
  ImageMetadataEntry e;
  e.fw_id = load_le32(b, fw_id.offset);
  e.component_id = load_le32(b, component_id.offset);
  e.classification = load_le32(b, classification.offset);
  e.flags = load_le32(b, flags.offset);
  e.load_addr = load_le32(b, load_addr.offset) | (uint64_t{load_le32(b, load_addr.offset + 4)} << 32);
  e.staging_addr = load_le32(b, staging_addr.offset) | (uint64_t{load_le32(b, staging_addr.offset + 4)} << 32);
  e.digest.assign(b.begin() + digest.offset, b.begin() + digest.end());
  return e;
}

void check_spec(const SocManifestSpec& s) {
  if (s.entries.empty() || s.entries.size() > atm2::kMaxEntries)
    throw ImageError("a SoC manifest lists 1.." + std::to_string(atm2::kMaxEntries) + " images, not " + std::to_string(s.entries.size()));
  std::set<uint32_t> ids;
  for (const auto& e : s.entries) {
    if (e.digest.size() != kDigestBytes) throw ImageError("image " + std::to_string(e.fw_id) + ": digest must be 48 bytes (SHA-384)");
    if (!ids.insert(e.fw_id).second) throw ImageError("fw_id " + std::to_string(e.fw_id) + " appears twice");
  }
  if (s.svn > kMaxSvn) throw ImageError("SoC manifest SVN " + std::to_string(s.svn) + " exceeds 128");
}

KeyPair vendor_keys(const SocManifestSpec& s, const KeySet& keys) {
  if (s.vendor_ecc_key_idx >= keys.vendor_ecc.size()) throw ImageError("no vendor ECC key " + std::to_string(s.vendor_ecc_key_idx));
  KeyPair k{&keys.vendor_ecc[s.vendor_ecc_key_idx], nullptr, nullptr};
  if (s.pqc == PqcKeyType::Lms) k.lms = &vendor_lms_slot(keys, s.vendor_pqc_key_idx);
  else if (s.vendor_pqc_key_idx < keys.vendor_mldsa.size()) k.mldsa = &keys.vendor_mldsa[s.vendor_pqc_key_idx];
  else throw ImageError("no vendor ML-DSA key " + std::to_string(s.vendor_pqc_key_idx));
  return k;
}

KeyPair owner_keys(PqcKeyType pqc, const KeySet& keys) {
  const bool has_pqc = pqc == PqcKeyType::Lms ? keys.owner_lms.has_value() : keys.owner_mldsa.has_value();
  if (!keys.owner_ecc || !has_pqc) throw ImageError(keys.dir + ": owner keys missing; SoC manifests are always owner-signed");
  return {&*keys.owner_ecc, keys.owner_lms ? &*keys.owner_lms : nullptr, keys.owner_mldsa ? &*keys.owner_mldsa : nullptr};
}

// Checks one signature pair; every failure of a pair maps to that pair's ECC or PQC code.
struct PairCodes {
  uint32_t ecc, lms, mldsa;
};

class SocVerifier {
 public:
  SocVerifier(ByteView m, ByteView fw, const FuseState& f, const SocManifestFuses& sf)
      : m_(m), fw_(fw, cmn2::kManifestBytes), fuses_(f), soc_(sf) {}

  VerifyResult run() {
    (void)(preamble() && svn() && pqc_type() && key_signatures() && collection());
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
  ByteView field(const Field& f) const { return m_.subspan(f.offset, f.size); }

  bool preamble() {
    if (m_.size() < atm2::kPreambleBytes)
      return fail(err::kPreambleSizeLtMin, "manifest is " + std::to_string(m_.size()) + " bytes, shorter than the " +
                                               std::to_string(atm2::kPreambleBytes) + "-byte preamble");
    if (load_le32(m_, atm2::marker.offset) != atm2::kMarker) return fail(err::kMarker, "marker is not ATM2 (0x324d5441)");
    if (load_le32(m_, atm2::size.offset) != atm2::kPreambleBytes) return fail(err::kPreambleSizeMismatch, "preamble size field is not 24292");
    return pass("marker and preamble size");
  }

  bool svn() {
    if (fuses_.lifecycle == Lifecycle::Unprovisioned || fuses_.anti_rollback_disable) return pass("SVN not checked");
    const uint32_t v = load_le32(m_, atm2::svn.offset);
    if (v > kMaxSvn || v > soc_.soc_manifest_max_svn) return fail(err::kSvnGreaterThanMax, "SVN " + std::to_string(v) + " above the maximum");
    if (v < fuse_svn(soc_.soc_manifest_svn)) return fail(err::kSvnLessThanFuse, "SVN " + std::to_string(v) + " below FUSE_SOC_MANIFEST_SVN");
    return pass("SVN");
  }

  bool pqc_type() {
    const auto t = pqc_from_byte(fw_.u8(cmn2::pqc_key_type));
    if (!t) return fail(err::kInvalidPqcKeyType, "the firmware bundle's pqc_key_type is invalid");
    if (fuses_.lifecycle != Lifecycle::Unprovisioned) {
      const auto fuse = pqc_from_byte(fuses_.pqc_key_type & 0xFF);
      if (!fuse) return fail(err::kInvalidPqcKeyTypeInFuse, "FUSE_PQC_KEY_TYPE is invalid");
      if (*fuse != *t) return fail(err::kPqcKeyTypeMismatch, "bundle PQC type differs from FUSE_PQC_KEY_TYPE");
    }
    pqc_ = *t;
    return pass("PQC key type " + std::string(pqc_name(pqc_)));
  }

  bool check_pair(ByteView ecc_key, ByteView pqc_key, ByteView sigs, ByteView data, const PairCodes& c, const std::string& what) {
    const Bytes digest = crypto::sha384(data);
    if (ecc_check(ecc_key, sigs.first(kEccSigBytes), digest).status != SigCheck::Ok)
      return fail(c.ecc, what + ": ECC signature does not verify");
    const ByteView pq_sig = sigs.subspan(kEccSigBytes);
    const bool ok = pqc_ == PqcKeyType::Lms
                        ? lms_check(pqc_key.first(kLmsPublicKeyBytes), pq_sig.first(kLmsSignatureBytes), digest).status == SigCheck::Ok
                        : mldsa_check(pqc_key.first(kMldsaPublicKeyBytes), pq_sig.first(kMldsaSignatureBytes), data).status == SigCheck::Ok;
    if (!ok) return fail(pqc_ == PqcKeyType::Lms ? c.lms : c.mldsa, what + ": " + std::string(pqc_name(pqc_)) + " signature does not verify");
    return pass(what);
  }

  bool key_signatures() {
    const PairCodes vendor{err::kVendorEcc, err::kVendorLms, err::kVendorMldsa}, owner{err::kOwnerEcc, err::kOwnerLms, err::kOwnerMldsa};
    return check_pair(fw_.view(cmn2::vendor_ecc_active_key), fw_.view(cmn2::vendor_pqc_active_key),
                      field(atm2::vendor_pub_keys_signatures), field(atm2::vendor_signed), vendor,
                      "manifest vendor keys signed by the bundle's vendor keys") &&
           check_pair(fw_.view(cmn2::owner_ecc_pub_key), fw_.view(cmn2::owner_pqc_pub_key),
                      field(atm2::owner_pub_keys_signatures), field(atm2::owner_pub_keys), owner,
                      "manifest owner keys signed by the bundle's owner keys");
  }

  bool collection() {
    const ByteView rest = m_.subspan(atm2::kPreambleBytes);
    if (rest.size() < 4) return fail(err::kImcInvalidSize, "no image metadata collection after the preamble");
    const ByteView imc = rest.first(std::min<size_t>(rest.size(), kCollectionBytes));
    const uint32_t count = load_le32(imc, 0);
    if (count == 0 || count > atm2::kMaxEntries) return fail(err::kImcInvalidEntryCount, "entry_count " + std::to_string(count) + " not in 1..80");
    if (imc.size() < 4 + uint64_t{count} * atm2::ime::kBytes) return fail(err::kImcInvalidSize, "collection shorter than its entry_count");
    const ByteView vendor_keys = field(atm2::vendor_pub_keys), owner_keys = field(atm2::owner_pub_keys);
    const PairCodes vendor{err::kVendorEcc, err::kVendorLms, err::kVendorMldsa}, owner{err::kOwnerEcc, err::kOwnerLms, err::kOwnerMldsa};
    if (load_le32(m_, atm2::flags.offset) & atm2::kFlagVendorSignatureRequired) {
      if (!check_pair(vendor_keys.first(kEccKeyBytes), vendor_keys.subspan(kEccKeyBytes), field(atm2::vendor_imc_signatures), imc,
                      vendor, "collection signed by the manifest vendor keys"))
        return false;
    }
    if (!check_pair(owner_keys.first(kEccKeyBytes), owner_keys.subspan(kEccKeyBytes), field(atm2::owner_imc_signatures), imc, owner,
                    "collection signed by the manifest owner keys"))
      return false;
    std::set<uint32_t> ids;
    for (uint32_t i = 0; i < count; ++i)
      if (!ids.insert(load_le32(imc, 4 + i * atm2::ime::kBytes)).second)
        return fail(err::kImcDuplicateFwId, "fw_id " + std::to_string(load_le32(imc, 4 + i * atm2::ime::kBytes)) + " listed twice");
    return pass("image metadata entries");
  }

  ByteView m_;
  ManifestBytes fw_;
  const FuseState& fuses_;
  const SocManifestFuses& soc_;
  PqcKeyType pqc_ = PqcKeyType::Lms;
  VerifyResult result_;
};

}  // namespace

Bytes build_soc_manifest(const SocManifestSpec& s, const KeySet& keys) {
  check_spec(s);
  const KeyPair vendor = vendor_keys(s, keys), owner = owner_keys(s.pqc, keys);
  ManifestBytes m(atm2::kPreambleBytes);
  m.set_u32(atm2::marker, atm2::kMarker);
  m.set_u32(atm2::size, atm2::kPreambleBytes);
  m.set_u32(atm2::version, s.version);
  m.set_u32(atm2::svn, s.svn);
  m.set_u32(atm2::flags, s.vendor_signature_required ? atm2::kFlagVendorSignatureRequired : 0);
  m.set(atm2::vendor_pub_keys, public_keys_block(vendor, s.pqc));
  m.set(atm2::vendor_pub_keys_signatures, signatures_block(vendor, s.pqc, m.view(atm2::vendor_signed), s.lms_leaf));
  m.set(atm2::owner_pub_keys, public_keys_block(owner, s.pqc));
  m.set(atm2::owner_pub_keys_signatures, signatures_block(owner, s.pqc, m.view(atm2::owner_pub_keys), s.lms_leaf));

  Bytes imc(4, 0);
  store_le32(imc, 0, static_cast<uint32_t>(s.entries.size()));
  for (const auto& e : s.entries) put_entry(imc, e);
  if (s.vendor_signature_required) m.set(atm2::vendor_imc_signatures, signatures_block(vendor, s.pqc, imc, s.lms_leaf));
  m.set(atm2::owner_imc_signatures, signatures_block(owner, s.pqc, imc, s.lms_leaf));

  Bytes out = m.bytes();
  out.insert(out.end(), imc.begin(), imc.end());
  return out;
}

VerifyResult verify_soc_manifest(ByteView manifest, ByteView fw_bundle, const FuseState& fuses, const SocManifestFuses& soc_fuses) {
  return SocVerifier(manifest, fw_bundle, fuses, soc_fuses).run();
}

SocManifestInfo parse_soc_manifest(ByteView m) {
  if (m.size() < atm2::kEntriesOffset)
    throw ImageError("truncated SoC manifest: " + std::to_string(m.size()) + " bytes, the preamble and entry count need " +
                     std::to_string(atm2::kEntriesOffset));
  SocManifestInfo info{load_le32(m, atm2::marker.offset), load_le32(m, atm2::size.offset), load_le32(m, atm2::version.offset),
                       load_le32(m, atm2::svn.offset),    load_le32(m, atm2::flags.offset), load_le32(m, atm2::entry_count.offset),
                       {}};
  if (info.marker != atm2::kMarker) throw ImageError("not a SoC manifest: marker " + hex32(info.marker) + " is not ATM2 (0x324d5441)");
  if (info.size != atm2::kPreambleBytes)
    throw ImageError("SoC manifest preamble size field is " + std::to_string(info.size) + ", ATM2 preambles are " +
                     std::to_string(atm2::kPreambleBytes) + " bytes");
  if (info.entry_count == 0 || info.entry_count > atm2::kMaxEntries)
    throw ImageError("SoC manifest entry_count " + std::to_string(info.entry_count) + " is not in 1..80");
  const uint64_t need = atm2::kEntriesOffset + uint64_t{info.entry_count} * atm2::ime::kBytes;
  if (m.size() < need)
    throw ImageError("truncated SoC manifest: " + std::to_string(info.entry_count) + " entries need " + std::to_string(need) +
                     " bytes, the file has " + std::to_string(m.size()));
  for (uint32_t i = 0; i < info.entry_count; ++i)
    info.entries.push_back(read_entry(m.subspan(atm2::kEntriesOffset + i * atm2::ime::kBytes, atm2::ime::kBytes)));
  return info;
}

}  // namespace calemu::image
