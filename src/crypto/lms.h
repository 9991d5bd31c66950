// Leighton-Micali signatures (RFC 8554, NIST SP 800-208), our own implementation.
// Parameter sets: the RFC's SHA-256/32-byte ones and SP 800-208's SHA-256/192 (N = 24)
// ones that Caliptra uses (LMS_SHA256_M24_H15 with LMOTS_SHA256_N24_W4).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "crypto/bytes.h"

namespace calemu::crypto::lms {

// Type codes: RFC 8554 Table 2 / 3, SP 800-208 Table 2 / 3.
enum class LmsType : uint32_t {
  Sha256_M32_H5 = 5, Sha256_M32_H10 = 6, Sha256_M32_H15 = 7, Sha256_M32_H20 = 8, Sha256_M32_H25 = 9,
  Sha256_M24_H5 = 10, Sha256_M24_H10 = 11, Sha256_M24_H15 = 12, Sha256_M24_H20 = 13, Sha256_M24_H25 = 14,
};
enum class OtsType : uint32_t {
  Sha256_N32_W1 = 1, Sha256_N32_W2 = 2, Sha256_N32_W4 = 3, Sha256_N32_W8 = 4,
  Sha256_N24_W1 = 5, Sha256_N24_W2 = 6, Sha256_N24_W4 = 7, Sha256_N24_W8 = 8,
};

struct PrivateKey {
  LmsType type;
  OtsType ots;
  Bytes id;    // I, 16 bytes
  Bytes seed;  // SEED, N bytes (RFC 8554 Appendix A pseudorandom key generation)
};

// Public key encoding: u32str(type) || u32str(otstype) || I || T[1]  (RFC 8554 §5.3).
// Computes the whole Merkle tree (2^h OTS public keys): about 2 s for H15/W4 on a 2 GHz CPU
// with SHA extensions, and 2^5 times that per step of 5 in h. Use Signer to do it once per key.
Bytes public_key(const PrivateKey& key);
// Signature encoding: u32str(q) || lmots_signature || u32str(type) || path  (§5.4).
// C (the randomizer) is derived deterministically from the key and message unless given:
// C = H(I || u32str(q) || u16str(0xfffd) || u8str(0xff) || SEED || message), truncated to n.
// Throws CryptoError for an invalid key, q >= 2^h or a randomizer that is not n bytes.
Bytes sign(const PrivateKey& key, uint32_t q, ByteView message, std::optional<Bytes> randomizer = {});
// False for any signature that does not verify or is malformed; throws CryptoError if the
// public key itself is malformed (wrong length, unknown or mismatched types).
bool verify(ByteView public_key, ByteView message, ByteView signature);

// Encoded sizes (RFC 8554 §5.3, §5.4); nullopt for unknown or mismatched type codes.
std::optional<size_t> public_key_size(uint32_t lms_type, uint32_t ots_type);
std::optional<size_t> signature_size(uint32_t lms_type, uint32_t ots_type);

// How the leaves of the tree are made.
enum class TreeGeneration {
  Full,  // every leaf from its OTS key pair, RFC 8554 Appendix A (the standard)
  // Caliptra's image tools build trees higher than 10 sparsely: only leaf q = 5 holds a real
  // OTS public key, every other leaf hashes K = n zero bytes. Caliptra's published test LMS
  // keys were made this way, so only this mode reproduces their public keys, and only q = 5
  // can be signed with it.
  CaliptraSparse,
};
inline constexpr uint32_t kCaliptraSparseLeaf = 5;

// A private key with its Merkle tree computed once; signing any leaf is then cheap.
class Signer {
 public:
  explicit Signer(PrivateKey key, TreeGeneration generation = TreeGeneration::Full);
  Bytes public_key() const;
  Bytes sign(uint32_t q, ByteView message, std::optional<Bytes> randomizer = {}) const;
  const PrivateKey& key() const { return key_; }

 private:
  PrivateKey key_;
  TreeGeneration generation_;
  Bytes nodes_;  // T[1 .. 2^(h+1)-1], n bytes each, T[r] at offset r * n
};

// Caliptra's key files (../shared/keys/caliptra-fake/*_lms_*.pem): PKCS#8 / SPKI with the
// id-alg-hss-lms-hashsig OID, holding the raw u32str(type) || u32str(otstype) || I || SEED
// private key and the raw public key above. Throw CryptoError naming file and problem.
PrivateKey load_private_pem(const std::string& path);
Bytes load_public_pem(const std::string& path);

}  // namespace calemu::crypto::lms
