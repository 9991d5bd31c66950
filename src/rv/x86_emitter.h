// A small x86-64 machine-code assembler for the hart's translation tier (rv/jit.cpp).
// It knows only the instructions the translator emits, always in their 32-bit or 64-bit
// operand forms, and writes into a byte vector whose final address (`origin`) is known
// up front, so rel32 branches to code outside the vector can be encoded directly.
// Encodings: Intel SDM vol. 2, chapter 2 (REX, ModRM, SIB) and the opcode tables.
#pragma once
#include <cstdint>
#include <cstring>
#include <vector>

namespace calemu::rv::x86 {

enum Reg : uint8_t { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15, NOREG = 0xFF };

// Condition codes (the low nibble of Jcc / SETcc / CMOVcc).
enum Cond : uint8_t { kO, kNO, kB, kAE, kE, kNE, kBE, kA, kS, kNS, kP, kNP, kL, kGE, kLE, kG };

// The /digit of the group-1 ALU opcodes (add/or/adc/sbb/and/sub/xor/cmp).
enum Alu : uint8_t { kAdd = 0, kOr = 1, kAnd = 4, kSub = 5, kXor = 6, kCmp = 7 };
// The /digit of the group-2 shift opcodes.
enum Shift : uint8_t { kRol = 0, kRor = 1, kShl = 4, kShr = 5, kSar = 7 };

struct Mem {
  Reg base;
  int32_t disp = 0;
  Reg index = NOREG;
  uint8_t scale = 0;  // log2: 0..3
};

// A source operand: a register, a 32-bit memory word or a (sign-extended) immediate.
struct Operand {
  enum Kind : uint8_t { kReg, kMem, kImm } kind;
  Reg reg = NOREG;
  Mem mem{RAX};
  int32_t imm = 0;
  static Operand r(Reg x) { return Operand{kReg, x, Mem{RAX}, 0}; }
  static Operand m(Mem x) { return Operand{kMem, NOREG, x, 0}; }
  static Operand i(int32_t x) { return Operand{kImm, NOREG, Mem{RAX}, x}; }
};

class Label {
 public:
  bool bound() const { return pos_ >= 0; }
  int64_t pos() const { return pos_; }

 private:
  friend class Assembler;
  int64_t pos_ = -1;
  std::vector<size_t> fixups_;  // offsets of rel32 fields that refer to this label
};

class Assembler {
 public:
  explicit Assembler(uintptr_t origin) : origin_(origin) { buf_.reserve(4096); }

  uintptr_t origin() const { return origin_; }
  size_t size() const { return buf_.size(); }
  uintptr_t here() const { return origin_ + buf_.size(); }
  const std::vector<uint8_t>& bytes() const { return buf_; }

  void bind(Label& l) {
    l.pos_ = static_cast<int64_t>(buf_.size());
    for (size_t f : l.fixups_) patch_rel32(f, l.pos_);
    l.fixups_.clear();
  }

