#include "crypto/sha.h"

#include <immintrin.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "crypto/sha256_block.h"

namespace calemu::crypto {

namespace {

struct MdCtxFree { void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); } };
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

// A pointer OpenSSL accepts even for empty input (it rejects some null buffers).
const uint8_t* nonnull(ByteView v) {
  static constexpr uint8_t kEmpty = 0;
  return v.empty() ? &kEmpty : v.data();
}

Bytes evp_digest(const EVP_MD* md, ByteView data, size_t xof_len = 0) {
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), nonnull(data), data.size()) != 1)
    throw CryptoError(std::string("digest failed: ") + EVP_MD_get0_name(md));
  Bytes out;
  if (xof_len) {
    out.resize(xof_len);
    if (EVP_DigestFinalXOF(ctx.get(), out.data(), out.size()) != 1)
      throw CryptoError(std::string("XOF failed: ") + EVP_MD_get0_name(md));
  } else {
    out.resize(static_cast<size_t>(EVP_MD_get_size(md)));
    unsigned len = 0;
    if (EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1 || len != out.size())
      throw CryptoError(std::string("digest failed: ") + EVP_MD_get0_name(md));
  }
  return out;
}

Bytes hmac(const char* digest, ByteView key, ByteView data) {
  uint8_t out[EVP_MAX_MD_SIZE];
  size_t len = 0;
  if (!EVP_Q_mac(nullptr, "HMAC", nullptr, digest, nullptr, nonnull(key), key.size(), nonnull(data),
                 data.size(), out, sizeof out, &len))
    throw CryptoError(std::string("HMAC failed: ") + digest);
  return Bytes(out, out + len);
}

}  // namespace

Bytes sha256(ByteView data) { return evp_digest(EVP_sha256(), data); }
Bytes sha384(ByteView data) { return evp_digest(EVP_sha384(), data); }
Bytes sha512(ByteView data) { return evp_digest(EVP_sha512(), data); }
Bytes sha3_256(ByteView data) { return evp_digest(EVP_sha3_256(), data); }
Bytes sha3_384(ByteView data) { return evp_digest(EVP_sha3_384(), data); }
Bytes sha3_512(ByteView data) { return evp_digest(EVP_sha3_512(), data); }
Bytes shake128(ByteView data, size_t out_len) {
  return out_len ? evp_digest(EVP_shake128(), data, out_len) : Bytes{};
}
Bytes shake256(ByteView data, size_t out_len) {
  return out_len ? evp_digest(EVP_shake256(), data, out_len) : Bytes{};
}
Bytes hmac_sha256(ByteView key, ByteView data) { return hmac("SHA256", key, data); }
Bytes hmac_sha384(ByteView key, ByteView data) { return hmac("SHA384", key, data); }
Bytes hmac_sha512(ByteView key, ByteView data) { return hmac("SHA512", key, data); }

// ---- SHA-256 compression (FIPS 180-4 §6.2.2) ----

namespace detail {
namespace {

constexpr uint32_t kSha256K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr uint32_t rotr32(uint32_t x, int n) { return x >> n | x << (32 - n); }

void sha256_compress_one(uint32_t state[8], const uint8_t block[64]) {
  uint32_t w[64];
  for (int t = 0; t < 16; ++t) w[t] = load_be32(block + 4 * t);
  for (int t = 16; t < 64; ++t) {
    const uint32_t s0 = rotr32(w[t - 15], 7) ^ rotr32(w[t - 15], 18) ^ (w[t - 15] >> 3);
    const uint32_t s1 = rotr32(w[t - 2], 17) ^ rotr32(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int t = 0; t < 64; ++t) {
    const uint32_t t1 = h + (rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25)) + ((e & f) ^ (~e & g)) +
                        kSha256K[t] + w[t];
    const uint32_t t2 = (rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  state[0] += a; state[1] += b; state[2] += c; state[3] += d;
  state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

}  // namespace

void sha256_blocks_portable(uint32_t state[8], const uint8_t* blocks, size_t count) {
  for (size_t i = 0; i < count; ++i) sha256_compress_one(state, blocks + 64 * i);
}

// The x86 SHA extensions keep the state as the register pair ABEF / CDGH and do two
// rounds per sha256rnds2; sha256msg1/msg2 compute the message schedule four words at a time.
namespace {

struct ShaNiState {
  __m128i abef, cdgh;
};

__attribute__((target("sha,sse4.1"), always_inline)) inline ShaNiState shani_load(const uint32_t state[8]) {
  const __m128i dcba = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state));
  const __m128i hgfe = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4));
  const __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
  const __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
  return {_mm_alignr_epi8(cdab, efgh, 8), _mm_blend_epi16(efgh, cdab, 0xF0)};
}

__attribute__((target("sha,sse4.1"), always_inline)) inline void shani_store(const ShaNiState& s, uint32_t state[8]) {
  const __m128i feba = _mm_shuffle_epi32(s.abef, 0x1B);
  const __m128i dchg = _mm_shuffle_epi32(s.cdgh, 0xB1);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_alignr_epi8(dchg, feba, 8));
}

