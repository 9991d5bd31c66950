// Building and signing firmware bundles: manifest ‖ FMC ‖ runtime (spec §1.1, §1.3, §1.7).
#pragma once
#include <array>
#include <optional>
#include <string>

#include "common/elf.h"
#include "image/keys.h"
#include "image/types.h"

namespace calemu::image {

// Code and where it runs: the bytes are copied to `load_addr` in ICCM, the ROM jumps to
// `entry_point` (FMC) and the FMC to the runtime's.
struct Executable {
  uint32_t load_addr = 0;
  uint32_t entry_point = 0;
  Bytes content;
};

// ELF PT_LOAD segments laid out from the lowest load address, holes zero-filled; entry from
// e_entry (spec §1.3). Throws ImageError if the segments span more than `max_bytes`.
Executable executable_from_elf(const ElfImage& elf, const std::string& what, uint32_t max_bytes);

struct FirmwareImage {
  Executable exe;
  uint32_t version = 0;                       // TOC version (FMC: low 16 bits reach CPTRA_FW_REV_ID)
  std::array<uint8_t, kRevisionBytes> revision{};  // git commit id bytes
  uint32_t svn = 0;                           // 1.x only: per-image SVN in the TOC
};

struct BundleSpec {
  Generation generation = Generation::k2x;
  PqcKeyType pqc = PqcKeyType::Lms;  // 2.x; a 1.x manifest always carries LMS fields
  FirmwareImage fmc, runtime;
  uint32_t vendor_ecc_key_idx = 0;
  uint32_t vendor_pqc_key_idx = 0;   // LMS (1.x, 2.x) or ML-DSA (2.x) vendor key
  bool owner = true;                 // sign with the owner keys (every ROM requires it)
  uint32_t svn = 0;                  // 2.x firmware SVN (header)
  std::optional<uint32_t> pl0_pauser;
  std::array<uint32_t, 2> header_revision{};
  // Validity dates "YYYYMMDDHHMMSS" (a 'Z' is appended); empty = not set (zeros).
  std::string vendor_not_before, vendor_not_after, owner_not_before, owner_not_after;
  std::optional<uint32_t> lms_leaf;  // leaf for LMS keys that are not Caliptra's sparse test trees
};

uint32_t manifest_bytes(Generation gen);
uint32_t max_bundle_bytes(Generation gen);
uint32_t manifest_marker(Generation gen);
struct MemoryRange {
  uint32_t base, size;
  bool contains(uint32_t a) const { return a >= base && a - base < size; }
};
MemoryRange iccm_range(Generation gen);  // 1.x 128 KiB, 2.x 256 KiB at 0x4000_0000 (§1.5)

// Builds and signs a bundle. Throws ImageError for anything a ROM would reject by
// construction (missing keys, indices out of range, code outside ICCM, overlapping load
// ranges, too large) and for keys that cannot sign.
Bytes build_bundle(const BundleSpec& spec, const KeySet& keys);

// ---- Lower-level steps, for tools and tests that craft unusual bundles ----

// The manifest of `spec` with keys, header and TOC filled in but no signatures; the TOC
// offsets assume FMC then runtime right after the manifest.
ManifestBytes unsigned_manifest(const BundleSpec& spec, const KeySet& keys);
// Recomputes header.toc_digest from the two TOC entries.
void update_toc_digest(ManifestBytes& m, Generation gen);
// Signs the header as it stands with the vendor keys its preamble indices name (and the
// owner keys if `owner`), writing the four signature fields.
void sign_manifest(ManifestBytes& m, Generation gen, const KeySet& keys, bool owner,
                   std::optional<uint32_t> lms_leaf = {});
// manifest ‖ fmc ‖ runtime, zero-padded to 256 bytes for 2.x (recovery-interface images, §1.1).
Bytes assemble_bundle(const ManifestBytes& m, ByteView fmc, ByteView runtime, Generation gen);

// ---- Fuse values (spec §1.4, §1.7) ----

struct PublicKeyHashes {
  DigestWords vendor{};  // FUSE_VENDOR_PK_HASH (2.x) / FUSE_KEY_MANIFEST_PK_HASH (1.x)
  DigestWords owner{};   // CPTRA_OWNER_PK_HASH (2.x) / FUSE_OWNER_PK_HASH (1.x)
  bool has_owner = false;
};
// What the SoC programs for images signed with `keys`.
PublicKeyHashes key_fuse_hashes(Generation gen, PqcKeyType pqc, const KeySet& keys);
// What a manifest's keys hash to (whether or not they match any fuses).
PublicKeyHashes manifest_fuse_hashes(Generation gen, const ManifestBytes& m);

// True if `keys` holds Caliptra's published test keys: its fuse hashes equal the test values
// of spec §1.4 / §1.7. Tools must then warn that the images are insecure.
bool uses_caliptra_test_keys(const KeySet& keys);

}  // namespace calemu::image
