/* For the CLI test: point mtvec at an address with no memory and trap. The core cannot
 * fetch its own trap handler, so run-elf must stop with "fatal" (exit status 5). */
#include "isa_test.h"

  .text
  .globl test_main
test_main:
  li a0, 0x20000000
  csrw mtvec, a0
  ecall
  j test_pass