  // ---- moves ----
  void mov32(Reg d, Reg s) { op_rr(false, {0x89}, s, d); }
  void mov64(Reg d, Reg s) { op_rr(true, {0x89}, s, d); }
  void mov32(Reg d, const Mem& m) { op_rm(false, {0x8B}, d, m); }
  void mov64(Reg d, const Mem& m) { op_rm(true, {0x8B}, d, m); }
  void mov32(const Mem& m, Reg s) { op_rm(false, {0x89}, s, m); }
  void mov64(const Mem& m, Reg s) { op_rm(true, {0x89}, s, m); }
  void mov16(const Mem& m, Reg s) { byte(0x66); op_rm(false, {0x89}, s, m); }
  void mov8(const Mem& m, Reg s) { op_rm(false, {0x88}, s, m, /*byte_reg=*/true); }
  void mov32(const Mem& m, int32_t imm) { op_rm(false, {0xC7}, 0, m); dword(static_cast<uint32_t>(imm)); }
  void mov16(const Mem& m, int16_t imm) {
    byte(0x66);
    op_rm(false, {0xC7}, 0, m);
    word(static_cast<uint16_t>(imm));
  }
  void mov8(const Mem& m, int8_t imm) { op_rm(false, {0xC6}, 0, m); byte(static_cast<uint8_t>(imm)); }
  // mov r32, imm32 (zero-extends; leaves the flags alone, unlike xor).
  void mov32(Reg d, uint32_t imm) {
    rex(false, 0, 0, d);
    byte(0xB8 + (d & 7));
    dword(imm);
  }
  void mov64(Reg d, uint64_t imm) {
    if (imm <= 0xFFFF'FFFFu) return mov32(d, static_cast<uint32_t>(imm));
    rex(true, 0, 0, d);
    byte(0xB8 + (d & 7));
    qword(imm);
  }
  void movzx8(Reg d, const Mem& m) { op_rm(false, {0x0F, 0xB6}, d, m); }
  void movzx16(Reg d, const Mem& m) { op_rm(false, {0x0F, 0xB7}, d, m); }
  void movsx8(Reg d, const Mem& m) { op_rm(false, {0x0F, 0xBE}, d, m); }
  void movsx16(Reg d, const Mem& m) { op_rm(false, {0x0F, 0xBF}, d, m); }
  void movzx8(Reg d, Reg s) { op_rr(false, {0x0F, 0xB6}, d, s, /*byte_reg=*/true); }
  void movzx16(Reg d, Reg s) { op_rr(false, {0x0F, 0xB7}, d, s); }
  void movsx8(Reg d, Reg s) { op_rr(false, {0x0F, 0xBE}, d, s, /*byte_reg=*/true); }
  void movsx16(Reg d, Reg s) { op_rr(false, {0x0F, 0xBF}, d, s); }
  void movsxd(Reg d, Reg s) { op_rr(true, {0x63}, d, s); }
  void lea32(Reg d, const Mem& m) { op_rm(false, {0x8D}, d, m); }
  void lea64(Reg d, const Mem& m) { op_rm(true, {0x8D}, d, m); }
  // lea r64, [rip + label]
  void lea_rip(Reg d, Label& l) {
    rex(true, d, 0, 0);
    byte(0x8D);
    byte(static_cast<uint8_t>(((d & 7) << 3) | 5));
    rel32_to(l);
  }

  // ---- ALU ----
  void alu32(Alu op, Reg d, Reg s) { op_rr(false, {static_cast<uint8_t>(op * 8 + 1)}, s, d); }
  void alu64(Alu op, Reg d, Reg s) { op_rr(true, {static_cast<uint8_t>(op * 8 + 1)}, s, d); }
  void alu32(Alu op, Reg d, const Mem& m) { op_rm(false, {static_cast<uint8_t>(op * 8 + 3)}, d, m); }
  void alu64(Alu op, Reg d, const Mem& m) { op_rm(true, {static_cast<uint8_t>(op * 8 + 3)}, d, m); }
  void alu32(Alu op, const Mem& m, Reg s) { op_rm(false, {static_cast<uint8_t>(op * 8 + 1)}, s, m); }
  void alu32(Alu op, Reg d, int32_t imm) { alu_imm(false, op, d, imm); }
  void alu64(Alu op, Reg d, int32_t imm) { alu_imm(true, op, d, imm); }
  void alu32(Alu op, const Mem& m, int32_t imm) { alu_imm_mem(false, op, m, imm); }
  void alu64(Alu op, const Mem& m, int32_t imm) { alu_imm_mem(true, op, m, imm); }
  void alu32(Alu op, Reg d, const Operand& s) {
    switch (s.kind) {
      case Operand::kReg: return alu32(op, d, s.reg);
      case Operand::kMem: return alu32(op, d, s.mem);
      case Operand::kImm: return alu32(op, d, s.imm);
    }
  }
  void test32(Reg a, Reg b) { op_rr(false, {0x85}, b, a); }
  void test64(Reg a, Reg b) { op_rr(true, {0x85}, b, a); }
  void test8(Reg a, uint8_t imm) {
    if (a == RAX) {
      byte(0xA8);
    } else {
      op_rr(false, {0xF6}, 0, a, /*byte_reg=*/true);
    }
    byte(imm);
  }
  void not32(Reg d) { op_rr(false, {0xF7}, 2, d); }
  void shift32(Shift op, Reg d, uint8_t count) {
    op_rr(false, {0xC1}, op, d);
    byte(count & 31);
  }
  void shift64(Shift op, Reg d, uint8_t count) {
    op_rr(true, {0xC1}, op, d);
    byte(count & 63);
  }
  void shift32_cl(Shift op, Reg d) { op_rr(false, {0xD3}, op, d); }
  void imul32(Reg d, const Operand& s) {
    if (s.kind == Operand::kReg) return op_rr(false, {0x0F, 0xAF}, d, s.reg);
    if (s.kind == Operand::kMem) return op_rm(false, {0x0F, 0xAF}, d, s.mem);
    op_rr(false, {0x69}, d, d);  // imul r32, r/m32, imm32
    dword(static_cast<uint32_t>(s.imm));
  }
  void imul64(Reg d, Reg s) { op_rr(true, {0x0F, 0xAF}, d, s); }
  void div32(Reg s) { op_rr(false, {0xF7}, 6, s); }
  void idiv64(Reg s) { op_rr(true, {0xF7}, 7, s); }
  void cqo() { byte(0x48); byte(0x99); }
  void bswap32(Reg d) {
    rex(false, 0, 0, d);
    byte(0x0F);
    byte(0xC8 + (d & 7));
  }
  void setcc(Cond c, Reg d) { op_rr(false, {0x0F, static_cast<uint8_t>(0x90 + c)}, 0, d, /*byte_reg=*/true); }
  void cmov32(Cond c, Reg d, Reg s) { op_rr(false, {0x0F, static_cast<uint8_t>(0x40 + c)}, d, s); }
  void bsf32(Reg d, Reg s) { op_rr(false, {0x0F, 0xBC}, d, s); }
  void bsr32(Reg d, Reg s) { op_rr(false, {0x0F, 0xBD}, d, s); }
  void popcnt32(Reg d, Reg s) {
    byte(0xF3);  // the mandatory prefix goes before REX
    op_rr(false, {0x0F, 0xB8}, d, s);
  }
  // bts/btr/btc r/m32, r32: the bit offset is taken modulo 32 for a register operand.
  void bts32(Reg d, Reg bit) { op_rr(false, {0x0F, 0xAB}, bit, d); }
  void btr32(Reg d, Reg bit) { op_rr(false, {0x0F, 0xB3}, bit, d); }
  void btc32(Reg d, Reg bit) { op_rr(false, {0x0F, 0xBB}, bit, d); }
  void bt64(Reg d, uint8_t bit) {
    op_rr(true, {0x0F, 0xBA}, 4, d);
    byte(bit);
  }

  // ---- control flow ----
  void jmp(Label& l) {
    byte(0xE9);
    rel32_to(l);
  }
  void jcc(Cond c, Label& l) {
    byte(0x0F);
    byte(static_cast<uint8_t>(0x80 + c));
    rel32_to(l);
  }
  void jmp_abs(uintptr_t target) {
    byte(0xE9);
    rel32_abs(target);
  }
  void jmp(const Mem& m) { op_rm(false, {0xFF}, 4, m); }
  void jmp(Reg r) { op_rr(false, {0xFF}, 4, r); }
  void call(Reg r) { op_rr(false, {0xFF}, 2, r); }
  void ret() { byte(0xC3); }
  void push(Reg r) {
    rex(false, 0, 0, r);
    byte(0x50 + (r & 7));
  }
  void pop(Reg r) {
    rex(false, 0, 0, r);
    byte(0x58 + (r & 7));
  }
  void int3() { byte(0xCC); }

  void byte(uint8_t b) { buf_.push_back(b); }
  void word(uint16_t w) { raw(&w, 2); }
  void dword(uint32_t d) { raw(&d, 4); }
  void qword(uint64_t q) { raw(&q, 8); }

 private:
  void raw(const void* p, size_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    buf_.insert(buf_.end(), b, b + n);
  }
  // REX.W R X B; `force` for byte access to spl/bpl/sil/dil (which need an empty REX).
  void rex(bool w, int reg, int index, int base, bool force = false) {
    const uint8_t r = static_cast<uint8_t>(0x40 | (w << 3) | (((reg >> 3) & 1) << 2) | (((index >> 3) & 1) << 1) |
                                           ((base >> 3) & 1));
    if (r != 0x40 || force) byte(r);
  }
  void opcode(std::initializer_list<uint8_t> opc) {
    for (uint8_t b : opc) byte(b);
  }
  // reg field + register r/m (mod = 11).
  void op_rr(bool w, std::initializer_list<uint8_t> opc, int reg, int rm, bool byte_reg = false) {
    const bool force = byte_reg && ((rm >= 4 && rm < 8) || (reg >= 4 && reg < 8));
    rex(w, reg, 0, rm, force);
    opcode(opc);
    byte(static_cast<uint8_t>(0xC0 | ((reg & 7) << 3) | (rm & 7)));
  }
  // reg field + memory r/m.
  void op_rm(bool w, std::initializer_list<uint8_t> opc, int reg, const Mem& m, bool byte_reg = false) {
    const int index = m.index == NOREG ? 0 : m.index;
    rex(w, reg, index, m.base, byte_reg && reg >= 4 && reg < 8);
    opcode(opc);
    modrm_mem(reg, m);
  }
  void modrm_mem(int reg, const Mem& m) {
    uint8_t mod;
    if (m.disp == 0 && (m.base & 7) != RBP) mod = 0;
    else if (m.disp >= -128 && m.disp <= 127) mod = 1;
    else mod = 2;
    const bool sib = m.index != NOREG || (m.base & 7) == RSP;
    byte(static_cast<uint8_t>((mod << 6) | ((reg & 7) << 3) | (sib ? 4 : (m.base & 7))));
    if (sib) {
      const int index = m.index == NOREG ? RSP : m.index;  // index 100b means "none"
      byte(static_cast<uint8_t>((m.scale << 6) | ((index & 7) << 3) | (m.base & 7)));
    }
    if (mod == 1) byte(static_cast<uint8_t>(static_cast<int8_t>(m.disp)));
    if (mod == 2) dword(static_cast<uint32_t>(m.disp));
  }
  void alu_imm(bool w, Alu op, Reg d, int32_t imm) {
    if (imm >= -128 && imm <= 127) {
      op_rr(w, {0x83}, op, d);
      byte(static_cast<uint8_t>(static_cast<int8_t>(imm)));
    } else {
      op_rr(w, {0x81}, op, d);
      dword(static_cast<uint32_t>(imm));
    }
  }
  void alu_imm_mem(bool w, Alu op, const Mem& m, int32_t imm) {
    if (imm >= -128 && imm <= 127) {
      op_rm(w, {0x83}, op, m);
      byte(static_cast<uint8_t>(static_cast<int8_t>(imm)));
    } else {
      op_rm(w, {0x81}, op, m);
      dword(static_cast<uint32_t>(imm));
    }
  }
  void rel32_to(Label& l) {
    const size_t at = buf_.size();
    dword(0);
    if (l.bound()) patch_rel32(at, l.pos_);
    else l.fixups_.push_back(at);
  }
  void rel32_abs(uintptr_t target) {
    const intptr_t rel = static_cast<intptr_t>(target) - static_cast<intptr_t>(here() + 4);
    dword(static_cast<uint32_t>(static_cast<int32_t>(rel)));
  }
  void patch_rel32(size_t at, int64_t target_pos) {
    const int32_t rel = static_cast<int32_t>(target_pos - static_cast<int64_t>(at + 4));
    std::memcpy(&buf_[at], &rel, 4);
  }

  uintptr_t origin_;
  std::vector<uint8_t> buf_;
};

}  // namespace calemu::rv::x86
