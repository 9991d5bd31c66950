/* The VeeR EL2 PIC with fast interrupt redirect (Caliptra's build), PRM interrupts.md and
 * el2_pic_ctrl.sv / el2_dec_tlu_ctl.sv:
 *  - register widths and reset values, the meip words (disabled sources are reported);
 *  - gateways: level and edge type, both polarities, meigwclr (el2_configurable_gw: the
 *    IP flop is set whenever the input is active and cleared only while it is inactive);
 *  - the evaluation: highest priority, then lowest id; priority 0 never interrupts;
 *    notification only above both meipt and meicurpl; nesting with meicurpl;
 *  - reverse priority order (mpiccfg.priord); the registers keep the written values;
 *  - fast redirect: the handler address comes from the vector table at meivt + 4 * id in
 *    the DCCM, mcause 0x8000_000B, meihap / meicidpl captured by hardware; a table outside
 *    the DCCM gives NMI 0xF000_1001 (DCCM region) or 0xF000_1002 (elsewhere).
 * run-elf: --dccm 0x50000000:0x10000 (the table lives at 0x5000_0000). */
#include "isa_test.h"

#define DCCM 0x50000000
#define NMI_MARK 0x80000000

  .option norvc
  .text
  .globl test_main
test_main:
  VEER_ONLY(test_pass)            /* the PIC and testbench exist only on calemu */
  /* Vector table: every id -> ext_isr, except 10 -> nest_isr. */
  li s0, DCCM
  la a0, ext_isr
  li a1, 32
