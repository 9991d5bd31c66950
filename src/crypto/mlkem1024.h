// ML-KEM-1024 (FIPS 203), our own implementation.
#pragma once
#include "crypto/bytes.h"

namespace calemu::crypto::mlkem1024 {

inline constexpr size_t kEncapsulationKeyBytes = 1568;
inline constexpr size_t kDecapsulationKeyBytes = 3168;
inline constexpr size_t kCiphertextBytes = 1568;
inline constexpr size_t kSharedSecretBytes = 32;

struct KeyPair { Bytes ek, dk; };
struct Encapsulation { Bytes shared_secret, ciphertext; };

// ML-KEM.KeyGen_internal(d, z) (FIPS 203 Algorithm 16) from two 32-byte seeds.
KeyPair keygen(ByteView d32, ByteView z32);
// ML-KEM.Encaps_internal(ek, m) (Algorithm 17) with a caller-chosen 32-byte m. Throws
// CryptoError if ek fails the input checks of §7.2 (length, coefficients < q).
Encapsulation encaps(ByteView ek, ByteView m32);
// ML-KEM.Decaps_internal(dk, c) (Algorithm 18). A ciphertext that does not re-encrypt gives
// the implicit-rejection key J(z || c), chosen in constant time. Throws CryptoError if dk or
// c fail the input checks of §7.3 (lengths, the hash of ek inside dk).
Bytes decaps(ByteView dk, ByteView ciphertext);

}  // namespace calemu::crypto::mlkem1024
