/* Misaligned and core-local data accesses, VeeR EL2 PRM memory-map.md "Misaligned
 * Accesses", "Rules for Core-Local Memory Accesses", "Machine Secondary Cause Register",
 * and el2_lsu_addrcheck.sv:
 *  - idempotent memory: misaligned loads/stores are split by the core, no trap;
 *  - crossing a 256 MiB region: misaligned exception, mscause 2 (highest priority);
 *  - misaligned in a region mrac marks side-effect: misaligned exception, mscause 1; the
 *    side-effect bit is ignored for the DCCM, PIC and ICCM regions (is_sideeffects_d);
 *  - PIC registers: only word-sized, word-aligned accesses; else access fault mscause 6;
 *  - DCCM/PIC region addresses outside the DCCM/PIC: access fault mscause 2, mtval = the
 *    base address of the access even when only its tail is outside.
 * run-elf: --ram 0x80000000:0x100000 --ram 0x7fff0000:0x10000 (so a region-crossing access
 * is fully backed by memory) --dccm 0x50000000:0x10000 --iccm 0x40000000:0x10000. */
#include "isa_test.h"

#define DCCM 0x50000000
#define DCCM_END 0x50010000
#define ICCM 0x40000000
#define RAM7 0x7fff0000

  .option norvc
  .text
  .globl test_main
