/* Halt, wake-up, wfi and NMI. VeeR EL2 PRM power.md ("Power Management Control Register",
 * "Core Wake-Up Events", "External Interrupts While Halted"), memory-map.md ("Non-Maskable
 * Interrupt (NMI) Signal and Vector"), el2_dec_tlu_ctl.sv (i_cpu_run_req_d1, take_nmi,
 * mtval_clear_r, mcyclel_cout_in). Run with --no-fast-irq so external interrupts reach
 * mtvec. The testbench block (src/machine/testbench.h) raises the inputs, optionally after
 * DELAY cycles; its CYCLE_LO register tells the time.
 *  - mpmc.halt halts; haltie also sets mstatus.MIE, which stays set after the wake-up;
 *  - wake-up: NMI, or (with interrupts enabled) a software, timer or internal-timer
 *    interrupt, or an external one at the wake-up priority (15) only;
 *  - mcycle does not count while halted;
 *  - NMI: to nmi_vec whatever mtvec says, mcause 0, mepc = the next instruction, mtval 0,
 *    MIE -> MPIE, MIE = 0, not maskable;
 *  - wfi: calemu sleeps until an interrupt enabled in mie pends (docs/hart.md; VeeR's own
 *    wfi is a no-op, which the ISA also allows), and then resumes or traps. */
#include "isa_test.h"

  .option norvc

#define TB_CYCLE_LO 0x24
#define NOW(rd) li t5, TB_BASE; lw rd, TB_CYCLE_LO(t5)

  .text
  .globl test_main
test_main:
  la t6, trap_frame
  lw t5, TF_VEER(t6)
  beqz t5, done
  la a0, irq_hook
  sw a0, TF_HOOK(t6)
  la a0, nmi_handler
  li t5, TB_BASE
  sw a0, TB_NMI_VECTOR(t5)

  /* ---- mpmc halt + haltie, woken by a software interrupt 1000 cycles later ---- */
  TEST(1)
  call log_reset
  li a0, 1 << 3
  csrw mie, a0
  csrci mstatus, MSTATUS_MIE
  NOW(s2)
  TB_WRITE(TB_DELAY, 1000)
  TB_WRITE(TB_MSIP, 1)
  csrr s1, mcycle
  csrwi CSR_MPMC, 3                   /* halt, haltie */
1:
  csrr s3, mcycle
  NOW(s4)
  la t6, log
  lw a0, 0(t6)
  CHECK(a0, 0x80000003)
  la t6, last_epc
  lw a0, 0(t6)
  CHECK_LABEL(a0, 1b)
  csrr a0, mstatus                    /* MIE set by haltie stays set */
  andi a0, a0, MSTATUS_MIE
  CHECK(a0, MSTATUS_MIE)
  CHECK_CSR(CSR_MPMC, 2)              /* halt reads 0 */
  csrci mstatus, MSTATUS_MIE
  sub a0, s4, s2                      /* the wall clock passed the 1000 cycles ... */
  li a1, 1000
  bltu a0, a1, 9f
  sub a0, s3, s1                      /* ... mcycle did not */
  li a1, 100
  bgeu a0, a1, 9f

  /* ---- with interrupts disabled a pending software interrupt does not wake the core;
   *      the NMI does ---- */
  TEST(2)
  call log_reset
  TB_WRITE(TB_MSIP, 1)                /* pending and enabled in mie, but MIE = 0 */
  NOW(s2)
  TB_WRITE(TB_DELAY, 500)
  TB_WRITE(TB_NMI, 1)
  csrwi CSR_MPMC, 1                   /* halt, haltie = 0 */
