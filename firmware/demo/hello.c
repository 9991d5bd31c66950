/* The `make demo` program for the bare hart: software SHA-256 with Zbb rotates, an
   internal-timer interrupt taken while the core sleeps in wfi, and exact counters. */
#include <stdint.h>
#include "htif.h"

static const uint32_t K[64] = {
 0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,
 0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,
 0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,
 0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,
 0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,
 0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,
 0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,
 0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2};

static inline uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha256_block(uint32_t st[8], const uint8_t *p) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++) w[i] = (uint32_t)p[4*i] << 24 | (uint32_t)p[4*i+1] << 16 | (uint32_t)p[4*i+2] << 8 | p[4*i+3];
  for (int i = 16; i < 64; i++)
    w[i] = w[i-16] + (ror(w[i-15],7) ^ ror(w[i-15],18) ^ (w[i-15] >> 3)) + w[i-7] + (ror(w[i-2],17) ^ ror(w[i-2],19) ^ (w[i-2] >> 10));
  uint32_t a=st[0],b=st[1],c=st[2],d=st[3],e=st[4],f=st[5],g=st[6],h=st[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = h + (ror(e,6) ^ ror(e,11) ^ ror(e,25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (ror(a,2) ^ ror(a,13) ^ ror(a,22)) + ((a & b) ^ (a & c) ^ (b & c));
    h=g; g=f; f=e; e=d+t1; d=c; c=b; b=a; a=t1+t2;
  }
  st[0]+=a; st[1]+=b; st[2]+=c; st[3]+=d; st[4]+=e; st[5]+=f; st[6]+=g; st[7]+=h;
}

static volatile uint32_t timer_fired_at;

__attribute__((interrupt("machine"), aligned(4))) static void trap_handler(void) {
  uint32_t cause;
  __asm__ volatile("csrr %0, mcause" : "=r"(cause));
  if (cause == 0x8000001Du) {  /* internal timer 0 */
    uint32_t lo;
    __asm__ volatile("csrr %0, mcycle" : "=r"(lo));
    timer_fired_at = lo;
    __asm__ volatile("csrw 0x7d4, zero");  /* mitctl0: stop the timer */
  }
}

int main(void) {
  htif_puts("calemu demo: a VeeR EL2 hart running bare-metal RV32IMC+Zb* code\n");

  uint8_t block[64] = {'a', 'b', 'c', 0x80};
  block[63] = 24;  /* message length in bits */
  uint32_t st[8] = {0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19};
  uint64_t i0 = rdinstret();
  sha256_block(st, block);
  uint64_t i1 = rdinstret();
  htif_puts("  sha256(\"abc\") = ");
  for (int i = 0; i < 8; i++) { htif_put_hex(st[i]); htif_putc(' '); }
  htif_puts("\n  computed in ");
  htif_put_dec((uint32_t)(i1 - i0));
  htif_puts(" instructions\n");
  int ok = st[0] == 0xba7816bf && st[7] == 0xf20015ad;

  /* Internal timer 0: interrupt 5000 cycles from now, sleep in wfi until then. */
  __asm__ volatile("csrw mtvec, %0" :: "r"(trap_handler));
  __asm__ volatile("csrw 0x7d3, %0" :: "r"(5000));      /* mitb0 */
  __asm__ volatile("csrw 0x7d2, zero");                  /* mitcnt0 */
  __asm__ volatile("csrs mie, %0" :: "r"(1u << 29));     /* mitie0 */
  uint32_t start;
  __asm__ volatile("csrr %0, mcycle" : "=r"(start));
  __asm__ volatile("csrsi mstatus, 8");
  while (!timer_fired_at) __asm__ volatile("wfi");
  htif_puts("  internal timer 0 interrupted wfi after ");
  htif_put_dec(timer_fired_at - start);
  htif_puts(" cycles\n");
  ok = ok && timer_fired_at - start >= 5000;
  htif_puts(ok ? "demo: PASS\n" : "demo: FAIL\n");
  return ok ? 0 : 1;
}
