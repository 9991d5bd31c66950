// ML-DSA-87 (FIPS 204), our own implementation.
#pragma once
#include <optional>

#include "crypto/bytes.h"

namespace calemu::crypto::mldsa87 {

inline constexpr size_t kPublicKeyBytes = 2592;
inline constexpr size_t kSecretKeyBytes = 4896;
inline constexpr size_t kSignatureBytes = 4627;

struct KeyPair { Bytes pk, sk; };

// ML-DSA.KeyGen_internal(xi) with a 32-byte seed (FIPS 204 Algorithm 6).
KeyPair keygen(ByteView seed32);
// ML-DSA.Sign (Algorithm 2) with context (<= 255 bytes); rnd = 32 zero bytes gives the
// deterministic variant, 32 random bytes the hedged one.
Bytes sign(ByteView sk, ByteView message, ByteView context, ByteView rnd32);
// Sign_internal over a caller-supplied message representative mu (64 bytes), as the
// hardware engine's "external mu" mode and Caliptra's firmware use it.
Bytes sign_mu(ByteView sk, ByteView mu64, ByteView rnd32);
bool verify(ByteView pk, ByteView message, ByteView context, ByteView signature);
bool verify_mu(ByteView pk, ByteView mu64, ByteView signature);
// mu = H(tr || M') with tr = H(pk, 64) (Algorithm 7 line 6).
Bytes compute_mu(ByteView pk, ByteView message, ByteView context);

}  // namespace calemu::crypto::mldsa87
