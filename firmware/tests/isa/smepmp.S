/* Smepmp (PMP Enhancements for memory access and execution prevention on Machine mode,
 * v1.0) as VeeR EL2 implements it (el2_pmp.sv mml_perm_check / access_fault_check,
 * el2_dec_tlu_ctl.sv mseccfg_ns, el2_dec_pmp_ctl.sv entry_lock_eff):
 *  - the full MML truth table for all 16 {L, R, W, X} combinations, M and U, R/W/X,
 *    including the shared regions (R=0 W=1 and L R W X);
 *  - MML: M-mode fetches with no matching rule fail; MMWP: all M-mode accesses without
 *    a match fail; both bits are sticky;
 *  - RLB: while set, locked rules can be rewritten; it can be set only while no rule is
 *    locked and cleared any time (so once cleared with a locked rule, it stays clear).
 * The RTL does not implement the spec's "no new locked executable rules under MML"
 * restriction; this test does not depend on it either way.
 * run-elf: --ram 0x80000000:0x100000 --ram 0x90000000:0x1000 (memory no rule covers).
 * VeeR-only: QEMU's generic cpu has no Smepmp unless asked. */
#include "isa_test.h"

  .option norvc

#define IN_USER(...) \
  TRAP_ARM(9994f); la t5, 9993f; csrw mepc, t5; li t5, MSTATUS_MPP; csrc mstatus, t5; mret; \
  9993: __VA_ARGS__; ecall; 9994:
/* Try the instruction in M-mode; s5 |= bit when it did not trap. */
#define M_PROBE(bit, ...) \
  la t6, trap_frame; lw s7, TF_COUNT(t6); TRAP_ARM(9994f); __VA_ARGS__; 9994: \
  la t6, trap_frame; sw zero, TF_RESUME(t6); lw t5, TF_COUNT(t6); bne t5, s7, 9992f; ori s5, s5, bit; 9992:
/* Try it in U-mode; s5 |= bit when it got to the ecall. */
#define U_PROBE(bit, ...) \
  IN_USER(__VA_ARGS__); la t6, trap_frame; lw t5, TF_CAUSE(t6); li t6, 8; bne t5, t6, 9992f; ori s5, s5, bit; 9992:

#define A_TOR   0x08
#define A_NAPOT 0x18
#define P_R 1
#define P_W 2
#define P_X 4
#define P_L 0x80
#define MML  1
#define MMWP 2
#define RLB  4
#define EXTRA 0x90000000

/* Probe result bits. */
#define MR 1
#define MW 2
#define MX 4
#define UR 8
#define UW 16
#define UX 32

  .text
  .globl test_main
test_main:
  la t6, trap_frame
  lw t5, TF_VEER(t6)
  beqz t5, done
  la s11, pmp_page             /* +0: ret, +4: ecall, +8: data */
  li s10, EXTRA

  /* ---- before any rule: M-mode runs anywhere; RLB can be set (nothing locked) ---- */
  TEST(1)
  CHECK_CSR(CSR_MSECCFG, 0)
  li a0, 0x00008067            /* ret */
  sw a0, 0(s10)
  fence.i
  jalr ra, 0(s10)              /* M fetch without any rule: fine */
  li a0, RLB
  csrw CSR_MSECCFG, a0
  CHECK_CSR(CSR_MSECCFG, RLB)
  li a0, 0xfffffff8            /* only RLB, MMWP, MML exist */
  csrs CSR_MSECCFG, a0
  CHECK_CSR(CSR_MSECCFG, RLB)

  /* ---- harness rules (locked, lowest priority):
   *      entry 60: TOR [0, __text_end): L W X = shared code (M RX, U X under MML)
   *      entry 61: TOR [__text_end, RAM end): L R W = M-only data ---- */
  TEST(2)
  la a0, __text_end
  srli a0, a0, 2
  csrw pmpaddr60, a0
  li a0, 0x80100000 >> 2
  csrw pmpaddr61, a0
  li a0, ((A_TOR | P_L | P_W | P_X) << 0) | ((A_TOR | P_L | P_R | P_W) << 8)
  csrw pmpcfg15, a0
  CHECK_CSR(pmpcfg15, 0x8b8e)
  la a0, pmp_page
  srli a0, a0, 2
  ori a0, a0, (4096 >> 3) - 1
  csrw pmpaddr0, a0
  /* Turn MML on; it sticks. */
  li a0, RLB | MML
  csrw CSR_MSECCFG, a0
  CHECK_CSR(CSR_MSECCFG, RLB | MML)
  li a0, RLB
  csrw CSR_MSECCFG, a0
  CHECK_CSR(CSR_MSECCFG, RLB | MML)

  /* ---- the MML truth table ---- */
  TEST(3)
  li s4, 0                     /* s4 = {L, X, W, R} index 0..15 */
