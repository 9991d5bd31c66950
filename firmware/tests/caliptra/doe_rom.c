/* The deobfuscation engine (README.md, "doe"): deobfuscates the UDS and field-entropy fuses
 * into the key vault with AES-256-CBC under the SoC's obfuscation key, then proves the vault
 * contents the way the ROM uses them: HMAC-384(key = UDS slot, message = FE slot) into a
 * vault slot as an ECC private key, and an ECC signature (RFC 6979) with it.
 *
 * The fuses (doe_fuses.txt) are the SP 800-38A F.2.5 plaintext encrypted offline with
 * openssl under the default obfuscation key, so with debug locked the vault receives the
 * SP 800-38A plaintext. With debug unlocked the hardware substitutes all-ones secrets and
 * key (caliptra_top.sv). The ROM reads CPTRA_SECURITY_STATE and expects either case; the
 * expected signatures were computed offline (README.md). */
#include "cptra_test.h"
#include "crypto_drv.h"
#include "regs/doe.h"

#define UDS_SLOT 0
#define FE_SLOT 1
#define CDI_SLOT 2
#define DOE_TIMEOUT 10000u

static const char SP800_38A_IV[] = "000102030405060708090a0b0c0d0e0f";
static const char SHA384_ABC[] =
    "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7";

struct expectation {
  const char *r, *s;
};
#if CALIPTRA_HW_2X
/* 2.x: ECC sign(d = the first 48 bytes of HMAC-512(UDS, FE) (and of HMAC-512(UDS, HEK)),
 * SHA-384("abc")), RFC 6979, computed offline (doe_fuses_2x.txt, README.md). */
#define UDS_WORDS 16u
#define HEK_SLOT 3
static const struct expectation debug_locked = {
    "912cdba12c38529f09c6a0cdacca269de27c3b390c078e99f8f1951d4e8237440400eecaf7f5a6d6f8b8d0b0fced1b7f",
    "07a78854ebc5fa194a7d140a8be5fd2b288a369cd590d285ad4794fbeb30efff7b54230ba9e221bac8d1aa50b0d78451"};
static const struct expectation debug_unlocked = {
    "aa5f5121c83e8262dfb5089c9988a0d25c257df1eddabc33125c078d414c53f15bc7a4b7af12e18210581dfc5455c703",
    "2e41ab090772da729b687f15e029695637974662d1cfc1f78137d4920b9fe4b7e75fc7bac1c3165b513a3717cddee9f8"};
#if CALIPTRA_HW_2_1
static const struct expectation hek_debug_locked = {
    "ebed5c7e21b39238b2400cc2eb775c495ee9a4df857b5da7862603393147644de203c46c194c097b9ae40baf9122961f",
    "946306c0ab090d7ab892a3409ecb9e150fdeecec2d41820c32bcd1b61d76f82b52858f3321985d8ca43520af652717aa"};
static const struct expectation hek_debug_unlocked = {
    "c060398f2b29dbdca96a9ab9b4538eaa2c85d91875fcb08fa75dd89332ff265be684a37278096648bd24bdee633bebd2",
    "93ca19d374144057db783fa0b50292507cfba69edfbc656100d276c6f3d0811c42d69c8688f64cf39922980bb8f19a8c"};
#endif
#else
/* ECC sign(d = HMAC-384(UDS, FE), SHA-384("abc")), RFC 6979, computed offline. */
#define UDS_WORDS 12u
static const struct expectation debug_locked = {
    "aaa9d4b13921d5e2e5434b9533ccc463b638badb576ae1aa44d0e83c605e4fcee67d71139647cc397bdc8de7f20afe15",
    "9d057c9fbd0f3172551fe813c0bab909bae2ca6434178633a36adc47f56772d2a35d9faf4c34fb05466b3e29d0641c97"};
static const struct expectation debug_unlocked = {
    "ef81a7d7e838ac0986b3d41354ab35334d81a0767746532d25f8c364898204d9698f867d9b39f0e015eab9abd83d2b11",
    "f5bfb93c0c34249859a30b4ca4b32ee8df2a79ce761cfb9782521622ded3f07bbadc97af79c380e88bf85659c855d2f4"};
#endif

static bool doe_flow(uint32_t cmd, unsigned slot, uint32_t want_status) {
  uint32_t iv[4];
  hex_words(SP800_38A_IV, iv, 4);
  reg_write_words(DOE_IV(0), iv, 4); /* a fresh IV restarts the CBC chain */
  mmio_write(DOE_CTRL, cmd | DOE_CTRL_DEST(slot));
  if (!t_wait("DOE VALID", DOE_STATUS, DOE_STATUS_READY | DOE_STATUS_VALID, DOE_STATUS_READY | DOE_STATUS_VALID,
              DOE_TIMEOUT))
    return false;
  return t_eq("DOE_STATUS", mmio_read(DOE_STATUS), want_status);
}

