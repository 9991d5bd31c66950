// Signing keys for firmware images: vendor ECC P-384 / LMS / ML-DSA-87 keys and the owner's,
// loaded from a directory of PEM files named like Caliptra's test keys
// (../shared/keys/caliptra-fake, spec §6):
//   vendor_ecc_<i>_{key,pub}.pem   vendor_lms_<i>_{key,pub}.pem   vendor_mldsa_<i>_{key,pub}.pem
//   owner_ecc_{key,pub}.pem        owner_lms_{key,pub}.pem        owner_mldsa_{key,pub}.pem
// Public keys are required; private keys only for signing.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "crypto/ecc384.h"
#include "crypto/lms.h"
#include "image/types.h"

namespace calemu::image {

struct EccKey {
  crypto::EccPublicKey pub;     // big-endian coordinates
  std::optional<Bytes> priv;    // 48-byte scalar
  std::string source;           // file the key came from, for messages
  Bytes manifest_bytes() const; // x ‖ y in hw format, as stored in a manifest (96 bytes)
};

struct LmsKey {
  Bytes pub;                                    // 48 bytes: type ‖ otstype ‖ I ‖ T[1]
  std::optional<crypto::lms::PrivateKey> priv;  // type, otstype, I, SEED
  std::string source;
};

struct MldsaKey {
  Bytes pub;                  // 2592 bytes
  std::optional<Bytes> priv;  // 4896 bytes (FIPS 204 sk encoding)
  std::string source;
};

struct KeySet {
  std::string dir;
  std::vector<EccKey> vendor_ecc;      // up to 4
  std::vector<LmsKey> vendor_lms;      // up to 32
  std::vector<MldsaKey> vendor_mldsa;  // up to 4
  std::optional<EccKey> owner_ecc;
  std::optional<LmsKey> owner_lms;
  std::optional<MldsaKey> owner_mldsa;
};

// Loads every key present in `dir`. Throws ImageError naming the file for unreadable files
// and keys of the wrong type or size; a directory without any vendor ECC key is an error.
KeySet load_key_dir(const std::string& dir);
// Replaces the owner keys of `keys` with those of `dir` (owner_ecc_*.pem, owner_lms_*.pem,
// owner_mldsa_*.pem); throws ImageError if `dir` has no owner ECC key.
void load_owner_keys(const std::string& dir, KeySet& keys);

// Single files. A file may be PEM (PKCS#8 / SPKI / SEC1) or, for LMS and ML-DSA, the raw
// key bytes as upstream's tools write them (48 / 2592 / 4896 bytes).
EccKey load_ecc_key(const std::string& pub_path, const std::string& priv_path = {});
LmsKey load_lms_key(const std::string& pub_path, const std::string& priv_path = {});
MldsaKey load_mldsa_key(const std::string& pub_path, const std::string& priv_path = {});

// The LMS key in vendor slot `slot` of a manifest. Manifests list 32 LMS keys; a key set with
// fewer repeats them cyclically, as upstream's test configuration does (spec §1.4).
const LmsKey& vendor_lms_slot(const KeySet& keys, uint32_t slot);

}  // namespace calemu::image
