// The Caliptra 2.x SoC manifest ("ATM2" authorization manifest, SET_AUTH_MANIFEST; spec §5.2):
// a preamble of manifest keys signed by the firmware bundle's keys, then the image metadata
// collection (IMC) listing the digests of SoC images, signed by the manifest keys.
#pragma once
#include <vector>

#include "image/keys.h"
#include "image/verify.h"

namespace calemu::image {

struct ImageMetadataEntry {
  uint32_t fw_id = 0;
  uint32_t component_id = 0;
  uint32_t classification = 0;
  uint32_t flags = 0;  // b1:0 image source, b2 ignore_auth_check, b14:8 FW_EXEC_CTRL bit
  uint64_t load_addr = 0;
  uint64_t staging_addr = 0;
  Bytes digest;        // SHA-384 of the image, plain bytes (48)
};

struct SocManifestSpec {
  PqcKeyType pqc = PqcKeyType::Lms;  // must be the firmware bundle's type
  uint32_t version = 2;
  uint32_t svn = 0;
  bool vendor_signature_required = true;  // flags bit 0: the IMC also carries a vendor signature
  // The firmware bundle's vendor keys that sign the manifest's vendor keys; the manifest's own
  // vendor keys are the same ones (as in upstream's default configuration).
  uint32_t vendor_ecc_key_idx = 0;
  uint32_t vendor_pqc_key_idx = 0;
  std::vector<ImageMetadataEntry> entries;  // 1..80, distinct fw_id
  std::optional<uint32_t> lms_leaf;
};

// The manifest bytes: preamble ‖ entry_count ‖ the used entries (the IMC signatures cover
// exactly these bytes, spec §5.2). Throws ImageError for bad specs or missing keys.
Bytes build_soc_manifest(const SocManifestSpec& spec, const KeySet& keys);

// Runtime fuse inputs beyond FuseState (FUSE_SOC_MANIFEST_SVN, FUSE_SOC_MANIFEST_MAX_SVN).
struct SocManifestFuses {
  std::array<uint32_t, 4> soc_manifest_svn{};
  uint32_t soc_manifest_max_svn = 128;
};

// SET_AUTH_MANIFEST's checks in the runtime's order (caliptra-sw runtime/src/set_auth_manifest.rs),
// against the firmware bundle the runtime booted with (its vendor active keys and owner keys).
// Returns the runtime error code; never throws for any input.
VerifyResult verify_soc_manifest(ByteView manifest, ByteView fw_bundle, const FuseState& fuses,
                                 const SocManifestFuses& soc_fuses);

// Structural parse for inspection: throws ImageError if truncated or the counts are out of range.
struct SocManifestInfo {
  uint32_t marker, size, version, svn, flags, entry_count;
  std::vector<ImageMetadataEntry> entries;
};
SocManifestInfo parse_soc_manifest(ByteView manifest);

}  // namespace calemu::image
