#include "rv/disasm.h"

#include <cstdio>

#include "rv/csr.h"

namespace calemu::rv {

const char* const kRegNames[32] = {"zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
                                   "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
                                   "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

namespace csr {
std::string_view name(uint16_t num, char (&scratch)[16]) {
  switch (num) {
#define CALEMU_X(id, nm, n) case n: return nm;
    CALEMU_RV_CSRS(CALEMU_X)
#undef CALEMU_X
    default: break;
  }
  if (num > PMPCFG0 && num <= PMPCFG15) {
    std::snprintf(scratch, sizeof scratch, "pmpcfg%u", num - PMPCFG0);
    return scratch;
  }
  if (num > PMPADDR0 && num <= PMPADDR63) {
    std::snprintf(scratch, sizeof scratch, "pmpaddr%u", num - PMPADDR0);
    return scratch;
  }
  return {};
}
}  // namespace csr

namespace {

std::string fmt(const char* f, auto... args) {
  char buf[96];
  std::snprintf(buf, sizeof buf, f, args...);
  return buf;
}

std::string csr_text(uint16_t num) {
  char scratch[16];
  std::string_view n = csr::name(num, scratch);
  return n.empty() ? fmt("0x%x", num) : std::string(n);
}

const char* fence_set(uint32_t bits4, char (&buf)[5]) {
  int k = 0;
  if (bits4 & 8) buf[k++] = 'i';
  if (bits4 & 4) buf[k++] = 'o';
  if (bits4 & 2) buf[k++] = 'r';
  if (bits4 & 1) buf[k++] = 'w';
  if (k == 0) buf[k++] = '0';
  buf[k] = 0;
  return buf;
}

std::string compressed(const Decoded& d, uint32_t pc) {
  const std::string_view n = d.cname;
  const char* m = n.data();
  const int len = static_cast<int>(n.size());
  const char *rd = kRegNames[d.rd], *rs1 = kRegNames[d.rs1], *rs2 = kRegNames[d.rs2];
  if (n == "c.addi4spn") return fmt("%.*s\t%s,sp,%d", len, m, rd, d.imm);
  if (n == "c.lw" || n == "c.lwsp") return fmt("%.*s\t%s,%d(%s)", len, m, rd, d.imm, rs1);
  if (n == "c.sw" || n == "c.swsp") return fmt("%.*s\t%s,%d(%s)", len, m, rs2, d.imm, rs1);
  if (n == "c.nop") return fmt("c.addi\tzero,%d", d.imm);
  if (n == "c.addi" || n == "c.li" || n == "c.andi" || n == "c.addi16sp") return fmt("%.*s\t%s,%d", len, m, rd, d.imm);
  if (n == "c.lui") return fmt("%.*s\t%s,0x%x", len, m, rd, (static_cast<uint32_t>(d.imm) >> 12) & 0xFFFFF);
  if (n == "c.j" || n == "c.jal") return fmt("%.*s\t%x", len, m, pc + d.imm);
  if (n == "c.beqz" || n == "c.bnez") return fmt("%.*s\t%s,%x", len, m, rs1, pc + d.imm);
  if (n == "c.slli" || n == "c.srli" || n == "c.srai") {
    if (d.imm == 0) return fmt("%.*s64\t%s", len, m, rd);  // shamt 0: a HINT binutils calls c.slli64
    return fmt("%.*s\t%s,0x%x", len, m, rd, d.imm);
  }
  if (n == "c.jr" || n == "c.jalr") return fmt("%.*s\t%s", len, m, rs1);
  if (n == "c.ebreak") return "c.ebreak";
  return fmt("%.*s\t%s,%s", len, m, rd, rs2);  // c.mv, c.add, c.sub, c.xor, c.or, c.and
}

}  // namespace

std::string disassemble(const Decoded& d, uint32_t pc) {
  if (d.op == Op::ILLEGAL) return fmt(d.len == 2 ? ".2byte\t0x%x" : ".4byte\t0x%x", d.raw);
  if (!d.cname.empty()) return compressed(d, pc);
  const InsnInfo& in = info(d.op);
  const std::string name(in.name);
  const char *rd = kRegNames[d.rd], *rs1 = kRegNames[d.rs1], *rs2 = kRegNames[d.rs2];
  switch (in.fmt) {
    case Fmt::R: return fmt("%s\t%s,%s,%s", name.c_str(), rd, rs1, rs2);
    case Fmt::R1: return fmt("%s\t%s,%s", name.c_str(), rd, rs1);
    case Fmt::I: return fmt("%s\t%s,%s,%d", name.c_str(), rd, rs1, d.imm);
    case Fmt::Shift: return fmt("%s\t%s,%s,0x%x", name.c_str(), rd, rs1, d.imm);
    case Fmt::Load: case Fmt::Jalr: return fmt("%s\t%s,%d(%s)", name.c_str(), rd, d.imm, rs1);
    case Fmt::Store: return fmt("%s\t%s,%d(%s)", name.c_str(), rs2, d.imm, rs1);
    case Fmt::Branch: return fmt("%s\t%s,%s,%x", name.c_str(), rs1, rs2, pc + d.imm);
    case Fmt::U: return fmt("%s\t%s,0x%x", name.c_str(), rd, static_cast<uint32_t>(d.imm) >> 12);
    case Fmt::J: return fmt("%s\t%s,%x", name.c_str(), rd, pc + d.imm);
    case Fmt::Csr: return fmt("%s\t%s,%s,%s", name.c_str(), rd, csr_text(d.csr).c_str(), rs1);
    case Fmt::CsrI: return fmt("%s\t%s,%s,%d", name.c_str(), rd, csr_text(d.csr).c_str(), d.imm);
    case Fmt::Fence: {
      char p[5], s[5];
      return fmt("fence\t%s,%s", fence_set((d.imm >> 4) & 15, p), fence_set(d.imm & 15, s));
    }
    case Fmt::None: return name;
  }
  return name;
}

}  // namespace calemu::rv