test_main:
  /* ---- idempotent RAM: misaligned accesses just work (split by the core) ---- */
  TEST(1)
  la s0, mbuf
  li a0, 0x03020100
  sw a0, 0(s0)
  li a0, 0x07060504
  sw a0, 4(s0)
  lw a1, 1(s0)
  CHECK(a1, 0x04030201)
  lw a1, 2(s0)
  CHECK(a1, 0x05040302)
  lw a1, 3(s0)
  CHECK(a1, 0x06050403)
  lh a1, 1(s0)
  CHECK(a1, 0x00000201)
  lhu a1, 3(s0)
  CHECK(a1, 0x00000403)
  li a0, 0x8180
  sh a0, 5(s0)
  lh a1, 5(s0)
  CHECK(a1, 0xffff8180)
  lw a1, 4(s0)
  CHECK(a1, 0x07818004)
  li a0, 0xaabbccdd
  sw a0, 3(s0)
  lw a1, 0(s0)
  CHECK(a1, 0xdd020100)
  lw a1, 4(s0)
  CHECK(a1, 0x07aabbcc)
  /* Across a 4 KiB page boundary. */
  la s1, page_end
  li a0, 0x11223344
  sw a0, -2(s1)
  lw a1, -2(s1)
  CHECK(a1, 0x11223344)
  lhu a1, -1(s1)
  CHECK(a1, 0x2233)
  lbu a1, -2(s1)
  CHECK(a1, 0x44)
  lbu a1, 1(s1)
  CHECK(a1, 0x11)

  VEER_ONLY(99f)
  /* ---- crossing a 256 MiB region boundary: misaligned, mscause 2, nothing written ---- */
  TEST(2)
  li s1, 0x80000000
  lw s2, 0(s1)                 /* the first word of _start, to check it stays */
  li s0, 0x7ffffffe
  li a0, 0x5555
  sh a0, 0(s0)                 /* aligned: fine */
  EXPECT_TRAP(4, 0x7ffffffe, lw a1, 0(s0))
  CHECK_MSCAUSE(2)
  EXPECT_TRAP(4, 0x7fffffff, lh a1, 1(s0))
  CHECK_MSCAUSE(2)
  EXPECT_TRAP(6, 0x7ffffffe, sw a0, 0(s0))
  CHECK_MSCAUSE(2)
  EXPECT_TRAP(6, 0x7fffffff, sh a0, 1(s0))
  CHECK_MSCAUSE(2)
  lhu a1, 0(s0)
  CHECK(a1, 0x5555)
  lw a1, 0(s1)
  CHECKR(a1, s2)
  /* Region crossing wins even where nothing is mapped (priority 0 in the mscause table). */
  li s0, 0x2ffffffd
  EXPECT_TRAP(4, 0x2ffffffd, lw a1, 0(s0))
  CHECK_MSCAUSE(2)

  /* ---- mrac side-effect region: misaligned -> misaligned exception, mscause 1 ---- */
  TEST(3)
  li a0, 2 << (2 * 8)          /* region 8 (0x8...): sideeffect = 1 */
  csrw CSR_MRAC, a0
  la s0, mbuf
  lw a1, 0(s0)                 /* aligned accesses are fine */
  lhu a1, 2(s0)
  lbu a1, 3(s0)
  sw a1, 4(s0)
  EXPECT_TRAP_NOTVAL(4, lw a1, 1(s0))
  CHECK_MSCAUSE(1)
  CHECK_TF_LABEL(TF_TVAL, mbuf + 1)
  EXPECT_TRAP_NOTVAL(4, lh a1, 3(s0))
  CHECK_MSCAUSE(1)
  CHECK_TF_LABEL(TF_TVAL, mbuf + 3)
  EXPECT_TRAP_NOTVAL(6, sw a1, 2(s0))
  CHECK_MSCAUSE(1)
  CHECK_TF_LABEL(TF_TVAL, mbuf + 2)
  EXPECT_TRAP_NOTVAL(6, sh a1, 7(s0))
  CHECK_MSCAUSE(1)
  CHECK_TF_LABEL(TF_TVAL, mbuf + 7)
  /* Region crossing outranks the side-effect cause. */
  li a0, 0xaaaaaaaa            /* every region side-effect */
  csrw CSR_MRAC, a0
  li s0, 0x7ffffffe
  EXPECT_TRAP(4, 0x7ffffffe, lw a1, 0(s0))
  CHECK_MSCAUSE(2)
  csrw CSR_MRAC, x0
  lw a1, 1(s1)                 /* side-effect off again: splits */

  /* ---- the side-effect bit is ignored for the DCCM, PIC and ICCM regions ---- */
  TEST(4)
  li a0, (2 << (2 * 4)) | (2 << (2 * 5)) | (2 << (2 * 6))   /* regions 4, 5, 6 */
  csrw CSR_MRAC, a0
  li s0, DCCM + 0x100
  li a0, 0x44332211
  sw a0, 0(s0)
  li a0, 0x88776655
  sw a0, 4(s0)
  lw a1, 1(s0)
  CHECK(a1, 0x55443322)
  lhu a1, 3(s0)
  CHECK(a1, 0x5544)
  li a0, 0xcafe
  sh a0, 5(s0)
  lw a1, 4(s0)
  CHECK(a1, 0x88cafe55)
  li s0, ICCM + 0x100
  li a0, 0x44332211
  sw a0, 0(s0)
  li a0, 0x88776655
  sw a0, 4(s0)
  lw a1, 2(s0)
  CHECK(a1, 0x66554433)
  li a0, 0x0bad
  sh a0, 1(s0)
  lw a1, 0(s0)
  CHECK(a1, 0x440bad11)
  /* PIC: a misaligned word is a PIC access fault (mscause 6), not a misaligned one. */
  li s0, PIC_MPICCFG
  EXPECT_TRAP(5, PIC_MPICCFG + 2, lw a1, 2(s0))
  CHECK_MSCAUSE(6)
  EXPECT_TRAP(7, PIC_MPICCFG + 1, sw a1, 1(s0))
  CHECK_MSCAUSE(6)
  csrw CSR_MRAC, x0

  /* ---- PIC registers are word-only: every narrower access faults, mscause 6 ---- */
  TEST(5)
  li s0, PIC_MPICCFG
  li a0, 0x1234
  EXPECT_TRAP(5, PIC_MPICCFG, lb a0, 0(s0))
  CHECK_MSCAUSE(6)
  EXPECT_TRAP(5, PIC_MPICCFG, lbu a0, 0(s0))
  CHECK_MSCAUSE(6)
  EXPECT_TRAP(5, PIC_MPICCFG, lh a0, 0(s0))
  CHECK_MSCAUSE(6)
  EXPECT_TRAP(5, PIC_MPICCFG + 2, lhu a0, 2(s0))
  CHECK_MSCAUSE(6)
  CHECK(a0, 0x1234)
  EXPECT_TRAP(7, PIC_MPICCFG, sb a0, 0(s0))
  CHECK_MSCAUSE(6)
  EXPECT_TRAP(7, PIC_MPICCFG + 2, sh a0, 2(s0))
  CHECK_MSCAUSE(6)
  EXPECT_TRAP(5, PIC_MPICCFG + 1, lw a0, 1(s0))
  CHECK_MSCAUSE(6)
  lw a0, 0(s0)                 /* a word access is fine */
  CHECK(a0, 0)
  /* Unused offsets inside the 32 KiB PIC window read 0 and ignore writes (interrupts.md). */
  li s1, PIC_BASE + 0x6000
  li a0, 0xffffffff
  sw a0, 0(s1)
  lw a1, 0(s1)
  CHECK(a1, 0)
  li s1, PIC_BASE + 0x3004
  sw a0, 0(s1)
  lw a1, 0(s1)
  CHECK(a1, 0)
  /* Beyond the window, still in the PIC region: core-local unmapped, mscause 2. */
  li s1, PIC_BASE + 0x8000
  EXPECT_TRAP(5, PIC_BASE + 0x8000, lw a1, 0(s1))
  CHECK_MSCAUSE(2)
  li s1, PIC_BASE + 0x10000
  EXPECT_TRAP(7, PIC_BASE + 0x10000, sw a1, 0(s1))
  CHECK_MSCAUSE(2)
  /* A word that starts inside the window and ends outside it: mscause 2, mtval = base. */
  li s1, PIC_BASE + 0x7ffe
  EXPECT_TRAP(5, PIC_BASE + 0x7ffe, lw a1, 0(s1))
  CHECK_MSCAUSE(2)

  /* ---- DCCM: the rest of its region is core-local unmapped (mscause 2) ---- */
  TEST(6)
  li s0, DCCM_END - 4
  li a0, 0x12345678
  sw a0, 0(s0)
  lw a1, 0(s0)
  CHECK(a1, 0x12345678)
  li s1, DCCM_END
  EXPECT_TRAP(5, DCCM_END, lw a1, 0(s1))
  CHECK_MSCAUSE(2)
  li s1, DCCM_END + 0x1000
  EXPECT_TRAP(7, DCCM_END + 0x1000, sb a1, 0(s1))
  CHECK_MSCAUSE(2)
  li s1, 0x5ffffffc
  EXPECT_TRAP(5, 0x5ffffffc, lw a1, 0(s1))
  CHECK_MSCAUSE(2)
  /* Straddling the end of the DCCM: the fault reports the base address, and the part
   * inside the DCCM is not written. */
  li s1, DCCM_END - 2
  EXPECT_TRAP(7, DCCM_END - 2, sw a0, 0(s1))
  CHECK_MSCAUSE(2)
  EXPECT_TRAP(5, DCCM_END - 1, lh a1, 1(s1))
  CHECK_MSCAUSE(2)
  lw a1, 0(s0)
  CHECK(a1, 0x12345678)
99:
  j test_pass

  .data
  .balign 16
mbuf:
  .space 32
  .balign 4096
  .space 4096 - 16
  .space 16
page_end:
  .space 16
