#include "crypto/aes.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <memory>

namespace calemu::crypto {

namespace {

struct CtxFree { void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); } };
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

enum class Mode { Ecb, Cbc, Ctr, Gcm };

const EVP_CIPHER* cipher_for(Mode mode, size_t key_len) {
  switch (key_len) {
    case 16:
      return mode == Mode::Ecb ? EVP_aes_128_ecb() : mode == Mode::Cbc ? EVP_aes_128_cbc()
           : mode == Mode::Ctr ? EVP_aes_128_ctr() : EVP_aes_128_gcm();
    case 24:
      return mode == Mode::Ecb ? EVP_aes_192_ecb() : mode == Mode::Cbc ? EVP_aes_192_cbc()
           : mode == Mode::Ctr ? EVP_aes_192_ctr() : EVP_aes_192_gcm();
    case 32:
      return mode == Mode::Ecb ? EVP_aes_256_ecb() : mode == Mode::Cbc ? EVP_aes_256_cbc()
           : mode == Mode::Ctr ? EVP_aes_256_ctr() : EVP_aes_256_gcm();
    default:
      throw CryptoError("AES: key must be 16, 24 or 32 bytes");
  }
}

void check(int ok, const char* what) {
  if (ok != 1) {
    ERR_clear_error();
    throw CryptoError(std::string("AES: ") + what + " failed");
  }
}

CipherCtx new_ctx() {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) throw CryptoError("AES: out of memory");
  return ctx;
}

const uint8_t* nonnull(ByteView v) {
  static constexpr uint8_t kEmpty = 0;
  return v.empty() ? &kEmpty : v.data();
}

// Runs data through an initialised context and finalises it.
Bytes run(EVP_CIPHER_CTX* ctx, ByteView data) {
  Bytes out(data.size() + 16);
  int len = 0, tail = 0;
  check(EVP_CipherUpdate(ctx, out.data(), &len, nonnull(data), static_cast<int>(data.size())), "update");
  check(EVP_CipherFinal_ex(ctx, out.data() + len, &tail), "final");
  out.resize(static_cast<size_t>(len + tail));
  return out;
}

Bytes block_mode(Mode mode, bool encrypt, ByteView key, ByteView iv, ByteView data) {
  const EVP_CIPHER* cipher = cipher_for(mode, key.size());
  if (mode != Mode::Ctr && data.size() % 16 != 0) throw CryptoError("AES: ECB/CBC data must be whole 16-byte blocks");
  if (mode != Mode::Ecb && iv.size() != 16) throw CryptoError("AES: IV / counter block must be 16 bytes");
  CipherCtx ctx = new_ctx();
  check(EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key.data(), mode == Mode::Ecb ? nullptr : iv.data(), encrypt ? 1 : 0),
        "init");
  check(EVP_CIPHER_CTX_set_padding(ctx.get(), 0), "set_padding");
  return run(ctx.get(), data);
}

// Sets up a GCM context with key and IV; aad fed in.
CipherCtx gcm_ctx(bool encrypt, ByteView key, ByteView iv, ByteView aad) {
  const EVP_CIPHER* cipher = cipher_for(Mode::Gcm, key.size());
  if (iv.empty()) throw CryptoError("AES-GCM: IV must not be empty");
  CipherCtx ctx = new_ctx();
  check(EVP_CipherInit_ex(ctx.get(), cipher, nullptr, nullptr, nullptr, encrypt ? 1 : 0), "init");
  check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()), nullptr), "set IV length");
  check(EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, key.data(), iv.data(), -1), "set key and IV");
  int len = 0;
  if (!aad.empty()) check(EVP_CipherUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())), "AAD");
  return ctx;
}

void require_tag_len(size_t len) {
  if (len < 4 || len > 16) throw CryptoError("AES-GCM: tag must be 4 to 16 bytes");
}

}  // namespace

Bytes aes_ecb_encrypt(ByteView key, ByteView data) { return block_mode(Mode::Ecb, true, key, {}, data); }
Bytes aes_ecb_decrypt(ByteView key, ByteView data) { return block_mode(Mode::Ecb, false, key, {}, data); }
Bytes aes_cbc_encrypt(ByteView key, ByteView iv16, ByteView data) { return block_mode(Mode::Cbc, true, key, iv16, data); }
Bytes aes_cbc_decrypt(ByteView key, ByteView iv16, ByteView data) { return block_mode(Mode::Cbc, false, key, iv16, data); }
Bytes aes_ctr(ByteView key, ByteView counter16, ByteView data) { return block_mode(Mode::Ctr, true, key, counter16, data); }

