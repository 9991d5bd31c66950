// The fields a generation-independent step (signing, hashing, verifying, describing) needs,
// looked up per generation. 1.x manifests store all vendor keys in the preamble; 2.x stores
// key hashes in descriptors plus the active keys.
#pragma once
#include <optional>

#include "image/layout.h"
#include "image/types.h"

namespace calemu::image {

struct ManifestFields {
  uint32_t marker, manifest_bytes, max_bundle_bytes;
  Field size;
  Field vendor_ecc_key_idx, vendor_pqc_key_idx;
  Field vendor_ecc_sig, vendor_pqc_sig;
  Field owner_ecc_pub_key, owner_pqc_pub_key, owner_ecc_sig, owner_pqc_sig;
  Field header, header_ecc_key_idx, header_pqc_key_idx, header_flags, header_toc_len, header_pl0_pauser,
      header_toc_digest, header_vendor_data, header_owner_data;
  uint32_t vendor_signed_header_bytes;
  Field fmc_toc, runtime_toc, tocs;
  Field vendor_pk_hash_input, owner_pk_hash_input;  // what the fuse digests cover
};

const ManifestFields& manifest_fields(Generation gen);

// The PQC scheme of a manifest: 1.x always LMS, 2.x from its pqc_key_type byte (nullopt if
// that byte is invalid).
std::optional<PqcKeyType> manifest_pqc(Generation gen, const ManifestBytes& m);

// Bytes of the PQC public key / signature actually used in a PQC field of type `t`.
uint32_t pqc_public_key_bytes(PqcKeyType t);
uint32_t pqc_signature_bytes(PqcKeyType t);

// The vendor keys the ROM verifies with. 2.x: the preamble's active keys. 1.x: the entries of
// the key arrays at the preamble indices (nullopt if an index is out of range).
std::optional<Field> vendor_ecc_key_field(Generation gen, const ManifestBytes& m);
std::optional<Field> vendor_pqc_key_field(Generation gen, const ManifestBytes& m);

}  // namespace calemu::image
