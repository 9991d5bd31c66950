// Internal: SHA-256 building blocks for code that hashes millions of short messages (LMS).
// Not part of the public crypto API.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

#include "crypto/bytes.h"

namespace calemu::crypto::detail {

inline constexpr uint32_t kSha256Iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                          0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

// FIPS 180-4 §6.2.2 over `count` consecutive 64-byte blocks, with the SHA extensions when
// the CPU has them.
void sha256_blocks(uint32_t state[8], const uint8_t* blocks, size_t count);
// The two implementations behind sha256_blocks, exposed so tests can check both.
void sha256_blocks_portable(uint32_t state[8], const uint8_t* blocks, size_t count);
void sha256_blocks_shani(uint32_t state[8], const uint8_t* blocks, size_t count);
bool cpu_has_sha_ni();
// One block each into two independent states, faster than two sha256_blocks calls.
void sha256_block_pair(uint32_t state_a[8], const uint8_t block_a[64], uint32_t state_b[8],
                       const uint8_t block_b[64]);

// Incremental SHA-256 on top of sha256_blocks.
class Sha256 {
 public:
  Sha256& update(const uint8_t* data, size_t len);
  Sha256& update(ByteView data) { return update(data.data(), data.size()); }
  std::array<uint8_t, 32> finish();

 private:
  uint32_t state_[8] = {kSha256Iv[0], kSha256Iv[1], kSha256Iv[2], kSha256Iv[3],
                        kSha256Iv[4], kSha256Iv[5], kSha256Iv[6], kSha256Iv[7]};
  uint8_t buffer_[64] = {};
  size_t buffered_ = 0;
  uint64_t total_ = 0;
};

inline void store_be32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24); p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);  p[3] = static_cast<uint8_t>(v);
}
inline uint32_t load_be32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

}  // namespace calemu::crypto::detail
