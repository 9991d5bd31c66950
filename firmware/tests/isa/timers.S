/* VeeR EL2 internal timers (PRM timers.md; el2_dec_timer_ctl in el2_dec_tlu_ctl.sv):
 * per cycle, match = (mitcnt >= mitb) pulses mitip for one cycle and clears the counter
 * the next cycle (whether it is enabled or not), else the counter increments when
 * enabled. So the period is mitb + 1 cycles. Interrupt causes 0x8000_001D (timer 0) and
 * 0x8000_001C (timer 1), timer 0 first when both pend. Cascade: mitcnt1 increments only
 * in cycles where timer 0 matches. halt_en: counting (and waking) while halted by mpmc. */
#include "isa_test.h"

  .option norvc
  .text
  .globl test_main
test_main:
  la t6, trap_frame
  lw t5, TF_VEER(t6)
  beqz t5, done
  la a0, timer_hook
  sw a0, TF_HOOK(t6)

  /* ---- reset: counting, bound 0xffffffff; mitctl masks ---- */
  TEST(1)
  csrr a0, CSR_MITCNT0
  nop
  csrr a1, CSR_MITCNT0
  bgeu a0, a1, 1f
  csrr a0, CSR_MITCNT1
  nop
  csrr a1, CSR_MITCNT1
  bltu a0, a1, 2f
1:
  FAIL_HERE
2:
  li a0, 0xffffffff
  csrw CSR_MITCTL0, a0
  CHECK_CSR(CSR_MITCTL0, 0x7)
  csrw CSR_MITCTL1, a0
  CHECK_CSR(CSR_MITCTL1, 0xf)

  /* ---- enable = 0 freezes the counter; writes land exactly ---- */
  TEST(2)
  csrwi CSR_MITCTL0, 0
  li a0, 1000
  csrw CSR_MITCNT0, a0
  nop
  nop
  CHECK_CSR(CSR_MITCNT0, 1000)
  csrwi CSR_MITCTL1, 0
  li a0, 0x12345678
  csrw CSR_MITCNT1, a0
  nop
  CHECK_CSR(CSR_MITCNT1, 0x12345678)
  li a0, 777
  csrw CSR_MITB0, a0
  CHECK_CSR(CSR_MITB0, 777)
  /* A disabled counter at or above its bound still clears (once): mitcnt0_ns. */
  li a0, 800
  csrw CSR_MITCNT0, a0
  nop
  nop
  CHECK_CSR(CSR_MITCNT0, 0)

  /* ---- the period is bound + 1: the interrupt comes every 101 cycles with mitb0 = 100 ---- */
  TEST(3)
  call tlog_reset
  li a0, 100
  csrw CSR_MITB0, a0
  csrwi CSR_MITCNT0, 0
  li a0, 1 << 29
  csrw mie, a0
  csrsi mstatus, MSTATUS_MIE
  csrwi CSR_MITCTL0, 1
3:
  la a0, tcount
  lw a0, 0(a0)
  li a1, 4
  blt a0, a1, 3b
  csrci mstatus, MSTATUS_MIE
  csrwi CSR_MITCTL0, 0
  la s0, tlog
  lw a0, 0(s0)
  lw a1, 4(s0)
  lw a2, 8(s0)
  lw a3, 12(s0)
  sub a4, a1, a0
  CHECK(a4, 101)
  sub a4, a2, a1
  CHECK(a4, 101)
  sub a4, a3, a2
  CHECK(a4, 101)
  la t6, last_cause
  lw a0, 0(t6)
  CHECK(a0, 0x8000001d)
  CHECK_TF(TF_TVAL, 0)
  CHECK_MSCAUSE(0)

  /* ---- cascade: with timer 0 stopped, each write of mitcnt0 = mitb0 is one match, so
   *      one increment of mitcnt1 ---- */
  TEST(4)
  csrw mie, x0
  li a0, 50
  csrw CSR_MITB0, a0
  li a0, -1
  csrw CSR_MITB1, a0
  csrwi CSR_MITCNT1, 0
  csrwi CSR_MITCTL1, 9                /* cascade | enable */
  nop
  nop
  CHECK_CSR(CSR_MITCNT1, 0)           /* no timer 0 match: no count */
  li a0, 50
  csrw CSR_MITCNT0, a0
  nop
  nop
  csrw CSR_MITCNT0, a0
  nop
  nop
  csrw CSR_MITCNT0, a0
  nop
  nop
  CHECK_CSR(CSR_MITCNT1, 3)
  CHECK_CSR(CSR_MITCNT0, 0)
  /* With timer 0 running, mitcnt1 counts its periods: 4 periods of 51 cycles. */
  csrwi CSR_MITCNT1, 0
  csrwi CSR_MITCNT0, 0
  csrwi CSR_MITCTL0, 1
  li a1, 0
  li a2, 50                           /* about 4 x 51 cycles of a 4-instruction loop */
