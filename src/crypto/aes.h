// AES through OpenSSL 3, one-shot calls for the AES and DOE engine models.
// Keys of 16, 24 or 32 bytes select AES-128/192/256. ECB and CBC take whole 16-byte blocks
// (no padding), as the hardware engines do. Bad key/IV/data sizes throw CryptoError.
#pragma once
#include <array>
#include <memory>
#include <optional>

#include "crypto/bytes.h"

namespace calemu::crypto {

Bytes aes_ecb_encrypt(ByteView key, ByteView data);
Bytes aes_ecb_decrypt(ByteView key, ByteView data);
Bytes aes_cbc_encrypt(ByteView key, ByteView iv16, ByteView data);
Bytes aes_cbc_decrypt(ByteView key, ByteView iv16, ByteView data);
// CTR (SP 800-38A §6.5) with the whole 16-byte counter block incremented as a 128-bit
// big-endian integer per block; any data length. Encryption and decryption are the same.
Bytes aes_ctr(ByteView key, ByteView counter16, ByteView data);

// GCM (SP 800-38D) with an IV of any non-zero length (12 bytes is the usual) and a tag of
// 4 to 16 bytes.
struct AesGcmSealed {
  Bytes ciphertext, tag;
};
AesGcmSealed aes_gcm_encrypt(ByteView key, ByteView iv, ByteView aad, ByteView plaintext, size_t tag_len = 16);
// The plaintext, or nullopt if the tag does not authenticate ciphertext and aad.
std::optional<Bytes> aes_gcm_decrypt(ByteView key, ByteView iv, ByteView aad, ByteView ciphertext, ByteView tag);

using Block16 = std::array<uint8_t, 16>;

// One key's cipher, kept for block-at-a-time use (the AES engine model's cipher core).
class AesBlockCipher {
 public:
  explicit AesBlockCipher(ByteView key);  // 16, 24 or 32 bytes
  ~AesBlockCipher();
  AesBlockCipher(AesBlockCipher&&) noexcept;
  AesBlockCipher& operator=(AesBlockCipher&&) noexcept;
  Block16 encrypt(const Block16& in) const;
  Block16 decrypt(const Block16& in) const;

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

// The multiplication in GF(2^128) of SP 800-38D §6.3 (GHASH's block step, X * Y), with the
// bit order of the GCM specification (the first byte's most significant bit is x^0).
Block16 gf128_mul(const Block16& x, const Block16& y);

}  // namespace calemu::crypto
