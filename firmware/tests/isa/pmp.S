/* U-mode and PMP (without the Smepmp MML/MMWP modes, see smepmp.S), as VeeR EL2 builds it
 * for Caliptra: 64 entries, 4-byte grain, 34-bit compare (el2_pmp.sv, el2_dec_pmp_ctl.sv),
 * privileged spec 3.7, VeeR PRM physical-memory-protection.md and user-mode.md.
 * PMP faults are access faults with mtval = the address and mscause 3 ("access out of
 * MPU range"). */
#include "isa_test.h"

  .option norvc

/* Run the instruction(s) in U-mode, then ecall; continue here in M-mode. */
#define IN_USER(...) \
  TRAP_ARM(9994f); la t5, 9993f; csrw mepc, t5; li t5, MSTATUS_MPP; csrc mstatus, t5; mret; \
  9993: __VA_ARGS__; ecall; 9994:
/* ... and expect it to complete (the ecall from U-mode, cause 8, is what trapped). */
#define U_OK(...) IN_USER(__VA_ARGS__); CHECK_TF(TF_CAUSE, 8)
/* ... or expect a PMP fault of `cause` at address `reg` (a register holding it). */
#define U_FAULT(cause, reg, ...) IN_USER(__VA_ARGS__); CHECK_TF(TF_CAUSE, cause); \
  la t6, trap_frame; lw t5, TF_TVAL(t6); CHECKR(t5, reg); CHECK_MSCAUSE(3)
/* Jump to the ecall at `reg` in U-mode: executes (cause 8 at reg) or faults (cause 1). */
#define U_EXEC_OK(reg) IN_USER(jalr x0, 0(reg)); CHECK_TF(TF_CAUSE, 8); \
  la t6, trap_frame; lw t5, TF_EPC(t6); CHECKR(t5, reg)
#define U_EXEC_FAULT(reg) U_FAULT(1, reg, jalr x0, 0(reg))
/* M-mode access expected to fault. */
#define M_FAULT(cause, reg, ...) TRAP_ARM(9994f); __VA_ARGS__; FAIL_HERE; 9994: \
  CHECK_TF(TF_CAUSE, cause); la t6, trap_frame; lw t5, TF_TVAL(t6); CHECKR(t5, reg); CHECK_MSCAUSE(3)

#define NAPOT(base, size) (((base) >> 2) | (((size) >> 3) - 1))
#define A_TOR   0x08
#define A_NA4   0x10
#define A_NAPOT 0x18
#define P_R 1
#define P_W 2
#define P_X 4
#define P_L 0x80

  .text
  .globl test_main
test_main:
  la s11, pmp_page             /* s11: the 4 KiB test page, full of ecall instructions */
  li s10, 0x00000073           /* s10: an ecall, the page's content, for harmless stores */

  /* ---- U-mode with no PMP entry: Smepmp builds fail every U access without a match,
   *      fetch included (el2_pmp.sv access_fault_check: priv_mode -> fail) ---- */
  TEST(1)
  /* QEMU 7.2 lets U-mode through while no PMP rule is active: VeeR-only. */
  VEER_ONLY(1f)
  IN_USER(nop)
  CHECK_TF(TF_CAUSE, 1)
  la a0, 9993b
  la t6, trap_frame
  lw t5, TF_EPC(t6)
  CHECKR(t5, a0)
  CHECK_MSCAUSE(3)
1:

  /* ---- a background entry: NAPOT over all 1 MiB of RAM, RWX, lowest priority (15) ---- */
  TEST(2)
  li a0, NAPOT(0x80000000, 0x100000)
  csrw pmpaddr15, a0
  CHECK_CSR(pmpaddr15, 0x2001ffff)
  li a0, (A_NAPOT | P_R | P_W | P_X) << 24
  csrw pmpcfg3, a0
  CHECK_CSR(pmpcfg3, 0x1f000000)
  U_OK(nop)
  /* ecall from U: cause 8, mtval 0, mepc = the ecall; MPP = U in the saved mstatus. */
  CHECK_TF(TF_TVAL, 0)
  la t6, trap_frame
  lw a0, TF_STATUS(t6)
  li a1, MSTATUS_MPP
  and a0, a0, a1
  CHECK(a0, 0)
  U_OK(lw a0, 0(s11))
  U_OK(sw s10, 0(s11))
  U_EXEC_OK(s11)

  /* ---- U-mode privilege: M-level CSRs, mret, counters gated by mcounteren ---- */
  TEST(3)
  /* An M-level CSR from U-mode is a privilege violation (csr_acc_r): cause 2 and, VeeR
   * only, mtval = 0 since the decoder saw a legal instruction (mtval_clear_r). */
  IN_USER(csrr a0, mstatus)
  CHECK_TF(TF_CAUSE, 2)
  VEER_ONLY(1f)
  CHECK_TF(TF_TVAL, 0)
