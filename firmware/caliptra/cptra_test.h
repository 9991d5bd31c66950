/* A small library for test ROMs on the Caliptra core: console output and a verdict on
 * CPTRA_GENERIC_OUTPUT_WIRES[0], checks that report the first mismatch, waits bounded by
 * mtime, vector parsing, SHA padding, and interrupt-driven waiting through the VeeR PIC.
 *
 * A test ROM's main() calls t_suite(), then t_case() before each case and the t_* checks
 * in it, and returns t_done(): crt0_rom.S turns 0 into 0xFF (pass) on the output wire and
 * anything else into 0x01 (fail). Every case prints one line ("ok   <case>" or the failed
 * checks, "FAIL <case>: <what>: ..."). */
#pragma once
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "regs/intr.h"
#include "regs/pic.h"
#include "soc_ifc.h"

/* ---- console ---- */
void t_print(const char *s);
/* A printf subset: %s %c %d %u %x %X with an optional 0 flag and width (%08x), %%. */
void t_printf(const char *fmt, ...);
void t_vprintf(const char *fmt, va_list ap);

/* ---- cases and checks ---- */
void t_suite(const char *name);
void t_case(const char *name);
/* Ends the last case, prints the summary; the value main() returns (number of failed cases). */
int t_done(void);
/* Every check returns whether it held, and prints a FAIL line (naming the case) if not. */
bool t_fail(const char *fmt, ...);
bool t_true(const char *what, bool cond);
bool t_eq(const char *what, uint32_t actual, uint32_t expected);
/* Compares n words, reporting the first differing index with both values. */
bool t_words(const char *what, const uint32_t *actual, const uint32_t *expected, unsigned n);
/* Reads n consecutive registers from addr and compares them. */
bool t_reg_words(const char *what, uint32_t addr, const uint32_t *expected, unsigned n);
/* Polls addr until (value & mask) == want, for at most max_cycles core cycles (mtime). */
bool t_wait(const char *what, uint32_t addr, uint32_t mask, uint32_t want, uint32_t max_cycles);
/* A fatal problem in the test itself: print and fail at once. */
_Noreturn void t_abort(const char *fmt, ...);

/* ---- data ---- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
/* Hex text (whitespace ignored) to bytes / big-endian words; returns the count parsed and
 * aborts the test on a malformed string or one longer than max. */
unsigned hex_bytes(const char *hex, uint8_t *out, unsigned max);
unsigned hex_words(const char *hex, uint32_t *out, unsigned max);
/* Big-endian words from bytes (n bytes, a multiple of 4) and back. */
void be_words(const uint8_t *bytes, unsigned n, uint32_t *out);
void be_bytes(const uint32_t *words, unsigned n_words, uint8_t *out);

/* ---- MMIO helpers ---- */
void reg_write_words(uint32_t addr, const uint32_t *w, unsigned n);
void reg_read_words(uint32_t addr, uint32_t *w, unsigned n);
void reg_fill(uint32_t addr, uint32_t value, unsigned n);
uint64_t mtime_now(void);

/* ---- SHA-2 padding (FIPS 180-4 §5.1) ----
 * The padded message is msg (len bytes) preceded by prefix_bits already hashed (e.g. the
 * HMAC key block), in blocks of block_bytes (64 or 128): sha_blocks() says how many blocks
 * the padded tail takes and sha_block() writes block i as big-endian words. */
unsigned sha_blocks(size_t len, unsigned block_bytes);
void sha_block(const uint8_t *msg, size_t len, uint32_t prefix_bits, unsigned block_bytes, unsigned i,
               uint32_t *words);

/* ---- traps and interrupts ----
 * irq_init() installs one trap entry for exceptions, NMIs (internal_nmi_vector), the
 * machine timer and every PIC source (fast-redirect vector table in the DCCM), sets
 * meipt = 0 and enables machine external and timer interrupts; mstatus.MIE stays clear
 * except while irq_wait() / timer_wait() sleep.
 * A PIC source's handler records the source and masks it in meie: the waiter clears the
 * block's status and re-enables the source if it wants more. */
void irq_init(void);
void irq_enable(unsigned id, unsigned priority); /* level, active-high gateway */
void irq_disable(unsigned id);
/* Sleeps (wfi) until source id has interrupted or timeout_cycles have passed (mtime). */
bool irq_wait(unsigned id, uint32_t timeout_cycles);
/* Sleeps until the machine timer interrupt (mtime >= mtimecmp) or the timeout. */
bool timer_wait(uint64_t mtimecmp, uint32_t timeout_cycles);

extern volatile uint32_t irq_fired;       /* bit id: source id has interrupted */
extern volatile uint32_t irq_count[32];   /* interrupts taken per source */
extern volatile uint32_t timer_irqs;      /* machine timer interrupts taken */
extern volatile uint32_t timer_irq_mtime; /* low mtime word read in the timer handler */
extern volatile uint32_t nmi_count, nmi_mcause, nmi_mdseac;
/* Set before an instruction expected to trap: the handler records mcause/mtval, skips
 * the instruction and clears the flag. An unexpected exception fails the test. */
extern volatile uint32_t trap_expected, trap_mcause, trap_mtval;

static inline uint32_t csr_read_mstatus(void) {
  uint32_t v;
  __asm__ volatile("csrr %0, mstatus" : "=r"(v));
  return v;
}
#define CSR_READ(csr)                                       \
  ({                                                        \
    uint32_t v_;                                            \
    __asm__ volatile("csrr %0, " #csr : "=r"(v_)::"memory"); \
    v_;                                                     \
  })
#define CSR_WRITE(csr, v) __asm__ volatile("csrw " #csr ", %0" ::"r"((uint32_t)(v)) : "memory")
#define CSR_SET(csr, v) __asm__ volatile("csrs " #csr ", %0" ::"r"((uint32_t)(v)) : "memory")
#define CSR_CLEAR(csr, v) __asm__ volatile("csrc " #csr ", %0" ::"r"((uint32_t)(v)) : "memory")
