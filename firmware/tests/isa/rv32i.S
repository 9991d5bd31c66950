/* RV32I base integer instructions (unprivileged spec ch. 2), every instruction in its
 * 32-bit encoding, with the edge cases of each: sign extension of immediates, shift
 * amounts, signed/unsigned comparisons, x0 as source and destination, rd == rs, jalr
 * clearing bit 0, load sign/zero extension, store widths, and fence.i making freshly
 * stored instructions visible. */
#include "isa_test.h"

  .option norvc
  .text
  .globl test_main
test_main:
  /* ---- add / sub / addi: wrap-around, sign-extended 12-bit immediates ---- */
  TEST(1)
  TEST_RR(add, 0x00000000, 0x00000000, 0x00000000)
  TEST_RR(add, 0x00000002, 0x00000001, 0x00000001)
  TEST_RR(add, 0x80000000, 0x7fffffff, 0x00000001)
  TEST_RR(add, 0x00000000, 0xffffffff, 0x00000001)
  TEST_RR(add, 0x7fffffff, 0x80000000, 0xffffffff)
  TEST_RR_D1(add, 24, 13, 11)
  TEST_RR_D2(add, 25, 14, 11)
  TEST_RR_SAME(add, 26, 13)
  TEST_RR_ZERO(add, 1, 2)
  TEST(2)
  TEST_RR(sub, 0x00000000, 0x00000000, 0x00000000)
  TEST_RR(sub, 0xffffffff, 0x00000000, 0x00000001)
  TEST_RR(sub, 0x7fffffff, 0x80000000, 0x00000001)
  TEST_RR(sub, 0x80000001, 0x00000001, 0x80000000)
  TEST_RR(sub, 0x00000002, 0x00000001, 0xffffffff)
  TEST_RR_D1(sub, 2, 13, 11)
  TEST_RR_D2(sub, 3, 14, 11)
  TEST_RR_SAME(sub, 0, 13)
  TEST(3)
  TEST_RI(addi, 0x00000000, 0x00000000, 0)
  TEST_RI(addi, 0x000007ff, 0x00000000, 2047)
  TEST_RI(addi, 0xfffff800, 0x00000000, -2048)
  TEST_RI(addi, 0x7fffffff, 0x80000000, -1)
  TEST_RI(addi, 0x80000000, 0x7fffffff, 1)
  TEST_RI(addi, 0x800007fe, 0x7fffffff, 2047)
  li a0, 13
  addi a0, a0, 11            /* rd == rs1 */
  CHECK(a0, 24)
  addi x0, a0, 5             /* a nop: x0 stays zero */
  CHECK(x0, 0)
  addi a0, x0, -1            /* x0 as source */
  CHECK(a0, 0xffffffff)

  /* ---- slt / sltu / slti / sltiu ---- */
  TEST(4)
  TEST_RR(slt, 0, 0x00000000, 0x00000000)
  TEST_RR(slt, 1, 0x80000000, 0x7fffffff)
  TEST_RR(slt, 0, 0x7fffffff, 0x80000000)
  TEST_RR(slt, 1, 0xffffffff, 0x00000000)
  TEST_RR(slt, 0, 0x00000000, 0xffffffff)
  TEST_RR(slt, 0, 0xffffffff, 0xffffffff)
  TEST_RR(sltu, 0, 0x80000000, 0x7fffffff)
  TEST_RR(sltu, 1, 0x7fffffff, 0x80000000)
  TEST_RR(sltu, 0, 0xffffffff, 0x00000000)
  TEST_RR(sltu, 1, 0x00000000, 0xffffffff)
  TEST_RR(sltu, 0, 0x00000005, 0x00000005)
  TEST_RR_SAME(sltu, 0, 7)
  TEST(5)
  TEST_RI(slti, 1, 0x80000000, 0)
  TEST_RI(slti, 0, 0x7fffffff, -1)
  TEST_RI(slti, 1, 0xfffffffe, -1)
  TEST_RI(slti, 0, 0x00000000, -2048)
  TEST_RI(slti, 1, 0xfffff7ff, -2048)
  TEST_RI(slti, 0, 0x000007ff, 2047)
  /* sltiu sign-extends the immediate, then compares unsigned: -1 is 0xffffffff. */
  TEST_RI(sltiu, 1, 0x00000000, -1)
  TEST_RI(sltiu, 0, 0xffffffff, -1)
  TEST_RI(sltiu, 1, 0xfffffffe, -1)
  TEST_RI(sltiu, 1, 0x00000000, 1)     /* seqz idiom */
  TEST_RI(sltiu, 0, 0x00000005, 1)
  TEST_RI(sltiu, 0, 0x80000000, 2047)

  /* ---- logic ---- */
  TEST(6)
  TEST_RR(and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f)
  TEST_RR(or,  0xff0fff0f, 0xff00ff00, 0x0f0f0f0f)
  TEST_RR(xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f)
  TEST_RI(andi, 0xff00ff00, 0xff00ff00, -256)      /* 0xf00 sign-extends to 0xffffff00 */
  TEST_RI(andi, 0x00000000, 0xff00ff00, 0x0ff)
  TEST_RI(ori,  0xfffffff0, 0x00000000, -16)
  TEST_RI(ori,  0x00ff07ff, 0x00ff0000, 0x7ff)
  TEST_RI(xori, 0xff00ff0f, 0x00ff00f0, -1)        /* not */
  TEST_RI(xori, 0x00ff0ff0, 0x00ff08f0, 0x700)
  TEST_RR_SAME(xor, 0, 0x12345678)
  TEST_RR_SAME(and, 0x12345678, 0x12345678)

  /* ---- shifts: only the low 5 bits of rs2 count ---- */
  TEST(7)
  TEST_RR(sll, 0x00000001, 0x00000001, 0)
  TEST_RR(sll, 0x80000000, 0x00000001, 31)
  TEST_RR(sll, 0x00000002, 0x00000001, 33)         /* 33 & 31 = 1 */
  TEST_RR(sll, 0x21212121, 0x21212121, 0xffffffe0)   /* shift 0 */
  TEST_RR(sll, 0x90909080, 0x21212121, 0xffffffe7)      /* shift 7 */
  TEST_RR(srl, 0x7fffffff, 0xffffffff, 1)
  TEST_RR(srl, 0x00000001, 0x80000000, 31)
  TEST_RR(srl, 0x80000000, 0x80000000, 32)         /* 32 & 31 = 0 */
  TEST_RR(srl, 0x00424242, 0x21212121, 0xffffffe7)
  TEST_RR(sra, 0xffffffff, 0x80000000, 31)
  TEST_RR(sra, 0xc0000000, 0x80000000, 1)
  TEST_RR(sra, 0x3fffffff, 0x7fffffff, 1)
  TEST_RR(sra, 0xff030303, 0x81818181, 0xffffffe7)
  TEST_RR(sra, 0x81818181, 0x81818181, 64)
  TEST(8)
  TEST_RI(slli, 0x80000000, 0x00000001, 31)
  TEST_RI(slli, 0x12345678, 0x12345678, 0)
  TEST_RI(slli, 0x34567800, 0x12345678, 8)
  TEST_RI(srli, 0x00000001, 0x80000000, 31)
  TEST_RI(srli, 0x0fffffff, 0xffffffff, 4)
  TEST_RI(srai, 0xffffffff, 0x80000000, 31)
  TEST_RI(srai, 0xf8000000, 0x80000000, 4)
  TEST_RI(srai, 0x07ffffff, 0x7fffffff, 4)
  TEST_RI(srai, 0x81818181, 0x81818181, 0)

  /* ---- lui / auipc ---- */
  TEST(9)
  lui a0, 0xfffff
  CHECK(a0, 0xfffff000)
  lui a0, 0x80000
  CHECK(a0, 0x80000000)
  lui a0, 0
  CHECK(a0, 0)
  lui x0, 0x12345
  CHECK(x0, 0)