1:
  sw a0, 0(s0)
  addi s0, s0, 4
  addi a1, a1, -1
  bnez a1, 1b
  li s0, DCCM
  la a0, nest_isr
  sw a0, 40(s0)
  li a0, DCCM
  csrw CSR_MEIVT, a0
  la a0, nmi_handler
  li t5, TB_BASE
  sw a0, TB_NMI_VECTOR(t5)

  /* ---- reset values and register widths ---- */
  TEST(1)
  PIC_READ(a0, PIC_MEIPL(5))
  CHECK(a0, 0)
  PIC_READ(a0, PIC_MEIE(5))
  CHECK(a0, 0)
  PIC_READ(a0, PIC_MEIGWCTRL(5))
  CHECK(a0, 0)
  PIC_READ(a0, PIC_MPICCFG)
  CHECK(a0, 0)
  PIC_READ(a0, PIC_MEIP(0))
  CHECK(a0, 0)
  PIC_WRITE(PIC_MEIPL(5), 0xffffffff)
  PIC_READ(a0, PIC_MEIPL(5))
  CHECK(a0, 0xf)
  PIC_WRITE(PIC_MEIE(5), 0xffffffff)
  PIC_READ(a0, PIC_MEIE(5))
  CHECK(a0, 1)
  PIC_WRITE(PIC_MEIGWCTRL(5), 0xfffffffc)
  PIC_READ(a0, PIC_MEIGWCTRL(5))
  CHECK(a0, 0)
  PIC_WRITE(PIC_MPICCFG, 0xfffffffe)
  PIC_READ(a0, PIC_MPICCFG)
  CHECK(a0, 0)
  PIC_WRITE(PIC_MEIPL(5), 0)
  PIC_WRITE(PIC_MEIE(5), 0)
  /* Source 0 and sources above 31 (Caliptra builds 31) have no registers: read 0. */
  PIC_WRITE(PIC_MEIPL(0), 0xf)
  PIC_READ(a0, PIC_MEIPL(0))
  CHECK(a0, 0)
  PIC_WRITE(PIC_MEIE(32), 1)
  PIC_READ(a0, PIC_MEIE(32))
  CHECK(a0, 0)
  PIC_READ(a0, PIC_MEIP(1))
  CHECK(a0, 0)

  /* ---- meip: the gateway outputs, enabled or not ---- */
  TEST(2)
  TB_WRITE(TB_IRQ_SET, 5)
  PIC_READ(a0, PIC_MEIP(0))
  CHECK(a0, 1 << 5)
  TB_WRITE(TB_IRQ_SET, 31)
  PIC_READ(a0, PIC_MEIP(0))
  CHECK(a0, (1 << 5) | (1 << 31))
  TB_WRITE(TB_IRQ_CLEAR, 5)
  TB_WRITE(TB_IRQ_CLEAR, 31)
  PIC_READ(a0, PIC_MEIP(0))
  CHECK(a0, 0)
  /* Level, active-low: pending while the input is low. */
  PIC_WRITE(PIC_MEIGWCTRL(6), 1)
  PIC_READ(a0, PIC_MEIP(0))
  CHECK(a0, 1 << 6)
  TB_WRITE(TB_IRQ_SET, 6)
  PIC_READ(a0, PIC_MEIP(0))
  CHECK(a0, 0)
  PIC_WRITE(PIC_MEIGWCTRL(6), 0)
  TB_WRITE(TB_IRQ_CLEAR, 6)
  CHECK_CSR(mip, 0)            /* nothing enabled: no notification */

  /* ---- edge gateways ---- */
  TEST(3)
  PIC_WRITE(PIC_MEIGWCTRL(7), 2)      /* edge, active-high */
  PIC_WRITE(PIC_MEIGWCLR(7), 0)
  PIC_READ(a0, PIC_MEIP(0))
  CHECK(a0, 0)
  TB_WRITE(TB_IRQ_SET, 7)
  TB_WRITE(TB_IRQ_CLEAR, 7)
  PIC_READ(a0, PIC_MEIP(0))
  CHECK(a0, 1 << 7)                   /* latched */
  PIC_WRITE(PIC_MEIGWCLR(7), 0)
  PIC_READ(a0, PIC_MEIP(0))
  CHECK(a0, 0)
  TB_WRITE(TB_IRQ_SET, 7)
  PIC_WRITE(PIC_MEIGWCLR(7), 0)       /* input still active: the flop sets again */
  PIC_READ(a0, PIC_MEIP(0))
  CHECK(a0, 1 << 7)
  TB_WRITE(TB_IRQ_CLEAR, 7)
  PIC_READ(a0, PIC_MEIP(0))
  CHECK(a0, 1 << 7)
  PIC_WRITE(PIC_MEIGWCLR(7), 0)
  PIC_READ(a0, PIC_MEIP(0))
  CHECK(a0, 0)
  /* Edge, active-low: the falling input latches. */
  TB_WRITE(TB_IRQ_SET, 8)             /* idle high */
  PIC_WRITE(PIC_MEIGWCTRL(8), 3)
  PIC_WRITE(PIC_MEIGWCLR(8), 0)       /* clears what the high input latched as level */
  PIC_READ(a0, PIC_MEIP(0))
  CHECK(a0, 0)
  TB_WRITE(TB_IRQ_CLEAR, 8)
  TB_WRITE(TB_IRQ_SET, 8)
  PIC_READ(a0, PIC_MEIP(0))
  CHECK(a0, 1 << 8)
  PIC_WRITE(PIC_MEIGWCLR(8), 0)
  PIC_READ(a0, PIC_MEIP(0))
  CHECK(a0, 0)
  /* The IP flop also captures while the gateway is level type (PRM note: spurious
   * changes may be captured; clear before re-enabling). */
  TB_WRITE(TB_IRQ_SET, 9)
  TB_WRITE(TB_IRQ_CLEAR, 9)
  PIC_READ(a0, PIC_MEIP(0))
  CHECK(a0, 0)
  PIC_WRITE(PIC_MEIGWCTRL(9), 2)
  PIC_READ(a0, PIC_MEIP(0))
  CHECK(a0, 1 << 9)
  PIC_WRITE(PIC_MEIGWCLR(9), 0)
  PIC_READ(a0, PIC_MEIP(0))
  CHECK(a0, 0)
  PIC_WRITE(PIC_MEIGWCTRL(9), 0)
  PIC_WRITE(PIC_MEIGWCTRL(8), 0)
  TB_WRITE(TB_IRQ_CLEAR, 8)
  PIC_WRITE(PIC_MEIGWCTRL(7), 0)

  /* ---- priority order and thresholds: 3 (prio 5), 4 (prio 9), 6 (prio 9), 2 (prio 0) ---- */
  TEST(4)
  PIC_WRITE(PIC_MEIPL(3), 5)
  PIC_WRITE(PIC_MEIPL(4), 9)
  PIC_WRITE(PIC_MEIPL(6), 9)
  PIC_WRITE(PIC_MEIPL(2), 0)
  PIC_WRITE(PIC_MEIE(2), 1)
  PIC_WRITE(PIC_MEIE(3), 1)
  PIC_WRITE(PIC_MEIE(4), 1)
  PIC_WRITE(PIC_MEIE(6), 1)
  TB_WRITE(TB_IRQ_SET, 2)
  CHECK_CSR(mip, 0)                   /* priority 0 never notifies */
  TB_WRITE(TB_IRQ_SET, 3)
  TB_WRITE(TB_IRQ_SET, 4)
  TB_WRITE(TB_IRQ_SET, 6)
  CHECK_CSR(mip, 1 << 11)             /* mip.MEIP with MIE and meie still 0 */
  csrwi CSR_MEIPT, 9                  /* strictly above the threshold: none of them */
  CHECK_CSR(mip, 0)
  csrwi CSR_MEIPT, 8
  CHECK_CSR(mip, 1 << 11)
  csrwi CSR_MEICURPL, 9               /* the higher of meipt and meicurpl counts */
  CHECK_CSR(mip, 0)
  csrwi CSR_MEICURPL, 0
  csrwi CSR_MEIPT, 4
  call log_reset
  li a0, 1 << 11
  csrw mie, a0
  csrsi mstatus, MSTATUS_MIE
