#include "common/elf.h"

#include <cstring>
#include <fstream>
#include <iterator>

namespace calemu {

namespace {

constexpr uint16_t kEmRiscv = 243;
constexpr uint32_t kPtLoad = 1, kShtSymtab = 2;

struct Reader {
  const std::vector<uint8_t>& b;
  const std::string& what;
  void need(uint64_t off, uint64_t len) const {
    if (off + len > b.size())
      throw ElfError(what + ": truncated ELF (needs " + std::to_string(off + len) + " bytes, file has " +
                     std::to_string(b.size()) + ")");
  }
  uint16_t u16(uint64_t off) const { need(off, 2); return static_cast<uint16_t>(b[off] | (b[off + 1] << 8)); }
  uint32_t u32(uint64_t off) const {
    need(off, 4);
    return uint32_t{b[off]} | (uint32_t{b[off + 1]} << 8) | (uint32_t{b[off + 2]} << 16) | (uint32_t{b[off + 3]} << 24);
  }
};

}  // namespace

std::optional<uint32_t> ElfImage::symbol(const std::string& name) const {
  auto it = symbols.find(name);
  if (it == symbols.end()) return std::nullopt;
  return it->second;
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error(path + ": cannot open (" + std::strerror(errno) + ")");
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

ElfImage load_elf(const std::string& path) { return parse_elf(read_file(path), path); }

ElfImage parse_elf(const std::vector<uint8_t>& b, const std::string& what) {
  const Reader r{b, what};
  if (b.size() < 4 || std::memcmp(b.data(), "\x7f" "ELF", 4) != 0) throw ElfError(what + ": not an ELF file");
  r.need(0, 52);
  if (b[4] != 1) throw ElfError(what + ": not a 32-bit ELF (class " + std::to_string(b[4]) + "); calemu runs RV32");
  if (b[5] != 1) throw ElfError(what + ": not little-endian");
  if (r.u16(18) != kEmRiscv) throw ElfError(what + ": not a RISC-V ELF (e_machine " + std::to_string(r.u16(18)) + ")");
  const uint16_t type = r.u16(16);
  if (type != 2) throw ElfError(what + ": not an executable ELF (e_type " + std::to_string(type) + "); link it first");

  ElfImage img;
  img.entry = r.u32(24);
  const uint32_t phoff = r.u32(28), shoff = r.u32(32);
  const uint16_t phentsize = r.u16(42), phnum = r.u16(44), shentsize = r.u16(46), shnum = r.u16(48);
  if (phnum && phentsize < 32) throw ElfError(what + ": bad program header size");
  for (unsigned i = 0; i < phnum; ++i) {
    const uint64_t ph = uint64_t{phoff} + uint64_t{i} * phentsize;
    if (r.u32(ph) != kPtLoad) continue;
    ElfSegment s;
    const uint32_t off = r.u32(ph + 4), filesz = r.u32(ph + 16);
    s.vaddr = r.u32(ph + 8);
    s.paddr = r.u32(ph + 12);
    s.memsz = r.u32(ph + 20);
    s.flags = r.u32(ph + 24);
    if (filesz > s.memsz) throw ElfError(what + ": segment " + std::to_string(i) + " has filesz > memsz");
    if (s.memsz == 0) continue;
    r.need(off, filesz);
    s.data.assign(b.begin() + off, b.begin() + off + filesz);
    img.segments.push_back(std::move(s));
  }
  if (img.segments.empty()) throw ElfError(what + ": no loadable segments");

  // Symbols are optional (a stripped file has none).
  if (shoff && shnum && shentsize >= 40) {
    for (unsigned i = 0; i < shnum; ++i) {
      const uint64_t sh = uint64_t{shoff} + uint64_t{i} * shentsize;
      if (r.u32(sh + 4) != kShtSymtab) continue;
      const uint32_t symoff = r.u32(sh + 16), symsize = r.u32(sh + 20), link = r.u32(sh + 24);
      const uint32_t entsize = r.u32(sh + 36);
      if (link >= shnum || entsize < 16) break;
      const uint64_t strsh = uint64_t{shoff} + uint64_t{link} * shentsize;
      const uint32_t stroff = r.u32(strsh + 16), strsize = r.u32(strsh + 20);
      r.need(stroff, strsize);
      for (uint64_t p = symoff; p + entsize <= uint64_t{symoff} + symsize; p += entsize) {
        const uint32_t name = r.u32(p), value = r.u32(p + 4);
        const uint16_t shndx = r.u16(p + 14);
        if (name == 0 || name >= strsize || shndx == 0) continue;
        const char* s = reinterpret_cast<const char*>(b.data() + stroff + name);
        const size_t max = strsize - name;
        img.symbols.emplace(std::string(s, strnlen(s, max)), value);
      }
      break;
    }
  }
  return img;
}

}  // namespace calemu
