#include "htif.h"

volatile uint64_t tohost __attribute__((section(".tohost"), aligned(64)));
volatile uint64_t fromhost __attribute__((section(".tohost"), aligned(64)));

/* Device 1 (console), command 1 (write): tohost = 1 << 56 | 1 << 48 | c. */
void htif_putc(char c) {
  while (tohost) {}
  tohost = (1ull << 56) | (1ull << 48) | (uint8_t)c;
  while (fromhost == 0) {}
  fromhost = 0;
}
void htif_puts(const char *s) { while (*s) htif_putc(*s++); }
void htif_put_hex(uint32_t v) {
  htif_puts("0x");
  for (int i = 28; i >= 0; i -= 4) htif_putc("0123456789abcdef"[(v >> i) & 15]);
}
void htif_put_dec(uint32_t v) {
  char buf[11];
  int n = 0;
  do { buf[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  while (n) htif_putc(buf[--n]);
}
void htif_exit(int code) {
  tohost = ((uint32_t)code << 1) | 1;
  for (;;) {}
}