__attribute__((target("sha,sse4.1"), always_inline)) inline void shani_block(ShaNiState& s, const uint8_t* p) {
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  const ShaNiState in = s;
  __m128i w[4];
#pragma GCC unroll 16
  for (int g = 0; g < 16; ++g) {
    if (g < 4) {
      w[g] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * g)), byte_swap);
    } else {
      // w[g%4] holds W[4g-16..4g-13]; the others hold the three following groups.
      __m128i t = _mm_sha256msg1_epu32(w[g % 4], w[(g + 1) % 4]);
      t = _mm_add_epi32(t, _mm_alignr_epi8(w[(g + 3) % 4], w[(g + 2) % 4], 4));
      w[g % 4] = _mm_sha256msg2_epu32(t, w[(g + 3) % 4]);
    }
    const __m128i wk = _mm_add_epi32(w[g % 4], _mm_loadu_si128(reinterpret_cast<const __m128i*>(kSha256K + 4 * g)));
    s.cdgh = _mm_sha256rnds2_epu32(s.cdgh, s.abef, wk);
    s.abef = _mm_sha256rnds2_epu32(s.abef, s.cdgh, _mm_shuffle_epi32(wk, 0x0E));
  }
  s.abef = _mm_add_epi32(s.abef, in.abef);
  s.cdgh = _mm_add_epi32(s.cdgh, in.cdgh);
}

}  // namespace

__attribute__((target("sha,sse4.1"))) void sha256_blocks_shani(uint32_t state[8], const uint8_t* blocks,
                                                                size_t count) {
  ShaNiState s = shani_load(state);
  for (size_t blk = 0; blk < count; ++blk) shani_block(s, blocks + 64 * blk);
  shani_store(s, state);
}

// Two independent compressions back to back: the CPU overlaps them, hiding most of the
// sha256rnds2 latency a single dependent chain of blocks is bound by.
__attribute__((target("sha,sse4.1"))) static void sha256_pair_shani(uint32_t state_a[8], const uint8_t* block_a,
                                                                     uint32_t state_b[8], const uint8_t* block_b) {
  ShaNiState a = shani_load(state_a), b = shani_load(state_b);
  shani_block(a, block_a);
  shani_block(b, block_b);
  shani_store(a, state_a);
  shani_store(b, state_b);
}

bool cpu_has_sha_ni() {
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1");
  }();
  return has;
}

void sha256_blocks(uint32_t state[8], const uint8_t* blocks, size_t count) {
  if (cpu_has_sha_ni())
    sha256_blocks_shani(state, blocks, count);
  else
    sha256_blocks_portable(state, blocks, count);
}

void sha256_block_pair(uint32_t state_a[8], const uint8_t block_a[64], uint32_t state_b[8],
                       const uint8_t block_b[64]) {
  if (cpu_has_sha_ni()) {
    sha256_pair_shani(state_a, block_a, state_b, block_b);
  } else {
    sha256_blocks_portable(state_a, block_a, 1);
    sha256_blocks_portable(state_b, block_b, 1);
  }
}

