/* AXI DMA of the Caliptra 2.x core (0x3002_2000) driven as caliptra-sw's dma.rs drives it
 * (README.md, "dma"): flush, addresses, byte count, routes and GO in CTRL, then the AHB FIFO
 * or the mailbox, and busy. The ctest maps 64 KiB of AXI SRAM at 0x1_0000_0000
 * (`calemu boot --axi-sram 0x100000000:0x10000`); everything else on the AXI fabric is
 * unmapped and answers DECERR. Moved data must arrive unchanged (axi_dma_reg.rdl route
 * semantics); in 2.1 the AES mode streams AXI data through the AES engine and must produce
 * the SP 800-38A ECB and GCM test case 16 ciphertexts. */
#include "cptra_test.h"
#include "regs/aes.h"
#include "regs/axi_dma.h"
#include "regs/mbox.h"

#define SRAM_HI 0x1u /* AXI SRAM at 0x1_0000_0000 */
#define SRAM_LO 0x0u
#define UNMAPPED_HI 0x2u
#define DMA_TIMEOUT 200000u

static uint32_t words[512], back[512];

static void pattern(uint32_t *w, unsigned n, uint32_t seed) {
  for (unsigned i = 0; i < n; ++i) w[i] = seed * 0x01000193u + i * 0x9E3779B9u;
}

static void flush(void) {
  mmio_write(DMA_CTRL, DMA_CTRL_FLUSH);
  t_wait("DMA not busy after flush", DMA_STATUS0, DMA_STATUS0_BUSY, 0, DMA_TIMEOUT);
}
static void setup(uint32_t src_hi, uint32_t src_lo, uint32_t dst_hi, uint32_t dst_lo, uint32_t bytes) {
  mmio_write(DMA_SRC_ADDR_L, src_lo);
  mmio_write(DMA_SRC_ADDR_H, src_hi);
  mmio_write(DMA_DST_ADDR_L, dst_lo);
  mmio_write(DMA_DST_ADDR_H, dst_hi);
  mmio_write(DMA_BYTE_COUNT, bytes);
  mmio_write(DMA_BLOCK_SIZE, 0);
}
static bool wait_done(void) {
  return t_wait("DMA not busy", DMA_STATUS0, DMA_STATUS0_BUSY, 0, DMA_TIMEOUT) &&
         t_eq("STATUS0.error", mmio_read(DMA_STATUS0) & DMA_STATUS0_ERROR, 0);
}
/* AHB FIFO -> AXI: firmware feeds WRITE_DATA while the FIFO has room. */
static bool write_axi(uint32_t hi, uint32_t lo, const uint32_t *w, unsigned n, bool fixed) {
  flush();
  setup(0, 0, hi, lo, 4 * n);
  mmio_write(DMA_CTRL, DMA_CTRL_WR_ROUTE(DMA_WR_AHB_FIFO) | (fixed ? DMA_CTRL_WR_FIXED : 0) | DMA_CTRL_GO);
  const uint32_t max = mmio_read(DMA_CAP) & 0xFFFu;
  for (unsigned i = 0; i < n; ++i) {
    const uint64_t t0 = mtime_now();
    while (DMA_STATUS0_FIFO_DEPTH(mmio_read(DMA_STATUS0)) == max)
      if (mtime_now() - t0 > DMA_TIMEOUT) return t_fail("timed out waiting for FIFO room (word %u)", i);
    mmio_write(DMA_WRITE_DATA, w[i]);
  }
  return wait_done();
}
/* AXI -> AHB FIFO: firmware drains READ_DATA as words arrive. */
static bool read_axi(uint32_t hi, uint32_t lo, uint32_t *w, unsigned n, bool fixed) {
  flush();
  setup(hi, lo, 0, 0, 4 * n);
  mmio_write(DMA_CTRL, DMA_CTRL_RD_ROUTE(DMA_RD_AHB_FIFO) | (fixed ? DMA_CTRL_RD_FIXED : 0) | DMA_CTRL_GO);
  for (unsigned i = 0; i < n; ++i) {
    const uint64_t t0 = mtime_now();
    while (DMA_STATUS0_FIFO_DEPTH(mmio_read(DMA_STATUS0)) == 0)
      if (mtime_now() - t0 > DMA_TIMEOUT) return t_fail("timed out waiting for FIFO data (word %u)", i);
    w[i] = mmio_read(DMA_READ_DATA);
  }
  return wait_done();
}

