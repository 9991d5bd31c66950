/* Entry of our test FMC / runtime: the ROM (or the FMC) jumps here with no stack we may
 * rely on. Only code and read-only data live in ICCM (locked against writes once the ROM
 * hands over), so there is no .data or .bss to set up; the stack is in DCCM (STACK_TOP). */
  .section .text.init, "ax"
  .globl _start
_start:
  li   sp, STACK_TOP
  call main
1:wfi
  j    1b