/* Leaving reset with debug unlocked, the latched security state flips from its locked reset
 * value for one cycle (debug_lock_switch, caliptra_top.sv); that pulse clears the obfuscated
 * secrets, so the DOE starts with VALID and DEOBF_SECRETS_CLEARED set. */
static uint32_t status_after_reset(bool locked) {
  return locked ? DOE_STATUS_READY : DOE_STATUS_READY | DOE_STATUS_VALID | DOE_STATUS_DEOBF_SECRETS_CLEARED;
}

static void deobfuscate(void) {
  const bool locked = mmio_read(CPTRA_SECURITY_STATE) & SECURITY_STATE_DEBUG_LOCKED;
  const uint32_t cleared = locked ? 0 : DOE_STATUS_DEOBF_SECRETS_CLEARED;
  t_case(UDS_WORDS == 16 ? "UDS (4 blocks) and FE (2 blocks) into the key vault"
                         : "UDS (3 blocks) and FE (2 blocks) into the key vault");
  t_eq("DOE_STATUS after reset", mmio_read(DOE_STATUS), status_after_reset(locked));
  if (!doe_flow(DOE_CMD_UDS, UDS_SLOT, DOE_STATUS_READY | DOE_STATUS_VALID | DOE_STATUS_UDS_FLOW_DONE | cleared))
    return;
  t_eq("CTRL.CMD clears at the end", mmio_read(DOE_CTRL) & 3, 0);
  if (!doe_flow(DOE_CMD_FE, FE_SLOT,
                DOE_STATUS_READY | DOE_STATUS_VALID | DOE_STATUS_UDS_FLOW_DONE | DOE_STATUS_FE_FLOW_DONE | cleared))
    return;
  const uint32_t uds = mmio_read(KV_KEY_CTRL(UDS_SLOT)), fe = mmio_read(KV_KEY_CTRL(FE_SLOT));
  t_eq("UDS slot dest_valid (HMAC key | HMAC block, doe_fsm.sv)", KV_CTRL_DEST_VALID(uds),
       KV_DEST_HMAC_KEY | KV_DEST_HMAC_BLOCK);
  t_eq("UDS slot last_dword", KV_CTRL_LAST_DWORD(uds), UDS_WORDS - 1);
  t_eq("FE slot dest_valid", KV_CTRL_DEST_VALID(fe), KV_DEST_HMAC_KEY | KV_DEST_HMAC_BLOCK);
  t_eq("FE slot last_dword", KV_CTRL_LAST_DWORD(fe), 7);
}

/* HMAC(key = the UDS slot, message = block_slot) into CDI_SLOT as an ECC key, and its RFC 6979
 * signature of SHA-384("abc"): HMAC-384 in 1.x, HMAC-512 in 2.x (ECC takes the first 12
 * dwords). */
static void sign_with_hmac_of(unsigned block_slot, const struct expectation *e) {
  uint32_t tag[16], h[12], r[12], s[12], er[12], es[12];
  mmio_write(KV_KEY_CTRL(CDI_SLOT), KV_CTRL_CLEAR);
  const struct hmac_op op = {0, 0, UDS_SLOT, (int)block_slot, 0, 0, CDI_SLOT, KV_DEST_ECC_PKEY};
  if (!hmac_run(&op, CALIPTRA_HW_2X, tag)) return;
  hex_words(SHA384_ABC, h, 12);
  if (!ecc_sign(0, CDI_SLOT, h, r, s)) return;
  hex_words(e->r, er, 12);
  hex_words(e->s, es, 12);
  t_words("SIGN_R", r, er, 12);
  t_words("SIGN_S", s, es, 12);
}

static void prove_vault_contents(void) {
  const bool locked = mmio_read(CPTRA_SECURITY_STATE) & SECURITY_STATE_DEBUG_LOCKED;
  t_case(locked ? "HMAC(UDS, FE) -> ECC key -> signature (debug locked: SP 800-38A plaintext)"
                : "HMAC(UDS, FE) -> ECC key -> signature (debug unlocked: all-ones secrets and key)");
  sign_with_hmac_of(FE_SLOT, locked ? &debug_locked : &debug_unlocked);
}

#if CALIPTRA_HW_2_1
/* 2.1 OCP LOCK HEK flow (CMD_EXT = 1, CMD = 0): the 8-word HEK seed fuse into the vault with
 * dest_valid = HMAC block only. The seed is never replaced in debug mode (only the key is:
 * all ones), so debug unlocked the slot holds AES-256-CBC-Decrypt(all ones, seed). */