static void identity_and_reset(void) {
  t_case("reset values (axi_dma_reg.rdl): id 'CLPD', cap.fifo_max_depth 128, idle");
  t_eq("id", mmio_read(DMA_ID), DMA_ID_CLPD);
  t_eq("cap.fifo_max_depth (FIFO_BC / 4)", mmio_read(DMA_CAP), 128);
  t_eq("status0", mmio_read(DMA_STATUS0), 0);
  t_eq("status1", mmio_read(DMA_STATUS1), 0);
  t_eq("ctrl", mmio_read(DMA_CTRL), 0);
}

static void fifo_round_trip(void) {
  t_case("AHB FIFO -> AXI SRAM -> AHB FIFO, 64 words, txn_done on PIC source 26");
  pattern(words, 64, 1);
  mmio_write(INTR_NOTIF_STS(AXI_DMA_BASE), 0x1F);
  mmio_write(INTR_GLOBAL_EN(AXI_DMA_BASE), INTR_GLOBAL_NOTIF_EN | INTR_GLOBAL_ERROR_EN);
  mmio_write(INTR_NOTIF_EN(AXI_DMA_BASE), DMA_NOTIF_TXN_DONE);
  irq_enable(IRQ_AXI_DMA_NOTIF, 1);
  const uint32_t done0 = mmio_read(INTR_NOTIF_COUNT(AXI_DMA_BASE, 0));
  if (!write_axi(SRAM_HI, SRAM_LO, words, 64, false)) return;
  t_true("txn_done interrupt", irq_wait(IRQ_AXI_DMA_NOTIF, DMA_TIMEOUT));
  t_eq("notif_txn_done_intr_count", mmio_read(INTR_NOTIF_COUNT(AXI_DMA_BASE, 0)), done0 + 1);
  /* DONE lasts one cycle (axi_dma_ctrl.sv DMA_DONE -> DMA_IDLE); GO is cleared with it. */
  t_eq("STATUS0.axi_dma_fsm_ps: IDLE again", DMA_STATUS0_FSM(mmio_read(DMA_STATUS0)), DMA_FSM_IDLE);
  t_eq("CTRL.go cleared", mmio_read(DMA_CTRL) & DMA_CTRL_GO, 0);
  mmio_write(INTR_NOTIF_STS(AXI_DMA_BASE), DMA_NOTIF_TXN_DONE);
  irq_disable(IRQ_AXI_DMA_NOTIF);
  mmio_write(INTR_NOTIF_EN(AXI_DMA_BASE), 0);
  if (!read_axi(SRAM_HI, SRAM_LO, back, 64, false)) return;
  t_words("read back", back, words, 64);
}

/* An error parks the FSM in DMA_ERROR (busy and error set) until firmware writes flush. */
static bool wait_error(void) {
  if (!t_wait("STATUS0.error", DMA_STATUS0, DMA_STATUS0_ERROR, DMA_STATUS0_ERROR, DMA_TIMEOUT)) return false;
  const uint32_t st = mmio_read(DMA_STATUS0);
  t_eq("STATUS0.axi_dma_fsm_ps: ERROR", DMA_STATUS0_FSM(st), DMA_FSM_ERROR);
  return t_eq("STATUS0.busy stays set in ERROR", st & DMA_STATUS0_BUSY, DMA_STATUS0_BUSY);
}
static void flush_after_error(void) {
  flush();
  t_eq("STATUS0 after flush (idle, no error)", mmio_read(DMA_STATUS0) & 0x3, 0);
  mmio_write(INTR_ERROR_STS(AXI_DMA_BASE), 0x3FF);
}

