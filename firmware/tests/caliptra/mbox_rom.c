/* The mailbox and the SHA-512 accelerator from the core's side (README.md, "mbox"):
 * mailbox lock/user, the command FSM (cmd, dlen, datain, execute to the SoC), the core's
 * direct SRAM window, release by execute and by mbox_unlock (mbox_csr.rdl, mbox.sv); the
 * accelerator's lock (owned by the core out of reset), mailbox mode over the SRAM in both
 * byte orders, streaming mode, and its notification interrupt (sha512_acc_top.sv),
 * against FIPS 180-4 SHA-384/512 digests. Nobody answers on the SoC side here: the
 * command the core sends stays in EXECUTE_SOC until the core takes it back. */
#include "cptra_test.h"
#include "regs/mbox.h"

#define SRAM(off) (MBOX_SRAM_BASE + (off))

static const char M896[] =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
static const char SHA384_ABC[] =
    "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7";
static const char SHA384_M896[] =
    "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039";
static const char SHA512_M896[] =
    "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909";

static uint32_t fsm(void) { return MBOX_STATUS_FSM(mmio_read(MBOX_STATUS)); }

static void mailbox_command_to_soc(void) {
  t_case("mailbox: lock, cmd, dlen, datain, execute to the SoC, then release");
  t_eq("FSM at start (idle)", fsm(), MBOX_FSM_IDLE);
  t_eq("lock read acquires (returns 0)", mmio_read(MBOX_LOCK), 0);
  t_eq("lock read again (held)", mmio_read(MBOX_LOCK), 1);
  t_eq("USER (the core)", mmio_read(MBOX_USER), MBOX_CALIPTRA_USER);
  t_eq("FSM after lock", fsm(), MBOX_FSM_RDY_FOR_CMD);
  mmio_write(MBOX_CMD, 0x12345678);
  t_eq("FSM after cmd", fsm(), MBOX_FSM_RDY_FOR_DLEN);
  mmio_write(MBOX_DLEN, 10);
  t_eq("FSM after dlen", fsm(), MBOX_FSM_RDY_FOR_DATA);
  const uint32_t data[3] = {0x03020100, 0x07060504, 0x0B0A0908};
  for (unsigned i = 0; i < 3; ++i) mmio_write(MBOX_DATAIN, data[i]);
  /* The core's direct window sees what datain wrote, in SRAM order, while it holds the lock. */
  for (unsigned i = 0; i < 3; ++i) t_eq("SRAM word written through datain", mmio_read(SRAM(4 * i)), data[i]);
  t_eq("CMD reads back", mmio_read(MBOX_CMD), 0x12345678);
  t_eq("DLEN reads back", mmio_read(MBOX_DLEN), 10);
  mmio_write(MBOX_EXECUTE, 1);
  const uint32_t st = mmio_read(MBOX_STATUS);
  t_eq("FSM after execute (EXECUTE_SOC)", MBOX_STATUS_FSM(st), MBOX_FSM_EXECUTE_SOC);
  t_eq("soc_has_lock", st & MBOX_STATUS_SOC_HAS_LOCK, 0);
  t_eq("status (CMD_BUSY until the SoC answers)", MBOX_STATUS_CODE(st), MBOX_CMD_BUSY);
  mmio_write(MBOX_EXECUTE, 0); /* the sender takes the command back: the mailbox unlocks */
  t_eq("FSM after execute cleared", fsm(), MBOX_FSM_IDLE);
  t_eq("lock is free again (a read acquires it)", mmio_read(MBOX_LOCK), 0);
  mmio_write(MBOX_UNLOCK, 1);
  t_eq("FSM after mbox_unlock", fsm(), MBOX_FSM_IDLE);
  t_eq("lock after mbox_unlock (free: a read acquires it)", mmio_read(MBOX_LOCK), 0);
  mmio_write(MBOX_UNLOCK, 1);
}

static void mailbox_window_needs_lock(void) {
  t_case("mailbox: the direct SRAM window works only while the core holds the lock");
  t_eq("lock", mmio_read(MBOX_LOCK), 0);
  mmio_write(SRAM(0x400), 0xA5A5A5A5);
  t_eq("SRAM with the lock", mmio_read(SRAM(0x400)), 0xA5A5A5A5);
  mmio_write(MBOX_UNLOCK, 1);
  t_eq("SRAM read without the lock (0)", mmio_read(SRAM(0x400)), 0);
  mmio_write(SRAM(0x400), 0x5A5A5A5A); /* dropped */
  t_eq("lock", mmio_read(MBOX_LOCK), 0);
  t_eq("SRAM after a write without the lock", mmio_read(SRAM(0x400)), 0xA5A5A5A5);
  mmio_write(MBOX_UNLOCK, 1);
}

/* Puts msg into the SRAM at off in address order (what little-endian stores give). */
static void sram_bytes(uint32_t off, const char *msg, unsigned len) {
  for (unsigned i = 0; i < (len + 3) / 4; ++i) {
    uint32_t w = 0;
    for (unsigned b = 0; b < 4 && 4 * i + b < len; ++b) w |= (uint32_t)(uint8_t)msg[4 * i + b] << (8 * b);
    mmio_write(SRAM(off + 4 * i), w);
  }
}

