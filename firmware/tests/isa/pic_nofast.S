/* The PIC without fast interrupt redirect (run-elf --no-fast-irq), PRM interrupts.md
 * "Regular Operation" steps 15-21 and "Support for Vectored External Interrupts":
 *  - meicpct exists and captures claim id (meihap) and its priority (meicidpl), whatever
 *    meipt, meicurpl and mie.MEIE say; claim id 0 when nothing above priority 0 pends;
 *  - external interrupts go through mtvec (vectored: base + 4 * 11), and the handler
 *    dispatches through meihap as in the PRM's code sample (chaining by re-capturing);
 *  - the relative priority of all interrupt classes (interrupt-priority.md, el2_dec_tlu_ctl.sv
 *    take_*_int): external > correctable error > software > timer > internal timer 0. */
#include "isa_test.h"

  .option norvc

#define SAVE   csrw mscratch, t0; la t0, hsave; sw t1, 0(t0); sw t2, 4(t0); sw a0, 8(t0); \
               sw ra, 12(t0); sw t5, 16(t0); sw t6, 20(t0)
#define RESTORE la t0, hsave; lw t1, 0(t0); lw t2, 4(t0); lw a0, 8(t0); lw ra, 12(t0); \
               lw t5, 16(t0); lw t6, 20(t0); csrr t0, mscratch; mret

  .text
  .globl test_main
test_main:
  VEER_ONLY(test_pass)            /* the PIC and testbench exist only on calemu */
  /* ---- meicpct is present: captures with nothing pending give claim 0, priority 0 ---- */
  TEST(1)
  la a0, ext_table
  csrw CSR_MEIVT, a0
  csrw CSR_MEICPCT, x0
  la a1, ext_table
  csrr a0, CSR_MEIHAP
  CHECKR(a0, a1)
  CHECK_CSR(CSR_MEICIDPL, 0)
  CHECK_CSR(CSR_MEICPCT, 0)           /* write-only: reads 0 */

  /* ---- a pending source of priority 0 does not win against "no interrupt" ---- */
  TEST(2)
  PIC_WRITE(PIC_MEIE(5), 1)
  TB_WRITE(TB_IRQ_SET, 5)
  csrw CSR_MEICPCT, x0
  csrr a0, CSR_MEIHAP
  la a1, ext_table
  CHECKR(a0, a1)

  /* ---- the capture: highest priority, then lowest id, enabled sources only; thresholds
   *      and mie.MEIE do not matter ---- */
  TEST(3)
  PIC_WRITE(PIC_MEIPL(5), 4)
  PIC_WRITE(PIC_MEIPL(9), 4)
  PIC_WRITE(PIC_MEIE(9), 1)
  PIC_WRITE(PIC_MEIPL(7), 2)
  PIC_WRITE(PIC_MEIE(7), 1)
  PIC_WRITE(PIC_MEIPL(3), 15)         /* the highest priority, but not enabled */
  TB_WRITE(TB_IRQ_SET, 3)
  TB_WRITE(TB_IRQ_SET, 7)
  TB_WRITE(TB_IRQ_SET, 9)
  csrwi CSR_MEIPT, 15
  csrwi CSR_MEICURPL, 15
  csrw CSR_MEICPCT, x0
  csrr a0, CSR_MEIHAP
  la a1, ext_table + (5 << 2)
  CHECKR(a0, a1)
  CHECK_CSR(CSR_MEICIDPL, 4)
  CHECK_CSR(mip, 0)                   /* no notification above the thresholds */
  TB_WRITE(TB_IRQ_CLEAR, 5)           /* meihap holds until the next capture */
  csrr a0, CSR_MEIHAP
  CHECKR(a0, a1)
  csrw CSR_MEICPCT, x0
  csrr a0, CSR_MEIHAP
  la a1, ext_table + (9 << 2)
  CHECKR(a0, a1)
  TB_WRITE(TB_IRQ_CLEAR, 9)
  csrw CSR_MEICPCT, x0
  CHECK_CSR(CSR_MEICIDPL, 2)          /* 7 */
  csrwi CSR_MEIPT, 0
  csrwi CSR_MEICURPL, 0

  /* ---- through mtvec, vectored (base + 4 * 11), dispatching by meihap; chaining ---- */
  TEST(4)
  la a0, vec_table + 1
  csrw mtvec, a0
  TB_WRITE(TB_IRQ_SET, 9)             /* 9 (prio 4) and 7 (prio 2) pend */
  call log_reset
  li a0, 1 << 11
  csrw mie, a0
  csrsi mstatus, MSTATUS_MIE