/* The mailbox routes need the core to hold the mailbox lock (error_mbox_lock otherwise);
 * mailbox addresses are byte offsets into the mailbox SRAM. */
static void mailbox_routes(void) {
  t_case("mailbox -> AXI SRAM (256 words) and AXI SRAM -> mailbox at another offset");
  if (!t_eq("mailbox lock acquired", mmio_read(MBOX_LOCK), 0)) return;
  pattern(words, 256, 2);
  for (unsigned i = 0; i < 256; ++i) mmio_write(MBOX_SRAM_BASE + 4 * i, words[i]);
  flush();
  setup(0, 0, SRAM_HI, SRAM_LO + 0x1000, 1024);
  mmio_write(DMA_CTRL, DMA_CTRL_WR_ROUTE(DMA_WR_MBOX) | DMA_CTRL_GO);
  if (!wait_done()) return;
  if (!read_axi(SRAM_HI, SRAM_LO + 0x1000, back, 256, false)) return;
  if (!t_words("AXI SRAM after the mailbox write route", back, words, 256)) return;
  flush();
  setup(SRAM_HI, SRAM_LO + 0x1000, 0, 0x2000, 1024);
  mmio_write(DMA_CTRL, DMA_CTRL_RD_ROUTE(DMA_RD_MBOX) | DMA_CTRL_GO);
  if (!wait_done()) return;
  for (unsigned i = 0; i < 256; ++i) back[i] = mmio_read(MBOX_SRAM_BASE + 0x2000 + 4 * i);
  t_words("mailbox SRAM after the mailbox read route", back, words, 256);
  mmio_write(MBOX_UNLOCK, 1);

  /* axi_dma_ctrl.sv cmd_inv_mbox_lock: refused at GO as a command decode error
   * (error_mbox_lock is for a lock lost during the transfer). */
  t_case("a mailbox route without the mailbox lock: command decode error");
  mmio_write(INTR_ERROR_STS(AXI_DMA_BASE), 0x3FF);
  flush();
  setup(0, 0, SRAM_HI, SRAM_LO, 64);
  mmio_write(DMA_CTRL, DMA_CTRL_WR_ROUTE(DMA_WR_MBOX) | DMA_CTRL_GO);
  if (wait_error())
    t_eq("error_internal_intr_r", mmio_read(INTR_ERROR_STS(AXI_DMA_BASE)), DMA_ERR_CMD_DEC);
  flush_after_error();
}

/* AXI -> AXI through the 512-byte FIFO: 1.5 KiB, three FIFOs' worth. (Not 2048 bytes:
 * Debian's riscv64-unknown-elf-gcc 12.2 fails with an internal compiler error on that constant
 * with Zbs enabled.) */
static void axi_to_axi(void) {
  t_case("AXI SRAM -> AXI SRAM, 1.5 KiB (three times the FIFO)");
  pattern(words, 384, 3);
  if (!write_axi(SRAM_HI, SRAM_LO + 0x4000, words, 384, false)) return;
  flush();
  setup(SRAM_HI, SRAM_LO + 0x4000, SRAM_HI, SRAM_LO + 0x8000, 1536);
  mmio_write(DMA_CTRL, DMA_CTRL_RD_ROUTE(DMA_RD_AXI_WR) | DMA_CTRL_WR_ROUTE(DMA_WR_AXI_RD) | DMA_CTRL_GO);
  if (!wait_done()) return;
  if (read_axi(SRAM_HI, SRAM_LO + 0x8000, back, 384, false)) t_words("copy", back, words, 384);
}

