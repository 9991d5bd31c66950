/* Zicsr and the CSRs of VeeR EL2 as Caliptra builds it (user mode, Smepmp, 64 PMP
 * entries, fast interrupt redirect): read/set/clear semantics, which writes trap, which
 * CSRs exist, WARL masks, reset values, counters (exact minstret, write-then-read,
 * mcountinhibit), the correctable-error counters and their local interrupt.
 * Sources: privileged spec ch. 2-3; VeeR EL2 PRM csrs.md, adaptations.md, memory-map.md,
 * error-protection.md, core-control.md; RTL el2_dec_tlu_ctl.sv (register widths, the
 * CSR read mux, dec_csr_legal_d) and design/dec/csrdecode_mu (which CSRs exist). */
#include "isa_test.h"

  .option norvc
  .text
  .globl test_main
test_main:
  /* ---- csrrw / csrrs / csrrc and their immediate forms (Zicsr) ---- */
  TEST(1)
  li a1, 0x12345678
  csrw mscratch, a1
  li a2, 0xffff0000
  csrrw a0, mscratch, a2        /* returns the old value */
  CHECK(a0, 0x12345678)
  csrrs a0, mscratch, a1        /* set bits */
  CHECK(a0, 0xffff0000)
  csrr a0, mscratch
  CHECK(a0, 0xffff5678)
  li a2, 0x0000f0f0
  csrrc a0, mscratch, a2        /* clear bits */
  CHECK(a0, 0xffff5678)
  csrr a0, mscratch
  CHECK(a0, 0xffff0608)
  csrrwi a0, mscratch, 31
  CHECK(a0, 0xffff0608)
  csrrsi a0, mscratch, 0x10 | 0x4
  CHECK(a0, 31)
  csrrci a0, mscratch, 0x1
  CHECK(a0, 31)
  csrr a0, mscratch
  CHECK(a0, 30)
  csrrw a0, mscratch, a0        /* rd == rs1: old value out, register value in */
  CHECK(a0, 30)
  csrrw x0, mscratch, x0
  csrr a0, mscratch
  CHECK(a0, 0)
  csrrs a0, mscratch, x0        /* rs1 = x0: a pure read */
  CHECK(a0, 0)

  /* ---- read-only CSRs: reads never trap, any write attempt traps (mtval = insn) ---- */
  TEST(2)
  csrrs a0, mvendorid, x0
  csrrsi a0, marchid, 0
  csrrc a0, mimpid, x0
  csrrci a0, mhartid, 0
  EXPECT_TRAP(2, 0xf1101073, csrw mvendorid, x0)     /* csrrw x0, mvendorid, x0 */
  EXPECT_TRAP(2, 0xf12f9073, csrw marchid, t6)
  EXPECT_TRAP(2, 0xf140f573, csrrci a0, mhartid, 1)
  VEER_ONLY(1f)
  /* csrrs with rs1 != x0 attempts a write even when the register holds 0, and csrrwi
   * always writes (Zicsr 2.8; VeeR decodes both as writes: csrrs_rw*, csrrwi*). QEMU 7.2
   * lets both through, so they are VeeR-only here. */
  li a1, 0
  EXPECT_TRAP(2, 0xf135a573, csrrs a0, mimpid, a1)
  EXPECT_TRAP(2, 0xf1405573, csrrwi a0, mhartid, 0)
  /* VeeR's other read-only CSRs (dec_csr_legal_d: mdseac, meihap). */
  EXPECT_TRAP(2, 0xfc001073, csrw CSR_MDSEAC, x0)
  EXPECT_TRAP(2, 0xfc801073, csrw CSR_MEIHAP, x0)
  csrrs a0, CSR_MDSEAC, x0
  CHECK(a0, 0)                                       /* reset value, no D-bus error yet */
  /* VeeR quirk (RTL wins): dec_csr_legal_d rejects writes only to mvendorid, marchid,
   * mimpid, mhartid, mdseac and meihap. The user counter shadows cycle/instret/
   * hpmcounter3..6(h) are legal CSRs (csrdecode_mu) that no write enable selects, so an
   * M-mode write neither traps nor changes them. */
  li a1, 0x55
  csrw cycle, a1
  csrw instreth, a1
  csrw hpmcounter3, a1
