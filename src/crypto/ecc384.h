// ECDSA / ECDH on NIST P-384 through OpenSSL 3. Coordinates, scalars and signature
// halves are 48-byte big-endian.
#pragma once
#include <optional>
#include <string>

#include "crypto/bytes.h"

namespace calemu::crypto {

struct EccPublicKey { Bytes x, y; };      // 48 + 48 bytes
struct EccSignature { Bytes r, s; };      // 48 + 48 bytes
struct EccKeyPair { Bytes priv; EccPublicKey pub; };

EccPublicKey ecc384_public_from_private(ByteView priv48);
// Deterministic signature (RFC 6979, HMAC-SHA-384) over a 48-byte digest.
EccSignature ecc384_sign_digest(ByteView priv48, ByteView digest48);
bool ecc384_verify_digest(const EccPublicKey& pub, ByteView digest48, const EccSignature& sig);
// ECDH: x coordinate of priv * pub (48 bytes), nullopt if pub is not on the curve.
// Throws CryptoError if priv is not a valid scalar in [1, n-1] (as the other calls do).
std::optional<Bytes> ecc384_ecdh(ByteView priv48, const EccPublicKey& pub);
bool ecc384_on_curve(const EccPublicKey& pub);

// PEM files (SEC1 "EC PRIVATE KEY", PKCS#8 or SubjectPublicKeyInfo). Throw CryptoError
// naming the file and the problem (not P-384, not an EC key, unreadable).
EccKeyPair ecc384_load_private_pem(const std::string& path);
EccPublicKey ecc384_load_public_pem(const std::string& path);

// HMAC-DRBG (SP 800-90A) with HMAC-SHA-384, as the ECC engine's key generation uses it.
class HmacDrbg384 {
 public:
  HmacDrbg384(ByteView entropy, ByteView nonce, ByteView personalization = {});
  Bytes generate(size_t len);
 private:
  Bytes k_, v_;
};

}  // namespace calemu::crypto
