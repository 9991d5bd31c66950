// AES through OpenSSL 3, one-shot calls for the AES and DOE engine models.
// Keys of 16, 24 or 32 bytes select AES-128/192/256. ECB and CBC take whole 16-byte blocks
// (no padding), as the hardware engines do. Bad key/IV/data sizes throw CryptoError.
#pragma once
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

}  // namespace calemu::crypto
