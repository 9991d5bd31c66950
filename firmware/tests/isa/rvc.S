/* RV32C (unprivileged spec ch. 16 "C" Standard Extension, v2.0): every RV32C form with
 * its immediate extremes, the HINT encodings (legal, no architectural effect), and the
 * reserved / RV64-only / floating-point encodings, which VeeR EL2 decodes as illegal
 * (design/dec/cdecode has no entry for them). An illegal 16-bit instruction reports
 * mtval = its 16 bits zero-extended (el2_dec_decode_ctl.sv: i0_inst_d = {16'b0, cinst}). */
#include "isa_test.h"

  .option rvc
  .text
  .globl test_main
test_main:
  /* ---- c.li / c.addi / c.nop: 6-bit signed immediates ---- */
  TEST(1)
  c.li a0, 31
  CHECK(a0, 31)
  c.li a0, -32
  CHECK(a0, 0xffffffe0)
  c.li a0, 0
  CHECK(a0, 0)
  c.addi a0, 31
  CHECK(a0, 31)
  c.addi a0, -32
  CHECK(a0, 0xffffffff)
  c.addi a0, 1
  CHECK(a0, 0)
  c.nop
  li s0, 0x12345678
  mv s1, s0

  /* ---- c.lui: nzimm[17:12] sign-extended from bit 17 ---- */
  TEST(2)
  c.lui a0, 1
  CHECK(a0, 0x00001000)
  c.lui a0, 31
  CHECK(a0, 0x0001f000)
  c.lui a0, 0xfffff
  CHECK(a0, 0xfffff000)
  c.lui a0, 0xfffe0
  CHECK(a0, 0xfffe0000)

  /* ---- c.addi16sp / c.addi4spn: scaled immediates on sp ---- */
  TEST(3)
  mv s2, sp
  c.addi16sp sp, -512
  sub a0, s2, sp
  CHECK(a0, 512)
  c.addi16sp sp, 496
  sub a0, s2, sp
  CHECK(a0, 16)
  c.addi16sp sp, 16
  CHECKR(sp, s2)
  c.addi4spn a0, sp, 4
  sub a0, a0, sp
  CHECK(a0, 4)
  c.addi4spn s1, sp, 1020
  sub a0, s1, sp
  CHECK(a0, 1020)
  c.addi4spn a5, sp, 8
  sub a0, a5, sp
  CHECK(a0, 8)

  /* ---- shifts and c.andi on x8..x15 ---- */
  TEST(4)
  li s0, 0x80000001
  c.srli s0, 31
  CHECK(s0, 1)
  li s0, 0x80000001
  c.srli s0, 1
  CHECK(s0, 0x40000000)
  li s1, 0x80000010
  c.srai s1, 4
  CHECK(s1, 0xf8000001)
  li s1, 0x80000000
  c.srai s1, 31
  CHECK(s1, 0xffffffff)
  li a0, 0x00000003
  c.slli a0, 31
  CHECK(a0, 0x80000000)
  li a0, 0x12345678
  c.slli a0, 4
  CHECK(a0, 0x23456780)
  li a2, 0x12345678
  c.andi a2, -32
  CHECK(a2, 0x12345660)
  li a2, 0x12345678
  c.andi a2, 31
  CHECK(a2, 0x18)
  li a3, 0x12345678
  c.andi a3, 0
  CHECK(a3, 0)

  /* ---- register-register ALU forms ---- */
  TEST(5)
  li s0, 0xff00ff00
  li a5, 0x0f0f0f0f
  c.sub s0, a5
  CHECK(s0, 0xeff1eff1)
  li s0, 0xff00ff00
  c.xor s0, a5
  CHECK(s0, 0xf00ff00f)
  li s0, 0xff00ff00
  c.or s0, a5
  CHECK(s0, 0xff0fff0f)
  li s0, 0xff00ff00
  c.and s0, a5
  CHECK(s0, 0x0f000f00)
  li a1, 0x11111111
  c.mv a0, a1
  CHECK(a0, 0x11111111)
  li a1, 0x22222222
  c.add a0, a1
  CHECK(a0, 0x33333333)
  li t0, 0x7fffffff
  li t1, 1
  c.add t0, t1
  CHECK(t0, 0x80000000)
  c.mv t3, t0                 /* full register range (x28) */
  CHECK(t3, 0x80000000)

  /* ---- loads and stores: c.lw / c.sw (x8..x15, uimm 0..124), c.lwsp / c.swsp ---- */
  TEST(6)
  la s0, cbuf
  li a5, 0xa5a5a5a5
  c.sw a5, 0(s0)
  li a4, 0x5a5a5a5a
  c.sw a4, 124(s0)
  c.lw a3, 0(s0)
  CHECK(a3, 0xa5a5a5a5)
  c.lw a2, 124(s0)
  CHECK(a2, 0x5a5a5a5a)
  lw a0, 124(s0)
  CHECK(a0, 0x5a5a5a5a)
  li a0, 0x01020304
  sw a0, 64(s0)
  c.lw s1, 64(s0)
  CHECK(s1, 0x01020304)
  c.lw s0, 64(s0)             /* rd' == rs1' */
  CHECK(s0, 0x01020304)
  mv s2, sp
  la sp, cbuf
  li t2, 0x600df00d
  c.swsp t2, 252(sp)
  li t3, 0x0badcafe
  c.swsp t3, 0(sp)
  c.lwsp a0, 252(sp)
  c.lwsp t4, 0(sp)
  mv sp, s2
  CHECK(a0, 0x600df00d)
  la a1, cbuf
  lw a2, 252(a1)
  CHECK(a2, 0x600df00d)
  lw a2, 0(a1)
  CHECK(a2, 0x0badcafe)
  mv a3, t4
  CHECK(a3, 0x0badcafe)

  /* ---- control transfer: c.j, c.jal (link pc + 2), c.jr, c.jalr, c.beqz / c.bnez ---- */
  TEST(7)
  c.j 1f
  FAIL_HERE
