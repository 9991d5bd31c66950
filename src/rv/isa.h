// The RV32 instruction set VeeR EL2 implements on Caliptra, as data.
// Each row: operation, mnemonic, match, mask, operand format, extension.
// Compressed forms are listed separately (their fields are irregular) and map onto these.
#pragma once
#include <cstdint>
#include <string_view>

namespace calemu::rv {

enum class Ext : uint8_t { I, M, C, Zicsr, Zifencei, Zba, Zbb, Zbc, Zbs, Priv };

// Operand layouts, used by the disassembler.
enum class Fmt : uint8_t {
  R,       // rd, rs1, rs2
  R1,      // rd, rs1            (clz, sext.b, ...)
  I,       // rd, rs1, imm
  Shift,   // rd, rs1, shamt
  Load,    // rd, imm(rs1)
  Store,   // rs2, imm(rs1)
  Branch,  // rs1, rs2, target
  U,       // rd, imm20
  J,       // rd, target
  Jalr,    // rd, imm(rs1)
  Csr,     // rd, csr, rs1
  CsrI,    // rd, csr, uimm
  Fence,   // pred, succ
  None,
};

#define CALEMU_RV32_INSNS(X)                                              \
  X(LUI, "lui", 0x00000037, 0x0000007f, U, I)                             \
  X(AUIPC, "auipc", 0x00000017, 0x0000007f, U, I)                         \
  X(JAL, "jal", 0x0000006f, 0x0000007f, J, I)                             \
  X(JALR, "jalr", 0x00000067, 0x0000707f, Jalr, I)                        \
  X(BEQ, "beq", 0x00000063, 0x0000707f, Branch, I)                        \
  X(BNE, "bne", 0x00001063, 0x0000707f, Branch, I)                        \
  X(BLT, "blt", 0x00004063, 0x0000707f, Branch, I)                        \
  X(BGE, "bge", 0x00005063, 0x0000707f, Branch, I)                        \
  X(BLTU, "bltu", 0x00006063, 0x0000707f, Branch, I)                      \
  X(BGEU, "bgeu", 0x00007063, 0x0000707f, Branch, I)                      \
  X(LB, "lb", 0x00000003, 0x0000707f, Load, I)                            \
  X(LH, "lh", 0x00001003, 0x0000707f, Load, I)                            \
  X(LW, "lw", 0x00002003, 0x0000707f, Load, I)                            \
  X(LBU, "lbu", 0x00004003, 0x0000707f, Load, I)                          \
  X(LHU, "lhu", 0x00005003, 0x0000707f, Load, I)                          \
  X(SB, "sb", 0x00000023, 0x0000707f, Store, I)                           \
  X(SH, "sh", 0x00001023, 0x0000707f, Store, I)                           \
  X(SW, "sw", 0x00002023, 0x0000707f, Store, I)                           \
  X(ADDI, "addi", 0x00000013, 0x0000707f, I, I)                           \
  X(SLTI, "slti", 0x00002013, 0x0000707f, I, I)                           \
  X(SLTIU, "sltiu", 0x00003013, 0x0000707f, I, I)                         \
  X(XORI, "xori", 0x00004013, 0x0000707f, I, I)                           \
  X(ORI, "ori", 0x00006013, 0x0000707f, I, I)                             \
  X(ANDI, "andi", 0x00007013, 0x0000707f, I, I)                           \
  X(SLLI, "slli", 0x00001013, 0xfe00707f, Shift, I)                       \
  X(SRLI, "srli", 0x00005013, 0xfe00707f, Shift, I)                       \
  X(SRAI, "srai", 0x40005013, 0xfe00707f, Shift, I)                       \
  X(ADD, "add", 0x00000033, 0xfe00707f, R, I)                             \
  X(SUB, "sub", 0x40000033, 0xfe00707f, R, I)                             \
  X(SLL, "sll", 0x00001033, 0xfe00707f, R, I)                             \
  X(SLT, "slt", 0x00002033, 0xfe00707f, R, I)                             \
  X(SLTU, "sltu", 0x00003033, 0xfe00707f, R, I)                           \
  X(XOR, "xor", 0x00004033, 0xfe00707f, R, I)                             \
  X(SRL, "srl", 0x00005033, 0xfe00707f, R, I)                             \
  X(SRA, "sra", 0x40005033, 0xfe00707f, R, I)                             \
  X(OR, "or", 0x00006033, 0xfe00707f, R, I)                               \
  X(AND, "and", 0x00007033, 0xfe00707f, R, I)                             \
  X(FENCE, "fence", 0x0000000f, 0x7000707f, Fence, I)                     \
  X(FENCE_I, "fence.i", 0x0000100f, 0x0000707f, None, Zifencei)           \
  X(ECALL, "ecall", 0x00000073, 0xffffffff, None, I)                      \
  X(EBREAK, "ebreak", 0x00100073, 0xffffffff, None, I)                    \
  X(MRET, "mret", 0x30200073, 0xffffffff, None, Priv)                     \
  X(WFI, "wfi", 0x10500073, 0xffffffff, None, Priv)                       \
  X(CSRRW, "csrrw", 0x00001073, 0x0000707f, Csr, Zicsr)                   \
  X(CSRRS, "csrrs", 0x00002073, 0x0000707f, Csr, Zicsr)                   \
  X(CSRRC, "csrrc", 0x00003073, 0x0000707f, Csr, Zicsr)                   \
  X(CSRRWI, "csrrwi", 0x00005073, 0x0000707f, CsrI, Zicsr)                \
  X(CSRRSI, "csrrsi", 0x00006073, 0x0000707f, CsrI, Zicsr)                \
  X(CSRRCI, "csrrci", 0x00007073, 0x0000707f, CsrI, Zicsr)                \
  X(MUL, "mul", 0x02000033, 0xfe00707f, R, M)                             \
  X(MULH, "mulh", 0x02001033, 0xfe00707f, R, M)                           \
  X(MULHSU, "mulhsu", 0x02002033, 0xfe00707f, R, M)                       \
  X(MULHU, "mulhu", 0x02003033, 0xfe00707f, R, M)                         \
  X(DIV, "div", 0x02004033, 0xfe00707f, R, M)                             \
  X(DIVU, "divu", 0x02005033, 0xfe00707f, R, M)                           \
  X(REM, "rem", 0x02006033, 0xfe00707f, R, M)                             \
  X(REMU, "remu", 0x02007033, 0xfe00707f, R, M)                           \
  X(SH1ADD, "sh1add", 0x20002033, 0xfe00707f, R, Zba)                     \
  X(SH2ADD, "sh2add", 0x20004033, 0xfe00707f, R, Zba)                     \
  X(SH3ADD, "sh3add", 0x20006033, 0xfe00707f, R, Zba)                     \
  X(ANDN, "andn", 0x40007033, 0xfe00707f, R, Zbb)                         \
  X(ORN, "orn", 0x40006033, 0xfe00707f, R, Zbb)                           \
  X(XNOR, "xnor", 0x40004033, 0xfe00707f, R, Zbb)                         \
  X(CLZ, "clz", 0x60001013, 0xfff0707f, R1, Zbb)                          \
  X(CTZ, "ctz", 0x60101013, 0xfff0707f, R1, Zbb)                          \
  X(CPOP, "cpop", 0x60201013, 0xfff0707f, R1, Zbb)                        \
  X(MAX, "max", 0x0a006033, 0xfe00707f, R, Zbb)                           \
  X(MAXU, "maxu", 0x0a007033, 0xfe00707f, R, Zbb)                         \
  X(MIN, "min", 0x0a004033, 0xfe00707f, R, Zbb)                           \
  X(MINU, "minu", 0x0a005033, 0xfe00707f, R, Zbb)                         \
  X(SEXT_B, "sext.b", 0x60401013, 0xfff0707f, R1, Zbb)                    \
  X(SEXT_H, "sext.h", 0x60501013, 0xfff0707f, R1, Zbb)                    \
  X(ZEXT_H, "zext.h", 0x08004033, 0xfff0707f, R1, Zbb)                    \
  X(ROL, "rol", 0x60001033, 0xfe00707f, R, Zbb)                           \
  X(ROR, "ror", 0x60005033, 0xfe00707f, R, Zbb)                           \
  X(RORI, "rori", 0x60005013, 0xfe00707f, Shift, Zbb)                     \
  X(ORC_B, "orc.b", 0x28705013, 0xfff0707f, R1, Zbb)                      \
  X(REV8, "rev8", 0x69805013, 0xfff0707f, R1, Zbb)                        \
  X(CLMUL, "clmul", 0x0a001033, 0xfe00707f, R, Zbc)                       \
  X(CLMULH, "clmulh", 0x0a003033, 0xfe00707f, R, Zbc)                     \
  X(CLMULR, "clmulr", 0x0a002033, 0xfe00707f, R, Zbc)                     \
  X(BCLR, "bclr", 0x48001033, 0xfe00707f, R, Zbs)                         \
  X(BCLRI, "bclri", 0x48001013, 0xfe00707f, Shift, Zbs)                   \
  X(BEXT, "bext", 0x48005033, 0xfe00707f, R, Zbs)                         \
  X(BEXTI, "bexti", 0x48005013, 0xfe00707f, Shift, Zbs)                   \
  X(BINV, "binv", 0x68001033, 0xfe00707f, R, Zbs)                         \
  X(BINVI, "binvi", 0x68001013, 0xfe00707f, Shift, Zbs)                   \
  X(BSET, "bset", 0x28001033, 0xfe00707f, R, Zbs)                         \
  X(BSETI, "bseti", 0x28001013, 0xfe00707f, Shift, Zbs)

enum class Op : uint8_t {
#define CALEMU_X(op, ...) op,
  CALEMU_RV32_INSNS(CALEMU_X)
#undef CALEMU_X
  ILLEGAL,
  kCount
};

struct InsnInfo {
  Op op;
  std::string_view name;
  uint32_t match, mask;
  Fmt fmt;
  Ext ext;
};

inline constexpr InsnInfo kInsns[] = {
#define CALEMU_X(op, name, match, mask, fmt, ext) {Op::op, name, match, mask, Fmt::fmt, Ext::ext},
    CALEMU_RV32_INSNS(CALEMU_X)
#undef CALEMU_X
};
inline constexpr unsigned kNumInsns = sizeof(kInsns) / sizeof(kInsns[0]);

const InsnInfo& info(Op op);

}  // namespace calemu::rv