1:
  IN_USER(csrw mscratch, a0)
  CHECK_TF(TF_CAUSE, 2)
  IN_USER(csrr a0, pmpcfg0)
  CHECK_TF(TF_CAUSE, 2)
  /* A CSR that does not exist is an illegal instruction from the decoder: mtval = insn. */
  IN_USER(csrr a0, 0x7c1)
  CHECK_TF(TF_CAUSE, 2)
  CHECK_TF(TF_TVAL, 0x7c102573)
  /* mret in U-mode is illegal (el2_dec_tlu_ctl.sv illegal_r: MRET & priv_mode). */
  IN_USER(mret)
  CHECK_TF(TF_CAUSE, 2)
  /* ebreak from U: breakpoint as in M. */
  IN_USER(ebreak)
  CHECK_TF(TF_CAUSE, 3)
  /* cycle / instret / hpmcounter3 in U-mode need their mcounteren bit (VeeR-only: with
   * S-mode, QEMU also requires scounteren). */
  VEER_ONLY(2f)
  csrw mcounteren, x0
  IN_USER(csrr a0, cycle)
  CHECK_TF(TF_CAUSE, 2)
  IN_USER(csrr a0, instreth)
  CHECK_TF(TF_CAUSE, 2)
  li a0, 1                     /* CY */
  csrw mcounteren, a0
  U_OK(csrr a0, cycle)
  U_OK(csrr a0, cycleh)
  IN_USER(csrr a0, instret)
  CHECK_TF(TF_CAUSE, 2)
  li a0, 4 | 8                 /* IR, HPM3 */
  csrw mcounteren, a0
  li a0, 0x1234
  csrw mhpmcounter3, a0
  li a1, 0
  U_OK(csrr a1, hpmcounter3)
  CHECK(a1, 0x1234)
  U_OK(csrr a0, instret)
  IN_USER(csrr a0, hpmcounter4)
  CHECK_TF(TF_CAUSE, 2)
  IN_USER(csrr a0, cycle)
  CHECK_TF(TF_CAUSE, 2)
  csrw mcounteren, x0
