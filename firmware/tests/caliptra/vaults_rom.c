/* Key vault, PCR vault and data vault rules from the RDL (kv_reg.rdl, pv_reg.rdl,
 * dv_reg.rdl) and the key-vault port behaviour of the engines (README.md, "vaults").
 *
 * Key material is never visible to firmware, so a slot's contents are proven by an ECC
 * signature made with it: the slot is filled by HMAC with RFC 4231 test case 2 (so the
 * private key is the published tag) and ECC signs SHA-384("abc") with it (RFC 6979,
 * expected values computed offline, README.md).
 *
 * The ROM runs twice: the first pass sets locks and data, then pulses
 * internal_fw_update_reset; the core restarts here with CPTRA_RESET_REASON.FW_UPD_RESET and
 * checks which locks fell (cptra_uc_rst_b) and what the pwrgood / noncore domains kept. */
#include "cptra_test.h"
#include "crypto_drv.h"
#include "regs/sha.h"

#define SLOT_A 10 /* RFC 4231 test case 2 tag, ECC key, write-locked before the reset */
#define SLOT_B 11 /* RFC 4231 test case 2 tag, ECC key, use-locked */
#define SLOT_C 12 /* cleared, then no destination */
#define SLOT_D 13 /* debug value fill */
#define PCR_LOCKED 9

static const char SHA384_ABC[] =
    "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7";
/* sign(d, SHA-384("abc")), RFC 6979, for d = the RFC 4231 test case 2 HMAC-SHA-384 tag, and
 * d = 0x5555...55 (CLEAR_SECRETS debug value 1). */
static const char TC2_R[] =
    "d848234eb2d8e6261972b57326df56cada2cbf32763236e5f39aee6efee10dd655b3b957a82bee6b52d90085a62a9fe6";
static const char TC2_S[] =
    "b98a3b80b8adcfafaf44478470d2953307c48c099f6e85eae4814d9d54fefe71c4d76d7dd8c82323f86f981aeb18ce5a";
static const char DBG1_R[] =
    "bf400b2e377c1bf6527d7541f2cd8598d37b9ee315a9dc2d8e147a93d25d2224d16700322a9a12cabb807c9876cdbfc0";
static const char DBG1_S[] =
    "f1f6f802f50d94ee62252843eb1f6df56de4f5b2fc33007ae7027582e3b48bf00da48c052b4c9090bd51203df6055f4d";

static bool fill_with_tc2(unsigned slot, uint32_t want_error) {
  uint32_t tag[12];
  const struct hmac_op op = {(const uint8_t *)"Jefe", 4, -1, -1, (const uint8_t *)"what do ya want for nothing?",
                             28, -1, 0};
  struct hmac_op to_vault = op;
  to_vault.kv_dest_slot = (int)slot;
  to_vault.kv_dest = KV_DEST_ECC_PKEY;
  if (want_error == KV_ERROR_SUCCESS) return hmac384(&to_vault, tag);
  /* A refused write: the engine still reports the tag's end, the write client the error. */
  reg_write_words(HMAC_KEY(0), (const uint32_t[12]){0x4a656665}, 12);
  mmio_write(HMAC_KV_WR_CTRL, KV_WRITE_CTRL(slot, KV_DEST_ECC_PKEY));
  uint32_t words[32];
  sha_block(op.msg, op.msg_len, 1024, 128, 0, words);
  reg_write_words(HMAC_BLOCK(0), words, 32);
  mmio_write(HMAC_CTRL, HMAC_CTRL_INIT);
  if (!t_wait("HMAC VALID", HMAC_STATUS, 3, 3, HMAC_TIMEOUT)) return false;
  return kv_wait("HMAC write to the vault", HMAC_KV_WR_STATUS, want_error);
}

/* Signs SHA-384("abc") with the slot and compares with the expected signature. */
static bool signs_as(const char *what, unsigned slot, const char *r_hex, const char *s_hex) {
  uint32_t h[12], r[12], s[12], er[12], es[12];
  hex_words(SHA384_ABC, h, 12);
  if (!ecc_sign(0, (int)slot, h, r, s)) return false;
  hex_words(r_hex, er, 12);
  hex_words(s_hex, es, 12);
  return t_words(what, r, er, 12) && t_words(what, s, es, 12);
}