4:
  addi a1, a1, 1
  nop
  nop
  bne a1, a2, 4b
  csrwi CSR_MITCTL0, 0
  csrr a0, CSR_MITCNT1
  li a1, 3
  bltu a0, a1, 5f
  li a1, 5
  bgeu a0, a1, 5f
  /* Timer 1's interrupt (cause 0x8000_001C) when mitcnt1 reaches mitb1 = 2. */
  call tlog_reset
  csrwi CSR_MITB1, 2
  csrwi CSR_MITCNT1, 0
  li a0, 1 << 28
  csrw mie, a0
  csrsi mstatus, MSTATUS_MIE
  li a0, 50
  csrw CSR_MITCNT0, a0
  nop
  nop
  nop
  csrw CSR_MITCNT0, a0
  nop
  nop
  nop
  csrci mstatus, MSTATUS_MIE
  la t6, tcount
  lw a0, 0(t6)
  CHECK(a0, 1)
  la t6, last_cause
  lw a0, 0(t6)
  CHECK(a0, 0x8000001c)
  csrwi CSR_MITCTL1, 0
  j 6f
5:
  mv t5, a0
  li t6, 4
  FAIL_HERE
6:

  /* ---- both pending: timer 0 first (PRM timers.md note) ---- */
  TEST(5)
  call tlog_reset
  csrwi CSR_MITCTL0, 1
  csrwi CSR_MITCTL1, 1
  csrwi CSR_MITB0, 0                  /* a zero bound matches every cycle */
  csrwi CSR_MITB1, 0
  li a0, (1 << 28) | (1 << 29)
  csrw mie, a0
  la a0, both_hook
  la t6, trap_frame
  sw a0, TF_HOOK(t6)
  csrsi mstatus, MSTATUS_MIE
  nop
  nop
  csrci mstatus, MSTATUS_MIE
  la s0, tcause
  lw a0, 0(s0)
  CHECK(a0, 0x8000001d)
  lw a0, 4(s0)
  CHECK(a0, 0x8000001c)
  la t6, tcount
  lw a0, 0(t6)
  CHECK(a0, 2)
  la a0, timer_hook
  la t6, trap_frame
  sw a0, TF_HOOK(t6)

  /* ---- halt_en: a timer counts while mpmc-halted only with halt_en, and its interrupt
   *      wakes the core (mepc = the instruction after the halting csrw) ---- */
  TEST(6)
  call tlog_reset
  li a0, 200
  csrw CSR_MITB0, a0
  csrwi CSR_MITCNT0, 0
  csrwi CSR_MITCTL0, 3                /* enable | halt_en */
  li a0, 1 << 29
  csrw mie, a0
  csrr s1, mcycle
  csrwi CSR_MPMC, 3                   /* halt, haltie: MIE <- 1 */
7:
  nop
  csrci mstatus, MSTATUS_MIE
  la t6, tcount
  lw a0, 0(t6)
  CHECK(a0, 1)
  la t6, last_cause
  lw a0, 0(t6)
  CHECK(a0, 0x8000001d)
  CHECK_TF_LABEL(TF_EPC, 7b)
  /* mcycle stops while halted (mcyclel_cout_in includes ~pmu_fw_halted), so far fewer
   * than the 200 cycles the timer needed passed on it. */
  la t6, tlog
  lw a0, 0(t6)
  sub a0, a0, s1
  li a1, 100
  bgeu a0, a1, 8f
  /* Without halt_en the timer stops during the halt; the testbench's software interrupt
   * (1000 cycles later) wakes the core instead. */
  call tlog_reset
  csrwi CSR_MITCTL0, 1
  csrwi CSR_MITCNT0, 0
  li a0, 1 << 3
  csrw mie, a0
  TB_WRITE(TB_DELAY, 1000)
  TB_WRITE(TB_MSIP, 1)
  csrwi CSR_MPMC, 3
  nop
  csrci mstatus, MSTATUS_MIE
  la t6, last_cause
  lw a0, 0(t6)
  CHECK(a0, 0x80000003)
  csrr a0, CSR_MITCNT0
  li a1, 200
  bgeu a0, a1, 8f
  csrw mie, x0
  j done
8:
  mv t5, a0
  mv t6, a1
  FAIL_HERE
done:
  j test_pass

tlog_reset:
  la t0, tcount
  sw zero, 0(t0)
  ret

/* Interrupt hook: log mcycle at entry, remember the cause. Software interrupts are
 * cleared at the testbench. */
timer_hook:
  csrr t1, mcycle
  la t0, tcount
  lw t2, 0(t0)
  slli a0, t2, 2
  addi t2, t2, 1
  sw t2, 0(t0)
  la t0, tlog
  add t0, t0, a0
  sw t1, 0(t0)
  csrr t1, mcause
  la t0, last_cause
  sw t1, 0(t0)
  li t0, 0x80000003
  bne t1, t0, 1f
  li t0, TB_BASE
  sw zero, TB_MSIP(t0)
1:
  ret

/* Both timers: log the cause and stop the timer that interrupted. */
both_hook:
  la t0, tcount
  lw t2, 0(t0)
  slli a0, t2, 2
  addi t2, t2, 1
  sw t2, 0(t0)
  csrr t1, mcause
  la t0, tcause
  add t0, t0, a0
  sw t1, 0(t0)
  li t0, 0x8000001d
  li t2, -1
  bne t1, t0, 1f
  csrw CSR_MITB0, t2
  csrw CSR_MITCNT0, x0
  ret
1:
  csrw CSR_MITB1, t2
  csrw CSR_MITCNT1, x0
  ret

  .data
  .balign 16
tcount:     .word 0
last_cause: .word 0
tlog:       .space 32
tcause:     .space 32
