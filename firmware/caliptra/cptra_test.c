#include "cptra_test.h"

/* ---------------------------------------------------------------------------------------
 * Console */

void t_print(const char *s) { cptra_puts(s); }

static void put_unsigned(uint32_t v, unsigned base, bool upper, unsigned width, char pad) {
  char buf[12];
  unsigned n = 0;
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    buf[n++] = digits[v % base];
    v /= base;
  } while (v);
  while (n < width && n < sizeof buf) buf[n++] = pad;
  while (n) cptra_putc(buf[--n]);
}

void t_vprintf(const char *fmt, va_list ap) {
  for (; *fmt; ++fmt) {
    if (*fmt != '%') {
      cptra_putc(*fmt);
      continue;
    }
    ++fmt;
    char pad = ' ';
    unsigned width = 0;
    if (*fmt == '0') {
      pad = '0';
      ++fmt;
    }
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (unsigned)(*fmt++ - '0');
    switch (*fmt) {
      case 's': cptra_puts(va_arg(ap, const char *)); break;
      case 'c': cptra_putc((char)va_arg(ap, int)); break;
      case 'u': put_unsigned(va_arg(ap, uint32_t), 10, false, width, pad); break;
      case 'x': put_unsigned(va_arg(ap, uint32_t), 16, false, width, pad); break;
      case 'X': put_unsigned(va_arg(ap, uint32_t), 16, true, width, pad); break;
      case 'd': {
        const int32_t v = va_arg(ap, int32_t);
        if (v < 0) cptra_putc('-');
        put_unsigned(v < 0 ? 0u - (uint32_t)v : (uint32_t)v, 10, false, width, pad);
        break;
      }
      case '%': cptra_putc('%'); break;
      case '\0': return;
      default: cptra_putc('?'); break;
    }
  }
}

void t_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  t_vprintf(fmt, ap);
  va_end(ap);
}

/* ---------------------------------------------------------------------------------------
 * Cases and checks */

static const char *suite_name = "";
static const char *case_name;
static bool case_failed;
static unsigned cases, failed_cases;

static void end_case(void) {
  if (!case_name) return;
  if (!case_failed) t_printf("ok   [%s] %s\n", suite_name, case_name);
  case_name = 0;
}

void t_suite(const char *name) {
  suite_name = name;
  t_printf("=== %s\n", name);
}

void t_case(const char *name) {
  end_case();
  case_name = name;
  case_failed = false;
  ++cases;
}

int t_done(void) {
  end_case();
  t_printf("=== %s: %u cases, %u failed\n", suite_name, cases, failed_cases);
  return failed_cases != 0;
}

static void vfail(const char *fmt, va_list ap) {
  if (!case_failed) ++failed_cases;
  case_failed = true;
  t_printf("FAIL [%s] %s: ", suite_name, case_name ? case_name : "(setup)");
  t_vprintf(fmt, ap);
  cptra_putc('\n');
}

bool t_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(fmt, ap);
  va_end(ap);
  return false;
}

_Noreturn void t_abort(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(fmt, ap);
  va_end(ap);
  t_printf("=== %s: aborted\n", suite_name);
  cptra_exit(0);
}

bool t_true(const char *what, bool cond) { return cond || t_fail("%s", what); }

bool t_eq(const char *what, uint32_t actual, uint32_t expected) {
  return actual == expected || t_fail("%s: expected 0x%08x, got 0x%08x", what, expected, actual);
}

bool t_words(const char *what, const uint32_t *actual, const uint32_t *expected, unsigned n) {
  unsigned bad = 0, first = 0;
  for (unsigned i = 0; i < n; ++i)
    if (actual[i] != expected[i] && bad++ == 0) first = i;
  if (!bad) return true;
  return t_fail("%s[%u]: expected 0x%08x, got 0x%08x (%u of %u words differ)", what, first, expected[first],
                actual[first], bad, n);
}

bool t_reg_words(const char *what, uint32_t addr, const uint32_t *expected, unsigned n) {
  uint32_t actual[64];
  if (n > 64) t_abort("t_reg_words: %u words is too many", n);
  reg_read_words(addr, actual, n);
  return t_words(what, actual, expected, n);
}

uint64_t mtime_now(void) {
  uint32_t hi, lo;
  do {
    hi = mmio_read(INTERNAL_RV_MTIME_H);
    lo = mmio_read(INTERNAL_RV_MTIME_L);
  } while (hi != mmio_read(INTERNAL_RV_MTIME_H));
  return (uint64_t)hi << 32 | lo;
}