static void kv_slot_contents(void) {
  t_case("key vault: an HMAC tag written to a slot signs as the RFC 4231 tag (ECC, RFC 6979)");
  for (unsigned s = SLOT_A; s <= SLOT_D; ++s) mmio_write(KV_KEY_CTRL(s), KV_CTRL_CLEAR);
  if (!fill_with_tc2(SLOT_A, KV_ERROR_SUCCESS)) return;
  const uint32_t c = mmio_read(KV_KEY_CTRL(SLOT_A));
  t_eq("KEY_CTRL dest_valid", KV_CTRL_DEST_VALID(c), KV_DEST_ECC_PKEY);
  t_eq("KEY_CTRL last_dword", KV_CTRL_LAST_DWORD(c), 11);
  signs_as("signature with slot A", SLOT_A, TC2_R, TC2_S);

  t_case("key vault: KEY_ENTRY is not writable by firmware (swwel = true)");
  for (unsigned w = 0; w < KV_WORDS; ++w) mmio_write(KV_KEY_ENTRY(SLOT_A, w), 0x12345678);
  t_eq("KEY_ENTRY reads 0", mmio_read(KV_KEY_ENTRY(SLOT_A, 0)), 0);
  signs_as("signature with slot A after firmware writes", SLOT_A, TC2_R, TC2_S);
}

/* A read the vault refuses: VALID with KV_READ_FAIL. 2.1 read clients (kv_read_client.sv
 * kv_ready = ready & error == SUCCESS) then hold READY low until their engine zeroizes; 1.x and
 * 2.0 return READY at once. */
static void read_fails(const char *what, uint32_t status_reg, uint32_t zeroize_reg, uint32_t zeroize_bit) {
  if (!t_wait(what, status_reg, KV_STATUS_VALID, KV_STATUS_VALID, KV_TIMEOUT)) return;
  const uint32_t st = mmio_read(status_reg);
  t_eq("ERROR", KV_STATUS_ERROR(st), KV_ERROR_READ_FAIL);
  t_eq("READY after the failed read (held low in 2.1)", st & KV_STATUS_READY, CALIPTRA_HW_2_1 ? 0 : KV_STATUS_READY);
  mmio_write(zeroize_reg, zeroize_bit); /* the failed read keeps the destination cleared until zeroize */
  t_eq("READY after the engine's zeroize", mmio_read(status_reg) & KV_STATUS_READY, KV_STATUS_READY);
}

static void kv_locks(void) {
  t_case("key vault: lock_wr refuses engine writes (KV_WRITE_FAIL) and the clear pulse");
  mmio_write(KV_KEY_CTRL(SLOT_A), KV_CTRL_LOCK_WR);
  t_eq("KEY_CTRL lock_wr", mmio_read(KV_KEY_CTRL(SLOT_A)) & 3, KV_CTRL_LOCK_WR);
  mmio_write(KV_KEY_CTRL(SLOT_A), 0);
  t_eq("lock_wr stays set (swwel)", mmio_read(KV_KEY_CTRL(SLOT_A)) & 3, KV_CTRL_LOCK_WR);
  if (!fill_with_tc2(SLOT_A, KV_ERROR_WRITE_FAIL)) return;
  mmio_write(KV_KEY_CTRL(SLOT_A), KV_CTRL_LOCK_WR | KV_CTRL_CLEAR);
  t_eq("dest_valid after a clear of a locked slot", KV_CTRL_DEST_VALID(mmio_read(KV_KEY_CTRL(SLOT_A))),
       KV_DEST_ECC_PKEY);
  signs_as("slot A still signs as before", SLOT_A, TC2_R, TC2_S);

  t_case("key vault: lock_use fails reads (KV_READ_FAIL)");
  if (!fill_with_tc2(SLOT_B, KV_ERROR_SUCCESS)) return;
  mmio_write(KV_KEY_CTRL(SLOT_B), KV_CTRL_LOCK_USE);
  mmio_write(ECC_KV_RD_PKEY_CTRL, KV_READ_CTRL(SLOT_B));
  read_fails("ECC key read of a use-locked slot", ECC_KV_RD_PKEY_STATUS, ECC_CTRL, ECC_CTRL_ZEROIZE);

  t_case("key vault: a reader without its dest_valid bit fails (KV_READ_FAIL)");
  mmio_write(HMAC_KV_RD_KEY_CTRL, KV_READ_CTRL(SLOT_A)); /* slot A allows the ECC key port only */
  read_fails("HMAC key read of an ECC-only slot", HMAC_KV_RD_KEY_STATUS, HMAC_CTRL, HMAC_CTRL_ZEROIZE);

  t_case("key vault: clear empties an unlocked slot (data, dest_valid, last_dword)");
  if (!fill_with_tc2(SLOT_C, KV_ERROR_SUCCESS)) return;
  mmio_write(KV_KEY_CTRL(SLOT_C), KV_CTRL_CLEAR);
  t_eq("KEY_CTRL after clear (clear is a pulse)", mmio_read(KV_KEY_CTRL(SLOT_C)), 0);
  mmio_write(ECC_KV_RD_PKEY_CTRL, KV_READ_CTRL(SLOT_C));
  read_fails("ECC key read of a cleared slot", ECC_KV_RD_PKEY_STATUS, ECC_CTRL, ECC_CTRL_ZEROIZE);
}

