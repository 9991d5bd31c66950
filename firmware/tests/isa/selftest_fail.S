/* A self-checking program that fails on purpose: test 7 compares 1 + 1 with 3. Its
 * ctest (isa_selftest_fail) passes only if run-elf's exit status is exactly 7, the
 * failing test number the program reports through HTIF tohost. */
#include "isa_test.h"

  .text
  .globl test_main
test_main:
  TEST(6)
  li a0, 1
  addi a0, a0, 1
  CHECK(a0, 2)
  TEST(7)
  CHECK(a0, 3)
  j test_pass
