// Byte layouts of Caliptra's firmware image formats, as offset tables.
//
// Offsets are derived by laying the fields end to end, the way the upstream repr(C) structs
// are laid out (no implicit padding anywhere, ../shared/spec/caliptra-fw-protocol.md §1.1);
// tests/image/layout_test.cpp checks every offset against the spec's tables.
//   1.x bundle manifest "CMAN": spec §1.7     2.x bundle manifest "CMN2": spec §1.2
//   2.x SoC (authorization) manifest "ATM2": spec §5.2
// All integers are little-endian. Fields marked "hw" hold ECC values and SHA-384 digests as
// big-endian 32-bit words stored little-endian, i.e. every 4-byte group reversed (spec §0.1).
#pragma once
#include <cstdint>

namespace calemu::image {

struct Field {
  const char* name;
  uint32_t offset;
  uint32_t size;
  constexpr uint32_t end() const { return offset + size; }
  // The field that follows this one.
  constexpr Field then(const char* next_name, uint32_t next_size) const { return {next_name, end(), next_size}; }
  // A field at `inner.offset` inside this one (for sub-structures).
  constexpr Field at(const Field& inner) const { return {inner.name, offset + inner.offset, inner.size}; }
};

inline constexpr uint32_t kEccCoordBytes = 48;           // P-384 scalar
inline constexpr uint32_t kEccKeyBytes = 96;             // x ‖ y, hw format
inline constexpr uint32_t kEccSigBytes = 96;             // r ‖ s, hw format
inline constexpr uint32_t kDigestBytes = 48;             // SHA-384
inline constexpr uint32_t kLmsPublicKeyBytes = 48;       // RFC 8554 encoding, N = 24, spec §1.2
inline constexpr uint32_t kLmsSignatureBytes = 1620;     // q ‖ LM-OTS(W4, p = 51) ‖ type ‖ path[15]
inline constexpr uint32_t kMldsaPublicKeyBytes = 2592;
inline constexpr uint32_t kMldsaSignatureBytes = 4627;   // stored in a 4628-byte field (1 pad byte)
inline constexpr uint32_t kPqcPublicKeyFieldBytes = 2592;
inline constexpr uint32_t kPqcSignatureFieldBytes = 4628;
inline constexpr uint32_t kRevisionBytes = 20;           // git commit id bytes in a TOC entry

// TOC entry (104 bytes), both generations. 1.x has a per-image `svn` where 2.x has a reserved word.
namespace toc {
inline constexpr Field id{"id", 0, 4};
inline constexpr Field type = id.then("type", 4);
inline constexpr Field revision = type.then("revision", kRevisionBytes);
inline constexpr Field version = revision.then("version", 4);
inline constexpr Field svn_v1 = version.then("svn", 4);             // 1.x only
inline constexpr Field reserved_v1 = svn_v1.then("reserved", 4);    // 1.x
inline constexpr Field reserved_v2 = version.then("reserved", 8);   // 2.x: u32[2]
inline constexpr Field load_addr = reserved_v2.then("load_addr", 4);
inline constexpr Field entry_point = load_addr.then("entry_point", 4);
inline constexpr Field offset = entry_point.then("offset", 4);
inline constexpr Field size = offset.then("size", 4);
inline constexpr Field digest = size.then("digest", kDigestBytes);  // hw
inline constexpr uint32_t kBytes = digest.end();
inline constexpr uint32_t kIdFmc = 1, kIdRuntime = 2, kTypeExecutable = 1;
}  // namespace toc

// Signed-data blocks of the header: validity dates, ASN.1 GeneralizedTime "YYYYMMDDHHMMSSZ".
namespace dates {
inline constexpr Field not_before{"not_before", 0, 15};
inline constexpr Field not_after = not_before.then("not_after", 15);
inline constexpr Field epoch_v1 = not_after.then("epoch", 2);  // 1.x owner data only
inline constexpr uint32_t kBytes = 40;
}  // namespace dates

// ---- Caliptra 1.x ("CMAN", ROM 1.0-1.2), spec §1.7 ----
namespace cman {
inline constexpr uint32_t kMarker = 0x4E414D43;  // "CMAN"
inline constexpr uint32_t kVendorEccKeys = 4, kVendorLmsKeys = 32;
inline constexpr uint32_t kMaxBundleBytes = 128 * 1024;

inline constexpr Field marker{"marker", 0, 4};
inline constexpr Field size = marker.then("size", 4);
// preamble
inline constexpr Field vendor_ecc_pub_keys = size.then("vendor_ecc_pub_keys", kVendorEccKeys * kEccKeyBytes);
inline constexpr Field vendor_lms_pub_keys = vendor_ecc_pub_keys.then("vendor_lms_pub_keys", kVendorLmsKeys * kLmsPublicKeyBytes);
inline constexpr Field vendor_ecc_key_idx = vendor_lms_pub_keys.then("vendor_ecc_pub_key_idx", 4);
inline constexpr Field vendor_lms_key_idx = vendor_ecc_key_idx.then("vendor_lms_pub_key_idx", 4);
inline constexpr Field vendor_ecc_sig = vendor_lms_key_idx.then("vendor_ecc_sig", kEccSigBytes);
inline constexpr Field vendor_lms_sig = vendor_ecc_sig.then("vendor_lms_sig", kLmsSignatureBytes);
inline constexpr Field owner_ecc_pub_key = vendor_lms_sig.then("owner_ecc_pub_key", kEccKeyBytes);
inline constexpr Field owner_lms_pub_key = owner_ecc_pub_key.then("owner_lms_pub_key", kLmsPublicKeyBytes);
inline constexpr Field owner_ecc_sig = owner_lms_pub_key.then("owner_ecc_sig", kEccSigBytes);
inline constexpr Field owner_lms_sig = owner_ecc_sig.then("owner_lms_sig", kLmsSignatureBytes);
inline constexpr Field preamble_reserved = owner_lms_sig.then("preamble_reserved", 8);
// header (156 bytes)
inline constexpr Field header_revision = preamble_reserved.then("header.revision", 8);
inline constexpr Field header_ecc_key_idx = header_revision.then("header.vendor_ecc_pub_key_idx", 4);
inline constexpr Field header_lms_key_idx = header_ecc_key_idx.then("header.vendor_lms_pub_key_idx", 4);
inline constexpr Field header_flags = header_lms_key_idx.then("header.flags", 4);
inline constexpr Field header_toc_len = header_flags.then("header.toc_len", 4);
inline constexpr Field header_pl0_pauser = header_toc_len.then("header.pl0_pauser", 4);
inline constexpr Field header_toc_digest = header_pl0_pauser.then("header.toc_digest", kDigestBytes);
inline constexpr Field header_vendor_data = header_toc_digest.then("header.vendor_data", dates::kBytes);
inline constexpr Field header_owner_data = header_vendor_data.then("header.owner_data", dates::kBytes);
inline constexpr Field fmc_toc = header_owner_data.then("fmc_toc", toc::kBytes);
inline constexpr Field runtime_toc = fmc_toc.then("runtime_toc", toc::kBytes);
inline constexpr uint32_t kManifestBytes = runtime_toc.end();

inline constexpr Field header{"header", header_revision.offset, header_owner_data.end() - header_revision.offset};
// The vendor signs the header up to owner_data, the owner the whole header (spec §0.4).
inline constexpr uint32_t kVendorSignedHeaderBytes = header_owner_data.offset - header.offset;
// FUSE_KEY_MANIFEST_PK_HASH covers all vendor keys, FUSE_OWNER_PK_HASH the owner keys (§1.7).
inline constexpr Field vendor_pub_keys{"vendor_pub_keys", vendor_ecc_pub_keys.offset, vendor_lms_pub_keys.end() - vendor_ecc_pub_keys.offset};
inline constexpr Field owner_pub_keys{"owner_pub_keys", owner_ecc_pub_key.offset, owner_lms_pub_key.end() - owner_ecc_pub_key.offset};
inline constexpr Field tocs{"toc", fmc_toc.offset, 2 * toc::kBytes};
}  // namespace cman

// ---- Caliptra 2.x ("CMN2", ROM 2.0-2.1), spec §1.2 ----
namespace cmn2 {
inline constexpr uint32_t kMarker = 0x324E4D43;  // "CMN2"
inline constexpr uint32_t kVendorEccKeys = 4, kVendorLmsKeys = 32, kVendorMldsaKeys = 4;
inline constexpr uint32_t kMaxBundleBytes = 256 * 1024;
inline constexpr uint16_t kKeyDescriptorVersion = 1;

// Key descriptors: version u16, reserved / key_type u8, key_hash_count u8, key_hash[n] (hw).
namespace descriptor {
inline constexpr Field version{"version", 0, 2};
inline constexpr Field type_or_reserved = version.then("key_type", 1);
inline constexpr Field count = type_or_reserved.then("key_hash_count", 1);
inline constexpr Field hashes = count.then("key_hash", 0);  // size depends on the descriptor
}  // namespace descriptor

inline constexpr Field marker{"marker", 0, 4};
inline constexpr Field size = marker.then("size", 4);
inline constexpr Field pqc_key_type = size.then("pqc_key_type", 1);
inline constexpr Field reserved = pqc_key_type.then("reserved", 3);
// preamble
inline constexpr Field ecc_key_descriptor = reserved.then("ecc_key_descriptor", 4 + kVendorEccKeys * kDigestBytes);
inline constexpr Field pqc_key_descriptor = ecc_key_descriptor.then("pqc_key_descriptor", 4 + kVendorLmsKeys * kDigestBytes);
inline constexpr Field vendor_ecc_key_idx = pqc_key_descriptor.then("vendor_ecc_pub_key_idx", 4);
inline constexpr Field vendor_ecc_active_key = vendor_ecc_key_idx.then("vendor_ecc_active_pub_key", kEccKeyBytes);
inline constexpr Field vendor_pqc_key_idx = vendor_ecc_active_key.then("vendor_pqc_pub_key_idx", 4);
inline constexpr Field vendor_pqc_active_key = vendor_pqc_key_idx.then("vendor_pqc_active_pub_key", kPqcPublicKeyFieldBytes);
inline constexpr Field vendor_ecc_sig = vendor_pqc_active_key.then("vendor_ecc_sig", kEccSigBytes);
inline constexpr Field vendor_pqc_sig = vendor_ecc_sig.then("vendor_pqc_sig", kPqcSignatureFieldBytes);
inline constexpr Field owner_ecc_pub_key = vendor_pqc_sig.then("owner_ecc_pub_key", kEccKeyBytes);
inline constexpr Field owner_pqc_pub_key = owner_ecc_pub_key.then("owner_pqc_pub_key", kPqcPublicKeyFieldBytes);
inline constexpr Field owner_ecc_sig = owner_pqc_pub_key.then("owner_ecc_sig", kEccSigBytes);
inline constexpr Field owner_pqc_sig = owner_ecc_sig.then("owner_pqc_sig", kPqcSignatureFieldBytes);
inline constexpr Field preamble_reserved = owner_pqc_sig.then("preamble_reserved", 8);
// header (160 bytes)
inline constexpr Field header_revision = preamble_reserved.then("header.revision", 8);
inline constexpr Field header_ecc_key_idx = header_revision.then("header.vendor_ecc_pub_key_idx", 4);
inline constexpr Field header_pqc_key_idx = header_ecc_key_idx.then("header.vendor_pqc_pub_key_idx", 4);
inline constexpr Field header_flags = header_pqc_key_idx.then("header.flags", 4);
inline constexpr Field header_toc_len = header_flags.then("header.toc_len", 4);
inline constexpr Field header_pl0_pauser = header_toc_len.then("header.pl0_pauser", 4);
inline constexpr Field header_toc_digest = header_pl0_pauser.then("header.toc_digest", kDigestBytes);
inline constexpr Field header_svn = header_toc_digest.then("header.svn", 4);
inline constexpr Field header_vendor_data = header_svn.then("header.vendor_data", dates::kBytes);
inline constexpr Field header_owner_data = header_vendor_data.then("header.owner_data", dates::kBytes);
inline constexpr Field fmc_toc = header_owner_data.then("fmc_toc", toc::kBytes);
inline constexpr Field runtime_toc = fmc_toc.then("runtime_toc", toc::kBytes);
inline constexpr uint32_t kManifestBytes = runtime_toc.end();

inline constexpr Field header{"header", header_revision.offset, header_owner_data.end() - header_revision.offset};
inline constexpr uint32_t kVendorSignedHeaderBytes = header_owner_data.offset - header.offset;
// FUSE_VENDOR_PK_HASH covers both descriptors, CPTRA_OWNER_PK_HASH the owner keys (§1.4).
inline constexpr Field vendor_key_descriptors{"vendor_key_descriptors", ecc_key_descriptor.offset, pqc_key_descriptor.end() - ecc_key_descriptor.offset};
inline constexpr Field owner_pub_keys{"owner_pub_keys", owner_ecc_pub_key.offset, owner_pqc_pub_key.end() - owner_ecc_pub_key.offset};
inline constexpr Field tocs{"toc", fmc_toc.offset, 2 * toc::kBytes};
inline constexpr uint32_t kMaxFirmwareSvn = 128;
}  // namespace cmn2

// ---- Caliptra 2.x SoC manifest ("ATM2", SET_AUTH_MANIFEST), spec §5.2 ----
namespace atm2 {
inline constexpr uint32_t kMarker = 0x324D5441;  // "ATM2"
inline constexpr uint32_t kMaxEntries = 80;
inline constexpr uint32_t kPubKeysBytes = kEccKeyBytes + kPqcPublicKeyFieldBytes;    // 2688
inline constexpr uint32_t kSignaturesBytes = kEccSigBytes + kPqcSignatureFieldBytes;  // 4724
inline constexpr uint32_t kFlagVendorSignatureRequired = 1u << 0;

inline constexpr Field marker{"marker", 0, 4};
inline constexpr Field size = marker.then("size", 4);
inline constexpr Field version = size.then("version", 4);
inline constexpr Field svn = version.then("svn", 4);
inline constexpr Field flags = svn.then("flags", 4);
inline constexpr Field vendor_pub_keys = flags.then("vendor_pub_keys", kPubKeysBytes);
inline constexpr Field vendor_pub_keys_signatures = vendor_pub_keys.then("vendor_pub_keys_signatures", kSignaturesBytes);
inline constexpr Field owner_pub_keys = vendor_pub_keys_signatures.then("owner_pub_keys", kPubKeysBytes);
inline constexpr Field owner_pub_keys_signatures = owner_pub_keys.then("owner_pub_keys_signatures", kSignaturesBytes);
inline constexpr Field vendor_imc_signatures = owner_pub_keys_signatures.then("vendor_image_metadata_signatures", kSignaturesBytes);
inline constexpr Field owner_imc_signatures = vendor_imc_signatures.then("owner_image_metadata_signatures", kSignaturesBytes);
inline constexpr uint32_t kPreambleBytes = owner_imc_signatures.end();
inline constexpr Field entry_count{"entry_count", kPreambleBytes, 4};
inline constexpr uint32_t kEntriesOffset = entry_count.end();
// The vendor signs version..vendor_pub_keys with the FW bundle's vendor keys.
inline constexpr Field vendor_signed{"vendor_signed_data", version.offset, vendor_pub_keys.end() - version.offset};

// Image metadata entry (80 bytes).
namespace ime {
inline constexpr Field fw_id{"fw_id", 0, 4};
inline constexpr Field component_id = fw_id.then("component_id", 4);
inline constexpr Field classification = component_id.then("classification", 4);
inline constexpr Field flags = classification.then("flags", 4);  // b1:0 source, b2 ignore_auth_check, b14:8 exec bit
inline constexpr Field load_addr = flags.then("image_load_address", 8);        // {lo, hi}
inline constexpr Field staging_addr = load_addr.then("image_staging_address", 8);
inline constexpr Field digest = staging_addr.then("digest", kDigestBytes);     // plain SHA-384 bytes
inline constexpr uint32_t kBytes = digest.end();
}  // namespace ime
}  // namespace atm2

}  // namespace calemu::image
