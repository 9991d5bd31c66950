// The ROM's firmware-bundle verification, rule by rule in the ROM's order, reporting the
// CaliptraError code the ROM would raise (spec §1.5 for 2.x; 1.x per ROM 1.1/1.2, §1.7).
// Also the checks the ROM's firmware processor applies to the mailbox transfer first.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "image/types.h"

namespace calemu::image {

// CPTRA_SECURITY_STATE[1:0] (spec §1.5).
enum class Lifecycle : uint8_t { Unprovisioned = 0, Manufacturing = 1, Production = 3 };
std::optional<Lifecycle> lifecycle_from_name(std::string_view name);
std::string_view lifecycle_name(Lifecycle l);

// What the ROM reads from fuses and architectural registers while verifying.
struct FuseState {
  Lifecycle lifecycle = Lifecycle::Production;
  DigestWords vendor_pk_hash{};  // FUSE_VENDOR_PK_HASH (2.x) / FUSE_KEY_MANIFEST_PK_HASH (1.x)
  DigestWords owner_pk_hash{};   // CPTRA_OWNER_PK_HASH (2.x) / FUSE_OWNER_PK_HASH (1.x); 0 = not set
  std::optional<DigestWords> dot_owner_pk_hash;  // 2.x ROM INSTALL_OWNER_PK_HASH
  uint32_t ecc_revocation = 0;    // FUSE_ECC_REVOCATION / FUSE_KEY_MANIFEST_PK_HASH_MASK, 4 bits
  uint32_t lms_revocation = 0;    // FUSE_LMS_REVOCATION, 32 bits
  uint32_t mldsa_revocation = 0;  // FUSE_MLDSA_REVOCATION, 4 bits (2.x)
  uint32_t pqc_key_type = 0;      // FUSE_PQC_KEY_TYPE (2.x): 1 ML-DSA, 3 LMS
  bool lms_verify = true;         // FUSE_LMS_VERIFY (1.x): verify LMS signatures too
  std::array<uint32_t, 4> firmware_svn{};  // FUSE_FIRMWARE_SVN / FUSE_RUNTIME_SVN (128-bit one-hot count)
  uint32_t fmc_svn = 0;           // FUSE_FMC_KEY_MANIFEST_SVN (1.x, 32 bits)
  bool anti_rollback_disable = false;
};

// Values the data vault holds from the cold boot, checked on an update reset (impactless
// firmware update): the bundle must keep the vendor key indices, owner keys and FMC.
struct ColdBootRecord {
  uint32_t vendor_ecc_key_idx = 0;
  uint32_t vendor_pqc_key_idx = 0;
  DigestWords owner_pk_hash{};
  DigestWords fmc_digest{};
};

struct VerifyContext {
  FuseState fuses;
  std::optional<ColdBootRecord> update_reset;  // set: verify as on an update reset
};

struct VerifyResult {
  uint32_t error = 0;                 // 0: the ROM accepts the bundle
  std::string rule;                   // the failing rule, human-readable ("" when accepted)
  std::vector<std::string> passed;    // rules passed, in order
  bool ok() const { return error == 0; }
};

// `bundle` is what the SoC sends (FIRMWARE_LOAD payload; its length is the mailbox DLEN).
// Never throws for any input bytes.
VerifyResult verify_bundle(Generation gen, ByteView bundle, const VerifyContext& ctx);

// Highest set bit + 1 of a 128-bit / 32-bit one-hot-count SVN fuse (spec §1.5 step 9).
uint32_t fuse_svn(const std::array<uint32_t, 4>& words);
uint32_t fuse_svn(uint32_t word);

}  // namespace calemu::image
