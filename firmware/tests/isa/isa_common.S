/* Start-up, trap handler, pass/fail exits and console of the ISA tests (see isa_test.h). */
#include "isa_test.h"

  .option norvc

  .section .text.init, "ax"
  .globl _start
_start:
  la sp, __stack_top
  la t0, trap_entry
  csrw mtvec, t0
  la t0, __bss_start
  la t1, __bss_end
1:
  bgeu t0, t1, 2f
  sw zero, 0(t0)
  addi t0, t0, 4
  j 1b
2:
  /* VeeR EL2 reads mvendorid = 0x45 (PRM "CSR Address Map"); QEMU's generic cpu reads 0. */
  csrr t0, mvendorid
  addi t0, t0, -0x45
  seqz t0, t0
  la t1, trap_frame
  sw t0, TF_VEER(t1)
  li TESTNUM, 0
  call test_main
  j test_pass

  .text
  .balign 64
  .globl trap_entry
trap_entry:
  csrw mscratch, t0
  la t0, trap_frame
  sw t1, TF_T1(t0)
  sw t2, TF_T2(t0)
  csrr t1, mcause
  sw t1, TF_CAUSE(t0)
  csrr t1, mepc
  sw t1, TF_EPC(t0)
  csrr t1, mtval
  sw t1, TF_TVAL(t0)
  csrr t1, mstatus
  sw t1, TF_STATUS(t0)
  li t1, 0
  lw t2, TF_VEER(t0)
  beqz t2, 1f
  csrr t1, CSR_MSCAUSE
1:
  sw t1, TF_MSCAUSE(t0)
  lw t1, TF_COUNT(t0)
  addi t1, t1, 1
  sw t1, TF_COUNT(t0)
  lw t1, TF_RESUME(t0)
  beqz t1, 2f
  /* An expected trap: resume at the armed continuation, in M-mode. */
  sw zero, TF_RESUME(t0)
  csrw mepc, t1
  li t1, MSTATUS_MPP
  csrs mstatus, t1
  j trap_return
2:
  lw t1, TF_CAUSE(t0)
  bgez t1, trap_unexpected
  lw t1, TF_HOOK(t0)
  beqz t1, trap_unexpected
  /* An interrupt with a hook installed: call it, then return to the interrupted code. */
  sw ra, TF_RA(t0)
  sw a0, TF_A0(t0)
  jalr t1
  la t0, trap_frame
  lw ra, TF_RA(t0)
  lw a0, TF_A0(t0)
trap_return:
  lw t1, TF_T1(t0)
  lw t2, TF_T2(t0)
  csrr t0, mscratch
  mret

trap_unexpected:
  la a0, msg_trap
  call puts
  la t0, trap_frame
  lw a0, TF_CAUSE(t0)
  call puthex
  la a0, msg_epc
  call puts
  la t0, trap_frame
  lw a0, TF_EPC(t0)
  call puthex
  la a0, msg_tval
  call puts
  la t0, trap_frame
  lw a0, TF_TVAL(t0)
  call puthex
  la a0, msg_test
  call puts
  mv a0, TESTNUM
  call puthex
  li a0, '\n'
  call putc
  j exit_testnum

/* t4 = line, t5 = actual, t6 = expected. */
  .globl test_fail
test_fail:
  mv s9, t4
  mv s10, t5
  mv s11, t6
  la a0, msg_fail
  call puts
  mv a0, TESTNUM
  call puthex
  la a0, msg_line
  call puts
  mv a0, s9
  call putdec
  la a0, msg_got
  call puts
  mv a0, s10
  call puthex
  la a0, msg_exp
  call puts
  mv a0, s11
  call puthex
  li a0, '\n'
  call putc
exit_testnum:
  /* The exit status is the test number; keep it in 1..255 so a process status never wraps to 0. */
  mv a0, TESTNUM
  li t0, 255
  beqz a0, 1f
  bleu a0, t0, 2f
1:
  li a0, 255
2:
  j htif_exit

  .globl test_pass
test_pass:
  li a0, 0
  .globl htif_exit
htif_exit:
  slli a0, a0, 1
  ori a0, a0, 1
  la t0, tohost
  sw a0, 0(t0)
  sw zero, 4(t0)
1:
  j 1b

/* Console through HTIF device 1, command 1 (one character); waits for the host's ack. */
  .globl putc
putc:
  la t0, tohost
1:
  lw t1, 0(t0)
  lw t2, 4(t0)
  or t1, t1, t2
  bnez t1, 1b
  andi a0, a0, 0xFF
  sw a0, 0(t0)
  li t1, 0x01010000
  sw t1, 4(t0)
  la t0, fromhost
2:
  lw t1, 0(t0)
  lw t2, 4(t0)
  or t1, t1, t2
  beqz t1, 2b
  sw zero, 0(t0)
  sw zero, 4(t0)
  ret

  .globl puts
puts:
  addi sp, sp, -16
  sw ra, 0(sp)
  sw s0, 4(sp)
  mv s0, a0
1:
  lbu a0, 0(s0)
  beqz a0, 2f
  call putc
  addi s0, s0, 1
  j 1b
2:
  lw ra, 0(sp)
  lw s0, 4(sp)
  addi sp, sp, 16
  ret

  .globl puthex
puthex:
  addi sp, sp, -16
  sw ra, 0(sp)
  sw s0, 4(sp)
  sw s1, 8(sp)
  mv s0, a0
  li a0, '0'
  call putc
  li a0, 'x'
  call putc
  li s1, 28
1:
  srl a0, s0, s1
  andi a0, a0, 15
  la t0, hexdigits
  add t0, t0, a0
  lbu a0, 0(t0)
  call putc
  addi s1, s1, -4
  bgez s1, 1b
  lw ra, 0(sp)
  lw s0, 4(sp)
  lw s1, 8(sp)
  addi sp, sp, 16
  ret

  .globl putdec
putdec:
  addi sp, sp, -32
  sw ra, 0(sp)
  sw s0, 4(sp)
  sw s1, 8(sp)
  mv s0, a0
  addi s1, sp, 28
  sb zero, 0(s1)
1:
  li t0, 10
  remu t1, s0, t0
  divu s0, s0, t0
  addi t1, t1, '0'
  addi s1, s1, -1
  sb t1, 0(s1)
  bnez s0, 1b
  mv a0, s1
  call puts
  lw ra, 0(sp)
  lw s0, 4(sp)
  lw s1, 8(sp)
  addi sp, sp, 32
  ret

  .section .rodata
hexdigits: .ascii "0123456789abcdef"
msg_trap: .asciz "unexpected trap: mcause="
msg_epc:  .asciz " mepc="
msg_tval: .asciz " mtval="
msg_test: .asciz " test="
msg_fail: .asciz "FAIL test="
msg_line: .asciz " line "
msg_got:  .asciz ": got "
msg_exp:  .asciz " expected "

  .data
  .balign 64
  .globl trap_frame
trap_frame:
  .space TF_SIZE

  .section .tohost, "aw", @progbits
  .balign 64
  .globl tohost
tohost: .dword 0
  .size tohost, 8            /* QEMU's HTIF insists on an 8-byte symbol */
  .balign 64
  .globl fromhost
fromhost: .dword 0
  .size fromhost, 8
