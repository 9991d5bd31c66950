#include "crypto/keccak.h"

#include <array>
#include <cstring>

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

// π moves lane (x, y) to (y, 2x + 3y); kPiTarget[x + 5y] is the index it lands on.
constexpr std::array<int, 25> make_pi_targets() {
  std::array<int, 25> t{};
  for (int x = 0; x < 5; ++x)
    for (int y = 0; y < 5; ++y) t[static_cast<size_t>(x + 5 * y)] = y + 5 * ((2 * x + 3 * y) % 5);
  return t;
}
constexpr std::array<int, 25> kPiTarget = make_pi_targets();

}  // namespace

// The loops are fully unrolled and work on a local copy of the state, so every index and
// rotation amount is a constant and the compiler can keep the lanes in registers.
void keccak_f1600(uint64_t state[25]) {
  uint64_t a[25];
  std::memcpy(a, state, sizeof a);
  for (uint64_t rc : kRoundConstants) {
    uint64_t c[5], d[5], b[25];
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];  // θ
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) d[x] = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
#pragma GCC unroll 25
    for (int i = 0; i < 25; ++i) b[kPiTarget[static_cast<size_t>(i)]] = rotl(a[i] ^ d[i % 5], kRho[i]);  // ρ, π
#pragma GCC unroll 25
    for (int i = 0; i < 25; ++i) {  // χ
      const int row = i - i % 5, x = i % 5;
      a[i] = b[i] ^ (~b[row + (x + 1) % 5] & b[row + (x + 2) % 5]);
    }
    a[0] ^= rc;  // ι
  }
  std::memcpy(state, a, sizeof a);
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

const uint8_t* KeccakSponge::squeeze_block() {
  if (squeezing_ && pos_ != rate_) throw CryptoError("Keccak: squeeze_block off a block boundary");
  squeeze(block_, rate_);
  return block_;
}

}  // namespace calemu::crypto::detail
