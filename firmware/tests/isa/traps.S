/* Synchronous exceptions: every cause VeeR EL2 raises from ordinary code, with mepc,
 * mtval, mscause and mstatus as the privileged spec and the VeeR EL2 PRM ("Machine Cause
 * Register", "Machine Secondary Cause Register") / el2_dec_tlu_ctl.sv define them:
 *   illegal instruction  cause 2, mtval = the instruction bits (mtval_capture_inst_r)
 *   ebreak / c.ebreak    cause 3, mtval = pc, mscause 2
 *   ecall from M         cause 11, mtval = 0
 *   load / store fault   cause 5 / 7, mtval = the address (mtval_capture_lsu_r)
 *   fetch fault          cause 1, mtval = pc, or pc + 2 when only the second half of a
 *                        32-bit instruction faults (mtval_capture_pc_plus2_r); mscause 9
 *                        "I-side fetch precise bus error"
 * run-elf reports D-bus errors as precise access faults (BareMachine sets
 * hc.dbus_error_nmi = false), so an unmapped load/store must trap precisely here. */
#include "isa_test.h"

#define UNMAPPED 0x20000000   /* nothing at 0x2000_0000 in run-elf nor in QEMU's spike machine */

  .option norvc
  .text
  .globl test_main
test_main:
  /* ---- ecall from M-mode ---- */
  TEST(1)
  EXPECT_TRAP(11, 0, ecall)
  CHECK_MSCAUSE(0)
  CHECK_TF(TF_COUNT, 1)

  /* ---- ebreak (32-bit); c.ebreak is in rvc.S ---- */
  TEST(2)
  EXPECT_EBREAK(ebreak)

  /* ---- mstatus across a trap: MPIE <- MIE, MIE <- 0, MPP <- M; mret undoes it ---- */
  TEST(3)
  csrsi mstatus, MSTATUS_MIE
  EXPECT_TRAP(11, 0, ecall)
  la t6, trap_frame
  lw a0, TF_STATUS(t6)
  li a1, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP
  and a0, a0, a1
  CHECK(a0, MSTATUS_MPIE | MSTATUS_MPP)
  /* After mret: MIE <- MPIE (1), MPIE <- 1, MPP <- U, the least-privileged mode (priv
   * spec 3.1.6.1; el2_dec_tlu_ctl.sv stores ~MPP and sets it on mret). */
  csrr a0, mstatus
  and a0, a0, a1
  CHECK(a0, MSTATUS_MIE | MSTATUS_MPIE)
  csrci mstatus, MSTATUS_MIE
  EXPECT_TRAP(11, 0, ecall)
  la t6, trap_frame
  lw a0, TF_STATUS(t6)
  li a1, MSTATUS_MIE | MSTATUS_MPIE
  and a0, a0, a1
  CHECK(a0, 0)                 /* MPIE <- MIE = 0 */

  /* ---- illegal instructions: mtval = the instruction, rd not written ---- */
  TEST(4)
  li a0, 0x1234
#define ILLEGAL32(w) EXPECT_TRAP(2, w, .word w); CHECK_MSCAUSE(0); CHECK(a0, 0x1234)
  ILLEGAL32(0xffffffff)        /* all ones */
  ILLEGAL32(0x0000007f)        /* 80-bit+ prefix space */
  ILLEGAL32(0x0000b503)        /* ld a0, 0(ra): RV64 */
  ILLEGAL32(0x0000e503)        /* lwu a0, 0(ra): RV64 */
  ILLEGAL32(0x00a0b023)        /* sd: RV64 */
  ILLEGAL32(0x00007503)        /* load funct3 111 */
  ILLEGAL32(0x00a0c023)        /* store funct3 100 */
  ILLEGAL32(0x00009567)        /* jalr with funct3 001 */
  ILLEGAL32(0x00002063)        /* branch funct3 010 */
  ILLEGAL32(0x00003063)        /* branch funct3 011 */
  ILLEGAL32(0x40209513)        /* slli with funct7 0100000 */
  ILLEGAL32(0x0200d513)        /* srli with shamt[5] = 1 (RV64) */
  ILLEGAL32(0x02b5053b)        /* mulw: OP-32 is RV64 */
  ILLEGAL32(0x0005051b)        /* addiw: OP-IMM-32 is RV64 */
  ILLEGAL32(0x00200073)        /* uret (N extension) */
  ILLEGAL32(0x7b200073)        /* dret outside debug mode */
  ILLEGAL32(0x10500573)        /* wfi with rd = a0 */
  ILLEGAL32(0x00100573)        /* ebreak with rd = a0 */
  ILLEGAL32(0x00004073)        /* SYSTEM funct3 100 */
  ILLEGAL32(0x7c102573)        /* csrr a0, 0x7c1: no such CSR */
  /* VeeR only (QEMU's generic rv32 cpu implements A, F, D and S-mode; VeeR EL2 has none). */
  VEER_ONLY(1f)
  ILLEGAL32(0x10200073)        /* sret: no S-mode */
  ILLEGAL32(0x12000073)        /* sfence.vma */
  ILLEGAL32(0x100a252f)        /* lr.w */
  ILLEGAL32(0x0000a507)        /* flw */
  ILLEGAL32(0x00000053)        /* fadd.s */
  /* VeeR decodes fence only with fm[2:0] = 000 (design/dec/decode: fence = [.000...]). */
  ILLEGAL32(0x1000000f)