static void hek_flow(void) {
  const bool locked = mmio_read(CPTRA_SECURITY_STATE) & SECURITY_STATE_DEBUG_LOCKED;
  t_case("2.1 HEK flow (CMD_EXT): HEK seed into the vault as an HMAC block, proven by HMAC-512 and ECC");
  uint32_t iv[4];
  hex_words(SP800_38A_IV, iv, 4);
  reg_write_words(DOE_IV(0), iv, 4);
  mmio_write(DOE_CTRL, DOE_CTRL_CMD_EXT_HEK | DOE_CTRL_DEST(HEK_SLOT));
  if (!t_wait("DOE VALID", DOE_STATUS, DOE_STATUS_READY | DOE_STATUS_VALID, DOE_STATUS_READY | DOE_STATUS_VALID,
              DOE_TIMEOUT))
    return;
  t_eq("HEK_FLOW_DONE", mmio_read(DOE_STATUS) & (DOE_STATUS_HEK_FLOW_DONE | DOE_STATUS_ERROR), DOE_STATUS_HEK_FLOW_DONE);
  const uint32_t ctrl = mmio_read(KV_KEY_CTRL(HEK_SLOT));
  t_eq("HEK slot dest_valid (HMAC block only)", KV_CTRL_DEST_VALID(ctrl), KV_DEST_HMAC_BLOCK);
  t_eq("HEK slot last_dword", KV_CTRL_LAST_DWORD(ctrl), 7);
  sign_with_hmac_of(HEK_SLOT, locked ? &hek_debug_locked : &hek_debug_unlocked);
}
#endif

static void flows_run_once(void) {
  t_case("a repeated UDS flow completes at once and leaves the vault alone");
  mmio_write(KV_KEY_CTRL(5), KV_CTRL_CLEAR);
  mmio_write(DOE_CTRL, DOE_CMD_UDS | DOE_CTRL_DEST(5));
  t_eq("DOE_STATUS right after the command", mmio_read(DOE_STATUS) & (DOE_STATUS_READY | DOE_STATUS_VALID),
       DOE_STATUS_READY | DOE_STATUS_VALID);
  t_eq("slot 5 untouched (no dest_valid)", mmio_read(KV_KEY_CTRL(5)), 0);
}

static void clear_secrets(void) {
  t_case("CMD 3 clears the obfuscated secrets: DEOBF_SECRETS_CLEARED");
  mmio_write(DOE_CTRL, DOE_CMD_CLEAR_OBF_SECRETS);
  if (!t_wait("DOE VALID", DOE_STATUS, DOE_STATUS_VALID, DOE_STATUS_VALID, DOE_TIMEOUT)) return;
  t_eq("DEOBF_SECRETS_CLEARED", mmio_read(DOE_STATUS) & DOE_STATUS_DEOBF_SECRETS_CLEARED,
       DOE_STATUS_DEOBF_SECRETS_CLEARED);
  t_eq("DOE_IV zeroized", mmio_read(DOE_IV(0)), 0);
}

/* The DOE notification (PIC source 2) at the end of a flow; the FE flow is done, so the
 * repeated command completes at once and still notifies. */
static void notification(void) {
  t_case("notif_cmd_done interrupt (PIC source 2)");
  irq_init();
  mmio_write(INTR_NOTIF_STS(DOE_BASE), INTR_NOTIF_CMD_DONE);
  mmio_write(INTR_GLOBAL_EN(DOE_BASE), INTR_GLOBAL_NOTIF_EN);
  mmio_write(INTR_NOTIF_EN(DOE_BASE), INTR_NOTIF_CMD_DONE);
  irq_enable(IRQ_DOE_NOTIF, 3);
  mmio_write(DOE_CTRL, DOE_CMD_FE | DOE_CTRL_DEST(6));
  if (irq_wait(IRQ_DOE_NOTIF, DOE_TIMEOUT)) t_eq("notif status", mmio_read(INTR_NOTIF_STS(DOE_BASE)), 1);
  mmio_write(INTR_NOTIF_STS(DOE_BASE), INTR_NOTIF_CMD_DONE);
  mmio_write(INTR_GLOBAL_EN(DOE_BASE), 0);
}

int main(void) {
  t_suite("doe");
  t_printf("security state 0x%x\n", mmio_read(CPTRA_SECURITY_STATE));
  deobfuscate();
  prove_vault_contents();
#if CALIPTRA_HW_2_1
  hek_flow();
#endif
  flows_run_once();
  notification();
  clear_secrets();
  return t_done();
}