2:
  nop                                 /* 4, 6, then 3 are taken here */
  csrci mstatus, MSTATUS_MIE
  la t6, last_mepc
  lw a0, 0(t6)
  CHECK_LABEL(a0, 2b)
  la t6, last_mcause
  lw a0, 0(t6)
  CHECK(a0, 0x8000000b)
  la s0, isr_log
  lw a0, 0(s0)
  CHECK(a0, 4 | (9 << 8))             /* id | meicidpl << 8 */
  lw a0, 4(s0)
  CHECK(a0, 6 | (9 << 8))
  lw a0, 8(s0)
  CHECK(a0, 3 | (5 << 8))
  la t6, log_count
  lw a0, 0(t6)
  CHECK(a0, 3)
  TB_WRITE(TB_IRQ_CLEAR, 2)
  PIC_WRITE(PIC_MEIE(2), 0)
  csrwi CSR_MEIPT, 0

  /* ---- nesting: source 10 (prio 3) raises its level in meicurpl and re-enables
   *      interrupts; 11 (prio 7) preempts it, 12 (prio 3) waits until it returns ---- */
  TEST(5)
  PIC_WRITE(PIC_MEIPL(10), 3)
  PIC_WRITE(PIC_MEIPL(11), 7)
  PIC_WRITE(PIC_MEIPL(12), 3)
  PIC_WRITE(PIC_MEIE(10), 1)
  PIC_WRITE(PIC_MEIE(11), 1)
  PIC_WRITE(PIC_MEIE(12), 1)
  call log_reset
  TB_WRITE(TB_IRQ_SET, 10)
  csrsi mstatus, MSTATUS_MIE
  nop
  csrci mstatus, MSTATUS_MIE
  la s0, isr_log
  lw a0, 0(s0)
  CHECK(a0, 0x100 | 10)               /* nest_isr entered */
  lw a0, 4(s0)
  CHECK(a0, 11 | (7 << 8))            /* preempted by 11 */
  lw a0, 8(s0)
  CHECK(a0, 0x200 | 10)               /* nest_isr done */
  lw a0, 12(s0)
  CHECK(a0, 12 | (3 << 8))            /* then 12 */
  la t6, log_count
  lw a0, 0(t6)
  CHECK(a0, 4)
  CHECK_CSR(CSR_MEICURPL, 0)

  /* ---- reverse priority order: 15 lowest (never), 0 highest; registers keep what was
   *      written when priord changes ---- */
  TEST(6)
  csrwi CSR_MEIPT, 3
  PIC_WRITE(PIC_MPICCFG, 1)
  PIC_READ(a0, PIC_MEIPL(3))
  CHECK(a0, 5)                        /* not inverted by the switch */
  CHECK_CSR(CSR_MEIPT, 3)
  /* Initialise as the PRM says for reverse order: thresholds 15 = nothing masked. */
  csrwi CSR_MEIPT, 15
  csrwi CSR_MEICURPL, 15
  PIC_WRITE(PIC_MEIPL(3), 14)         /* lowest */
  PIC_WRITE(PIC_MEIPL(4), 2)
  PIC_WRITE(PIC_MEIPL(6), 0)          /* highest */
  PIC_WRITE(PIC_MEIPL(2), 15)         /* never */
  PIC_WRITE(PIC_MEIE(2), 1)
  TB_WRITE(TB_IRQ_SET, 2)
  CHECK_CSR(mip, 0)
  TB_WRITE(TB_IRQ_SET, 3)
  TB_WRITE(TB_IRQ_SET, 4)
  TB_WRITE(TB_IRQ_SET, 6)
  csrwi CSR_MEICURPL, 2               /* masks 2..15: only 6 (prio 0) remains */
  csrwi CSR_MEIPT, 15
  call log_reset
  csrsi mstatus, MSTATUS_MIE
  nop
  csrci mstatus, MSTATUS_MIE
  la s0, isr_log
  lw a0, 0(s0)
  CHECK(a0, 6 | (0 << 8))
  la t6, log_count
  lw a0, 0(t6)
  CHECK(a0, 1)
  csrwi CSR_MEICURPL, 15
  call log_reset
  csrsi mstatus, MSTATUS_MIE
  nop
  csrci mstatus, MSTATUS_MIE
  la s0, isr_log
  lw a0, 0(s0)
  CHECK(a0, 4 | (2 << 8))
  lw a0, 4(s0)
  CHECK(a0, 3 | (14 << 8))
  la t6, log_count
  lw a0, 0(t6)
  CHECK(a0, 2)
  TB_WRITE(TB_IRQ_CLEAR, 2)
  PIC_WRITE(PIC_MEIE(2), 0)
  PIC_WRITE(PIC_MPICCFG, 0)
  csrwi CSR_MEIPT, 0
  csrwi CSR_MEICURPL, 0

  /* ---- fast redirect with the vector table outside the DCCM: NMI ---- */
  TEST(7)
  li a0, DCCM + 0x10000               /* DCCM region, past the 64 KiB DCCM */
  csrw CSR_MEIVT, a0
  call log_reset
  TB_WRITE(TB_IRQ_SET, 4)
  csrsi mstatus, MSTATUS_MIE