1:
  /* A legal neighbour: fence.tso (fm = 1000) is a fence on VeeR and everywhere. */
  .word 0x8330000f

  /* ---- load / store access faults on an unmapped address: precise ---- */
  TEST(5)
  li a1, UNMAPPED
  li a0, 0x1234
  EXPECT_TRAP(5, UNMAPPED, lw a0, 0(a1))
  CHECK(a0, 0x1234)            /* rd not written */
  EXPECT_TRAP(5, UNMAPPED + 2, lhu a0, 2(a1))
  EXPECT_TRAP(5, UNMAPPED + 3, lb a0, 3(a1))
  CHECK(a0, 0x1234)
  EXPECT_TRAP(7, UNMAPPED, sw a0, 0(a1))
  EXPECT_TRAP(7, UNMAPPED + 6, sh a0, 6(a1))
  EXPECT_TRAP(7, UNMAPPED - 1, sb a0, -1(a1))
  /* mtval is the effective address, also with a negative offset. */
  li a1, UNMAPPED + 0x800
  EXPECT_TRAP(5, UNMAPPED, lw a0, -2048(a1))

  /* ---- instruction access fault: jump to an unmapped address ---- */
  TEST(6)
  TRAP_ARM(2f)
  li a1, UNMAPPED
  jalr ra, 0(a1)
  FAIL_HERE
2:
  CHECK_TF(TF_CAUSE, 1)
  CHECK_TF(TF_EPC, UNMAPPED)
  CHECK_TF(TF_TVAL, UNMAPPED)
  CHECK_MSCAUSE(9)
  /* ra was written by the jalr, which retired. */
  la a1, 2b
  addi a1, a1, -8
  CHECKR(ra, a1)

  /* ---- a 32-bit instruction whose second half is outside memory (run-elf: RAM ends at
   *      0x8010_0000): mepc = its pc, mtval = pc + 2 ---- */
  TEST(7)
  VEER_ONLY(3f)
  li a1, 0x800ffffc
  li a0, 0x05130001            /* c.nop at 0x800ffffc, then the low half of addi a0, x0, ... */
  sw a0, 0(a1)
  fence.i
  TRAP_ARM(4f)
  li a0, 0x55
  jalr ra, 0(a1)
  FAIL_HERE
4:
  CHECK_TF(TF_CAUSE, 1)
  CHECK_TF(TF_EPC, 0x800ffffe)
  CHECK_TF(TF_TVAL, 0x80100000)
  CHECK_MSCAUSE(9)
  CHECK(a0, 0x55)
  /* A 16-bit instruction in the last halfword is fine; the fault is then at the end. */
  li a1, 0x800ffffc
  li a0, 0x00010001            /* c.nop; c.nop */
  sw a0, 0(a1)
  fence.i
  TRAP_ARM(5f)
  jalr ra, 0(a1)
  FAIL_HERE
5:
  CHECK_TF(TF_CAUSE, 1)
  CHECK_TF(TF_EPC, 0x80100000)
  CHECK_TF(TF_TVAL, 0x80100000)
3:

  /* ---- mtvec in vectored mode: exceptions still go to the base (priv spec 3.1.7) ---- */
  TEST(8)
  la a0, vec_table
  ori a0, a0, 1
  csrw mtvec, a0
  EXPECT_TRAP(11, 0, ecall)
  EXPECT_TRAP(2, 0xffffffff, .word 0xffffffff)
  la a0, trap_entry
  csrw mtvec, a0

  /* ---- exceptions taken inside the handler's own code path are not tested here: the
   *      default handler must never trap ---- */
  j test_pass

  .balign 64
vec_table:
  j trap_entry                 /* base: all exceptions */
  .rept 31
  j vec_wrong
  .endr
vec_wrong:
  li t4, __LINE__
  j test_fail
