// Decoding of 32-bit and 16-bit encodings into one operation form.
#pragma once
#include <cstdint>
#include <string_view>

#include "rv/isa.h"

namespace calemu::rv {

struct Decoded {
  Op op = Op::ILLEGAL;
  uint8_t rd = 0, rs1 = 0, rs2 = 0;
  uint8_t len = 4;          // 2 for compressed encodings
  int32_t imm = 0;          // sign-extended immediate (shamt for shifts, uimm for CSR-immediate ops)
  uint16_t csr = 0;
  uint32_t raw = 0;         // the encoding as fetched (16 bits for compressed)
  std::string_view cname;   // compressed mnemonic ("c.addi"), empty for 32-bit encodings
};

inline constexpr bool is_compressed(uint32_t low_half) { return (low_half & 3) != 3; }

// raw holds the 32-bit encoding, or the 16-bit one in its low half.
Decoded decode(uint32_t raw);
Decoded decode_compressed(uint16_t raw);

}  // namespace calemu::rv