3:
  nop
  csrci mstatus, MSTATUS_MIE
  la t6, last_mcause
  lw a0, 0(t6)
  CHECK(a0, 0xf0001001)
  la t6, last_mepc
  lw a0, 0(t6)
  CHECK_LABEL(a0, 3b)
  CHECK_CSR(CSR_MEIHAP, DCCM + 0x10000 + (4 << 2))   /* the claim was captured */
  CHECK_CSR(CSR_MEICIDPL, 2)          /* source 4 kept the priority 2 written in test 6 */
  li a0, 0x80010000                   /* not the DCCM region at all */
  csrw CSR_MEIVT, a0
  TB_WRITE(TB_IRQ_SET, 3)
  csrsi mstatus, MSTATUS_MIE
  nop
  csrci mstatus, MSTATUS_MIE
  la t6, last_mcause
  lw a0, 0(t6)
  CHECK(a0, 0xf0001002)
  la s0, isr_log
  lw a0, 0(s0)
  CHECK(a0, NMI_MARK | 4)
  lw a0, 4(s0)
  CHECK(a0, NMI_MARK | 3)
  j test_pass

/* Clear the interrupt log. */
log_reset:
  la t0, log_count
  sw zero, 0(t0)
  la t0, isr_log
  sw zero, 0(t0)
  sw zero, 4(t0)
  sw zero, 8(t0)
  sw zero, 12(t0)
  ret

/* Append a0 to the log (uses t0, t1). */
log_append:
  la t0, log_count
  lw t1, 0(t0)
  addi t1, t1, 1
  sw t1, 0(t0)
  slli t1, t1, 2
  la t0, isr_log - 4
  add t0, t0, t1
  sw a0, 0(t0)
  ret