2:
  /* The privilege transition itself: mret with MPP = U drops to U, traps return to M. */
  IN_USER(csrr a0, instret)    /* any trap from U lands in M with MPP = U */
  la t6, trap_frame
  lw a0, TF_STATUS(t6)
  li a1, MSTATUS_MPP
  and a0, a0, a1
  CHECK(a0, 0)

  /* ---- TOR: entry 1 covers [pmpaddr0, pmpaddr1) = the first half of the page, R only ---- */
  TEST(4)
  srli a0, s11, 2
  csrw pmpaddr0, a0
  addi a0, a0, 0x800 >> 2
  csrw pmpaddr1, a0
  li a0, (A_TOR | P_R) << 8    /* entry 0 OFF (only its address is used), entry 1 TOR R */
  csrw pmpcfg0, a0
  CHECK_CSR(pmpcfg0, 0x0900)
  mv s0, s11
  U_OK(lw a0, 0(s0))
  U_FAULT(7, s0, sw s10, 0(s0))
  U_EXEC_FAULT(s0)
  li s0, 0x7fc; add s0, s0, s11          /* last word of the TOR range */
  U_OK(lw a0, 0(s0))
  U_FAULT(7, s0, sw s10, 0(s0))
  li s0, 0x800; add s0, s0, s11          /* first word past it: the background entry */
  U_OK(sw s10, 0(s0))
  U_EXEC_OK(s0)
  /* M-mode is not restricted by an unlocked entry. */
  li s0, 0x10; add s0, s0, s11
  sw s10, 0(s0)
  /* A TOR entry with pmpaddr[i] <= pmpaddr[i-1] matches nothing. */
  srli a0, s11, 2
  csrw pmpaddr1, a0
  mv s0, s11
  U_OK(sw s10, 0(s0))
  addi a0, a0, 0x800 >> 2
  csrw pmpaddr1, a0

  /* ---- NA4 and NAPOT ---- */
  TEST(5)
  li s0, 0x900; add s0, s0, s11
  srli a0, s0, 2
  csrw pmpaddr2, a0
  li s0, 0xa00; add s0, s0, s11
  srli a0, s0, 2               /* NAPOT, 8 bytes: no trailing ones */
  csrw pmpaddr3, a0
  li s0, 0xb00; add s0, s0, s11
  srli a0, s0, 2
  ori a0, a0, 0x3              /* NAPOT, 32 bytes: two trailing ones */
  csrw pmpaddr4, a0
  li a0, ((A_NA4 | P_R) << 16) | ((A_NAPOT | P_X) << 24)
  csrs pmpcfg0, a0
  li a0, A_NAPOT | P_W | P_R
  csrw pmpcfg1, a0             /* entry 4 */
  li s0, 0x900; add s0, s0, s11          /* NA4: exactly one word */
  U_OK(lw a0, 0(s0))
  U_FAULT(7, s0, sw s10, 0(s0))
  U_FAULT(7, s0, sb s10, 0(s0))
  li s0, 0x8fc; add s0, s0, s11
  U_OK(sw s10, 0(s0))
  li s0, 0x904; add s0, s0, s11
  U_OK(sw s10, 0(s0))
  li s0, 0xa00; add s0, s0, s11          /* NAPOT 8: X only */
  U_EXEC_OK(s0)
  U_FAULT(5, s0, lw a0, 0(s0))
  li s0, 0xa04; add s0, s0, s11
  U_EXEC_OK(s0)
  U_FAULT(5, s0, lhu a0, 0(s0))
  li s0, 0xa08; add s0, s0, s11          /* outside it */
  U_OK(lw a0, 0(s0))
  li s0, 0xb00; add s0, s0, s11          /* NAPOT 32: RW, no X */
  U_OK(sw s10, 0(s0))
  U_EXEC_FAULT(s0)
  li s0, 0xb1c; add s0, s0, s11
  U_OK(sw s10, 0(s0))
  U_EXEC_FAULT(s0)
  li s0, 0xb20; add s0, s0, s11
  U_EXEC_OK(s0)

  /* ---- the lowest-numbered matching entry decides ---- */
  TEST(6)
  li s0, 0xc00; add s0, s0, s11
  srli a0, s0, 2
  ori a0, a0, 0x3
  csrw pmpaddr5, a0            /* entry 5: NAPOT 32 at +0xc00, no permissions */
  csrw pmpaddr6, a0            /* entry 6: the same range, RWX */
  li a0, (A_NAPOT << 8) | ((A_NAPOT | P_R | P_W | P_X) << 16)
  csrs pmpcfg1, a0
  U_FAULT(5, s0, lw a0, 0(s0))
  U_FAULT(7, s0, sw s10, 0(s0))
  U_EXEC_FAULT(s0)
  li a0, 0xff << 8             /* entry 5 off: entry 6 decides */
  csrc pmpcfg1, a0
  U_OK(lw a0, 0(s0))
  U_OK(sw s10, 0(s0))
  U_EXEC_OK(s0)

  /* ---- accesses that span two grains: el2_pmp.sv checks one address per channel and
   *      the LSU presents the first and the last byte of an access (el2_lsu.sv
   *      lsu_pmp_addr_start / _end), so each end is decided by its own first matching
   *      entry. (The privileged spec's "partial match fails" rule is not what VeeR does.) ---- */
  TEST(7)
  VEER_ONLY(2f)                /* QEMU implements the spec's partial-match rule */
  li s0, 0x8fe; add s0, s0, s11          /* bytes 0x8fe..0x901: background (RWX) then NA4 (R) */
  U_OK(lw a0, 0(s0))           /* both ends readable */
  U_FAULT(7, s0, sw s10, 0(s0)) /* the end grain is not writable: fault, mtval = start */
  li s0, 0x902; add s0, s0, s11          /* bytes 0x902..0x905: NA4 (R) then background */
  U_OK(lw a0, 0(s0))
  U_FAULT(7, s0, sw s10, 0(s0))
  li s0, 0x7fe; add s0, s0, s11          /* TOR (R) then background */
  U_OK(lw a0, 0(s0))
  U_FAULT(7, s0, sw s10, 0(s0))
  li s0, 0x8ff; add s0, s0, s11          /* a halfword inside one grain needs only that grain */
  U_OK(lhu a0, -1(s0))