Sha256& Sha256::update(const uint8_t* data, size_t len) {
  if (len == 0) return *this;  // data may be null for an empty span
  total_ += len;
  if (buffered_) {
    const size_t take = std::min(len, 64 - buffered_);
    std::memcpy(buffer_ + buffered_, data, take);
    buffered_ += take; data += take; len -= take;
    if (buffered_ < 64) return *this;
    sha256_blocks(state_, buffer_, 1);
    buffered_ = 0;
  }
  if (len >= 64) {
    sha256_blocks(state_, data, len / 64);
    data += len / 64 * 64;
    len %= 64;
  }
  if (len) std::memcpy(buffer_, data, len);
  buffered_ = len;
  return *this;
}

std::array<uint8_t, 32> Sha256::finish() {
  // FIPS 180-4 §5.1.1: 0x80, zeros, then the bit length as a 64-bit big-endian integer.
  const uint64_t bits = total_ * 8;
  buffer_[buffered_++] = 0x80;
  if (buffered_ > 56) {
    std::memset(buffer_ + buffered_, 0, 64 - buffered_);
    sha256_blocks(state_, buffer_, 1);
    buffered_ = 0;
  }
  std::memset(buffer_ + buffered_, 0, 56 - buffered_);
  store_be32(buffer_ + 56, static_cast<uint32_t>(bits >> 32));
  store_be32(buffer_ + 60, static_cast<uint32_t>(bits));
  sha256_blocks(state_, buffer_, 1);
  std::array<uint8_t, 32> out;
  for (int i = 0; i < 8; ++i) store_be32(out.data() + 4 * i, state_[i]);
  return out;
}

}  // namespace detail

void sha256_compress(uint32_t state[8], const uint8_t block[64]) { detail::sha256_blocks(state, block, 1); }

// ---- SHA-512 compression (FIPS 180-4 §6.4.2) ----

namespace {

constexpr uint64_t kSha512K[80] = {
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
    0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
    0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
    0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
    0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
    0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
    0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
    0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
    0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
    0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817};

constexpr uint64_t rotr64(uint64_t x, int n) { return x >> n | x << (64 - n); }

uint64_t load_be64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | p[i];
  return v;
}

}  // namespace

void sha512_compress(uint64_t state[8], const uint8_t block[128]) {
  uint64_t w[80];
  for (int t = 0; t < 16; ++t) w[t] = load_be64(block + 8 * t);
  for (int t = 16; t < 80; ++t) {
    const uint64_t s0 = rotr64(w[t - 15], 1) ^ rotr64(w[t - 15], 8) ^ (w[t - 15] >> 7);
    const uint64_t s1 = rotr64(w[t - 2], 19) ^ rotr64(w[t - 2], 61) ^ (w[t - 2] >> 6);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  uint64_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint64_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int t = 0; t < 80; ++t) {
    const uint64_t t1 = h + (rotr64(e, 14) ^ rotr64(e, 18) ^ rotr64(e, 41)) + ((e & f) ^ (~e & g)) +
                        kSha512K[t] + w[t];
    const uint64_t t2 = (rotr64(a, 28) ^ rotr64(a, 34) ^ rotr64(a, 39)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  state[0] += a; state[1] += b; state[2] += c; state[3] += d;
  state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

// ---- Keccak: buffered, hashed by OpenSSL at finish ----

Keccak::Keccak(Kind k) : kind_(k) {}

void Keccak::update(ByteView data) { buffered_.insert(buffered_.end(), data.begin(), data.end()); }

Bytes Keccak::finish(size_t out_len) {
  Bytes out;
  switch (kind_) {
    case Kind::Sha3_256: out = sha3_256(buffered_); break;
    case Kind::Sha3_384: out = sha3_384(buffered_); break;
    case Kind::Sha3_512: out = sha3_512(buffered_); break;
    case Kind::Shake128: out = shake128(buffered_, out_len); break;
    case Kind::Shake256: out = shake256(buffered_, out_len); break;
  }
  buffered_.clear();
  return out;
}

}  // namespace calemu::crypto