1:
  andi a0, s4, 7               /* R W X */
  andi a1, s4, 8
  slli a1, a1, 4               /* L -> 0x80 */
  or a0, a0, a1
  ori a0, a0, A_NAPOT
  csrw pmpcfg0, a0             /* entry 0 is rewritable: RLB = 1 */
  csrr a1, pmpcfg0
  andi a1, a1, 0xff
  CHECKR(a1, a0)
  li s5, 0
  M_PROBE(MR, lw a0, 8(s11))
  M_PROBE(MW, sw zero, 8(s11))
  M_PROBE(MX, jalr ra, 0(s11))
  U_PROBE(UR, lw a0, 8(s11))
  U_PROBE(UW, sw zero, 8(s11))
  U_PROBE(UX, jalr x0, 4(s11))
  la a0, mml_table
  add a0, a0, s4
  lbu a0, 0(a0)
  mv tp, s4
  addi tp, tp, 100             /* test number 100 + index on failure */
  CHECKR(s5, a0)
  addi s4, s4, 1
  li a0, 16
  bne s4, a0, 1b
  TEST(4)
  csrw pmpcfg0, x0

  /* ---- MML: an M-mode fetch that matches no rule fails; data still works ---- */
  lw a0, 0(s10)
  TRAP_ARM(2f)
  jalr ra, 0(s10)
  FAIL_HERE
2:
  CHECK_TF(TF_CAUSE, 1)
  CHECK_TF(TF_TVAL, EXTRA)
  CHECK_MSCAUSE(3)

  /* ---- MMWP: M-mode data without a match fails too; sticky ---- */
  TEST(5)
  li a0, RLB | MML | MMWP
  csrw CSR_MSECCFG, a0
  CHECK_CSR(CSR_MSECCFG, RLB | MML | MMWP)
  EXPECT_TRAP(5, EXTRA, lw a0, 0(s10))
  CHECK_MSCAUSE(3)
  EXPECT_TRAP(7, EXTRA + 4, sw a0, 4(s10))
  li a0, RLB
  csrw CSR_MSECCFG, a0
  CHECK_CSR(CSR_MSECCFG, RLB | MML | MMWP)
  lw a0, 8(s11)                /* covered by entry 61: fine */

  /* ---- RLB: locked rules are rewritable while it is set ... ---- */
  TEST(6)
  li a0, 0x55
  csrw pmpaddr63, a0
  li a0, (A_NAPOT | P_L) << 24 /* entry 63: locked, NAPOT at 0x154, no permissions */
  csrs pmpcfg15, a0
  li a0, 0x66
  csrw pmpaddr63, a0
  CHECK_CSR(pmpaddr63, 0x66)
  /* ... it can be cleared while a rule is locked, and then not set again ... */
  li a0, MML | MMWP
  csrw CSR_MSECCFG, a0
  CHECK_CSR(CSR_MSECCFG, MML | MMWP)
  li a0, RLB | MML | MMWP
  csrw CSR_MSECCFG, a0
  CHECK_CSR(CSR_MSECCFG, MML | MMWP)
  /* ... and now locked rules (and the address below a locked TOR rule) stay as they are. */
  li a0, 0x77
  csrw pmpaddr63, a0
  CHECK_CSR(pmpaddr63, 0x66)
  csrw pmpaddr60, a0           /* entry 61 is a locked TOR: pmpaddr60 is locked twice */
  la a1, __text_end
  srli a1, a1, 2
  csrr a0, pmpaddr60
  CHECKR(a0, a1)
  /* The rules still work as before: M data without a match fails (MMWP). */
  EXPECT_TRAP(5, EXTRA, lw a0, 0(s10))
done:
  j test_pass

  .section .rodata
/* Smepmp v1.0 Table "Summary of MML=1 rules", index = L<<3 | X<<2 | W<<1 | R. */
mml_table:
  .byte 0                      /* - - - -: no access */
  .byte UR                     /* - - - R: U R */
  .byte MR | MW | UR           /* - - W -: shared data, M RW / U R */
  .byte UR | UW                /* - - W R: U RW */
  .byte UX                     /* - X - -: U X */
  .byte UR | UX                /* - X - R: U RX */
  .byte MR | MW | UR | UW      /* - X W -: shared data, M RW / U RW */
  .byte UR | UW | UX           /* - X W R: U RWX */
  .byte 0                      /* L - - -: locked, no access */
  .byte MR                     /* L - - R: M R */
  .byte MX | UX                /* L - W -: shared code, M X / U X */
  .byte MR | MW                /* L - W R: M RW */
  .byte MX                     /* L X - -: M X */
  .byte MR | MX                /* L X - R: M RX */
  .byte MR | MX | UX           /* L X W -: shared code, M RX / U X */
  .byte MR | UR                /* L X W R: shared read-only, M R / U R */

  .data
  .balign 4096
pmp_page:
  ret
  ecall
  .word 0
  .space 4096 - 12