1:
  auipc a0, 0
  CHECK_LABEL(a0, 1b)
2:
  auipc a0, 0x1             /* pc + 0x1000 */
  la a1, 2b
  li a2, 0x1000
  add a1, a1, a2
  CHECKR(a0, a1)
3:
  auipc a0, 0xfffff         /* pc - 0x1000 (wraps within 32 bits) */
  la a1, 3b
  li a2, 0x1000
  sub a1, a1, a2
  CHECKR(a0, a1)

  /* ---- branches: taken / not taken, signed / unsigned edges ---- */
  TEST(10)
#define BR_TAKEN(op, a, b)  li a1, a; li a2, b; op a1, a2, 9990f; FAIL_HERE; 9990:
#define BR_NOT(op, a, b)    li a1, a; li a2, b; op a1, a2, 9991f; j 9992f; 9991: FAIL_HERE; 9992:
  BR_TAKEN(beq, 0, 0)
  BR_TAKEN(beq, 0xffffffff, 0xffffffff)
  BR_NOT(beq, 0, 1)
  BR_NOT(beq, 0x80000000, 0)
  BR_TAKEN(bne, 0, 1)
  BR_TAKEN(bne, 0x80000000, 0)
  BR_NOT(bne, 5, 5)
  BR_TAKEN(blt, 0xffffffff, 0)
  BR_TAKEN(blt, 0x80000000, 0x7fffffff)
  BR_NOT(blt, 0, 0)
  BR_NOT(blt, 0x7fffffff, 0x80000000)
  BR_NOT(blt, 1, 0xffffffff)
  BR_TAKEN(bge, 0, 0)
  BR_TAKEN(bge, 0x7fffffff, 0x80000000)
  BR_TAKEN(bge, 1, 0xffffffff)
  BR_NOT(bge, 0xffffffff, 0)
  BR_NOT(bge, 0x80000000, 0x7fffffff)
  BR_TAKEN(bltu, 0, 0xffffffff)
  BR_TAKEN(bltu, 0x7fffffff, 0x80000000)
  BR_NOT(bltu, 0xffffffff, 0)
  BR_NOT(bltu, 3, 3)
  BR_TAKEN(bgeu, 0xffffffff, 0)
  BR_TAKEN(bgeu, 3, 3)
  BR_TAKEN(bgeu, 0x80000000, 0x7fffffff)
  BR_NOT(bgeu, 0, 0xffffffff)
  BR_NOT(bgeu, 0x7fffffff, 0x80000000)
  /* Backward taken branch: a counted loop runs exactly 5 times. */
  li a0, 0
  li a1, 5
