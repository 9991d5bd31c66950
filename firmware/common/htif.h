/* Spike HTIF console and exit for our bare-metal programs (calemu run-elf, Spike). */
#pragma once
#include <stdint.h>
void htif_putc(char c);
void htif_puts(const char *s);
void htif_put_hex(uint32_t v);
void htif_put_dec(uint32_t v);
void htif_exit(int code) __attribute__((noreturn));
static inline uint64_t rdinstret(void) {
  uint32_t hi, lo, hi2;
  do {
    __asm__ volatile("csrr %0, minstreth" : "=r"(hi));
    __asm__ volatile("csrr %0, minstret" : "=r"(lo));
    __asm__ volatile("csrr %0, minstreth" : "=r"(hi2));
  } while (hi != hi2);
  return ((uint64_t)hi << 32) | lo;
}
