/* Reset entry of our test ROMs: gp, sp, copy .data to DCCM, clear .bss, main(), then
   report the result on the output wire (0xFF pass, 0x01 fail) and sleep. */
  .section .text.init, "ax"
  .globl _start
_start:
  .option push
  .option norelax
  la   gp, __global_pointer$
  .option pop
  la   sp, __stack_top
  la   t0, __data_load
  la   t1, __data_start
  la   t2, __data_end
1: bgeu t1, t2, 2f
  lw   t3, 0(t0)
  sw   t3, 0(t1)
  addi t0, t0, 4
  addi t1, t1, 4
  j    1b
2: la   t0, __bss_start
  la   t1, __bss_end
3: bgeu t0, t1, 4f
  sw   zero, 0(t0)
  addi t0, t0, 4
  j    3b
4: call main
  li   t0, 0x300300CC
  li   t1, 0xFF
  beqz a0, 5f
  li   t1, 0x01
5: sw   t1, 0(t0)
6: wfi
  j    6b
