// SHA-2 and SHA-3 through OpenSSL 3.
#pragma once
#include "crypto/bytes.h"

namespace calemu::crypto {

Bytes sha256(ByteView data);
Bytes sha384(ByteView data);
Bytes sha512(ByteView data);
Bytes sha3_256(ByteView data);
Bytes sha3_384(ByteView data);
Bytes sha3_512(ByteView data);
Bytes shake128(ByteView data, size_t out_len);
Bytes shake256(ByteView data, size_t out_len);
Bytes hmac_sha256(ByteView key, ByteView data);
Bytes hmac_sha384(ByteView key, ByteView data);
Bytes hmac_sha512(ByteView key, ByteView data);

// The raw compression functions, for hardware models that are fed padded blocks.
// state: 8 words (SHA-256) / 8 doublewords (SHA-512 family), big-endian word values.
void sha256_compress(uint32_t state[8], const uint8_t block[64]);
void sha512_compress(uint64_t state[8], const uint8_t block[128]);

// Incremental SHA-3 / SHAKE (Keccak sponge), for streamed hashing.
class Keccak {
 public:
  enum class Kind { Sha3_256, Sha3_384, Sha3_512, Shake128, Shake256 };
  explicit Keccak(Kind k);
  void update(ByteView data);
  // out_len only for SHAKE. Resets the object to the empty message.
  Bytes finish(size_t out_len = 0);
 private:
  Kind kind_;
  Bytes buffered_;
};

}  // namespace calemu::crypto
