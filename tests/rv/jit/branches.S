/* Branches over a single instruction, which the translation tier turns into conditional
   moves (jit_diff_test.cpp compares the final state with the interpreter's). Every branch
   kind skips every kind of simple ALU instruction, with operands in many registers (more
   than the translator keeps in host registers), x0 on either side, rd = x0 and rd equal
   to a branch operand. s0 folds in every result; gp is an LCG, tp its multiplier. */
  .equ TB, 0xF0000000
  .equ TB_EXIT, 0x1C

  /* s0 = s0 * 31 + rd after each hammock */
  .macro FOLD rd
  slli t6, s0, 5
  sub s0, t6, s0
  add s0, s0, \rd
  .endm
  .macro SKIP3 br, a, b, op, rd, x, y
  \br \a, \b, 1f
  \op \rd, \x, \y
1:
  FOLD \rd
  .endm
  .macro SKIP2 br, a, b, op, rd, x
  \br \a, \b, 1f
  \op \rd, \x
1:
  FOLD \rd
  .endm

  .section .text.init, "ax"
  .globl _start
_start:
  li s0, 0
  li gp, 12345
  li tp, 1103515245
  li s11, 300
loop:
  .irp r, a0, a1, a2, a3, a4, a5, a6, a7, t0, t1, t2, t3, t4, t5, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10
  mul gp, gp, tp
  addi gp, gp, 123
  xor \r, \r, gp
  .endr
  /* small values, so equal and signed/unsigned-different comparisons happen often */
  andi a0, a0, 3
  andi a1, a1, 3
  srai s2, s2, 30
  srai s3, s3, 30
  .irp br, beq, bne, blt, bge, bltu, bgeu
  SKIP3 \br, a0, a1, add, a2, a2, a3
  SKIP3 \br, a1, zero, xor, a4, a4, a0
  SKIP3 \br, zero, a0, sub, a5, a1, a5
  SKIP3 \br, a3, a4, addi, a3, a3, 5
  SKIP3 \br, s2, s3, slli, s4, s4, 3
  SKIP3 \br, s5, s2, srai, s7, s5, 7
  SKIP3 \br, s8, s3, srli, s10, s9, 9
  SKIP3 \br, t0, a0, andi, t2, t3, 0x5a5
  SKIP3 \br, t4, t5, ori, s1, s1, -3
  SKIP3 \br, a6, a7, xori, a6, a7, 0x7ff
  SKIP3 \br, a0, a5, or, zero, a1, a2
  SKIP3 \br, s1, s2, and, s3, s3, s4
  SKIP3 \br, s6, s6, sub, s6, s6, t1
  SKIP2 \br, a7, s3, lui, t3, 0xabcde
  .endr
  /* A hammock at the entry of a translation unit (an indirect jump's target) whose skipped
     instruction writes a register nothing before it reads: a taken branch keeps the old value,
     which the entry must load. */
  la t6, 3f
  jr t6
3:
  .irp br, beq, bne, bltu
  \br a0, a1, 4f
  srai s7, s5, 7
4:
  .endr
  FOLD s7
  addi s11, s11, -1
  bnez s11, loop
  li t0, TB
  sw zero, TB_EXIT(t0)
2:
  j 2b
