#include "rv/decode.h"

#include "common/bits.h"

namespace calemu::rv {

const InsnInfo& info(Op op) {
  static const InsnInfo illegal{Op::ILLEGAL, "illegal", 0, 0, Fmt::None, Ext::I};
  return op == Op::ILLEGAL ? illegal : kInsns[static_cast<unsigned>(op)];
}

namespace {

int32_t imm_i(uint32_t r) { return sext(r >> 20, 12); }
int32_t imm_s(uint32_t r) { return sext((bits(r, 31, 25) << 5) | bits(r, 11, 7), 12); }
int32_t imm_b(uint32_t r) {
  return sext((bit(r, 31) << 12) | (bit(r, 7) << 11) | (bits(r, 30, 25) << 5) | (bits(r, 11, 8) << 1), 13);
}
int32_t imm_u(uint32_t r) { return static_cast<int32_t>(r & 0xFFFF'F000u); }
int32_t imm_j(uint32_t r) {
  return sext((bit(r, 31) << 20) | (bits(r, 19, 12) << 12) | (bit(r, 20) << 11) | (bits(r, 30, 21) << 1), 21);
}

// Operations are grouped by major opcode so decoding a row is a short scan.
const InsnInfo* match(uint32_t raw) {
  for (const auto& in : kInsns)
    if ((raw & in.mask) == in.match) return &in;
  return nullptr;
}

}  // namespace

Decoded decode(uint32_t raw) {
  if (is_compressed(raw & 0xFFFF)) return decode_compressed(static_cast<uint16_t>(raw));
  Decoded d;
  d.raw = raw;
  d.len = 4;
  const InsnInfo* in = match(raw);
  if (!in) return d;
  d.op = in->op;
  d.rd = bits(raw, 11, 7);
  d.rs1 = bits(raw, 19, 15);
  d.rs2 = bits(raw, 24, 20);
  switch (in->fmt) {
    case Fmt::I: case Fmt::Load: case Fmt::Jalr: d.imm = imm_i(raw); break;
    case Fmt::Shift: d.imm = static_cast<int32_t>(bits(raw, 24, 20)); d.rs2 = 0; break;
    case Fmt::Store: d.imm = imm_s(raw); d.rd = 0; break;
    case Fmt::Branch: d.imm = imm_b(raw); d.rd = 0; break;
    case Fmt::U: d.imm = imm_u(raw); d.rs1 = d.rs2 = 0; break;
    case Fmt::J: d.imm = imm_j(raw); d.rs1 = d.rs2 = 0; break;
    case Fmt::Csr: d.csr = static_cast<uint16_t>(raw >> 20); d.rs2 = 0; break;
    case Fmt::CsrI: d.csr = static_cast<uint16_t>(raw >> 20); d.imm = d.rs1; d.rs1 = 0; d.rs2 = 0; break;
    case Fmt::R1: d.rs2 = 0; break;
    case Fmt::Fence: d.imm = static_cast<int32_t>(bits(raw, 27, 20)); d.rd = d.rs1 = d.rs2 = 0; break;
    case Fmt::None: d.rd = d.rs1 = d.rs2 = 0; break;
    case Fmt::R: break;
  }
  return d;
}

// RV32C, "C" Standard Extension v2.0 (unprivileged spec ch. 16), quadrants 0-2.
// Reserved encodings and the F/D forms decode as ILLEGAL; HINTs decode to their base
// operation with rd = x0 (architecturally no effect).
Decoded decode_compressed(uint16_t r) {
  Decoded d;
  d.raw = r;
  d.len = 2;
  const uint32_t q = r & 3, f3 = bits(r, 15, 13);
  const uint8_t rdp = static_cast<uint8_t>(8 + bits(r, 4, 2));   // rd'/rs2' in bits 4:2
  const uint8_t rs1p = static_cast<uint8_t>(8 + bits(r, 9, 7));  // rs1'/rd' in bits 9:7
  const uint8_t rd = static_cast<uint8_t>(bits(r, 11, 7));
  const uint8_t rs2 = static_cast<uint8_t>(bits(r, 6, 2));
  auto set = [&](Op op, std::string_view name, uint8_t drd, uint8_t drs1, uint8_t drs2, int32_t imm) {
    d.op = op; d.cname = name; d.rd = drd; d.rs1 = drs1; d.rs2 = drs2; d.imm = imm;
  };
  if (q == 0) {
    switch (f3) {
      case 0: {  // c.addi4spn
        uint32_t nz = (bits(r, 10, 7) << 6) | (bits(r, 12, 11) << 4) | (bit(r, 5) << 3) | (bit(r, 6) << 2);
        if (nz) set(Op::ADDI, "c.addi4spn", rdp, 2, 0, static_cast<int32_t>(nz));
        break;
      }
      case 2: {  // c.lw
        uint32_t off = (bit(r, 5) << 6) | (bits(r, 12, 10) << 3) | (bit(r, 6) << 2);
        set(Op::LW, "c.lw", rdp, rs1p, 0, static_cast<int32_t>(off));
        break;
      }
      case 6: {  // c.sw
        uint32_t off = (bit(r, 5) << 6) | (bits(r, 12, 10) << 3) | (bit(r, 6) << 2);
        set(Op::SW, "c.sw", 0, rs1p, rdp, static_cast<int32_t>(off));
        break;
      }
      default: break;  // c.fld/c.flw/c.fsd/c.fsw and reserved
    }
    return d;
  }
  if (q == 1) {
    const int32_t imm6 = sext((bit(r, 12) << 5) | bits(r, 6, 2), 6);
    switch (f3) {
      case 0: set(Op::ADDI, rd ? "c.addi" : "c.nop", rd, rd, 0, imm6); break;
      case 1: case 5: {  // c.jal (RV32) / c.j
        int32_t off = sext((bit(r, 12) << 11) | (bit(r, 8) << 10) | (bits(r, 10, 9) << 8) | (bit(r, 6) << 7) |
                               (bit(r, 7) << 6) | (bit(r, 2) << 5) | (bit(r, 11) << 4) | (bits(r, 5, 3) << 1),
                           12);
        if (f3 == 1) set(Op::JAL, "c.jal", 1, 0, 0, off);
        else set(Op::JAL, "c.j", 0, 0, 0, off);
        break;
      }
      case 2: set(Op::ADDI, "c.li", rd, 0, 0, imm6); break;
      case 3:
        if (rd == 2) {
          int32_t nz = sext((bit(r, 12) << 9) | (bits(r, 4, 3) << 7) | (bit(r, 5) << 6) | (bit(r, 2) << 5) |
                                (bit(r, 6) << 4),
                            10);
          if (nz) set(Op::ADDI, "c.addi16sp", 2, 2, 0, nz);
        } else if (imm6) {
          set(Op::LUI, "c.lui", rd, 0, 0, imm6 << 12);
        }
        break;
      case 4: {
        const uint32_t f2 = bits(r, 11, 10);
        if (f2 == 0 || f2 == 1) {  // c.srli / c.srai; shamt[5] = 1 is reserved on RV32
          if (bit(r, 12)) break;
          set(f2 == 0 ? Op::SRLI : Op::SRAI, f2 == 0 ? "c.srli" : "c.srai", rs1p, rs1p, 0,
              static_cast<int32_t>(bits(r, 6, 2)));
        } else if (f2 == 2) {
          set(Op::ANDI, "c.andi", rs1p, rs1p, 0, imm6);
        } else if (!bit(r, 12)) {
          static constexpr Op ops[4] = {Op::SUB, Op::XOR, Op::OR, Op::AND};
          static constexpr std::string_view names[4] = {"c.sub", "c.xor", "c.or", "c.and"};
          const uint32_t f = bits(r, 6, 5);
          set(ops[f], names[f], rs1p, rs1p, rdp, 0);
        }  // bit 12 set: c.subw/c.addw are RV64-only, reserved here
        break;
      }
      case 6: case 7: {
        int32_t off = sext((bit(r, 12) << 8) | (bits(r, 6, 5) << 6) | (bit(r, 2) << 5) | (bits(r, 11, 10) << 3) |
                               (bits(r, 4, 3) << 1),
                           9);
        set(f3 == 6 ? Op::BEQ : Op::BNE, f3 == 6 ? "c.beqz" : "c.bnez", 0, rs1p, 0, off);
        break;
      }
    }
    return d;
  }
  if (q == 2) {
    switch (f3) {
      case 0:  // c.slli; shamt[5] = 1 is reserved on RV32
        if (!bit(r, 12)) set(Op::SLLI, "c.slli", rd, rd, 0, static_cast<int32_t>(bits(r, 6, 2)));
        break;
      case 2:  // c.lwsp
        if (rd) {
          uint32_t off = (bits(r, 3, 2) << 6) | (bit(r, 12) << 5) | (bits(r, 6, 4) << 2);
          set(Op::LW, "c.lwsp", rd, 2, 0, static_cast<int32_t>(off));
        }
        break;
      case 4:
        if (!bit(r, 12)) {
          if (rs2 == 0) {
            if (rd) set(Op::JALR, "c.jr", 0, rd, 0, 0);
          } else {
            set(Op::ADD, "c.mv", rd, 0, rs2, 0);
          }
        } else {
          if (rs2 == 0) {
            if (rd == 0) set(Op::EBREAK, "c.ebreak", 0, 0, 0, 0);
            else set(Op::JALR, "c.jalr", 1, rd, 0, 0);
          } else {
            set(Op::ADD, "c.add", rd, rd, rs2, 0);
          }
        }
        break;
      case 6: {  // c.swsp
        uint32_t off = (bits(r, 8, 7) << 6) | (bits(r, 12, 9) << 2);
        set(Op::SW, "c.swsp", 0, 2, rs2, static_cast<int32_t>(off));
        break;
      }
      default: break;  // c.fldsp/c.flwsp/c.fsdsp/c.fswsp
    }
  }
  return d;
}

}  // namespace calemu::rv