static bool acc_run(uint32_t mode, uint32_t start, uint32_t dlen, const char *expected_hex, unsigned words) {
  uint32_t expected[16];
  hex_words(expected_hex, expected, words);
  mmio_write(SHA_ACC_MODE, mode);
  mmio_write(SHA_ACC_START_ADDRESS, start);
  mmio_write(SHA_ACC_DLEN, dlen);
  mmio_write(SHA_ACC_EXECUTE, 1);
  if (!t_wait("SHA accelerator VALID", SHA_ACC_STATUS, SHA_ACC_STATUS_VALID, SHA_ACC_STATUS_VALID, 100000))
    return false;
  return t_reg_words("DIGEST", SHA_ACC_DIGEST(0), expected, words);
}

static void accelerator_mailbox_mode(void) {
  t_case("SHA accelerator: owned by the core out of reset (LOCK = 1, SOC_HAS_LOCK = 0)");
  t_eq("LOCK", mmio_read(SHA_ACC_LOCK), 1);
  t_eq("STATUS", mmio_read(SHA_ACC_STATUS), 0);

  t_case("SHA accelerator mailbox mode: SHA-384/512 of SRAM bytes (FIPS 180-4 'abc', 896-bit)");
  t_eq("mailbox lock", mmio_read(MBOX_LOCK), 0);
  sram_bytes(0x0, "abc", 3);
  sram_bytes(0x100, M896, 112);
  if (!acc_run(SHA_ACC_MODE_MBOX_384, 0x0, 3, SHA384_ABC, 12)) return;
  mmio_write(SHA_ACC_CONTROL, SHA_ACC_CONTROL_ZEROIZE);
  t_eq("STATUS after zeroize", mmio_read(SHA_ACC_STATUS), 0);
  t_eq("DIGEST[0] after zeroize", mmio_read(SHA_ACC_DIGEST(0)), 0);
  if (!acc_run(SHA_ACC_MODE_MBOX_384, 0x100, 112, SHA384_M896, 12)) return;
  mmio_write(SHA_ACC_CONTROL, SHA_ACC_CONTROL_ZEROIZE);
  acc_run(SHA_ACC_MODE_MBOX_512, 0x100, 112, SHA512_M896, 16);
  mmio_write(SHA_ACC_CONTROL, SHA_ACC_CONTROL_ZEROIZE);

  t_case("SHA accelerator mailbox mode with ENDIAN_TOGGLE: each SRAM word taken big-endian");
  mmio_write(SRAM(0x200), 0x61626300); /* "abc" as a big-endian word */
  acc_run(SHA_ACC_MODE_MBOX_384 | SHA_ACC_MODE_ENDIAN_TOGGLE, 0x200, 3, SHA384_ABC, 12);
  mmio_write(SHA_ACC_CONTROL, SHA_ACC_CONTROL_ZEROIZE);
  mmio_write(MBOX_UNLOCK, 1);
}

static void accelerator_streaming_and_interrupt(void) {
  t_case("SHA accelerator streaming mode from the core, cmd_done interrupt (PIC source 22)");
  irq_init();
  const uint32_t count0 = mmio_read(INTR_NOTIF_COUNT(SHA512_ACC_BASE, 0));
  t_eq("cmd_done events so far (one per digest above)", count0, 4);
  mmio_write(INTR_NOTIF_STS(SHA512_ACC_BASE), INTR_NOTIF_CMD_DONE);
  mmio_write(INTR_GLOBAL_EN(SHA512_ACC_BASE), INTR_GLOBAL_NOTIF_EN);
  mmio_write(INTR_NOTIF_EN(SHA512_ACC_BASE), INTR_NOTIF_CMD_DONE);
  irq_enable(IRQ_SHA512_ACC_NOTIF, 9);
  mmio_write(SHA_ACC_MODE, SHA_ACC_MODE_STREAM_384);
  mmio_write(SHA_ACC_DLEN, 112);
  uint32_t words[28];
  be_words((const uint8_t *)M896, 112, words);
  for (unsigned i = 0; i < 28; ++i) mmio_write(SHA_ACC_DATAIN, words[i]);
  mmio_write(SHA_ACC_EXECUTE, 1);
  if (irq_wait(IRQ_SHA512_ACC_NOTIF, 100000)) {
    uint32_t expected[12];
    hex_words(SHA384_M896, expected, 12);
    t_eq("STATUS.VALID at the interrupt", mmio_read(SHA_ACC_STATUS), SHA_ACC_STATUS_VALID);
    t_reg_words("DIGEST", SHA_ACC_DIGEST(0), expected, 12);
    t_eq("notif_cmd_done_intr_count_r", mmio_read(INTR_NOTIF_COUNT(SHA512_ACC_BASE, 0)), count0 + 1);
  }
  mmio_write(INTR_NOTIF_STS(SHA512_ACC_BASE), INTR_NOTIF_CMD_DONE);

  t_case("SHA accelerator: releasing the lock clears the digest; a read takes it again");
  mmio_write(SHA_ACC_LOCK, 1); /* woclr */
  t_eq("LOCK read after release (acquires: 0)", mmio_read(SHA_ACC_LOCK), 0);
  t_eq("USER", mmio_read(SHA_ACC_USER), MBOX_CALIPTRA_USER);
  t_eq("DIGEST[0] after release", mmio_read(SHA_ACC_DIGEST(0)), 0);
  t_eq("STATUS after release", mmio_read(SHA_ACC_STATUS), 0);
}

int main(void) {
  t_suite("mbox");
  mailbox_command_to_soc();
  mailbox_window_needs_lock();
  accelerator_mailbox_mode();
  accelerator_streaming_and_interrupt();
  return t_done();
}