4:
  addi a0, a0, 1
  bne a0, a1, 4b
  CHECK(a0, 5)
  /* Branch over a page boundary (both directions) and far targets. */
  j far_fwd
far_back:
  li a0, 0x77
  j far_done
  .balign 4096
  .skip 4088
far_fwd:
  li a1, 1
  beq a1, a1, far_back      /* crosses back over the 4 KiB boundary (target is far) */
  FAIL_HERE
far_done:
  CHECK(a0, 0x77)

  /* ---- jal / jalr ---- */
  TEST(11)
  jal a0, 5f
6:
  FAIL_HERE
5:
  CHECK_LABEL(a0, 6b)        /* link = pc + 4 */
  jal x0, 7f                 /* j: no link */
  FAIL_HERE
7:
  la a1, 8f
  jalr a0, 0(a1)
9:
  FAIL_HERE
8:
  CHECK_LABEL(a0, 9b)
  /* jalr clears bit 0 of the target (spec 2.5): jump to label + 1. */
  la a1, 10f
  jalr a0, 1(a1)
  FAIL_HERE
10:
  /* Negative offset. */
  la a1, 11f + 16
  jalr a0, -16(a1)
  FAIL_HERE
11:
  /* rd == rs1: the target uses the old value of rs1. */
  la a0, 12f
  jalr a0, 0(a0)
13:
  FAIL_HERE