/* CLEAR_SECRETS.wr_debug_values works in debug mode only (this ROM boots debug unlocked)
 * and fills every slot that is not locked with the selected value, keeping dest_valid. */
static void kv_debug_values(void) {
  t_case("key vault: CLEAR_SECRETS fills unlocked slots with debug value 1 (0x5555_5555), locked ones kept");
  if (!t_true("this ROM runs debug unlocked", !(mmio_read(CPTRA_SECURITY_STATE) & SECURITY_STATE_DEBUG_LOCKED)))
    return;
  if (!fill_with_tc2(SLOT_D, KV_ERROR_SUCCESS)) return;
  mmio_write(KV_CLEAR_SECRETS, KV_CLEAR_SECRETS_WR_DEBUG | KV_CLEAR_SECRETS_SEL_DEBUG_1);
  t_eq("wr_debug_values is a pulse", mmio_read(KV_CLEAR_SECRETS), KV_CLEAR_SECRETS_SEL_DEBUG_1);
  t_eq("slot D dest_valid kept", KV_CTRL_DEST_VALID(mmio_read(KV_KEY_CTRL(SLOT_D))), KV_DEST_ECC_PKEY);
  signs_as("slot D signs as 0x5555...55", SLOT_D, DBG1_R, DBG1_S);
  signs_as("write-locked slot A unchanged", SLOT_A, TC2_R, TC2_S);
}

static void pcr_vault(void) {
  t_case("PCR vault: PCR_ENTRY is read-only; lock blocks clear but not hash extend");
  mmio_write(PV_PCR_CTRL(PCR_LOCKED), PV_CTRL_CLEAR);
  mmio_write(PV_PCR_ENTRY(PCR_LOCKED, 0), 0xDEADBEEF);
  t_eq("PCR_ENTRY after a firmware write", mmio_read(PV_PCR_ENTRY(PCR_LOCKED, 0)), 0);
  mmio_write(PV_PCR_CTRL(PCR_LOCKED), PV_CTRL_LOCK);
  mmio_write(PV_PCR_CTRL(PCR_LOCKED), 0);
  t_eq("lock stays set", mmio_read(PV_PCR_CTRL(PCR_LOCKED)), PV_CTRL_LOCK);
  /* Extend the (cleared, locked) PCR with 48 zero bytes: SHA-384 of 96 zero bytes (hashlib). */
  mmio_write(SHA512_VAULT_RD_CTRL, KV_READ_CTRL(PCR_LOCKED) | KV_READ_PCR_HASH_EXTEND);
  if (!kv_wait("PCR read", SHA512_VAULT_RD_STATUS, KV_ERROR_SUCCESS)) return;
  uint8_t m[96] = {0};
  uint32_t block[32], expected[12];
  sha_block(m, 96, 0, 128, 0, block);
  reg_write_words(SHA512_BLOCK(0), block, 32);
  mmio_write(SHA512_CTRL, SHA512_CTRL_INIT | SHA512_CTRL_LAST | SHA512_CTRL_MODE(SHA512_MODE_384));
  if (!t_wait("extend", SHA512_GEN_PCR_HASH_STATUS, 1, 1, 10000)) return;
  hex_words("f57bb7ed82c6ae4a29e6c9879338c592c7d42a39135583e8ccbe3940f2344b0eb6eb8503db0ffd6a39ddd00cd07d8317", expected, 12);
  t_reg_words("PCR after extending a locked PCR with 48 zero bytes", PV_PCR_ENTRY(PCR_LOCKED, 0), expected, 12);
  mmio_write(PV_PCR_CTRL(PCR_LOCKED), PV_CTRL_LOCK | PV_CTRL_CLEAR);
  t_reg_words("PCR after a clear while locked", PV_PCR_ENTRY(PCR_LOCKED, 0), expected, 12);
}

