// ML-DSA-87 (FIPS 204), our own implementation.
#pragma once
#include <optional>

#include "crypto/bytes.h"
#include "crypto/keccak.h"

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
// mu = H(tr || M') for a given 64-byte tr (the secret key's bytes 64..127, or H(pk, 64)).
Bytes mu_from_tr(ByteView tr64, ByteView message, ByteView context);

// mu = H(tr || M') computed while M = message arrives in pieces (M' = 0 || |ctx| || ctx || M).
class MuHasher {
 public:
  MuHasher(ByteView tr64, ByteView context);
  void update(ByteView message_part) { sponge_.absorb(message_part); }
  Bytes finish() { return sponge_.squeeze(64); }

 private:
  detail::KeccakSponge sponge_ = detail::KeccakSponge::shake256();
};

// Entry points for the Adams Bridge engine model, which exposes the internals of Algorithms 7
// and 8: how long signing took, the recomputed challenge, and the decoder's range checks.

// Sign_internal over mu, also reporting how many (y, c) candidates the rejection loop tried.
struct Signing {
  Bytes signature;
  unsigned attempts = 0;
};
Signing sign_mu_counted(ByteView sk, ByteView mu64, ByteView rnd32);
// Verify_internal's c~' (64 bytes): the challenge hash recomputed from the signature's z and
// hints; the signature verifies iff it equals the signature's first 64 bytes. nullopt if the
// hints do not decode (Algorithm 21 HintBitUnpack) or ||z|| >= gamma1 - beta.
std::optional<Bytes> verify_challenge(ByteView pk, ByteView mu64, ByteView signature);
// ||z||inf < gamma1 - beta for a 4627-byte signature (Algorithm 8 line 13's first test).
bool signature_z_in_bound(ByteView signature);
// Every 3-bit s1/s2 field of a 4896-byte secret key encodes a value in [-eta, eta] (0..4);
// BitUnpack (Algorithm 19) would accept 5..7 and give out-of-range coefficients.
bool secret_key_in_range(ByteView sk);

}  // namespace calemu::crypto::mldsa87