/* FIXED bursts: every beat at the same address (a FIFO-like subordinate). */
static void fixed_mode(void) {
  t_case("wr_fixed: four words to one address leave the last one there, the next word untouched");
  const uint32_t before[2] = {0x11111111u, 0x22222222u};
  if (!write_axi(SRAM_HI, SRAM_LO + 0x100, before, 2, false)) return;
  pattern(words, 4, 4);
  if (!write_axi(SRAM_HI, SRAM_LO + 0x100, words, 4, true)) return;
  if (!read_axi(SRAM_HI, SRAM_LO + 0x100, back, 2, false)) return;
  t_eq("word at the fixed address", back[0], words[3]);
  t_eq("next word", back[1], before[1]);

  t_case("rd_fixed: four reads of one address");
  if (!read_axi(SRAM_HI, SRAM_LO + 0x100, back, 4, true)) return;
  for (unsigned i = 0; i < 4; ++i) t_eq("word", back[i], words[3]);
}

/* Unmapped AXI addresses answer DECERR (axi_pkg.sv). The transfer still runs to its end (the
 * read data, zeros, reaches the FIFO; flush does nothing in DMA_WAIT_DATA), then the FSM
 * parks in DMA_ERROR. A bad route pair is a command decode error at GO. */
static void errors(void) {
  t_case("read from an unmapped AXI address: error_axi_rd at once (PIC source 25), ERROR after the data");
  mmio_write(INTR_ERROR_STS(AXI_DMA_BASE), 0x3FF);
  mmio_write(INTR_ERROR_EN(AXI_DMA_BASE), DMA_ERR_AXI_RD);
  irq_enable(IRQ_AXI_DMA_ERROR, 1);
  flush();
  setup(UNMAPPED_HI, 0, 0, 0, 16);
  mmio_write(DMA_CTRL, DMA_CTRL_RD_ROUTE(DMA_RD_AHB_FIFO) | DMA_CTRL_GO);
  t_true("error interrupt", irq_wait(IRQ_AXI_DMA_ERROR, DMA_TIMEOUT));
  t_eq("error_axi_rd_sts", mmio_read(INTR_ERROR_STS(AXI_DMA_BASE)), DMA_ERR_AXI_RD);
  t_eq("still waiting for the data (WAIT_DATA)", DMA_STATUS0_FSM(mmio_read(DMA_STATUS0)), DMA_FSM_WAIT_DATA);
  irq_disable(IRQ_AXI_DMA_ERROR);
  mmio_write(INTR_ERROR_EN(AXI_DMA_BASE), 0);
  t_eq("the DECERR beats' data in the FIFO", DMA_STATUS0_FIFO_DEPTH(mmio_read(DMA_STATUS0)), 4);
  for (unsigned i = 0; i < 4; ++i) (void)mmio_read(DMA_READ_DATA);
  wait_error();
  flush_after_error();

  t_case("write to an unmapped AXI address: error_axi_wr, ERROR");
  pattern(words, 4, 5);
  flush();
  setup(0, 0, UNMAPPED_HI, 0, 16);
  mmio_write(DMA_CTRL, DMA_CTRL_WR_ROUTE(DMA_WR_AHB_FIFO) | DMA_CTRL_GO);
  for (unsigned i = 0; i < 4; ++i) mmio_write(DMA_WRITE_DATA, words[i]);
  if (wait_error()) t_eq("error_axi_wr_sts", mmio_read(INTR_ERROR_STS(AXI_DMA_BASE)), DMA_ERR_AXI_WR);
  flush_after_error();

  t_case("both routes disabled: error_cmd_dec, ERROR at once");
  flush();
  setup(SRAM_HI, 0, SRAM_HI, 0x100, 16);
  mmio_write(DMA_CTRL, DMA_CTRL_GO);
  if (wait_error()) t_eq("error_cmd_dec_sts", mmio_read(INTR_ERROR_STS(AXI_DMA_BASE)), DMA_ERR_CMD_DEC);
  flush_after_error();

  t_case("after the errors, the AHB FIFO round trip still works");
  pattern(words, 8, 6);
  if (write_axi(SRAM_HI, 0x200, words, 8, false) && read_axi(SRAM_HI, 0x200, back, 8, false))
    t_words("read back", back, words, 8);
}