AesGcmSealed aes_gcm_encrypt(ByteView key, ByteView iv, ByteView aad, ByteView plaintext, size_t tag_len) {
  require_tag_len(tag_len);
  CipherCtx ctx = gcm_ctx(true, key, iv, aad);
  AesGcmSealed sealed{run(ctx.get(), plaintext), Bytes(tag_len)};
  check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_len), sealed.tag.data()), "get tag");
  return sealed;
}

std::optional<Bytes> aes_gcm_decrypt(ByteView key, ByteView iv, ByteView aad, ByteView ciphertext, ByteView tag) {
  require_tag_len(tag.size());
  CipherCtx ctx = gcm_ctx(false, key, iv, aad);
  Bytes out(ciphertext.size() + 16);
  int len = 0, tail = 0;
  check(EVP_CipherUpdate(ctx.get(), out.data(), &len, nonnull(ciphertext), static_cast<int>(ciphertext.size())), "update");
  Bytes expected(tag.begin(), tag.end());
  check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(expected.size()), expected.data()), "set tag");
  if (EVP_CipherFinal_ex(ctx.get(), out.data() + len, &tail) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  out.resize(static_cast<size_t>(len + tail));
  return out;
}

struct AesBlockCipher::Ctx {
  CipherCtx enc, dec;
};

AesBlockCipher::AesBlockCipher(ByteView key) : ctx_(std::make_unique<Ctx>()) {
  const EVP_CIPHER* cipher = cipher_for(Mode::Ecb, key.size());
  ctx_->enc = new_ctx();
  ctx_->dec = new_ctx();
  check(EVP_CipherInit_ex(ctx_->enc.get(), cipher, nullptr, key.data(), nullptr, 1), "init");
  check(EVP_CipherInit_ex(ctx_->dec.get(), cipher, nullptr, key.data(), nullptr, 0), "init");
  check(EVP_CIPHER_CTX_set_padding(ctx_->enc.get(), 0), "set_padding");
  check(EVP_CIPHER_CTX_set_padding(ctx_->dec.get(), 0), "set_padding");
}

AesBlockCipher::~AesBlockCipher() = default;
AesBlockCipher::AesBlockCipher(AesBlockCipher&&) noexcept = default;
AesBlockCipher& AesBlockCipher::operator=(AesBlockCipher&&) noexcept = default;

namespace {
Block16 one_block(EVP_CIPHER_CTX* ctx, const Block16& in) {
  Block16 out{};
  int len = 0;
  check(EVP_CipherUpdate(ctx, out.data(), &len, in.data(), 16), "update");
  return out;
}
}  // namespace

Block16 AesBlockCipher::encrypt(const Block16& in) const { return one_block(ctx_->enc.get(), in); }
Block16 AesBlockCipher::decrypt(const Block16& in) const { return one_block(ctx_->dec.get(), in); }

// SP 800-38D Algorithm 1: Z accumulates X where bits of Y are set, V = X * x^i; the
// reduction polynomial R = 11100001 || 0^120.
Block16 gf128_mul(const Block16& x, const Block16& y) {
  uint64_t vh = 0, vl = 0, zh = 0, zl = 0;
  for (int i = 0; i < 8; ++i) {
    vh = vh << 8 | x[i];
    vl = vl << 8 | x[8 + i];
  }
  for (int i = 0; i < 128; ++i) {
    if ((y[i / 8] >> (7 - i % 8)) & 1) {
      zh ^= vh;
      zl ^= vl;
    }
    const bool lsb = vl & 1;
    vl = vl >> 1 | vh << 63;
    vh >>= 1;
    if (lsb) vh ^= 0xE100'0000'0000'0000ull;
  }
  Block16 z{};
  for (int i = 0; i < 8; ++i) {
    z[i] = static_cast<uint8_t>(zh >> (56 - 8 * i));
    z[8 + i] = static_cast<uint8_t>(zl >> (56 - 8 * i));
  }
  return z;
}

}  // namespace calemu::crypto