2:
  NOW(s4)
  CHECK_CSR(CSR_MPMC, 0)
  la t6, log
  lw a0, 0(t6)
  CHECK(a0, 0)                        /* NMI: mcause 0 */
  la t6, log_count
  lw a0, 0(t6)
  CHECK(a0, 1)
  la t6, last_epc
  lw a0, 0(t6)
  CHECK_LABEL(a0, 2b)
  sub a0, s4, s2
  li a1, 500
  bltu a0, a1, 9f
  CHECK_CSR(mip, 1 << 3)              /* the software interrupt is still pending */
  TB_WRITE(TB_MSIP, 0)
  li a0, 2
  csrw CSR_MPMC, a0

  /* ---- the NMI itself: not maskable, to nmi_vec even with vectored mtvec; mcause 0,
   *      mtval 0, mscause 0, MIE -> MPIE ---- */
  TEST(3)
  call log_reset
  li a0, 0x55
  csrw mtval, a0
  la a0, vec_table + 1
  csrw mtvec, a0
  csrsi mstatus, MSTATUS_MIE
  TB_WRITE(TB_NMI, 1)
3:
  nop
  csrci mstatus, MSTATUS_MIE
  la a0, trap_entry
  csrw mtvec, a0
  la t6, log
  lw a0, 0(t6)
  CHECK(a0, 0)
  la t6, last_epc
  lw a0, 0(t6)
  CHECK_LABEL(a0, 3b)
  la t6, nmi_tval
  lw a0, 0(t6)
  CHECK(a0, 0)
  la t6, nmi_mscause
  lw a0, 0(t6)
  CHECK(a0, 0)
  la t6, nmi_status
  lw a0, 0(t6)
  andi a0, a0, MSTATUS_MIE | MSTATUS_MPIE
  CHECK(a0, MSTATUS_MPIE)
  /* With MIE = 0 as well. */
  call log_reset
  TB_WRITE(TB_NMI, 1)
4:
  nop
  la t6, log_count
  lw a0, 0(t6)
  CHECK(a0, 1)
  la t6, last_epc
  lw a0, 0(t6)
  CHECK_LABEL(a0, 4b)

  /* ---- external interrupts wake the halted core only at priority 15 (mhwakeup);
   *      a lower one waits for another wake-up, here internal timer 0 with halt_en ---- */
  TEST(4)
  call log_reset
  PIC_WRITE(PIC_MEIPL(5), 14)
  PIC_WRITE(PIC_MEIE(5), 1)
  PIC_WRITE(PIC_MEIPL(6), 15)
  PIC_WRITE(PIC_MEIE(6), 1)
  li a0, 3000
  csrw CSR_MITB0, a0
  csrwi CSR_MITCNT0, 0
  csrwi CSR_MITCTL0, 3                /* enable | halt_en */
  li a0, (1 << 11) | (1 << 29)
  csrw mie, a0
  NOW(s2)
  TB_WRITE(TB_DELAY, 500)
  TB_WRITE(TB_IRQ_SET, 5)
  csrwi CSR_MPMC, 3
  NOW(s4)
  csrci mstatus, MSTATUS_MIE
  la s0, log
  lw a0, 0(s0)
  CHECK(a0, 0x8000000b)               /* once awake, the external interrupt goes first */
  lw a0, 4(s0)
  CHECK(a0, 0x8000001d)
  sub a0, s4, s2                      /* woken by the timer (~3000), not at 500 */
  li a1, 2900
  bltu a0, a1, 9f
  call log_reset
  csrwi CSR_MITCTL0, 1                /* no halt_en: only the PIC can wake us now */
  NOW(s2)
  TB_WRITE(TB_DELAY, 500)
  TB_WRITE(TB_IRQ_SET, 6)
  csrwi CSR_MPMC, 3
  NOW(s4)
  csrci mstatus, MSTATUS_MIE
  la t6, log
  lw a0, 0(t6)
  CHECK(a0, 0x8000000b)
  sub a0, s4, s2
  li a1, 500
  bltu a0, a1, 9f
  li a1, 1000
  bgeu a0, a1, 9f

  /* ---- the machine timer interrupt wakes too ---- */
  TEST(5)
  call log_reset
  li a0, 1 << 7
  csrw mie, a0
  TB_WRITE(TB_DELAY, 200)
  TB_WRITE(TB_MTIP, 1)
  csrwi CSR_MPMC, 3
  csrci mstatus, MSTATUS_MIE
  la t6, log
  lw a0, 0(t6)
  CHECK(a0, 0x80000007)

  /* ---- wfi with MIE = 0: sleeps until an interrupt enabled in mie pends, then goes on
   *      without a trap (priv spec 3.3.3) ---- */
  TEST(6)
  call log_reset
  li a0, 1 << 3
  csrw mie, a0
  NOW(s2)
  TB_WRITE(TB_DELAY, 300)
  TB_WRITE(TB_MSIP, 1)
  wfi
  NOW(s4)
  CHECK_CSR(mip, 1 << 3)
  la t6, log_count
  lw a0, 0(t6)
  CHECK(a0, 0)
  sub a0, s4, s2                      /* calemu sleeps in wfi (docs/hart.md) */
  li a1, 300
  bltu a0, a1, 9f
  TB_WRITE(TB_MSIP, 0)
  /* With MIE = 1 the interrupt is taken, mepc = the instruction after the wfi. */
  TB_WRITE(TB_DELAY, 300)
  TB_WRITE(TB_MSIP, 1)
  csrsi mstatus, MSTATUS_MIE
  wfi
