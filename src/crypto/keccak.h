// Internal: the Keccak-f[1600] sponge (FIPS 202) with incremental absorb and squeeze, which
// ML-DSA and ML-KEM need for rejection sampling (OpenSSL 3.0 cannot squeeze twice).
#pragma once
#include <cstddef>
#include <cstdint>

#include "crypto/bytes.h"

namespace calemu::crypto::detail {

void keccak_f1600(uint64_t state[25]);

class KeccakSponge {
 public:
  // rate in bytes; suffix = the domain bits and first padding bit (FIPS 202 §6): 0x1f for
  // SHAKE, 0x06 for SHA3.
  KeccakSponge(size_t rate, uint8_t suffix) : rate_(rate), suffix_(suffix) {}
  static KeccakSponge shake128() { return {168, 0x1f}; }
  static KeccakSponge shake256() { return {136, 0x1f}; }
  static KeccakSponge sha3_256() { return {136, 0x06}; }
  static KeccakSponge sha3_512() { return {72, 0x06}; }

  KeccakSponge& absorb(const uint8_t* data, size_t len);
  KeccakSponge& absorb(ByteView data) { return absorb(data.data(), data.size()); }
  // The first squeeze pads and closes the absorbing phase; later ones continue the stream.
  void squeeze(uint8_t* out, size_t len);
  // The next whole block of output (the rate's worth of bytes), for rejection samplers that
  // consume output in block-sized pieces; only valid while squeezing on a block boundary.
  const uint8_t* squeeze_block();
  size_t rate() const { return rate_; }
  Bytes squeeze(size_t len) {
    Bytes out(len);
    squeeze(out.data(), len);
    return out;
  }

 private:
  void xor_byte(size_t pos, uint8_t b) { state_[pos / 8] ^= uint64_t{b} << (8 * (pos % 8)); }
  uint8_t byte_at(size_t pos) const { return static_cast<uint8_t>(state_[pos / 8] >> (8 * (pos % 8))); }

  uint64_t state_[25] = {};
  uint8_t block_[168] = {};  // squeeze_block's output
  size_t rate_;
  uint8_t suffix_;
  size_t pos_ = 0;  // bytes absorbed into, or squeezed from, the current block
  bool squeezing_ = false;
};

}  // namespace calemu::crypto::detail