static void data_vault(void) {
  t_case("data vault: each lock_entry write-protects its entry and itself");
  mmio_write(DV_DATA_VAULT_ENTRY(2, 5), 0x11111111);
  mmio_write(DV_DATA_VAULT_CTRL(2), DV_CTRL_LOCK_ENTRY);
  mmio_write(DV_DATA_VAULT_ENTRY(2, 5), 0x22222222);
  mmio_write(DV_DATA_VAULT_CTRL(2), 0);
  t_eq("DATA_VAULT_ENTRY[2][5] after a locked write", mmio_read(DV_DATA_VAULT_ENTRY(2, 5)), 0x11111111);
  t_eq("DataVaultCtrl[2] lock stays", mmio_read(DV_DATA_VAULT_CTRL(2)), 1);
  mmio_write(DV_DATA_VAULT_ENTRY(3, 0), 0x33333333); /* the next entry is not locked */
  t_eq("DATA_VAULT_ENTRY[3][0]", mmio_read(DV_DATA_VAULT_ENTRY(3, 0)), 0x33333333);
  mmio_write(DV_STICKY_DATA_VAULT_ENTRY(1, 11), 0x44444444);
  mmio_write(DV_STICKY_DATA_VAULT_CTRL(1), DV_CTRL_LOCK_ENTRY);
  mmio_write(DV_STICKY_DATA_VAULT_ENTRY(1, 11), 0);
  t_eq("STICKY_DATA_VAULT_ENTRY[1][11] after a locked write", mmio_read(DV_STICKY_DATA_VAULT_ENTRY(1, 11)),
       0x44444444);
  mmio_write(DV_LOCKABLE_SCRATCH_REG(4), 0x55555555);
  mmio_write(DV_LOCKABLE_SCRATCH_REG_CTRL(4), DV_CTRL_LOCK_ENTRY);
  mmio_write(DV_LOCKABLE_SCRATCH_REG(4), 0);
  t_eq("LockableScratchReg[4] after a locked write", mmio_read(DV_LOCKABLE_SCRATCH_REG(4)), 0x55555555);
  mmio_write(DV_STICKY_LOCKABLE_SCRATCH_REG(7), 0x66666666);
  mmio_write(DV_STICKY_LOCKABLE_SCRATCH_REG_CTRL(7), DV_CTRL_LOCK_ENTRY);
  mmio_write(DV_STICKY_LOCKABLE_SCRATCH_REG(7), 0);
  t_eq("StickyLockableScratchReg[7] after a locked write", mmio_read(DV_STICKY_LOCKABLE_SCRATCH_REG(7)), 0x66666666);
  mmio_write(DV_NON_STICKY_GENERIC_SCRATCH_REG(6), 0x77777777);
  t_eq("NonStickyGenericScratchReg[6]", mmio_read(DV_NON_STICKY_GENERIC_SCRATCH_REG(6)), 0x77777777);
}

