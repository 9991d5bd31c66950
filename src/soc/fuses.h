// Caliptra fuse values as the SoC programs them into soc_ifc before CPTRA_FUSE_WR_DONE.
// One structure for 1.x and 2.x; the boot driver writes the fields a generation has.
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include "caliptra/block_context.h"

namespace calemu::soc {

struct Fuses {
  std::array<uint32_t, 16> uds_seed{};        // 1.x uses the first 12 words
  std::array<uint32_t, 8> field_entropy{};
  std::array<uint32_t, 12> vendor_pk_hash{};  // 1.x: FUSE_KEY_MANIFEST_PK_HASH
  uint32_t vendor_pk_hash_mask = 0;           // 1.x: FUSE_KEY_MANIFEST_PK_HASH_MASK (ECC key revocation)
  std::array<uint32_t, 12> owner_pk_hash{};
  uint32_t fmc_key_manifest_svn = 0;          // 1.x only
  std::array<uint32_t, 4> runtime_svn{};
  uint32_t anti_rollback_disable = 0;
  std::array<uint32_t, 24> idevid_cert_attr{};
  std::array<uint32_t, 4> idevid_manuf_hsm_id{};
  uint32_t life_cycle = 0;                    // 1.x FUSE_LIFE_CYCLE
  uint32_t lms_verify = 0;                    // 1.x FUSE_LMS_VERIFY
  uint32_t lms_revocation = 0;
  uint32_t soc_stepping_id = 0;
  // 2.x
  uint32_t ecc_revocation = 0, mldsa_revocation = 0, pqc_key_type = 1;
  std::array<uint32_t, 4> soc_manifest_svn{};
  uint32_t soc_manifest_max_svn = 128;
  std::array<uint32_t, 8> hek_seed{};
  std::array<uint32_t, 16> manuf_dbg_unlock_token{};

  // caliptra-sw's test defaults (DEFAULT_UDS_SEED, DEFAULT_FIELD_ENTROPY), so images and
  // certificates line up with its tests.
  static Fuses defaults();
};

// Reads `name = value` lines (hex or decimal; arrays as space/comma separated words), e.g.
//   uds_seed = 0x00010203 0x04050607 ...
//   owner_pk_hash = 0x...
// Unknown names and malformed numbers throw std::invalid_argument with the line number.
Fuses parse_fuse_file(const std::string& text, Fuses base);
std::string fuse_file_help();

}  // namespace calemu::soc
