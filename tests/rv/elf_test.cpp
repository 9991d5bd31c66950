#include <gtest/gtest.h>

#include "common/elf.h"

using namespace calemu;

TEST(Elf, RejectsWhatIsNotAnRv32Executable) {
  EXPECT_THROW(parse_elf({'n', 'o', 'p', 'e'}), ElfError);
  std::vector<uint8_t> hdr(52, 0);
  hdr[0] = 0x7f; hdr[1] = 'E'; hdr[2] = 'L'; hdr[3] = 'F';
  hdr[4] = 2;  // ELFCLASS64
  try {
    parse_elf(hdr, "x.elf");
    FAIL();
  } catch (const ElfError& e) {
    EXPECT_NE(std::string(e.what()).find("not a 32-bit ELF"), std::string::npos);
  }
  hdr[4] = 1; hdr[5] = 1; hdr[16] = 2; hdr[18] = 62;  // x86-64
  EXPECT_THROW(parse_elf(hdr), ElfError);
  hdr[18] = 243;  // RISC-V, but no program headers
  EXPECT_THROW(parse_elf(hdr), ElfError);
  hdr.resize(30);
  EXPECT_THROW(parse_elf(hdr), ElfError);  // truncated
}

TEST(Elf, LoadsOurDemoFirmware) {
  const ElfImage img = load_elf(std::string(CALEMU_BINARY_DIR) + "/firmware/hello.elf");
  EXPECT_EQ(img.entry, 0x8000'0000u);
  EXPECT_TRUE(img.symbol("tohost").has_value());
  EXPECT_FALSE(img.segments.empty());
}
