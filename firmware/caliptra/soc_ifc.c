#include "soc_ifc.h"

void cptra_putc(char c) {
  const uint32_t toggle = (mmio_read(CPTRA_GENERIC_OUTPUT_WIRES0) ^ 0x100u) & 0x100u;
  mmio_write(CPTRA_GENERIC_OUTPUT_WIRES0, toggle | (uint8_t)c);
}

void cptra_puts(const char *s) {
  while (*s) cptra_putc(*s++);
}

void cptra_put_hex32(uint32_t v) {
  cptra_puts("0x");
  for (int shift = 28; shift >= 0; shift -= 4) cptra_putc("0123456789abcdef"[(v >> shift) & 0xF]);
}

void cptra_set_boot_status(uint32_t status) { mmio_write(CPTRA_BOOT_STATUS, status); }

void cptra_report_ready_for_runtime(void) {
  mmio_write(CPTRA_FLOW_STATUS, mmio_read(CPTRA_FLOW_STATUS) | FLOW_STATUS_READY_FOR_RUNTIME);
}

void cptra_stop_wdt(void) {
  mmio_write(CPTRA_WDT_TIMER1_EN, 0);
  mmio_write(CPTRA_WDT_TIMER2_EN, 0);
}

_Noreturn void cptra_idle(void) {
  for (;;) __asm__ volatile("wfi");
}

_Noreturn void cptra_exit(int pass) {
  mmio_write(CPTRA_GENERIC_OUTPUT_WIRES0, pass ? 0xFFu : 0x01u);
  cptra_idle();
}
