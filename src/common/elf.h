// A small ELF32 (little-endian RISC-V) reader: loadable segments, entry and symbols.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace calemu {

struct ElfError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ElfSegment {
  uint32_t paddr = 0;          // load address (LMA)
  uint32_t vaddr = 0;
  uint32_t memsz = 0;
  std::vector<uint8_t> data;   // filesz bytes; the rest of memsz is zero
  uint32_t flags = 0;          // PF_X = 1, PF_W = 2, PF_R = 4
};

struct ElfImage {
  uint32_t entry = 0;
  std::vector<ElfSegment> segments;
  std::map<std::string, uint32_t> symbols;  // global and local symbols with a value

  std::optional<uint32_t> symbol(const std::string& name) const;
};

// Throws ElfError with a message that names the problem (not ELF, not RV32, truncated...).
ElfImage load_elf(const std::string& path);
ElfImage parse_elf(const std::vector<uint8_t>& bytes, const std::string& what = "input");

std::vector<uint8_t> read_file(const std::string& path);  // throws std::runtime_error

}  // namespace calemu
