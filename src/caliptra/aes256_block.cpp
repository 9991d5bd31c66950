#include "caliptra/aes256_block.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace calemu::caliptra {

namespace {

AesBlock run(const Aes256Key& key, const AesBlock& in, bool encrypt) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  AesBlock out{};
  int len = 0;
  if (!ctx || EVP_CipherInit_ex(ctx.get(), EVP_aes_256_ecb(), nullptr, key.data(), nullptr, encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_CipherUpdate(ctx.get(), out.data(), &len, in.data(), static_cast<int>(in.size())) != 1 || len != 16)
    throw std::runtime_error("OpenSSL AES-256 failed");
  return out;
}

}  // namespace

AesBlock aes256_encrypt_block(const Aes256Key& key, const AesBlock& in) { return run(key, in, true); }
AesBlock aes256_decrypt_block(const Aes256Key& key, const AesBlock& in) { return run(key, in, false); }

}  // namespace calemu::caliptra