1:

  /* ---- identification (PRM "VeeR EL2 Core-Specific Standard RISC-V Machine Information
   *      CSRs"; misa has U (bit 20) in the user-mode build, user-mode.md) ---- */
  TEST(3)
  VEER_ONLY(2f)
  CHECK_CSR(mvendorid, 0x45)
  CHECK_CSR(marchid, 0x10)
  CHECK_CSR(mimpid, 0x4)
  CHECK_CSR(mhartid, 0)
  CHECK_CSR(misa, 0x40101104)
  li a1, 0xffffffff
  csrw misa, a1                 /* writes ignored */
  CHECK_CSR(misa, 0x40101104)
2:

  /* ---- CSRs that do not exist: illegal instruction, mtval = the instruction ---- */
  TEST(4)
  EXPECT_TRAP(2, 0x7c102573, csrr a0, 0x7c1)
  EXPECT_TRAP(2, 0x7c302573, csrr a0, 0x7c3)
  EXPECT_TRAP(2, 0x7c159073, csrw 0x7c1, a1)
  EXPECT_TRAP(2, 0x7cd02573, csrr a0, 0x7cd)
  EXPECT_TRAP(2, 0x7fe02573, csrr a0, 0x7fe)
  VEER_ONLY(3f)
  /* Debug-mode-only CSRs are illegal outside debug mode (valid_csr in el2_dec_tlu_ctl.sv). */
  EXPECT_TRAP(2, 0x7b002573, csrr a0, dcsr)
  EXPECT_TRAP(2, 0x7b102573, csrr a0, dpc)
  EXPECT_TRAP(2, 0x7c402573, csrr a0, CSR_DMST)
  EXPECT_TRAP(2, 0x7c802573, csrr a0, CSR_DICAWICS)
  EXPECT_TRAP(2, 0x7cb02573, csrr a0, 0x7cb)       /* dicago */
  /* Standard CSRs VeeR does not implement (csrdecode_mu has no entry). */
  EXPECT_TRAP(2, 0x00102573, csrr a0, fflags)
  EXPECT_TRAP(2, 0x10002573, csrr a0, sstatus)
  EXPECT_TRAP(2, 0xc0102573, csrr a0, time)
  EXPECT_TRAP(2, 0xf1502573, csrr a0, 0xf15)       /* mconfigptr */
  EXPECT_TRAP(2, 0x7a302573, csrr a0, tdata3)
  EXPECT_TRAP(2, 0x34a02573, csrr a0, 0x34a)       /* mtinst (H) */
  /* With fast interrupt redirect, meicpct is not present (PRM "meicpct" note). */
  EXPECT_TRAP(2, 0xbca01073, csrw CSR_MEICPCT, x0)
  /* mhpmcounter7..31 / mhpmevent7..31 decode as legal and read 0 (csrdecode_mu perfv*). */
  CHECK_CSR(mhpmcounter7, 0)
  CHECK_CSR(mhpmcounter31h, 0)
  CHECK_CSR(mhpmevent31, 0)
  li a1, 0xffffffff
  csrw mhpmcounter10, a1
  CHECK_CSR(mhpmcounter10, 0)
3:

  /* ---- mstatus: MIE, MPIE, MPP (one bit: M or U), MPRV; the rest reads 0 ---- */
  TEST(5)
  VEER_ONLY(4f)
  li a1, 0xffffffff
  csrw mstatus, a1
  CHECK_CSR(mstatus, 0x00021888)
  csrw mstatus, x0
  CHECK_CSR(mstatus, 0)
  /* MPP is implemented with one flop (user-mode.md): bit 12 decides, 01 -> 00, 10 -> 11. */
  li a1, 0x0800
  csrw mstatus, a1
  CHECK_CSR(mstatus, 0)
  li a1, 0x1000
  csrw mstatus, a1
  CHECK_CSR(mstatus, 0x1800)
  csrw mstatus, x0
  /* mstatush does not exist in VeeR. */
  EXPECT_TRAP(2, 0x31002573, csrr a0, 0x310)
  li a1, MSTATUS_MPP
  csrw mstatus, a1

  /* ---- mie / mip: only the implemented interrupt bits (adaptations.md); mip is
   *      read-only (writes are legal and ignored) ---- */
  TEST(6)
  li a1, 0xffffffff
  csrw mie, a1
  CHECK_CSR(mie, 0x70000888)
  csrw mie, x0
  CHECK_CSR(mie, 0)
  csrw mip, a1
  CHECK_CSR(mip, 0)

  /* ---- mtvec: bit 1 reads 0 (mtvec_rf = {mtvec[30:1], 1'b0, mtvec[0]}) ---- */
  TEST(7)
  csrr s0, mtvec
  li a1, 0x80001003
  csrw mtvec, a1
  CHECK_CSR(mtvec, 0x80001001)
  li a1, 0x80001006
  csrw mtvec, a1
  CHECK_CSR(mtvec, 0x80001004)
  csrw mtvec, s0