/* Common fast-redirect ISR: log claim id | meicidpl << 8, clear the source (testbench
 * input and gateway), return. */
  .balign 4
ext_isr:
  csrw mscratch, t0
  la t0, isr_save
  sw t1, 0(t0)
  sw t2, 4(t0)
  sw a0, 8(t0)
  sw ra, 12(t0)
  sw t5, 16(t0)
  sw t6, 20(t0)
  csrr t1, mcause
  la t0, last_mcause
  sw t1, 0(t0)
  csrr t1, mepc
  la t0, last_mepc
  sw t1, 0(t0)
  csrr t2, CSR_MEIHAP
  srli t2, t2, 2
  andi t2, t2, 0xff
  csrr a0, CSR_MEICIDPL
  slli a0, a0, 8
  or a0, a0, t2
  call log_append
  li t0, TB_BASE
  sw t2, TB_IRQ_CLEAR(t0)
  li t0, PIC_BASE + 0x5000
  slli t2, t2, 2
  add t0, t0, t2
  sw zero, 0(t0)                      /* meigwclr */
  la t0, isr_save
  lw t1, 0(t0)
  lw t2, 4(t0)
  lw a0, 8(t0)
  lw ra, 12(t0)
  lw t5, 16(t0)
  lw t6, 20(t0)
  csrr t0, mscratch
  mret

/* Source 10: a nesting handler (PRM "Interrupt Nesting"). */
  .balign 4
nest_isr:
  csrw mscratch, t0
  la t0, nest_save
  sw t1, 0(t0)
  sw a0, 4(t0)
  sw ra, 8(t0)
  sw t5, 12(t0)
  sw t6, 16(t0)
  csrr t1, mscratch
  sw t1, 20(t0)
  csrr t1, mepc
  sw t1, 24(t0)
  csrr t1, mstatus
  sw t1, 28(t0)
  csrr t1, CSR_MEICURPL
  sw t1, 32(t0)
  li a0, 0x100 | 10
  call log_append
  csrr t1, CSR_MEICIDPL               /* 3 */
  csrw CSR_MEICURPL, t1
  TB_WRITE(TB_IRQ_CLEAR, 10)
  TB_WRITE(TB_IRQ_SET, 11)
  TB_WRITE(TB_IRQ_SET, 12)
  csrsi mstatus, MSTATUS_MIE          /* 11 preempts here; 12 (prio 3) does not */
  nop
  nop
  csrci mstatus, MSTATUS_MIE
  li a0, 0x200 | 10
  call log_append
  la t0, nest_save
  lw t1, 32(t0)
  csrw CSR_MEICURPL, t1
  lw t1, 24(t0)
  csrw mepc, t1
  lw t1, 28(t0)
  csrw mstatus, t1
  lw t1, 0(t0)
  lw a0, 4(t0)
  lw ra, 8(t0)
  lw t5, 12(t0)
  lw t6, 16(t0)
  lw t0, 20(t0)
  mret

/* NMI (fast-redirect failure): log the claim id with NMI_MARK, record mcause / mepc,
 * drop the source, return (PRM: NMIs are normally fatal; returning is fine here). */
  .balign 4
nmi_handler:
  csrw mscratch, t0
  la t0, isr_save
  sw t1, 0(t0)
  sw t2, 4(t0)
  sw a0, 8(t0)
  sw ra, 12(t0)
  csrr t1, mcause
  la t0, last_mcause
  sw t1, 0(t0)
  csrr t1, mepc
  la t0, last_mepc
  sw t1, 0(t0)
  csrr t2, CSR_MEIHAP
  srli t2, t2, 2
  andi t2, t2, 0xff
  li a0, NMI_MARK
  or a0, a0, t2
  call log_append
  li t0, TB_BASE
  sw t2, TB_IRQ_CLEAR(t0)
  la t0, isr_save
  lw t1, 0(t0)
  lw t2, 4(t0)
  lw a0, 8(t0)
  lw ra, 12(t0)
  csrr t0, mscratch
  mret

  .data
  .balign 16
isr_log:      .space 32
log_count:    .word 0
last_mcause:  .word 0
last_mepc:    .word 0
isr_save:     .space 32
nest_save:    .space 64