1:
  nop
  csrci mstatus, MSTATUS_MIE
  la s0, isr_log
  lw a0, 0(s0)
  CHECK(a0, 9 | (4 << 8))
  lw a0, 4(s0)
  CHECK(a0, 7 | (2 << 8))             /* chained in the same handler */
  la t6, log_count
  lw a0, 0(t6)
  CHECK(a0, 2)
  la t6, last_mcause
  lw a0, 0(t6)
  CHECK(a0, 0x8000000b)
  la t6, last_mepc
  lw a0, 0(t6)
  CHECK_LABEL(a0, 1b)
  /* Direct mode: the same interrupt goes to the base. */
  la a0, direct_entry
  csrw mtvec, a0
  call log_reset
  TB_WRITE(TB_IRQ_SET, 9)
  csrsi mstatus, MSTATUS_MIE
  nop
  csrci mstatus, MSTATUS_MIE
  la s0, isr_log
  lw a0, 0(s0)
  CHECK(a0, 0x1000 | 9 | (4 << 8))
  csrw mie, x0

  /* ---- all classes pending at once: taken in priority order ---- */
  TEST(5)
  la a0, vec_table + 1
  csrw mtvec, a0
  call log_reset
  TB_WRITE(TB_MTIP, 1)
  TB_WRITE(TB_MSIP, 1)
  csrwi CSR_MITCNT0, 0
  csrwi CSR_MITB0, 0                  /* count >= bound every cycle: MITIP0 */
  li a0, 1
  csrw CSR_MICECT, a0                 /* threshold 0, count 1: MCEIP */
  TB_WRITE(TB_IRQ_SET, 7)
  li a0, (1 << 3) | (1 << 7) | (1 << 11) | (1 << 29) | (1 << 30)
  csrw mie, a0
  csrsi mstatus, MSTATUS_MIE
  nop
  csrci mstatus, MSTATUS_MIE
  la s0, isr_log
  lw a0, 0(s0)
  CHECK(a0, 7 | (2 << 8))
  lw a0, 4(s0)
  CHECK(a0, 30)
  lw a0, 8(s0)
  CHECK(a0, 3)
  lw a0, 12(s0)
  CHECK(a0, 7)
  lw a0, 16(s0)
  CHECK(a0, 29)
  la t6, log_count
  lw a0, 0(t6)
  CHECK(a0, 5)
  csrw mie, x0
  la a0, trap_entry
  csrw mtvec, a0
  j test_pass

log_reset:
  la t0, log_count
  sw zero, 0(t0)
  la t0, isr_log
  sw zero, 0(t0)
  sw zero, 4(t0)
  sw zero, 8(t0)
  sw zero, 12(t0)
  sw zero, 16(t0)
  ret

log_append:                            /* a0 -> log; uses t0, t1 */
  la t0, log_count
  lw t1, 0(t0)
  addi t1, t1, 1
  sw t1, 0(t0)
  slli t1, t1, 2
  la t0, isr_log - 4
  add t0, t0, t1
  sw a0, 0(t0)
  ret

  .balign 64
vec_table:
  j trap_entry                         /* 0: exceptions */
  .rept 2
  j vec_wrong
  .endr
  j msi_handler                        /* 3 */
  .rept 3
  j vec_wrong
  .endr
  j mti_handler                        /* 7 */
  .rept 3
  j vec_wrong
  .endr
  j ext_entry                          /* 11 */
  .rept 17
  j vec_wrong
  .endr
  j mit0_handler                       /* 29 */
  j ce_handler                         /* 30 */
  j vec_wrong                          /* 31 */
vec_wrong:
  li t4, __LINE__
  j test_fail

/* The PRM's external interrupt entry: capture, read meihap, load the vector, jump. */
ext_entry:
  SAVE
  csrr t1, mcause
  la t0, last_mcause
  sw t1, 0(t0)
  csrr t1, mepc
  la t0, last_mepc
  sw t1, 0(t0)
chain:
  csrw CSR_MEICPCT, x0
  csrr t1, CSR_MEIHAP
  lw t1, 0(t1)
  jr t1
/* Source handler: log id | meicidpl << 8, clear, and chain to the next pending one. */
src_handler:
  csrr t2, CSR_MEIHAP
  srli t2, t2, 2
  andi t2, t2, 0xff
  csrr a0, CSR_MEICIDPL
  slli a0, a0, 8
  or a0, a0, t2
  call log_append
  li t0, TB_BASE
  sw t2, TB_IRQ_CLEAR(t0)
  j chain
/* Claim id 0: nothing (more) to do. */
no_irq:
  RESTORE

direct_entry:
  SAVE
  csrw CSR_MEICPCT, x0
  csrr t2, CSR_MEIHAP
  srli t2, t2, 2
  andi t2, t2, 0xff
  csrr a0, CSR_MEICIDPL
  slli a0, a0, 8
  or a0, a0, t2
  li t0, 0x1000
  or a0, a0, t0
  call log_append
  li t0, TB_BASE
  sw t2, TB_IRQ_CLEAR(t0)
  RESTORE

msi_handler:
  SAVE
  li a0, 3
  call log_append
  TB_WRITE(TB_MSIP, 0)
  RESTORE

mti_handler:
  SAVE
  li a0, 7
  call log_append
  TB_WRITE(TB_MTIP, 0)
  RESTORE

mit0_handler:
  SAVE
  li a0, 29
  call log_append
  li t0, -1
  csrw CSR_MITB0, t0
  csrw CSR_MITCNT0, x0
  RESTORE

ce_handler:
  SAVE
  li a0, 30
  call log_append
  csrw CSR_MICECT, x0
  RESTORE

  .data
  .balign 1024
ext_table:                             /* meivt: handler per claim id */
  .word no_irq
  .rept 31
  .word src_handler
  .endr
  .balign 16
isr_log:      .space 32
log_count:    .word 0
last_mcause:  .word 0
last_mepc:    .word 0
hsave:        .space 32