#if CALIPTRA_HW_2_1
/* 2.1 AES mode: AXI -> AES -> AXI, with the AES engine set up by firmware beforehand. */
static void aes_shadowed(uint32_t addr, uint32_t v) {
  mmio_write(addr, v);
  mmio_write(addr, v);
}
static void aes_key(const char *hex) {
  uint8_t k[32];
  uint32_t w[8];
  hex_bytes(hex, k, 32);
  memcpy(w, k, 32);
  for (unsigned i = 0; i < 8; ++i) {
    mmio_write(AES_KEY_SHARE0(i), w[i]);
    mmio_write(AES_KEY_SHARE1(i), 0);
  }
}
static bool axi_put_bytes(uint32_t lo, const char *hex, unsigned *n) {
  static uint8_t b[64];
  *n = hex_bytes(hex, b, sizeof b);
  memset(words, 0, 64);
  memcpy(words, b, *n);
  return write_axi(SRAM_HI, lo, words, (*n + 3) / 4, false);
}
static bool axi_check_bytes(const char *what, uint32_t lo, const char *hex) {
  uint8_t want[64];
  const unsigned n = hex_bytes(hex, want, sizeof want);
  if (!read_axi(SRAM_HI, lo, back, (n + 3) / 4, false)) return false;
  const uint8_t *got = (const uint8_t *)back;
  for (unsigned i = 0; i < n; ++i)
    if (got[i] != want[i]) return t_fail("%s: byte %u: expected %02x, got %02x", what, i, want[i], got[i]);
  return true;
}
static bool dma_through_aes(uint32_t src, uint32_t dst, unsigned n, bool gcm) {
  flush();
  setup(SRAM_HI, src, SRAM_HI, dst, n);
  mmio_write(DMA_CTRL, DMA_CTRL_RD_ROUTE(DMA_RD_AXI_WR) | DMA_CTRL_WR_ROUTE(DMA_WR_AXI_RD) | DMA_CTRL_AES_MODE |
                           (gcm ? DMA_CTRL_AES_GCM : 0) | DMA_CTRL_GO);
  return wait_done();
}