12:
  CHECK_LABEL(a0, 13b)
  /* A call and return through ra. */
  li a0, 0
  call leaf_add3
  call leaf_add3
  CHECK(a0, 6)

  /* ---- loads: sign / zero extension, every offset ---- */
  TEST(12)
  la s0, ldata
  lb a0, 0(s0)
  CHECK(a0, 0xffffff80)
  lb a0, 1(s0)
  CHECK(a0, 0x0000007f)
  lb a0, 2(s0)
  CHECK(a0, 0x00000001)
  lb a0, 3(s0)
  CHECK(a0, 0xffffffff)
  lbu a0, 0(s0)
  CHECK(a0, 0x80)
  lbu a0, 3(s0)
  CHECK(a0, 0xff)
  lh a0, 0(s0)
  CHECK(a0, 0x00007f80)
  lh a0, 2(s0)
  CHECK(a0, 0xffffff01)
  lh a0, 4(s0)
  CHECK(a0, 0xffff8000)
  lhu a0, 2(s0)
  CHECK(a0, 0x0000ff01)
  lhu a0, 4(s0)
  CHECK(a0, 0x00008000)
  lw a0, 0(s0)
  CHECK(a0, 0xff017f80)
  lw a0, 4(s0)
  CHECK(a0, 0x7fff8000)
  addi s1, s0, 8
  lw a0, -4(s1)             /* negative offset */
  CHECK(a0, 0x7fff8000)
  lw a0, -8(s1)
  CHECK(a0, 0xff017f80)
  lw x0, 0(s0)              /* load to x0: value dropped */
  CHECK(x0, 0)
  mv a0, s0
  lw a0, 0(a0)              /* rd == rs1 */
  CHECK(a0, 0xff017f80)

  /* ---- stores: each width writes only its bytes ---- */
  TEST(13)
  la s0, sdata
  li a0, 0xaaaaaaaa
  sw a0, 0(s0)
  sw a0, 4(s0)
  li a1, 0x12345678
  sb a1, 1(s0)
  lw a2, 0(s0)
  CHECK(a2, 0xaaaa78aa)
  sh a1, 6(s0)
  lw a2, 4(s0)
  CHECK(a2, 0x5678aaaa)
  sh a1, 0(s0)
  lw a2, 0(s0)
  CHECK(a2, 0xaaaa5678)
  sb x0, 3(s0)               /* x0 as store data */
  lw a2, 0(s0)
  CHECK(a2, 0x00aa5678)
  addi s1, s0, 12
  sw a1, -4(s1)              /* negative offset */
  lw a2, 8(s0)
  CHECK(a2, 0x12345678)
  sb a1, -1(s1)
  lbu a2, 11(s0)
  CHECK(a2, 0x78)

  /* ---- fence / fence.i ---- */
  TEST(14)
  fence
  fence rw, rw
  fence iorw, iorw
  fence.i
  /* Self-modifying code: patch an instruction, fence.i, execute the new one. */
  la s0, smc_slot
  li a0, 0
  jalr ra, 0(s0)             /* original: addi a0, x0, 1 */
  CHECK(a0, 1)
  li a1, 0x00200513          /* addi a0, x0, 2 */
  sw a1, 0(s0)
  fence.i
  jalr ra, 0(s0)
  CHECK(a0, 2)
  li a1, 0x02a00513          /* addi a0, x0, 42 */
  sw a1, 0(s0)
  fence.i
  jalr ra, 0(s0)
  CHECK(a0, 42)
  /* A loop that rewrites the instruction it is about to execute each iteration. */
  li s1, 0
  li s2, 5
15:
  slli a1, s1, 20
  li a2, 0x00000513          /* addi a0, x0, s1 */
  or a1, a1, a2
  sw a1, 0(s0)
  fence.i
  jalr ra, 0(s0)
  CHECKR(a0, s1)
  addi s1, s1, 1
  bne s1, s2, 15b

  /* ---- ecall / ebreak are in traps.S; misaligned data in misaligned.S ---- */
  j test_pass

leaf_add3:
  addi a0, a0, 3
  ret

  .section .text.smc, "ax"
  .balign 8
smc_slot:
  addi a0, x0, 1
  ret

  .data
  .balign 16
ldata:
  .byte 0x80, 0x7f, 0x01, 0xff, 0x00, 0x80, 0xff, 0x7f
sdata:
  .word 0, 0, 0, 0