5:
  csrci mstatus, MSTATUS_MIE
  la t6, log
  lw a0, 0(t6)
  CHECK(a0, 0x80000003)
  la t6, last_epc
  lw a0, 0(t6)
  CHECK_LABEL(a0, 5b)
  csrw mie, x0
done:
  j test_pass
9:
  mv t5, a0
  mv t6, a1
  FAIL_HERE

log_reset:
  la t0, log_count
  sw zero, 0(t0)
  la t0, log
  sw zero, 0(t0)
  sw zero, 4(t0)
  ret

/* a0 = mcause -> log; records mepc. Uses t0, t1. */
log_cause:
  la t0, log_count
  lw t1, 0(t0)
  addi t1, t1, 1
  sw t1, 0(t0)
  slli t1, t1, 2
  la t0, log - 4
  add t0, t0, t1
  sw a0, 0(t0)
  csrr t1, mepc
  la t0, last_epc
  sw t1, 0(t0)
  ret

/* Interrupt hook (via the default handler): log and clear the source. */
irq_hook:
  mv t2, ra
  csrr a0, mcause
  call log_cause
  csrr a0, mcause
  li t0, 0x80000003
  bne a0, t0, 1f
  li t0, TB_BASE
  sw zero, TB_MSIP(t0)
1:
  li t0, 0x80000007
  bne a0, t0, 2f
  li t0, TB_BASE
  sw zero, TB_MTIP(t0)
2:
  li t0, 0x8000000b
  bne a0, t0, 3f
  csrw CSR_MEICPCT, x0                /* clear whichever source won */
  csrr t1, CSR_MEIHAP
  srli t1, t1, 2
  andi t1, t1, 0xff
  li t0, TB_BASE
  sw t1, TB_IRQ_CLEAR(t0)
3:
  li t0, 0x8000001d
  bne a0, t0, 4f
  csrwi CSR_MITCTL0, 0
4:
  mv ra, t2
  ret

/* The NMI handler (nmi_vec): record, return. */
nmi_handler:
  csrw mscratch, t0
  la t0, nsave
  sw t1, 0(t0)
  sw a0, 4(t0)
  sw ra, 8(t0)
  csrr t1, mtval
  la t0, nmi_tval
  sw t1, 0(t0)
  csrr t1, CSR_MSCAUSE
  la t0, nmi_mscause
  sw t1, 0(t0)
  csrr t1, mstatus
  la t0, nmi_status
  sw t1, 0(t0)
  csrr a0, mcause
  call log_cause
  la t0, nsave
  lw t1, 0(t0)
  lw a0, 4(t0)
  lw ra, 8(t0)
  csrr t0, mscratch
  mret

  .balign 64
vec_table:
  .rept 32
  j vec_wrong
  .endr
vec_wrong:
  li t4, __LINE__
  j test_fail

  .data
  .balign 16
log:         .space 16
log_count:   .word 0
last_epc:    .word 0
nmi_tval:    .word 0
nmi_mscause: .word 0
nmi_status:  .word 0
nsave:       .space 16