static void aes_mode(void) {
  static const char PT[] =
      "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
      "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
  unsigned n;
  t_case("2.1 AES mode: AXI -> AES-256-ECB -> AXI, SP 800-38A F.1.5");
  if (!axi_put_bytes(0x3000, PT, &n)) return;
  t_wait("AES idle", AES_STATUS, AES_STATUS_IDLE, AES_STATUS_IDLE, DMA_TIMEOUT);
  aes_shadowed(AES_CTRL_SHADOWED, AES_CTRL(AES_OP_ENC, AES_MODE_ECB, AES_KEY_256));
  aes_key("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
  if (dma_through_aes(0x3000, 0x3100, n, false))
    axi_check_bytes("ciphertext in AXI SRAM", 0x3100,
                    "f3eed1bdb5d2a03c064b5a7e3db181f8591ccb10d410ed26dc5ba74a31362870"
                    "b6ed21b99ca6f4f9f153e7b1beafed1d23304b7a39f9f3ff067d8d8f9e24ecc7");

  /* GCM test case 16: firmware runs INIT and the AAD, sets phase TEXT, the DMA streams the
   * 60-byte text (updating NUM_VALID_BYTES before the partial last block), firmware runs
   * TAG. */
  t_case("2.1 AES mode with GCM: GCM test case 16 (60-byte text) through the DMA, tag by firmware");
  if (!axi_put_bytes(0x3200, "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                             "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
                     &n))
    return;
  t_wait("AES idle", AES_STATUS, AES_STATUS_IDLE, AES_STATUS_IDLE, DMA_TIMEOUT);
  aes_shadowed(AES_CTRL_SHADOWED, AES_CTRL(AES_OP_ENC, AES_MODE_GCM, AES_KEY_256));
  aes_shadowed(AES_CTRL_GCM_SHADOWED, AES_GCM_CTRL(AES_GCM_INIT, 16));
  aes_key("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
  uint8_t ivb[12];
  uint32_t iv[4] = {0};
  hex_bytes("cafebabefacedbaddecaf888", ivb, 12);
  memcpy(iv, ivb, 12);
  reg_write_words(AES_IV(0), iv, 4);
  t_wait("AES idle after INIT", AES_STATUS, AES_STATUS_IDLE, AES_STATUS_IDLE, DMA_TIMEOUT);
  uint8_t aad[32] = {0};
  uint32_t w[4];
  hex_bytes("feedfacedeadbeeffeedfacedeadbeefabaddad2", aad, 32);
  aes_shadowed(AES_CTRL_GCM_SHADOWED, AES_GCM_CTRL(AES_GCM_AAD, 16));
  memcpy(w, aad, 16);
  reg_write_words(AES_DATA_IN(0), w, 4);
  t_wait("AES idle", AES_STATUS, AES_STATUS_IDLE, AES_STATUS_IDLE, DMA_TIMEOUT);
  aes_shadowed(AES_CTRL_GCM_SHADOWED, AES_GCM_CTRL(AES_GCM_AAD, 4));
  memcpy(w, aad + 16, 16);
  reg_write_words(AES_DATA_IN(0), w, 4);
  t_wait("AES idle", AES_STATUS, AES_STATUS_IDLE, AES_STATUS_IDLE, DMA_TIMEOUT);
  aes_shadowed(AES_CTRL_GCM_SHADOWED, AES_GCM_CTRL(AES_GCM_TEXT, 16));
  if (!dma_through_aes(0x3200, 0x3300, n, true)) return;
  axi_check_bytes("ciphertext in AXI SRAM", 0x3300,
                  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662");
  uint8_t lens[16] = {0};
  lens[7] = 160; /* len(A) = 20 bytes = 160 bits */
  lens[14] = 480 >> 8;
  lens[15] = 480 & 0xFF; /* len(C) = 60 bytes */
  t_wait("AES idle before TAG", AES_STATUS, AES_STATUS_IDLE, AES_STATUS_IDLE, DMA_TIMEOUT);
  aes_shadowed(AES_CTRL_GCM_SHADOWED, AES_GCM_CTRL(AES_GCM_TAG, 16));
  memcpy(w, lens, 16);
  reg_write_words(AES_DATA_IN(0), w, 4);
  if (!t_wait("AES tag", AES_STATUS, AES_STATUS_OUTPUT_VALID, AES_STATUS_OUTPUT_VALID, DMA_TIMEOUT)) return;
  reg_read_words(AES_DATA_OUT(0), w, 4);
  uint8_t want[16];
  hex_bytes("76fc6ece0f4e1768cddf8853bb2d551b", want, 16);
  t_true("tag = 76fc6ece...551b", memcmp(w, want, 16) == 0);
  aes_shadowed(AES_CTRL_SHADOWED, AES_CTRL(AES_OP_ENC, AES_MODE_ECB, AES_KEY_256) | AES_CTRL_MANUAL);
  mmio_write(AES_TRIGGER, AES_TRIGGER_KEY_IV_DATA_IN_CLEAR | AES_TRIGGER_DATA_OUT_CLEAR);
}
#endif

int main(void) {
  irq_init();
  t_suite("dma");
  identity_and_reset();
  fifo_round_trip();
  mailbox_routes();
  axi_to_axi();
  fixed_mode();
  errors();
#if CALIPTRA_HW_2_1
  aes_mode();
#endif
  return t_done();
}