bool t_wait(const char *what, uint32_t addr, uint32_t mask, uint32_t want, uint32_t max_cycles) {
  const uint64_t deadline = mtime_now() + max_cycles;
  uint32_t v;
  while (((v = mmio_read(addr)) & mask) != want) {
    if (mtime_now() > deadline)
      return t_fail("timed out after %u cycles waiting for %s (register 0x%08x = 0x%08x, mask 0x%x, want 0x%x)",
                    max_cycles, what, addr, v, mask, want);
  }
  return true;
}

/* ---------------------------------------------------------------------------------------
 * Data */

void *memset(void *d, int c, size_t n) {
  uint8_t *p = d;
  while (n--) *p++ = (uint8_t)c;
  return d;
}

void *memcpy(void *d, const void *s, size_t n) {
  uint8_t *p = d;
  const uint8_t *q = s;
  while (n--) *p++ = *q++;
  return d;
}

int memcmp(const void *a, const void *b, size_t n) {
  const uint8_t *p = a, *q = b;
  for (; n; --n, ++p, ++q)
    if (*p != *q) return *p < *q ? -1 : 1;
  return 0;
}

size_t strlen(const char *s) {
  size_t n = 0;
  while (s[n]) ++n;
  return n;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

unsigned hex_bytes(const char *hex, uint8_t *out, unsigned max) {
  unsigned n = 0;
  int hi = -1;
  for (; *hex; ++hex) {
    if (*hex == ' ' || *hex == '\n') continue;
    const int d = hex_digit(*hex);
    if (d < 0) t_abort("bad hex digit '%c' in a test vector", *hex);
    if (hi < 0) {
      hi = d;
      continue;
    }
    if (n >= max) t_abort("test vector longer than %u bytes", max);
    out[n++] = (uint8_t)(hi << 4 | d);
    hi = -1;
  }
  if (hi >= 0) t_abort("odd number of hex digits in a test vector");
  return n;
}

unsigned hex_words(const char *hex, uint32_t *out, unsigned max) {
  uint8_t bytes[256];
  if (max * 4 > sizeof bytes) t_abort("hex_words: %u words is too many", max);
  const unsigned n = hex_bytes(hex, bytes, max * 4);
  if (n % 4) t_abort("test vector of %u bytes is not whole words", n);
  be_words(bytes, n, out);
  return n / 4;
}

void be_words(const uint8_t *b, unsigned n, uint32_t *out) {
  for (unsigned i = 0; i < n / 4; ++i)
    out[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 | (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
}

void be_bytes(const uint32_t *w, unsigned n_words, uint8_t *out) {
  for (unsigned i = 0; i < 4 * n_words; ++i) out[i] = (uint8_t)(w[i / 4] >> (24 - 8 * (i % 4)));
}

void reg_write_words(uint32_t addr, const uint32_t *w, unsigned n) {
  for (unsigned i = 0; i < n; ++i) mmio_write(addr + 4 * i, w[i]);
}

void reg_read_words(uint32_t addr, uint32_t *w, unsigned n) {
  for (unsigned i = 0; i < n; ++i) w[i] = mmio_read(addr + 4 * i);
}

void reg_fill(uint32_t addr, uint32_t value, unsigned n) {
  for (unsigned i = 0; i < n; ++i) mmio_write(addr + 4 * i, value);
}

/* ---------------------------------------------------------------------------------------
 * SHA-2 padding: message, 0x80, zeros, then the bit length in the last 16 (128-byte
 * blocks) or 8 (64-byte blocks) bytes. */

unsigned sha_blocks(size_t len, unsigned block_bytes) {
  const unsigned len_field = block_bytes == 128 ? 16 : 8;
  return (unsigned)((len + 1 + len_field + block_bytes - 1) / block_bytes);
}

void sha_block(const uint8_t *msg, size_t len, uint32_t prefix_bits, unsigned block_bytes, unsigned i,
               uint32_t *words) {
  uint8_t b[128];
  const size_t start = (size_t)i * block_bytes;
  const unsigned blocks = sha_blocks(len, block_bytes);
  for (unsigned k = 0; k < block_bytes; ++k) {
    const size_t at = start + k;
    b[k] = at < len ? msg[at] : at == len ? 0x80 : 0;
  }
  if (i + 1 == blocks) {
    const uint64_t bits = (uint64_t)len * 8 + prefix_bits;
    for (unsigned k = 0; k < 8; ++k) b[block_bytes - 1 - k] = (uint8_t)(bits >> (8 * k));
  }
  be_words(b, block_bytes, words);
}

/* ---------------------------------------------------------------------------------------
 * Traps and interrupts */

extern void cptra_trap_entry(void);

/* Fast interrupt redirect: the handler address of source id is at meivt + 4 * id, in the
 * DCCM, and meivt keeps bits [31:10] only. */
static uint32_t vector_table[32] __attribute__((aligned(1024)));

volatile uint32_t irq_fired, irq_count[32], timer_irqs, timer_irq_mtime;
volatile uint32_t nmi_count, nmi_mcause, nmi_mdseac;
volatile uint32_t trap_expected, trap_mcause, trap_mtval;

static void mtimecmp_set(uint64_t v) {
  /* Raise the high half first so no intermediate value is below mtime. */
  mmio_write(INTERNAL_RV_MTIMECMP_H, 0xFFFFFFFFu);
  mmio_write(INTERNAL_RV_MTIMECMP_L, (uint32_t)v);
  mmio_write(INTERNAL_RV_MTIMECMP_H, (uint32_t)(v >> 32));
}

static unsigned insn_length(uint32_t pc) { return (*(const volatile uint16_t *)pc & 3) == 3 ? 4 : 2; }

/* Called from cptra_trap_entry with the trap CSRs; returns the mepc to resume at. */
uint32_t cptra_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval) {
  if (mcause == MCAUSE_M_EXTERNAL) {
    const uint32_t id = (CSR_READ(0xFC8) >> 2) & 0xFF; /* meihap claim id */
    mmio_write(PIC_MEIE(id), 0);
    irq_fired |= 1u << id;
    ++irq_count[id];
    return mepc;
  }
  if (mcause == MCAUSE_M_TIMER) {
    timer_irq_mtime = mmio_read(INTERNAL_RV_MTIME_L);
    mtimecmp_set(~0ull);
    ++timer_irqs;
    return mepc;
  }
  if ((mcause & 0xF0000000u) == 0xF0000000u) { /* NMI: bus errors, WDT, fast-redirect faults */
    ++nmi_count;
    nmi_mcause = mcause;
    nmi_mdseac = CSR_READ(0xFC0); /* mdseac: the failing bus address */
    CSR_WRITE(0xBC0, 0); /* mdeau: unlock mdseac for the next bus error */
    return mepc;
  }
  if (trap_expected) {
    trap_expected = 0;
    trap_mcause = mcause;
    trap_mtval = mtval;
    return mepc + insn_length(mepc);
  }
  t_abort("unexpected trap: mcause 0x%08x mepc 0x%08x mtval 0x%08x", mcause, mepc, mtval);
}

void irq_init(void) {
  for (unsigned i = 0; i < 32; ++i) vector_table[i] = (uint32_t)cptra_trap_entry;
  CSR_CLEAR(mstatus, MSTATUS_MIE);
  CSR_WRITE(mtvec, (uint32_t)cptra_trap_entry);
  CSR_WRITE(0xBC8, (uint32_t)vector_table); /* meivt */
  CSR_WRITE(0xBC9, 0);                      /* meipt: every priority above 0 notifies */
  CSR_WRITE(0xBCC, 0);                      /* meicurpl */
  mmio_write(INTERNAL_NMI_VECTOR, (uint32_t)cptra_trap_entry);
  mtimecmp_set(~0ull);
  CSR_SET(mie, MIE_MEIE | MIE_MTIE);
}

void irq_enable(unsigned id, unsigned priority) {
  mmio_write(PIC_MEIGWCTRL(id), 0); /* level, active-high */
  mmio_write(PIC_MEIGWCLR(id), 0);
  mmio_write(PIC_MEIPL(id), priority);
  irq_fired &= ~(1u << id);
  mmio_write(PIC_MEIE(id), 1);
}

void irq_disable(unsigned id) { mmio_write(PIC_MEIE(id), 0); }

/* wfi wakes on an enabled pending interrupt even with mstatus.MIE clear; the interrupt is
 * then taken in the short window with MIE set, so no wake-up is lost between the check and
 * the wfi. */
static void sleep_once(void) {
  __asm__ volatile("wfi");
  CSR_SET(mstatus, MSTATUS_MIE);
  __asm__ volatile("nop");
  CSR_CLEAR(mstatus, MSTATUS_MIE);
}

bool irq_wait(unsigned id, uint32_t timeout_cycles) {
  const uint32_t timers = timer_irqs;
  mtimecmp_set(mtime_now() + timeout_cycles);
  while (!(irq_fired & (1u << id)) && timer_irqs == timers) sleep_once();
  mtimecmp_set(~0ull);
  return (irq_fired & (1u << id)) != 0 ||
         t_fail("no interrupt from PIC source %u within %u cycles (meip 0x%08x)", id, timeout_cycles,
                mmio_read(PIC_MEIP(0)));
}

bool timer_wait(uint64_t mtimecmp, uint32_t timeout_cycles) {
  const uint32_t timers = timer_irqs;
  const uint64_t deadline = mtime_now() + timeout_cycles;
  mtimecmp_set(mtimecmp);
  while (timer_irqs == timers && mtime_now() < deadline) sleep_once();
  return timer_irqs != timers || t_fail("no timer interrupt within %u cycles", timeout_cycles);
}