4:

  /* ---- mepc bit 0 is 0 (IALIGN = 16); mscratch / mtval are full width ---- */
  TEST(8)
  li a1, 0xffffffff
  csrw mtval, a1
  CHECK_CSR(mtval, 0xffffffff)
  csrw mscratch, a1
  CHECK_CSR(mscratch, 0xffffffff)
  VEER_ONLY(5f)
  /* mepc[0] is hardwired 0 (mepc_rf = {mepc[31:1], 1'b0}); QEMU 7.2 keeps the bit. */
  csrw mepc, a1
  CHECK_CSR(mepc, 0xfffffffe)
  /* mcause holds all 32 bits written (mcause_ns), mscause 4 bits (memory-map.md). */
  csrw mcause, a1
  CHECK_CSR(mcause, 0xffffffff)
  csrw CSR_MSCAUSE, a1
  CHECK_CSR(CSR_MSCAUSE, 0xf)
  csrw mcause, x0
  csrw CSR_MSCAUSE, x0
5:

  /* ---- minstret: exact. A CSR read sees the count before its own instruction, and a
   *      value written is what the next instruction reads (priv spec 3.1.11, quoted in
   *      el2_dec_tlu_ctl.sv above MINSTRETL; minstret reads are presync'd) ---- */
  TEST(9)
  VEER_ONLY(6f)
  csrr a0, minstret
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  csrr a1, minstret
  sub a2, a1, a0
  CHECK(a2, 11)                 /* 10 nops + the first csrr */
  li a1, 0x11223344
  csrw minstret, a1
  csrr a0, minstret
  CHECK(a0, 0x11223344)
  li a1, 5
  csrw minstreth, a1
  csrr a0, minstreth
  CHECK(a0, 5)
  /* Carry from minstret into minstreth. */
  li a1, 0xfffffffe
  csrw minstret, a1             /* count = 5:fffffffe after this instruction */
  nop                           /* 5:ffffffff */
  nop                           /* 6:00000000 */
  csrr a0, minstret             /* reads 6:00000000, then 6:00000001 */
  csrr a1, minstreth
  CHECK(a0, 0)
  CHECK(a1, 6)
  /* instret / instreth are the same counter (user-mode.md). */
  csrr a0, instret
  csrr a1, minstret
  sub a2, a1, a0
  CHECK(a2, 1)
  csrr a0, instreth
  CHECK(a0, 6)

  /* ---- mcountinhibit: IR (bit 2) freezes minstret, CY (bit 0) freezes mcycle; writes to
   *      a frozen counter land exactly; mask 0x7d (bit 1 reads 0) ---- */
  TEST(10)
  li a1, 4
  csrw mcountinhibit, a1
  csrr a0, minstret
  nop
  nop
  csrr a1, minstret
  CHECKR(a0, a1)
  li a1, 0x1000
  csrw minstret, a1
  nop
  CHECK_CSR(minstret, 0x1000)
  li a1, 1
  csrw mcountinhibit, a1        /* CY only: minstret counts again, mcycle stops */
  csrr a0, minstret
  /* The csrw above is not counted: the RTL qualifies each retirement with the current
   * mcountinhibit[2] (i0_valid_no_ebreak_ecall_r), which is still 1 for the write. */
  CHECK(a0, 0x1000)
  csrr a0, mcycle
  nop
  csrr a1, mcycle
  CHECKR(a0, a1)
  li a1, 0xabcdef00
  csrw mcycle, a1
  nop
  CHECK_CSR(mcycle, 0xabcdef00)
  li a1, 7
  csrw mcycleh, a1
  CHECK_CSR(mcycleh, 7)
  CHECK_CSR(cycleh, 7)
  li a1, 0xffffffff
  csrw mcountinhibit, a1
  CHECK_CSR(mcountinhibit, 0x7d)
  csrw mcountinhibit, x0
  CHECK_CSR(mcountinhibit, 0)
  /* mcycle counts again; a write lands and the counter moves on from it (the exact delay
   * between two CSR instructions is a pipeline property: allow a few cycles). */
  li a1, 0x100
  csrw mcycle, a1
  csrr a0, mcycle
  li a2, 0x100
  bltu a0, a2, 7f
  li a2, 0x110
  bgeu a0, a2, 7f
  /* calemu's time model (src/rv/hart.h: time = retired instructions + sleep cycles):
   * without traps or sleep, mcycle and minstret advance together. */
  csrr a0, mcycle
  csrr a1, minstret
  nop
  nop
  nop
  csrr a2, mcycle
  csrr a3, minstret
  sub a2, a2, a0
  sub a3, a3, a1
  CHECKR(a2, a3)
  CHECK(a2, 5)
  j 8f
