/* Self-modifying code, for the translation tier's differential test (jit_diff_test.cpp).
   Each check that fails exits with its number; 0 means all passed. Expected values follow
   from the instructions written (RISC-V unprivileged spec); calemu makes stores to code
   visible to the next instruction, with or without fence.i. */
  .equ TB, 0xF0000000
  .equ TB_EXIT, 0x1C

  .option norvc
  .section .text.init, "ax"
  .globl _start
_start:
  la sp, __stack_top
  la t0, unexpected_trap
  csrw mtvec, t0

  /* 1. A function patched between two calls. */
  li s11, 1
  call patchme
  li t0, 1
  bne a0, t0, fail
  la t1, patchme
  lw t2, addi_a0_7
  sw t2, 0(t1)
  call patchme
  li t0, 7
  bne a0, t0, fail

  /* 2. A store to the very next instruction of the same block. */
  li s11, 2
  la t1, 2f
  lw t2, addi_a1_9
  sw t2, 0(t1)
2:
  addi a1, zero, 3
  li t0, 9
  bne a1, t0, fail

  /* 3. A loop that rewrites its own body after 100 of its 200 iterations:
     100 * 1 + 100 * 5 = 600. */
  li s11, 3
  li a2, 0
  li a3, 0
  li a4, 200
  la t1, 3f
  lw t2, addi_a2_5
3:
  addi a2, a2, 1
  addi a3, a3, 1
  li t0, 100
  bne a3, t0, 4f
  sw t2, 0(t1)
4:
  blt a3, a4, 3b
  li t0, 600
  bne a2, t0, fail

  /* 4. A halfword store that replaces a compressed instruction. */
  li s11, 4
  la t1, 5f
  lhu t2, c_li_a5_11
  sh t2, 0(t1)
  .option rvc
5:
  c.li a5, 3
  .option norvc
  li t0, 11
  bne a5, t0, fail

  /* 5. Code copied to a buffer on another page, run, changed, run again. */
  li s11, 5
  la a0, copy_src
  la a1, code_buf
  la a2, copy_src_end
6:
  lw t0, 0(a0)
  sw t0, 0(a1)
  addi a0, a0, 4
  addi a1, a1, 4
  bltu a0, a2, 6b
  fence.i
  la t1, code_buf
  jalr t1
  li t0, 42
  bne a0, t0, fail
  la t1, code_buf
  lw t2, addi_a0_43
  sw t2, 0(t1)
  fence.i
  jalr t1
  li t0, 43
  bne a0, t0, fail

  /* 6. Data stores into the code page: nothing changes but the data. */
  li s11, 6
  la t1, data_in_text
  li a3, 0
  li a4, 0
7:
  sw a3, 0(t1)
  lw t0, 0(t1)
  add a4, a4, t0
  addi a3, a3, 1
  li t0, 1000
  bne a3, t0, 7b
  li t0, 499500
  bne a4, t0, fail

  /* 7. A byte store into the immediate of the next block's first instruction:
     addi a0, zero, 1 (0x00100513) with byte 3 = 0x40 is addi a0, zero, 0x401. */
  li s11, 7
  la t1, 8f
  li t2, 0x40
  sb t2, 3(t1)
  j 8f
8:
  addi a0, zero, 1
  li t0, 0x401
  bne a0, t0, fail

pass:
  li a0, 0
  j exit
fail:
  mv a0, s11
exit:
  li t0, TB
  sw a0, TB_EXIT(t0)
9:
  j 9b

unexpected_trap:
  li a0, 99
  j exit

patchme:
  addi a0, zero, 1
  ret

  .balign 4
data_in_text:
  .word 0

copy_src:
  addi a0, zero, 42
  ret
copy_src_end:

  .data
  .balign 4
addi_a0_7:
  addi a0, zero, 7
addi_a1_9:
  addi a1, zero, 9
addi_a2_5:
  addi a2, a2, 5
addi_a0_43:
  addi a0, zero, 43
  .option rvc
c_li_a5_11:
  c.li a5, 11
  .option norvc

  .bss
  .balign 4096
code_buf:
  .space 64