1:
  c.jal 2f
3:
  FAIL_HERE
2:
  CHECK_LABEL(ra, 3b)
  la a1, 4f
  c.jr a1
  FAIL_HERE
4:
  la a1, 5f
  c.jalr a1
6:
  FAIL_HERE
5:
  CHECK_LABEL(ra, 6b)
  /* c.jalr with rs1 == ra: the target is the old ra. */
  la ra, 7f
  c.jalr ra
8:
  FAIL_HERE
7:
  CHECK_LABEL(ra, 8b)
  li s0, 0
  li s1, 1
  c.beqz s0, 9f
  FAIL_HERE
9:
  c.bnez s1, 10f
  FAIL_HERE
10:
  c.beqz s1, 11f
  c.bnez s0, 11f
  j 12f
11:
  FAIL_HERE
12:
  /* Largest offsets: c.beqz +254, c.bnez -256, c.j +2046 and -2048. GNU as widens a
   * compressed branch to an unresolved forward label near the limit, so the two forward
   * extremes are spelled out (CB / CJ immediate layouts of spec 16.5). */
  li s0, 0
13:
  .hword 0xcc7d               /* c.beqz s0, +254 */
  .rept 126
  c.ebreak
  .endr
14:
  j 16f
15:
  c.j 18f
  .rept 126
  c.ebreak
  .endr
16:
  c.li a5, 1
17:
  c.bnez a5, 15b              /* -256 */
  FAIL_HERE
18:
  .hword 0xaffd               /* c.j +2046 */
  .rept 1022
  c.ebreak
  .endr
19:
  j 21f
20:
  .option push
  .option norvc
  j 23f
  .option pop
  .rept 1022
  c.ebreak
  .endr
