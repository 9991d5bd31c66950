// AES-256 on single 16-byte blocks (FIPS 197) through OpenSSL, for the engines whose RTL
// drives an AES core block by block (DOE's CBC decipher, CSRNG's CTR_DRBG). A local
// stopgap until src/crypto grows an AES API.
#pragma once
#include <array>
#include <cstdint>

namespace calemu::caliptra {

using AesBlock = std::array<uint8_t, 16>;
using Aes256Key = std::array<uint8_t, 32>;

AesBlock aes256_encrypt_block(const Aes256Key& key, const AesBlock& in);
AesBlock aes256_decrypt_block(const Aes256Key& key, const AesBlock& in);

}  // namespace calemu::caliptra