/* After internal_fw_update_reset: cptra_uc_rst_b fields fell, the rest stayed. */
static void after_fw_update_reset(void) {
  t_case("after a firmware-update reset: CPTRA_RESET_REASON.FW_UPD_RESET");
  t_eq("CPTRA_RESET_REASON", mmio_read(CPTRA_RESET_REASON), RESET_REASON_FW_UPD_RESET);

  t_case("after a firmware-update reset: key vault locks fell, data and dest_valid stayed");
  const uint32_t a = mmio_read(KV_KEY_CTRL(SLOT_A));
  t_eq("slot A lock bits", a & 3, 0);
  t_eq("slot A dest_valid", KV_CTRL_DEST_VALID(a), KV_DEST_ECC_PKEY);
  t_eq("slot B lock_use", mmio_read(KV_KEY_CTRL(SLOT_B)) & 3, 0);
  signs_as("slot A signs as before the reset", SLOT_A, TC2_R, TC2_S);
  signs_as("slot B (use lock gone) signs as its tag", SLOT_B, TC2_R, TC2_S);

  t_case("after a firmware-update reset: PCR lock fell, the PCR stayed");
  t_eq("PCR_CTRL lock", mmio_read(PV_PCR_CTRL(PCR_LOCKED)), 0);
  t_eq("PCR_ENTRY[0]", mmio_read(PV_PCR_ENTRY(PCR_LOCKED, 0)), 0xf57bb7ed);
  mmio_write(PV_PCR_CTRL(PCR_LOCKED), PV_CTRL_CLEAR);
  t_eq("PCR_ENTRY[0] after a clear, now unlocked", mmio_read(PV_PCR_ENTRY(PCR_LOCKED, 0)), 0);

  t_case("after a firmware-update reset: data vault uc-domain locks fell, sticky locks and all data stayed");
  t_eq("DataVaultCtrl[2] (cptra_uc_rst_b)", mmio_read(DV_DATA_VAULT_CTRL(2)), 0);
  t_eq("DATA_VAULT_ENTRY[2][5] (pwrgood)", mmio_read(DV_DATA_VAULT_ENTRY(2, 5)), 0x11111111);
  t_eq("StickyDataVaultCtrl[1] (pwrgood)", mmio_read(DV_STICKY_DATA_VAULT_CTRL(1)), 1);
  t_eq("STICKY_DATA_VAULT_ENTRY[1][11]", mmio_read(DV_STICKY_DATA_VAULT_ENTRY(1, 11)), 0x44444444);
  t_eq("LockableScratchRegCtrl[4] (cptra_uc_rst_b)", mmio_read(DV_LOCKABLE_SCRATCH_REG_CTRL(4)), 0);
  t_eq("LockableScratchReg[4]", mmio_read(DV_LOCKABLE_SCRATCH_REG(4)), 0x55555555);
  t_eq("StickyLockableScratchRegCtrl[7]", mmio_read(DV_STICKY_LOCKABLE_SCRATCH_REG_CTRL(7)), 1);
  t_eq("NonStickyGenericScratchReg[6] (cptra_noncore_rst_b)", mmio_read(DV_NON_STICKY_GENERIC_SCRATCH_REG(6)),
       0x77777777);
  mmio_write(DV_DATA_VAULT_ENTRY(2, 5), 0x88888888);
  t_eq("DATA_VAULT_ENTRY[2][5] writable again", mmio_read(DV_DATA_VAULT_ENTRY(2, 5)), 0x88888888);
}

int main(void) {
  t_suite("vaults");
  if (mmio_read(CPTRA_RESET_REASON) & RESET_REASON_FW_UPD_RESET) {
    after_fw_update_reset();
    return t_done();
  }
  kv_slot_contents();
  kv_locks();
  kv_debug_values();
  pcr_vault();
  data_vault();
  /* Re-lock the slots for the reset check, then restart the core. */
  mmio_write(KV_KEY_CTRL(SLOT_B), KV_CTRL_LOCK_USE);
  mmio_write(PV_PCR_CTRL(PCR_LOCKED), PV_CTRL_LOCK);
  if (t_done() != 0) return 1;
  t_print("=== vaults: first pass done; firmware-update reset\n");
  mmio_write(INTERNAL_FW_UPDATE_RESET, 1);
  for (;;) __asm__ volatile("wfi");
}
