#include "crypto/keccak.h"

namespace calemu::crypto::detail {

namespace {

// FIPS 202 §3.2.5: the round constants of ι.
constexpr uint64_t kRoundConstants[24] = {
    0x0000000000000001, 0x0000000000008082, 0x800000000000808a, 0x8000000080008000, 0x000000000000808b,
    0x0000000080000001, 0x8000000080008081, 0x8000000000008009, 0x000000000000008a, 0x0000000000000088,
    0x0000000080008009, 0x000000008000000a, 0x000000008000808b, 0x800000000000008b, 0x8000000000008089,
    0x8000000000008003, 0x8000000000008002, 0x8000000000000080, 0x000000000000800a, 0x800000008000000a,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008};

// FIPS 202 §3.2.2 Table 2: ρ offsets, lane (x, y) at index x + 5y.
constexpr unsigned kRho[25] = {0,  1,  62, 28, 27, 36, 44, 6,  55, 20, 3,  10, 43,
                               25, 39, 41, 45, 15, 21, 8,  18, 2,  61, 56, 14};

constexpr uint64_t rotl(uint64_t v, unsigned n) { return n ? (v << n | v >> (64 - n)) : v; }

}  // namespace

void keccak_f1600(uint64_t a[25]) {
  for (uint64_t rc : kRoundConstants) {
    uint64_t c[5], b[25];
    for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];  // θ
    for (int x = 0; x < 5; ++x) {
      const uint64_t d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
      for (int y = 0; y < 25; y += 5) a[x + y] ^= d;
    }
    for (int x = 0; x < 5; ++x)  // ρ and π: lane (x, y) moves to (y, 2x + 3y)
      for (int y = 0; y < 5; ++y) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], kRho[x + 5 * y]);
    for (int y = 0; y < 25; y += 5)  // χ
      for (int x = 0; x < 5; ++x) a[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & b[(x + 2) % 5 + y]);
    a[0] ^= rc;  // ι
  }
}

KeccakSponge& KeccakSponge::absorb(const uint8_t* data, size_t len) {
  if (squeezing_) throw CryptoError("Keccak: absorb after squeeze");
  for (size_t i = 0; i < len; ++i) {
    xor_byte(pos_++, data[i]);
    if (pos_ == rate_) {
      keccak_f1600(state_);
      pos_ = 0;
    }
  }
  return *this;
}

void KeccakSponge::squeeze(uint8_t* out, size_t len) {
  if (!squeezing_) {
    xor_byte(pos_, suffix_);
    xor_byte(rate_ - 1, 0x80);
    keccak_f1600(state_);
    squeezing_ = true;
    pos_ = 0;
  }
  for (size_t i = 0; i < len; ++i) {
    if (pos_ == rate_) {
      keccak_f1600(state_);
      pos_ = 0;
    }
    out[i] = byte_at(pos_++);
  }
}

}  // namespace calemu::crypto::detail