2:

  /* ---- mstatus.MPRV: M-mode loads/stores use MPP's privilege, fetches do not ---- */
  TEST(8)
  li a0, MSTATUS_MPRV
  csrs mstatus, a0
  li a0, MSTATUS_MPP
  csrc mstatus, a0             /* MPP = U */
  mv s0, s11
  lw a0, 0(s0)                 /* TOR entry 1: R allowed for U */
  M_FAULT(7, s0, sw s10, 0(s0))
  /* The resume's mret left MPP = U (least-privileged mode), so MPRV still means U... */
  M_FAULT(7, s0, sw s10, 0(s0))
  /* ... until MPP = M: then loads/stores use M again. */
  li a0, MSTATUS_MPP
  csrs mstatus, a0
  sw s10, 0(s0)
  li a0, MSTATUS_MPRV
  csrc mstatus, a0
  li a0, MSTATUS_MPP
  csrc mstatus, a0
  sw s10, 0(s0)
  /* mret to U clears MPRV (priv spec 3.1.6.3; el2_dec_tlu_ctl.sv mstatus_ns on mret).
   * VeeR-only: QEMU 7.2 keeps MPRV here. */
  li a0, MSTATUS_MPRV
  csrs mstatus, a0
  U_OK(nop)
  VEER_ONLY(3f)
  la t6, trap_frame
  lw a0, TF_STATUS(t6)
  li a1, MSTATUS_MPRV
  and a0, a0, a1
  CHECK(a0, 0)
  csrr a0, mstatus             /* and it stays 0 after the trap and resume */
  li a1, MSTATUS_MPRV
  and a0, a0, a1
  CHECK(a0, 0)
3:
  li a0, MSTATUS_MPRV
  csrc mstatus, a0

  /* ---- pmpcfg / pmpaddr WARL: bits 6:5 read 0, W without R kept with Smepmp, pmpaddr
   *      bits 31:30 read 0, all 16 pmpcfg and 64 pmpaddr registers exist ---- */
  TEST(9)
  VEER_ONLY(4f)                /* QEMU 7.2 has 16 entries and no Smepmp */
  li a0, 0x60606060 | 0x02020202
  csrw pmpcfg15, a0
  CHECK_CSR(pmpcfg15, 0x02020202)
  csrw pmpcfg15, x0
  li a0, 0xffffffff
  csrw pmpaddr63, a0
  CHECK_CSR(pmpaddr63, 0x3fffffff)
  csrw pmpaddr63, x0
  CHECK_CSR(pmpcfg14, 0)
4:

  /* ---- lock bit: a locked entry binds M-mode too and ignores writes to its pmpcfg
   *      byte and pmpaddr; a locked TOR entry also locks the pmpaddr below it ---- */
  TEST(10)
  li s0, 0xd00; add s0, s0, s11
  srli a0, s0, 2
  csrw pmpaddr8, a0
  li a0, A_NA4 | P_R | P_L     /* entry 8: NA4 R, locked */
  csrw pmpcfg2, a0
  lw a0, 0(s0)
  M_FAULT(7, s0, sw s10, 0(s0))
  CHECK_CSR(pmpcfg2, 0x91)
  li a0, 0x1f                  /* ignored for entry 8 ... */
  csrw pmpcfg2, a0
  CHECK_CSR(pmpcfg2, 0x91)
  li a0, (A_NAPOT | P_R) << 8  /* ... while entry 9 in the same register still changes */
  csrs pmpcfg2, a0
  CHECK_CSR(pmpcfg2, 0x1991)
  csrc pmpcfg2, a0
  CHECK_CSR(pmpcfg2, 0x91)
  li a0, 0x12345
  csrw pmpaddr8, a0            /* ignored */
  srli a1, s0, 2
  csrr a0, pmpaddr8
  CHECKR(a0, a1)
  M_FAULT(7, s0, sw s10, 0(s0))
  /* U-mode sees the locked entry too. */
  U_OK(lw a0, 0(s0))
  U_FAULT(7, s0, sw s10, 0(s0))
  /* Locked TOR: entry 11 [pmpaddr10, pmpaddr11) = +0xe00..+0xe10, RW locked, no X. */
  li a0, 0xe00; add a0, a0, s11
  srli a0, a0, 2
  csrw pmpaddr10, a0
  addi a0, a0, 4
  csrw pmpaddr11, a0
  li a0, (A_TOR | P_R | P_W | P_L) << 24
  csrs pmpcfg2, a0
  li s0, 0xe00; add s0, s0, s11
  li s1, 0xe0c; add s1, s1, s11
  M_FAULT(1, s0, jalr x0, 0(s0))   /* locked, no X: M-mode fetch faults */
  sw s10, 0(s1)
  li a0, 0x55
  csrw pmpaddr10, a0           /* pmpaddr10 is locked through entry 11 */
  csrr a0, pmpaddr10
  srli a1, s0, 2
  CHECKR(a0, a1)
  li a0, (A_NA4 | P_R) << 16   /* ... but pmpcfg of entry 10 is not */
  csrs pmpcfg2, a0
  csrr a0, pmpcfg2
  srli a0, a0, 16
  andi a0, a0, 0xff
  CHECK(a0, A_NA4 | P_R)
  j test_pass

  .data
  .balign 4096
pmp_page:
  .rept 1024
  ecall
  .endr