7:
  mv t5, a0
  li t6, 0x100
  FAIL_HERE
8:

  /* ---- mcounteren: CY, IR, HPM3..6 (bits 0, 2..6) ---- */
  TEST(11)
  li a1, 0xffffffff
  csrw mcounteren, a1
  CHECK_CSR(mcounteren, 0x7d)
  csrw mcounteren, x0

  /* ---- mhpmcounter3..6 are plain read/write while their event is 0; mhpmevent is WARL:
   *      events 0..56 (minus 29, 33, 51..53) and 512..516, anything else writes 0
   *      (zero_event_r in el2_dec_tlu_ctl.sv) ---- */
  TEST(12)
  li a1, 0x89abcdef
  csrw mhpmcounter3, a1
  csrw mhpmcounter6h, a1
  CHECK_CSR(mhpmcounter3, 0x89abcdef)
  CHECK_CSR(mhpmcounter6h, 0x89abcdef)
#define EVENT(w, r) li a1, w; csrw mhpmevent4, a1; CHECK_CSR(mhpmevent4, r)
  EVENT(2, 2)
  EVENT(56, 56)
  EVENT(57, 0)
  EVENT(29, 0)
  EVENT(33, 0)
  EVENT(50, 50)
  EVENT(51, 0)
  EVENT(53, 0)
  EVENT(54, 54)
  EVENT(511, 0)
  EVENT(512, 512)
  EVENT(516, 516)
  EVENT(517, 0)
  EVENT(0x402, 0)               /* bits above 9 make the whole value illegal */
  EVENT(0, 0)

  /* ---- VeeR control registers: masks and reset values ---- */
  TEST(13)
  /* mrac: 16 x {sideeffect, cacheable}; '11' is stored as '10' (memory-map.md). */
  CHECK_CSR(CSR_MRAC, 0)
  li a1, 0xffffffff
  csrw CSR_MRAC, a1
  CHECK_CSR(CSR_MRAC, 0xaaaaaaaa)
  li a1, 0x5555aaa5
  csrw CSR_MRAC, a1
  CHECK_CSR(CSR_MRAC, 0x5555aaa5)
  li a1, 0x0000000f             /* region 0: 11 -> 10; region 1: 11 -> 10 */
  csrw CSR_MRAC, a1
  CHECK_CSR(CSR_MRAC, 0x0000000a)
  csrw CSR_MRAC, x0
  /* mpmc: haltie resets to 1, halt reads 0 (power.md). */
  CHECK_CSR(CSR_MPMC, 2)
  csrw CSR_MPMC, x0
  CHECK_CSR(CSR_MPMC, 0)
  li a1, 2
  csrw CSR_MPMC, a1
  CHECK_CSR(CSR_MPMC, 2)
  /* mcgc: 10 bits, picio override resets to 1 (core-control.md). */
  CHECK_CSR(CSR_MCGC, 0x200)
  li a1, 0xffffffff
  csrw CSR_MCGC, a1
  CHECK_CSR(CSR_MCGC, 0x3ff)
  li a1, 0x200
  csrw CSR_MCGC, a1
  /* mfdc: dqc (18:16) resets to 7; the RTL keeps bits 18:16 and 12:0 (mfdc_ns). */
  li a1, 0xffffffff
  csrw CSR_MFDC, a1
  CHECK_CSR(CSR_MFDC, 0x00071fff)
  li a1, 0x00070000
  csrw CSR_MFDC, a1
  CHECK_CSR(CSR_MFDC, 0x00070000)
  /* mfdht 6 bits, mfdhs 2 bits (power.md). */
  li a1, 0xffffffff
  csrw CSR_MFDHT, a1
  CHECK_CSR(CSR_MFDHT, 0x3f)
  csrw CSR_MFDHT, x0
  csrw CSR_MFDHS, a1
  CHECK_CSR(CSR_MFDHS, 0x3)
  csrw CSR_MFDHS, x0
  /* Internal timers: mitb resets to 0xffffffff, mitctl to enable (timers.md). */
  CHECK_CSR(CSR_MITB0, 0xffffffff)
  CHECK_CSR(CSR_MITB1, 0xffffffff)
  CHECK_CSR(CSR_MITCTL0, 1)
  CHECK_CSR(CSR_MITCTL1, 1)
  /* PIC CSRs: meivt base 31:10, 4-bit priorities, meihap = meivt base | claimid << 2. */
  li a1, 0xffffffff
  csrw CSR_MEIVT, a1
  CHECK_CSR(CSR_MEIVT, 0xfffffc00)
  CHECK_CSR(CSR_MEIHAP, 0xfffffc00)
  csrw CSR_MEIVT, x0
  csrw CSR_MEIPT, a1
  CHECK_CSR(CSR_MEIPT, 0xf)
  csrw CSR_MEIPT, x0
  csrw CSR_MEICURPL, a1
  CHECK_CSR(CSR_MEICURPL, 0xf)
  csrw CSR_MEICURPL, x0
  csrw CSR_MEICIDPL, a1
  CHECK_CSR(CSR_MEICIDPL, 0xf)
  csrw CSR_MEICIDPL, x0
  /* mdeau: write-any, read 0. */
  csrw CSR_MDEAU, a1
  CHECK_CSR(CSR_MDEAU, 0)
  /* menvcfg(h) read-only zero in effect (user-mode.md), mseccfgh all WPRI. */
  csrw CSR_MENVCFG, a1
  CHECK_CSR(CSR_MENVCFG, 0)
  csrw CSR_MENVCFGH, a1
  CHECK_CSR(CSR_MENVCFGH, 0)
  csrw CSR_MSECCFGH, a1
  CHECK_CSR(CSR_MSECCFGH, 0)
  /* tselect: 2 bits (mtsel). */
  csrw tselect, a1
  CHECK_CSR(tselect, 3)
  csrw tselect, x0

  /* ---- correctable-error counters: threshold saturates at 26; the local interrupt is
   *      pending while any count bit at or above the threshold is set (mice_ce_req =
   *      |((0xffffffff << thresh) & count)), mcause 0x8000_001E ---- */
  TEST(14)
  li a1, 0xf8000000
  csrw CSR_MICECT, a1
  CHECK_CSR(CSR_MICECT, 0xd0000000)
  csrw CSR_MICCMECT, a1
  CHECK_CSR(CSR_MICCMECT, 0xd0000000)
  li a1, 0xffffffff
  csrw CSR_MDCCMECT, a1
  CHECK_CSR(CSR_MDCCMECT, 0xd7ffffff)
  csrw CSR_MICECT, x0
  csrw CSR_MICCMECT, x0
  csrw CSR_MDCCMECT, x0
  CHECK_CSR(mip, 0)
  li a1, (2 << 27) | 8          /* threshold 2^2, count 8: bit 3 >= 2 */
  csrw CSR_MDCCMECT, a1
  CHECK_CSR(mip, 0x40000000)
  li a1, (4 << 27) | 8          /* threshold 2^4, count 8: below */
  csrw CSR_MDCCMECT, a1
  CHECK_CSR(mip, 0)
  li a1, (0 << 27) | 1
  csrw CSR_MICECT, a1
  CHECK_CSR(mip, 0x40000000)
  /* Take it: cause 0x8000_001E, mepc = the next instruction. */
  la a0, ce_hook
  la t6, trap_frame
  sw a0, TF_HOOK(t6)
  lw s1, TF_COUNT(t6)
  addi s1, s1, 1
  li a1, 0x40000000
  csrw mie, a1
  csrsi mstatus, MSTATUS_MIE
9:
  nop
  csrci mstatus, MSTATUS_MIE
  CHECK_TF(TF_CAUSE, 0x8000001e)
  CHECK_TF_LABEL(TF_EPC, 9b)
  CHECK_TF(TF_TVAL, 0)
  CHECK_MSCAUSE(0)
  la t6, trap_frame
  lw a0, TF_COUNT(t6)
  CHECKR(a0, s1)
  csrw mie, x0
  la t6, trap_frame
  sw zero, TF_HOOK(t6)
  CHECK_CSR(CSR_MICECT, 0)
6:
  j test_pass

/* Interrupt hook: clear the counter that raised the correctable-error interrupt. */
ce_hook:
  csrw CSR_MICECT, x0
  csrw CSR_MDCCMECT, x0
  ret