21:
  c.j 20b                     /* -2048 */
  FAIL_HERE
23:
  /* The distances really are the extremes of each encoding. */
  la a0, 13b
  la a1, 14b
  sub a0, a1, a0
  CHECK(a0, 254)
  la a0, 17b
  la a1, 15b
  sub a0, a1, a0
  CHECK(a0, 0xffffff00)
  la a0, 18b
  la a1, 19b
  sub a0, a1, a0
  CHECK(a0, 2046)
  la a0, 21b
  la a1, 20b
  sub a0, a1, a0
  CHECK(a0, 0xfffff800)

  /* ---- c.ebreak: breakpoint, mtval = pc, mscause 2 (PRM "mscause") ---- */
  TEST(8)
  EXPECT_EBREAK(c.ebreak)

  /* ---- HINTs: legal, no effect (x0 stays 0, rd unchanged) ---- */
  TEST(9)
  li a0, 0x55
  .hword 0x0005               /* c.nop with imm = 1 (c.addi x0, 1) */
  .hword 0x0501               /* c.addi a0, 0 */
  .hword 0x4005               /* c.li x0, 1 */
  .hword 0x6005               /* c.lui x0, 1 */
  .hword 0x802a               /* c.mv x0, a0 */
  .hword 0x902a               /* c.add x0, a0 */
  .hword 0x0006               /* c.slli x0, 1 */
  .hword 0x0502               /* c.slli a0, 0 */
  CHECK(x0, 0)
  CHECK(a0, 0x55)

  /* ---- reserved / unsupported encodings: illegal, mtval = the 16 bits ---- */
  TEST(10)
#define C_ILLEGAL(h) EXPECT_TRAP(2, h, .hword h); CHECK_MSCAUSE(0)
  C_ILLEGAL(0x0000)           /* all zeros: c.addi4spn nzuimm = 0, defined illegal */
  C_ILLEGAL(0x0004)           /* c.addi4spn a1, sp, 0 */
  C_ILLEGAL(0x2000)           /* c.fld */
  C_ILLEGAL(0x6000)           /* c.flw */
  C_ILLEGAL(0x8000)           /* quadrant 0, funct3 100: reserved */
  C_ILLEGAL(0xa000)           /* c.fsd */
  C_ILLEGAL(0xe000)           /* c.fsw */
  C_ILLEGAL(0x6101)           /* c.addi16sp sp, 0 */
  C_ILLEGAL(0x6501)           /* c.lui a0, 0 */
  C_ILLEGAL(0x9001)           /* c.srli s0 with shamt[5] = 1 */
  C_ILLEGAL(0x9401)           /* c.srai s0 with shamt[5] = 1 */
  C_ILLEGAL(0x1502)           /* c.slli a0 with shamt[5] = 1 */
  C_ILLEGAL(0x9c01)           /* c.subw (RV64) */
  C_ILLEGAL(0x9c21)           /* c.addw (RV64) */
  C_ILLEGAL(0x9c41)           /* reserved */
  C_ILLEGAL(0x9c61)           /* reserved */
  C_ILLEGAL(0x4002)           /* c.lwsp x0 */
  C_ILLEGAL(0x8002)           /* c.jr x0 */
  C_ILLEGAL(0x2002)           /* c.fldsp */
  C_ILLEGAL(0x6002)           /* c.flwsp */
  C_ILLEGAL(0xa002)           /* c.fsdsp */
  C_ILLEGAL(0xe002)           /* c.fswsp */

  /* ---- a compressed instruction straddling nothing: mixed 16/32-bit streams ---- */
  TEST(11)
  li a0, 0
  c.addi a0, 1
  addi a0, a0, 2
  c.addi a0, 3
  .option push
  .option norvc
  addi a0, a0, 4
  .option pop
  c.addi a0, 5
  CHECK(a0, 15)
  j test_pass

  .data
  .balign 16
cbuf:
  .space 256
