// Our disassembler must agree with binutils (`objdump -M no-aliases`) on every encoding:
// a seeded random corpus of 32-bit and 16-bit words is assembled with .insn and both
// disassemblies are compared line by line. Also checks that we call illegal exactly what
// binutils calls illegal for the rv32imc_zba_zbb_zbc_zbs_zicsr_zifencei target.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "rv/disasm.h"

using namespace calemu::rv;

namespace {

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  pclose(p);
  return out;
}

std::string normalise(std::string s) {
  s = std::regex_replace(s, std::regex(" <[^>]*>"), "");
  s = std::regex_replace(s, std::regex("\\s*#.*$"), "");
  s = std::regex_replace(s, std::regex("\\s+$"), "");
  return s;
}

}  // namespace

TEST(Disasm, AgreesWithObjdump) {
  std::mt19937 rng(20261122);
  std::vector<uint32_t> words;
  // (bits 4:2 = 111 would announce a 48-bit or longer encoding)
  for (int i = 0; i < 6000; ++i) words.push_back((rng() | 3) & ~0x10u);
  // Bias toward the opcodes we implement so every row gets exercised.
  const uint32_t majors[] = {0x03, 0x0f, 0x13, 0x17, 0x23, 0x33, 0x37, 0x63, 0x67, 0x6f, 0x73};
  for (int i = 0; i < 12000; ++i) words.push_back((rng() & ~0x7Fu) | majors[rng() % 11]);
  for (int i = 0; i < 6000; ++i) {
    uint32_t h = rng() & 0xFFFF;
    if ((h & 3) == 3) h &= ~1u;
    words.push_back(h);
  }
  const std::string dir = std::string(CALEMU_BINARY_DIR) + "/tests/rv";
  const std::string src = dir + "/disasm_corpus.S", obj = dir + "/disasm_corpus.o";
  {
    std::ofstream f(src);
    f << ".text\n";
    for (uint32_t w : words) f << ".insn " << ((w & 3) == 3 ? "4" : "2") << ", 0x" << std::hex << w << std::dec << "\n";
  }
  const std::string as = std::string(RV_GCC) + " -march=rv32imc_zba_zbb_zbc_zbs_zicsr_zifencei -mabi=ilp32 -c " +
                         src + " -o " + obj + " 2>&1";
  ASSERT_EQ(run(as), "") << "assembler failed";
  std::istringstream dump(run(std::string(RV_OBJDUMP) + " -d -M no-aliases " + obj));
  std::regex line_re("^\\s*([0-9a-f]+):\\s+([0-9a-f]+)\\s+(.*)$");
  size_t checked = 0, mismatches = 0;
  for (std::string line; std::getline(dump, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, line_re)) continue;
    const uint32_t pc = static_cast<uint32_t>(std::stoul(m[1], nullptr, 16));
    const uint32_t raw = static_cast<uint32_t>(std::stoul(m[2], nullptr, 16));
    const std::string theirs = normalise(m[3]);
    const std::string ours = normalise(disassemble(raw, pc));
    ++checked;
    if (ours == theirs) continue;
    // We print VeeR custom CSRs by name where binutils prints the number, and binutils
    // names a few CSRs we do not list; an operand that differs only that way is fine.
    const std::regex csr_re("^(csrr[swc]i?\\t[^,]+,)([^,]+)(,.*)$");
    std::smatch a, b;
    if (std::regex_match(ours, a, csr_re) && std::regex_match(theirs, b, csr_re) && a[1] == b[1] && a[3] == b[3])
      continue;
    // VeeR decodes FENCE/FENCE.I ignoring the reserved rd/rs1/imm fields (and FENCE's fm
    // bit 31), as the ISA tells base implementations to; binutils only names the
    // canonical encodings.
    if ((raw & 0x7F) == 0x0F && theirs.rfind(".4byte", 0) == 0 && ours.rfind("fence", 0) == 0) continue;
    // binutils prints shift amounts >= 32, which RV32 (and VeeR's decoder) reserve.
    std::smatch sh;
    if (ours[0] == '.' &&
        std::regex_match(theirs, sh, std::regex("^(c\\.)?(slli|srli|srai|rori|bseti|bclri|binvi|bexti)\\t.*,0x([0-9a-f]+)$")) &&
        std::stoul(sh[3], nullptr, 16) >= 32)
      continue;
    if (++mismatches <= 25) ADD_FAILURE() << std::hex << raw << ": ours '" << ours << "' binutils '" << theirs << "'";
  }
  EXPECT_GT(checked, words.size() * 9 / 10);
  EXPECT_EQ(mismatches, 0u);
}
