// The instruction table: no two encodings overlap, and fields decode as the ISA manual says.
#include <gtest/gtest.h>

#include "rv/decode.h"

using namespace calemu::rv;

TEST(Decode, NoTwoEncodingsOverlap) {
  for (unsigned i = 0; i < kNumInsns; ++i)
    for (unsigned j = i + 1; j < kNumInsns; ++j) {
      const auto &a = kInsns[i], &b = kInsns[j];
      EXPECT_NE(a.match & a.mask & b.mask, b.match & a.mask & b.mask) << a.name << " overlaps " << b.name;
    }
}

TEST(Decode, EveryRowMatchesItself) {
  for (const auto& in : kInsns) {
    const Decoded d = decode(in.match);
    EXPECT_EQ(d.op, in.op) << in.name;
    EXPECT_EQ(d.len, 4);
  }
}

TEST(Decode, ImmediatesFromTheManual) {
  // addi a0, a1, -5 = 0xffb58513
  Decoded d = decode(0xffb58513);
  EXPECT_EQ(d.op, Op::ADDI);
  EXPECT_EQ(d.rd, 10);
  EXPECT_EQ(d.rs1, 11);
  EXPECT_EQ(d.imm, -5);
  // beq a0, a1, -8 = 0xfeb50ce3
  d = decode(0xfeb50ce3);
  EXPECT_EQ(d.op, Op::BEQ);
  EXPECT_EQ(d.imm, -8);
  // jal ra, +4 = 0x004000ef
  d = decode(0x004000ef);
  EXPECT_EQ(d.op, Op::JAL);
  EXPECT_EQ(d.rd, 1);
  EXPECT_EQ(d.imm, 4);
  // sw a1, 12(a0) = 0x00b52623
  d = decode(0x00b52623);
  EXPECT_EQ(d.op, Op::SW);
  EXPECT_EQ(d.imm, 12);
  EXPECT_EQ(d.rs2, 11);
  // lui a0, 0x12345
  d = decode(0x12345537);
  EXPECT_EQ(d.op, Op::LUI);
  EXPECT_EQ(static_cast<uint32_t>(d.imm), 0x12345000u);
}

TEST(Decode, CompressedReservedEncodingsAreIllegal) {
  EXPECT_EQ(decode(0x0000).op, Op::ILLEGAL);             // all zero
  EXPECT_EQ(decode_compressed(0x6101 & ~0x107C).op, Op::ILLEGAL);  // c.addi16sp with zero immediate
  EXPECT_EQ(decode_compressed(0x6501 & ~0x107C).op, Op::ILLEGAL);  // c.lui with zero immediate
  EXPECT_EQ(decode_compressed(0x8002).op, Op::ILLEGAL);  // c.jr x0
  EXPECT_EQ(decode_compressed(0x4002).op, Op::ILLEGAL);  // c.lwsp x0
  EXPECT_EQ(decode_compressed(0x1002).op, Op::ILLEGAL);  // c.slli with shamt[5] = 1 (RV32 reserved)
  EXPECT_EQ(decode_compressed(0x2000).op, Op::ILLEGAL);  // c.fld
  EXPECT_EQ(decode_compressed(0x9c01).op, Op::ILLEGAL);  // c.subw (RV64 only)
}

TEST(Decode, CompressedMapOntoBaseOperations) {
  Decoded d = decode_compressed(0x050d);  // c.addi a0, 3
  EXPECT_EQ(d.op, Op::ADDI);
  EXPECT_EQ(d.rd, 10);
  EXPECT_EQ(d.rs1, 10);
  EXPECT_EQ(d.imm, 3);
  d = decode_compressed(0x7605);  // c.lui a2, 0xfffe1
  EXPECT_EQ(d.op, Op::LUI);
  EXPECT_EQ(static_cast<uint32_t>(d.imm), 0xfffe1000u);
  d = decode_compressed(0x9502);  // c.jalr a0
  EXPECT_EQ(d.op, Op::JALR);
  EXPECT_EQ(d.rd, 1);
  EXPECT_EQ(d.rs1, 10);
}
