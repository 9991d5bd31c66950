// Disassembly in the style of `objdump -M no-aliases`, used by traces and checked
// against binutils in the tests.
#pragma once
#include <cstdint>
#include <string>

#include "rv/decode.h"

namespace calemu::rv {

extern const char* const kRegNames[32];  // ABI names: zero, ra, sp, ...

// pc is used to print absolute branch and jump targets.
std::string disassemble(const Decoded& d, uint32_t pc);
inline std::string disassemble(uint32_t raw, uint32_t pc) { return disassemble(decode(raw), pc); }

}  // namespace calemu::rv
