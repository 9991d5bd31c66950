// Shared between the interpreter loop (exec.cpp) and the code that fills decoded entries.
#pragma once
#include <cstdint>

#include "rv/hart.h"
#include "rv/isa.h"

namespace calemu::rv {

// Interpreter operations: the ISA operations plus specialised forms the decoder picks
// (LI for lui/auipc/addi-from-x0 with the value folded, near/far control transfers).
#define CALEMU_XOPS(X)                                                                         \
  X(LUI) X(AUIPC) X(LI) X(JAL) X(JAL_FAR) X(JALR) X(BEQ) X(BNE) X(BLT) X(BGE) X(BLTU) X(BGEU)  \
  X(BEQ_FAR) X(BNE_FAR) X(BLT_FAR) X(BGE_FAR) X(BLTU_FAR) X(BGEU_FAR)                          \
  X(LB) X(LH) X(LW) X(LBU) X(LHU) X(SB) X(SH) X(SW)                                            \
  X(ADDI) X(SLTI) X(SLTIU) X(XORI) X(ORI) X(ANDI) X(SLLI) X(SRLI) X(SRAI)                      \
  X(ADD) X(SUB) X(SLL) X(SLT) X(SLTU) X(XOR) X(SRL) X(SRA) X(OR) X(AND) X(FENCE) X(FENCE_I)    \
  X(MUL) X(MULH) X(MULHSU) X(MULHU) X(DIV) X(DIVU) X(REM) X(REMU)                              \
  X(SH1ADD) X(SH2ADD) X(SH3ADD) X(ANDN) X(ORN) X(XNOR) X(CLZ) X(CTZ) X(CPOP) X(MAX) X(MAXU)     \
  X(MIN) X(MINU) X(SEXT_B) X(SEXT_H) X(ZEXT_H) X(ROL) X(ROR) X(RORI) X(ORC_B) X(REV8)          \
  X(CLMUL) X(CLMULH) X(CLMULR) X(BCLR) X(BCLRI) X(BEXT) X(BEXTI) X(BINV) X(BINVI) X(BSET)      \
  X(BSETI) X(CSRRW) X(CSRRS) X(CSRRC) X(CSRRWI) X(CSRRSI) X(CSRRCI) X(ECALL) X(EBREAK) X(MRET) X(WFI) X(ILLEGAL) X(UNDECODED) X(PAGE_END)

enum class XOp : uint8_t {
#define CALEMU_X(op) op,
  CALEMU_XOPS(CALEMU_X)
#undef CALEMU_X
};
#define CALEMU_X(op) +1
inline constexpr unsigned kXopCount = 0 CALEMU_XOPS(CALEMU_X);
#undef CALEMU_X

const void* xop_handler(XOp op, bool compressed);

inline constexpr unsigned kPageShift = 12;
inline constexpr uint32_t kPageBytes = 1u << kPageShift;
inline constexpr unsigned kSlots = kPageBytes / 2;

struct Hart::Insn {
  const void* handler;
  uint32_t imm;  // immediate, folded value, entry delta (near branches) or target (far)
  uint8_t rd;    // 32 when the encoding names x0
  uint8_t rs1, rs2;
  uint8_t xop;
};
static_assert(sizeof(Hart::Insn) == 16);

struct Hart::CodePage {
  uint32_t base = 0;
  bus::Memory* mem = nullptr;
  Insn e[kSlots + 2];  // one per halfword, then two sentinels that continue on the next page
};

}  // namespace calemu::rv
