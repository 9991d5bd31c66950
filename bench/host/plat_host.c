/* Host build of the bench kernels: same workloads, printing through stdio. */
#include <stdio.h>
#include <stdlib.h>
#include "plat.h"
void plat_puts(const char *s) { fputs(s, stdout); }
void plat_exit(int code) { exit(code); }
uint64_t plat_instret(void) { return 0; }
