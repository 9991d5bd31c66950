// Small bit-manipulation helpers shared by every layer.
#pragma once
#include <bit>
#include <cstdint>
#include <cstring>

namespace calemu {

constexpr uint32_t bits(uint32_t v, unsigned hi, unsigned lo) {
  return (v >> lo) & ((hi - lo == 31) ? 0xFFFF'FFFFu : ((1u << (hi - lo + 1)) - 1));
}
constexpr uint32_t bit(uint32_t v, unsigned n) { return (v >> n) & 1u; }
constexpr int32_t sext(uint32_t v, unsigned width) {
  const unsigned shift = 32 - width;
  return static_cast<int32_t>(v << shift) >> shift;
}
constexpr uint32_t mask_bits(unsigned width) { return width >= 32 ? 0xFFFF'FFFFu : ((1u << width) - 1); }

inline uint32_t load_le32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
inline void store_le32(uint8_t* p, uint32_t v) { std::memcpy(p, &v, 4); }
inline uint32_t load_be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
inline void store_be32(uint8_t* p, uint32_t v) {
  p[0] = uint8_t(v >> 24); p[1] = uint8_t(v >> 16); p[2] = uint8_t(v >> 8); p[3] = uint8_t(v);
}

// Zbc carry-less multiply (low, high and reversed halves of the 64-bit product) and Zbb orc.b.
constexpr uint32_t clmul_lo(uint32_t a, uint32_t b) {
  uint32_t x = 0;
  for (unsigned i = 0; i < 32; ++i)
    if ((b >> i) & 1) x ^= a << i;
  return x;
}
constexpr uint32_t clmul_hi(uint32_t a, uint32_t b) {
  uint32_t x = 0;
  for (unsigned i = 1; i < 32; ++i)
    if ((b >> i) & 1) x ^= a >> (32 - i);
  return x;
}
constexpr uint32_t clmul_rev(uint32_t a, uint32_t b) {
  uint32_t x = 0;
  for (unsigned i = 0; i < 32; ++i)
    if ((b >> i) & 1) x ^= a >> (31 - i);
  return x;
}
constexpr uint32_t orc_b(uint32_t v) {
  uint32_t r = 0;
  for (unsigned i = 0; i < 32; i += 8)
    if ((v >> i) & 0xFF) r |= 0xFFu << i;
  return r;
}

#define CALEMU_LIKELY(x) __builtin_expect(!!(x), 1)
#define CALEMU_UNLIKELY(x) __builtin_expect(!!(x), 0)

}  // namespace calemu
