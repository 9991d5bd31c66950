/* Timing-sensitive events for the translation tier's differential test (jit_diff_test.cpp):
   timer interrupts raised after 1..61 cycles land anywhere inside translated blocks; the
   handler folds mepc, minstret and mcycle into a checksum (s0), and the work loop folds in
   the device-visible cycle counter (an MMIO read), misaligned loads, access faults and a
   stretch of U-mode code. Both tiers must end with identical state. */
  .equ TB, 0xF0000000
  .equ TB_MTIP, 0x0C
  .equ TB_DELAY, 0x14
  .equ TB_EXIT, 0x1C
  .equ TB_CYCLE_LO, 0x24
  .equ UNMAPPED, 0x10000000

  /* Registers: s0 checksum, s1 interrupts taken, s2 delay seed, s3 testbench base,
     s4-s7 belong to the trap handler; the work loops use a0-a4 and t0-t2. */

  .section .text.init, "ax"
  .globl _start
_start:
  la sp, __stack_top
  la t0, trap
  csrw mtvec, t0
  li s0, 0
  li s1, 0
  li s2, 1
  li s3, TB
  li t0, 5
  sw t0, TB_DELAY(s3)
  li t0, 1
  sw t0, TB_MTIP(s3)
  li t0, 0x80
  csrs mie, t0
  csrsi mstatus, 8

work:
  la a0, buf
  li a1, 256
1:
  lw a2, 0(a0)
  add a2, a2, a1
  xor s0, s0, a2
  slli t1, s0, 3
  srli t2, s0, 29
  or s0, t1, t2
  sw a2, 0(a0)
  addi a0, a0, 4
  addi a1, a1, -1
  andi t0, a1, 63
  bnez t0, 2f
  lw t0, TB_CYCLE_LO(s3)
  add s0, s0, t0
  lw t0, 1(a0)
  add s0, s0, t0
2:
  bnez a1, 1b
  li t0, 300
  blt s1, t0, work

  /* Faults from translated code: the handler skips the 4-byte instruction. */
  .option push
  .option norvc
  li a3, UNMAPPED
  li a4, 40
3:
  lw t0, 0(a3)
  sw a4, 4(a3)
  addi a4, a4, -1
  bnez a4, 3b
  .option pop

  /* U-mode: one PMP entry opens everything; the U code leaves with ecall. */
  li t0, -1
  csrw pmpaddr0, t0
  li t0, 0x1F
  csrw pmpcfg0, t0
  la t0, user_code
  csrw mepc, t0
  li t0, 0x1800
  csrc mstatus, t0
  mret
back_in_m:
  li t0, 0
  sw t0, TB_MTIP(s3)
  li t0, 0
  sw t0, TB_EXIT(s3)
4:
  j 4b

user_code:
  la a0, buf
  li a1, 2000
5:
  lw a2, 0(a0)
  addi a2, a2, 3
  sw a2, 0(a0)
  xor s0, s0, a2
  addi a0, a0, 4
  andi t0, a1, 255
  bnez t0, 6f
  la a0, buf
  lw t0, TB_CYCLE_LO(s3)
  add s0, s0, t0
6:
  addi a1, a1, -1
  bnez a1, 5b
  ecall

  .balign 64
trap:
  csrr s4, mcause
  bltz s4, irq
  csrr s5, mepc
  csrr s6, mtval
  add s0, s0, s4
  xor s0, s0, s5
  add s0, s0, s6
  csrr s6, minstret
  xor s0, s0, s6
  li s6, 8
  beq s4, s6, from_user
  addi s5, s5, 4
  csrw mepc, s5
  mret
from_user:
  la s5, back_in_m
  csrw mepc, s5
  li s5, 0x1800
  csrs mstatus, s5
  mret

irq:
  csrr s5, mepc
  add s0, s0, s5
  csrr s5, minstret
  xor s0, s0, s5
  csrr s5, mcycle
  add s0, s0, s5
  addi s1, s1, 1
  sw zero, TB_MTIP(s3)
  addi s2, s2, 1
  li s5, 7
  mul s5, s2, s5
  li s6, 61
  remu s5, s5, s6
  addi s5, s5, 1
  sw s5, TB_DELAY(s3)
  li s5, 1
  sw s5, TB_MTIP(s3)
  mret

  .bss
  .balign 16
buf:
  .space 1040
