// Leighton-Micali signatures (RFC 8554, NIST SP 800-208), our own implementation.
// Parameter sets: the RFC's SHA-256/32-byte ones and SP 800-208's SHA-256/192 (N = 24)
// ones that Caliptra uses (LMS_SHA256_M24_H15 with LMOTS_SHA256_N24_W4).
#pragma once
#include <cstdint>
#include <optional>

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
Bytes public_key(const PrivateKey& key);
// Signature encoding: u32str(q) || lmots_signature || u32str(type) || path  (§5.4).
// C (the randomizer) is derived deterministically from the key and message unless given.
Bytes sign(const PrivateKey& key, uint32_t q, ByteView message, std::optional<Bytes> randomizer = {});
bool verify(ByteView public_key, ByteView message, ByteView signature);

}  // namespace calemu::crypto::lms
