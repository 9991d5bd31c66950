/* Adams Bridge (0x1003_0000) driven through its registers as caliptra-sw's mldsa87.rs and
 * ml_kem.rs drive it (README.md, "abr"): ML-DSA-87 key generation from NIST ACVP keyGen
 * seeds; FIPS 204 external-interface signing and verification with a streamed message and a
 * context (mldsa87_noble.json); in 2.1, ACVP sigGen and sigVer through EXTERNAL_MU, and
 * ML-KEM-1024 key generation, encapsulation and decapsulation (ACVP, including implicit
 * rejection, and a keygen/encaps/decaps chain from mlkem1024_noble.json). Outputs larger than
 * a few words are compared through their SHA-512 digests, computed on the SHA-512 engine
 * (abr_vectors.h holds the digests of the published values). */
#include "abr_vectors.h"
#include "cptra_test.h"
#include "crypto_drv.h"
#include "regs/abr.h"
#include "sha_drv.h"
#if CALIPTRA_HW_2_1
#include "regs/aes.h"
#endif

#define ABR_TIMEOUT 5000000u /* cycles: a signature can take several rejection rounds */

static uint8_t buf[MLDSA_PRIVKEY_BYTES + 4], buf2[MLDSA_SIGNATURE_BYTES + 4], msg[1024];
static uint8_t pk[MLDSA_PUBKEY_BYTES], sig[MLDSA_SIGNATURE_BYTES + 1];

/* ---- byte strings in the engine's little-endian words ---- */
static void put_bytes(uint32_t addr, const uint8_t *b, unsigned n) {
  for (unsigned i = 0; i < n; i += 4) {
    uint32_t w = 0;
    for (unsigned j = 0; j < 4 && i + j < n; ++j) w |= (uint32_t)b[i + j] << (8 * j);
    mmio_write(addr + i, w);
  }
}
static void get_bytes(uint32_t addr, uint8_t *b, unsigned n) {
  for (unsigned i = 0; i < n; i += 4) {
    const uint32_t w = mmio_read(addr + i);
    for (unsigned j = 0; j < 4 && i + j < n; ++j) b[i + j] = (uint8_t)(w >> (8 * j));
  }
}
static unsigned put_hex(uint32_t addr, const char *hex) {
  const unsigned n = hex_bytes(hex, buf, sizeof buf);
  put_bytes(addr, buf, n);
  return n;
}
#if CALIPTRA_HW_2_1
static bool check_bytes(const char *what, uint32_t addr, const char *expected_hex) {
  uint8_t want[64], got[64];
  const unsigned n = hex_bytes(expected_hex, want, sizeof want);
  get_bytes(addr, got, n);
  for (unsigned i = 0; i < n; ++i)
    if (got[i] != want[i]) return t_fail("%s: byte %u: expected %02x, got %02x", what, i, want[i], got[i]);
  return true;
}
#endif
/* SHA-512 of n bytes read from addr (on the SHA-512 engine) against a published digest. */
static bool check_digest(const char *what, uint32_t addr, unsigned n, const char *sha512_hex) {
  uint32_t digest[16], expected[16];
  get_bytes(addr, buf, n);
  hex_words(sha512_hex, expected, 16);
  if (!sha512_hash(SHA512_MODE_512, buf, n, digest, 16)) return false;
  return t_words(what, digest, expected, 16);
}

static bool abr_wait(const char *what, uint32_t status, uint32_t bits) {
  return t_wait(what, status, bits, bits, ABR_TIMEOUT);
}
static void zeroize(uint32_t ctrl, uint32_t status) {
  mmio_write(ctrl, ABR_CTRL_ZEROIZE);
  abr_wait("READY after ZEROIZE", status, ABR_STATUS_READY);
}
/* caliptra-sw program_var_msg: MSG_STROBE 0xF, whole words into MSG[0], then the last
 * (possibly empty) word with the strobe of its bytes. */
static bool stream(const uint8_t *m, unsigned n) {
  if (!abr_wait("MSG_STREAM_READY", MLDSA_STATUS, MLDSA_STATUS_MSG_STREAM_READY)) return false;
  mmio_write(MLDSA_MSG_STROBE, 0xF);
  const unsigned whole = n / 4 * 4;
  for (unsigned i = 0; i < whole; i += 4) {
    uint32_t w;
    memcpy(&w, m + i, 4);
    mmio_write(MLDSA_MSG(0), w);
  }
  uint32_t last = 0;
  for (unsigned j = 0; whole + j < n; ++j) last |= (uint32_t)m[whole + j] << (8 * j);
  mmio_write(MLDSA_MSG_STROBE, (1u << (n - whole)) - 1);
  mmio_write(MLDSA_MSG(0), last);
  return true;
}
static void set_context(const char *ctx_hex) {
  const unsigned n = hex_bytes(ctx_hex, buf, sizeof buf);
  mmio_write(MLDSA_CTX_CONFIG, n);
  put_bytes(MLDSA_CTX(0), buf, n);
}
static void entropy(void) {
  for (unsigned i = 0; i < 16; ++i) mmio_write(ABR_ENTROPY(i), 0x5a5a5a5au ^ i); /* masking only */
}

static void identity_and_reset(void) {
  t_case("reset state and identity (mldsa_params_pkg.sv / abr_params_pkg.sv)");
  t_eq("MLDSA_NAME[0] 'MLDS'", mmio_read(MLDSA_NAME(0)), 0x44534D4Cu);
  t_eq("MLDSA_NAME[1] 'A-87'", mmio_read(MLDSA_NAME(1)), 0x3837412Du);
#if CALIPTRA_HW_2_1
  t_eq("MLDSA_VERSION[0] (2.0.3)", mmio_read(MLDSA_VERSION(0)), 0x302e322eu);
  t_eq("MLKEM_NAME[0] 'EK-M'", mmio_read(MLKEM_NAME(0)), 0x4D2D4B45u);
  t_eq("MLKEM_NAME[1] '1024'", mmio_read(MLKEM_NAME(1)), 0x32343130u);
  t_eq("MLKEM_STATUS: READY", mmio_read(MLKEM_STATUS), ABR_STATUS_READY);
#else
  t_eq("MLDSA_VERSION[0] (1.0.3)", mmio_read(MLDSA_VERSION(0)), 0x2e302e31u);
#endif
  t_eq("MLDSA_STATUS: READY", mmio_read(MLDSA_STATUS), ABR_STATUS_READY);
  t_eq("kv seed read status: READY", mmio_read(MLDSA_KV_RD_SEED_STATUS) & 3, 1);
}

/* ---- ML-DSA-87 ---- */
struct keygen_case {
  const char *name, *seed, *pk, *sk;
};
static const struct keygen_case keygens[] = {
    {"ML-DSA-87 ACVP keyGen tcId 51 (waits on the notification, PIC source 24)", MLDSA_KG0_SEED, MLDSA_KG0_PK_SHA512,
     MLDSA_KG0_SK_SHA512},
    {"ML-DSA-87 ACVP keyGen tcId 52", MLDSA_KG1_SEED, MLDSA_KG1_PK_SHA512, MLDSA_KG1_SK_SHA512},
    {"ML-DSA-87 ACVP keyGen tcId 53", MLDSA_KG2_SEED, MLDSA_KG2_PK_SHA512, MLDSA_KG2_SK_SHA512},
};

static void keygen_case(const struct keygen_case *c, bool by_interrupt) {
  t_case(c->name);
  put_hex(MLDSA_SEED(0), c->seed);
  entropy();
  if (by_interrupt) {
    mmio_write(INTR_NOTIF_STS(ABR_INTR_BASE), INTR_NOTIF_CMD_DONE);
    mmio_write(INTR_GLOBAL_EN(ABR_INTR_BASE), INTR_GLOBAL_NOTIF_EN | INTR_GLOBAL_ERROR_EN);
    mmio_write(INTR_NOTIF_EN(ABR_INTR_BASE), INTR_NOTIF_CMD_DONE);
    irq_enable(IRQ_ABR_NOTIF, 1);
  }
  mmio_write(MLDSA_CTRL, MLDSA_CMD_KEYGEN);
  t_eq("STATUS right after KEYGEN (busy)", mmio_read(MLDSA_STATUS) & (ABR_STATUS_READY | ABR_STATUS_VALID), 0);
  if (by_interrupt) {
    if (!t_true("notification interrupt", irq_wait(IRQ_ABR_NOTIF, ABR_TIMEOUT))) return;
    t_eq("notif_cmd_done status", mmio_read(INTR_NOTIF_STS(ABR_INTR_BASE)), INTR_NOTIF_CMD_DONE);
    mmio_write(INTR_NOTIF_STS(ABR_INTR_BASE), INTR_NOTIF_CMD_DONE);
    irq_disable(IRQ_ABR_NOTIF);
  }
  if (!abr_wait("READY and VALID", MLDSA_STATUS, ABR_STATUS_READY | ABR_STATUS_VALID)) return;
  check_digest("SHA-512(PUBKEY) = SHA-512(pk)", MLDSA_PUBKEY(0), MLDSA_PUBKEY_BYTES, c->pk);
  check_digest("SHA-512(PRIVKEY_OUT) = SHA-512(sk)", MLDSA_PRIVKEY_OUT(0), MLDSA_PRIVKEY_BYTES, c->sk);
  zeroize(MLDSA_CTRL, MLDSA_STATUS);
  t_eq("PUBKEY[0] after ZEROIZE", mmio_read(MLDSA_PUBKEY(0)), 0);
}

/* FIPS 204 ML-DSA.Sign / Verify (external interface): KEYGEN+SIGN from the seed with the
 * message streamed after the 14-byte context; the public key and signature read back, the
 * engine zeroized, and VERIFY of the same message (VERIFY_RES = the signature's c~) and of the
 * message with one more byte (VERIFY_RES differs). */
static void external_sign_verify(void) {
  t_case("ML-DSA-87 KEYGEN+SIGN, streamed 100-byte message, 14-byte context (FIPS 204 external)");
  const unsigned n = hex_bytes(MLDSA_EXT_MSG, msg, sizeof msg);
  put_hex(MLDSA_SEED(0), MLDSA_EXT_SEED);
  put_hex(MLDSA_SIGN_RND(0), MLDSA_EXT_RND);
  set_context(MLDSA_EXT_CTX);
  entropy();
  mmio_write(MLDSA_CTRL, MLDSA_CMD_KEYGEN_SIGN | ABR_CTRL_STREAM_MSG);
  if (!stream(msg, n) || !abr_wait("READY and VALID", MLDSA_STATUS, ABR_STATUS_READY | ABR_STATUS_VALID)) return;
  check_digest("SHA-512(SIGNATURE)", MLDSA_SIGNATURE(0), MLDSA_SIGNATURE_BYTES, MLDSA_EXT_SIG_SHA512);
  check_digest("SHA-512(PUBKEY)", MLDSA_PUBKEY(0), MLDSA_PUBKEY_BYTES, MLDSA_EXT_PK_SHA512);
  get_bytes(MLDSA_PUBKEY(0), pk, MLDSA_PUBKEY_BYTES);
  get_bytes(MLDSA_SIGNATURE(0), sig, MLDSA_SIGNATURE_BYTES);
  zeroize(MLDSA_CTRL, MLDSA_STATUS);

  for (unsigned damaged = 0; damaged < 2; ++damaged) {
    t_case(damaged ? "ML-DSA-87 VERIFY of the message with one byte appended: rejected"
                   : "ML-DSA-87 VERIFY of that signature: VERIFY_RES = c~");
    put_bytes(MLDSA_PUBKEY(0), pk, MLDSA_PUBKEY_BYTES);
    put_bytes(MLDSA_SIGNATURE(0), sig, MLDSA_SIGNATURE_BYTES);
    set_context(MLDSA_EXT_CTX);
    msg[n] = 0x01;
    mmio_write(MLDSA_CTRL, MLDSA_CMD_VERIFY | ABR_CTRL_STREAM_MSG);
    if (!stream(msg, n + damaged) || !abr_wait("READY and VALID", MLDSA_STATUS, ABR_STATUS_READY | ABR_STATUS_VALID))
      return;
    get_bytes(MLDSA_VERIFY_RES(0), buf2, 64);
    const bool same = memcmp(buf2, sig, 64) == 0;
    t_true(damaged ? "VERIFY_RES differs from c~" : "VERIFY_RES equals c~", same == !damaged);
    zeroize(MLDSA_CTRL, MLDSA_STATUS);
  }
}

/* The ML-DSA seed from the key vault (read port 2): the RTL loads SEED[i] from vault dword 7-i
 * (abr_ctrl.sv / mldsa_ctrl.sv). An HMAC-512 tag (RFC 4231 test case 2) goes to a slot as an
 * ML-DSA seed; KEYGEN from the slot must give the public key that KEYGEN gives with the same
 * words written to SEED in that order, and PRIVKEY_OUT stays locked for a vault seed. */
static void seed_from_vault(void) {
  uint32_t tag[16], d_vault[16], d_regs[16];
  t_case("ML-DSA-87 KEYGEN with the seed from a key-vault slot = KEYGEN with SEED[i] = dword 7-i");
  mmio_write(KV_KEY_CTRL(4), KV_CTRL_CLEAR);
  const struct hmac_op op = {(const uint8_t *)"Jefe", 4, -1, -1, (const uint8_t *)"what do ya want for nothing?", 28, 4,
                             KV_DEST_MLDSA_SEED};
  if (!hmac_run(&op, true, tag)) return;
  hex_words("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554", tag, 8); /* RFC 4231 */
  mmio_write(MLDSA_KV_RD_SEED_CTRL, KV_READ_CTRL(4));
  if (!kv_wait("ML-DSA seed read from the vault", MLDSA_KV_RD_SEED_STATUS, KV_ERROR_SUCCESS)) return;
  mmio_write(MLDSA_CTRL, MLDSA_CMD_KEYGEN);
  if (!abr_wait("READY and VALID", MLDSA_STATUS, ABR_STATUS_READY | ABR_STATUS_VALID)) return;
  get_bytes(MLDSA_PUBKEY(0), buf, MLDSA_PUBKEY_BYTES);
  if (!sha512_hash(SHA512_MODE_512, buf, MLDSA_PUBKEY_BYTES, d_vault, 16)) return;
  t_eq("PRIVKEY_OUT[0] (locked for a vault seed)", mmio_read(MLDSA_PRIVKEY_OUT(0)), 0);
  zeroize(MLDSA_CTRL, MLDSA_STATUS);
  for (unsigned i = 0; i < 8; ++i) mmio_write(MLDSA_SEED(i), tag[7 - i]);
  mmio_write(MLDSA_CTRL, MLDSA_CMD_KEYGEN);
  if (!abr_wait("READY and VALID", MLDSA_STATUS, ABR_STATUS_READY | ABR_STATUS_VALID)) return;
  get_bytes(MLDSA_PUBKEY(0), buf, MLDSA_PUBKEY_BYTES);
  if (!sha512_hash(SHA512_MODE_512, buf, MLDSA_PUBKEY_BYTES, d_regs, 16)) return;
  t_words("SHA-512(PUBKEY): vault seed vs register seed", d_vault, d_regs, 16);
  zeroize(MLDSA_CTRL, MLDSA_STATUS);
}

#if CALIPTRA_HW_2_1
/* ACVP sigGen / sigVer (internal interface, M'): the engine takes mu = SHAKE256(tr || M', 64)
 * through EXTERNAL_MU (2.1). */
struct siggen_case {
  const char *name, *sk, *mu, *rnd, *sig;
};
static const struct siggen_case siggens[] = {
    {"ML-DSA-87 ACVP sigGen tcId 50 (deterministic) through EXTERNAL_MU", MLDSA_SG_DET_SK, MLDSA_SG_DET_MU,
     MLDSA_SG_DET_RND, MLDSA_SG_DET_SIG_SHA512},
    {"ML-DSA-87 ACVP sigGen tcId 53 (hedged) through EXTERNAL_MU", MLDSA_SG_HEDGED_SK, MLDSA_SG_HEDGED_MU,
     MLDSA_SG_HEDGED_RND, MLDSA_SG_HEDGED_SIG_SHA512},
};

static void siggen_case(const struct siggen_case *c) {
  t_case(c->name);
  put_hex(MLDSA_PRIVKEY_IN(0), c->sk);
  put_hex(MLDSA_EXTERNAL_MU(0), c->mu);
  put_hex(MLDSA_SIGN_RND(0), c->rnd);
  entropy();
  mmio_write(MLDSA_CTRL, MLDSA_CMD_SIGN | ABR_CTRL_EXTERNAL_MU);
  if (!abr_wait("READY and VALID", MLDSA_STATUS, ABR_STATUS_READY | ABR_STATUS_VALID)) return;
  check_digest("SHA-512(SIGNATURE)", MLDSA_SIGNATURE(0), MLDSA_SIGNATURE_BYTES, c->sig);
  t_eq("PRIVKEY_OUT stays locked after SIGN (reads 0)", mmio_read(MLDSA_PRIVKEY_OUT(0)), 0);
  zeroize(MLDSA_CTRL, MLDSA_STATUS);
}

static bool sigver(const char *pk_hex, const char *sig_hex, const char *mu_hex, bool flip_mu) {
  put_hex(MLDSA_PUBKEY(0), pk_hex);
  const unsigned n = hex_bytes(sig_hex, buf2, sizeof buf2);
  put_bytes(MLDSA_SIGNATURE(0), buf2, n);
  hex_bytes(mu_hex, buf, 64);
  if (flip_mu) buf[0] ^= 1;
  put_bytes(MLDSA_EXTERNAL_MU(0), buf, 64);
  mmio_write(MLDSA_CTRL, MLDSA_CMD_VERIFY | ABR_CTRL_EXTERNAL_MU);
  if (!abr_wait("READY and VALID", MLDSA_STATUS, ABR_STATUS_READY | ABR_STATUS_VALID)) return false;
  get_bytes(MLDSA_VERIFY_RES(0), buf, 64);
  const bool accepted = memcmp(buf, buf2, 64) == 0;
  zeroize(MLDSA_CTRL, MLDSA_STATUS);
  return accepted;
}

static void sigver_cases(void) {
  t_case("ML-DSA-87 ACVP sigVer tcId 31 (no modification): accepted");
  t_true("VERIFY_RES = c~", sigver(MLDSA_SV_PASS_PK, MLDSA_SV_PASS_SIG, MLDSA_SV_PASS_MU, false));
  t_case("ML-DSA-87 ACVP sigVer tcId 31 with one bit of mu flipped: rejected");
  t_true("VERIFY_RES != c~", !sigver(MLDSA_SV_PASS_PK, MLDSA_SV_PASS_SIG, MLDSA_SV_PASS_MU, true));
  t_case("ML-DSA-87 ACVP sigVer tcId 33 (too many hints): rejected");
  t_true("VERIFY_RES != c~", !sigver(MLDSA_SV_HINTS_PK, MLDSA_SV_HINTS_SIG, MLDSA_SV_HINTS_MU, false));
}

/* ---- ML-KEM-1024 (2.1) ---- */
static bool kem_run(uint32_t cmd) {
  mmio_write(MLKEM_CTRL, cmd);
  return abr_wait("ML-KEM READY and VALID", MLKEM_STATUS, ABR_STATUS_READY | ABR_STATUS_VALID);
}

static void mlkem_acvp(void) {
  t_case("ML-KEM-1024 ACVP keyGen tcId (d, z): encapsulation and decapsulation keys");
  put_hex(MLKEM_SEED_D(0), MLKEM_KG_D);
  put_hex(MLKEM_SEED_Z(0), MLKEM_KG_Z);
  entropy();
  if (kem_run(MLKEM_CMD_KEYGEN)) {
    check_digest("SHA-512(ENCAPS_KEY) = SHA-512(ek)", MLKEM_ENCAPS_KEY(0), MLKEM_EK_BYTES, MLKEM_KG_EK_SHA512);
    check_digest("SHA-512(DECAPS_KEY) = SHA-512(dk)", MLKEM_DECAPS_KEY(0), MLKEM_DK_BYTES, MLKEM_KG_DK_SHA512);
  }
  zeroize(MLKEM_CTRL, MLKEM_STATUS);

  t_case("ML-KEM-1024 ACVP encapsulation: ciphertext and shared key");
  put_hex(MLKEM_ENCAPS_KEY(0), MLKEM_ENC_EK);
  put_hex(MLKEM_MSG(0), MLKEM_ENC_M);
  if (kem_run(MLKEM_CMD_ENCAPS)) {
    check_digest("SHA-512(CIPHERTEXT) = SHA-512(c)", MLKEM_CIPHERTEXT(0), MLKEM_CT_BYTES, MLKEM_ENC_C_SHA512);
    check_bytes("SHARED_KEY = k", MLKEM_SHARED_KEY(0), MLKEM_ENC_K);
  }
  zeroize(MLKEM_CTRL, MLKEM_STATUS);

  t_case("ML-KEM-1024 ACVP decapsulation of a modified ciphertext: implicit rejection key");
  put_hex(MLKEM_DECAPS_KEY(0), MLKEM_DEC_DK);
  put_hex(MLKEM_CIPHERTEXT(0), MLKEM_DEC_C);
  if (kem_run(MLKEM_CMD_DECAPS)) check_bytes("SHARED_KEY = K-bar", MLKEM_SHARED_KEY(0), MLKEM_DEC_K);
  zeroize(MLKEM_CTRL, MLKEM_STATUS);

  /* FIPS 203 input checking (the modulus check on ek): a coefficient of 0xFFF >= q. */
  t_case("ML-KEM-1024 ENCAPS with an encapsulation key coefficient >= q: ERROR until ZEROIZE");
  mmio_write(INTR_ERROR_STS(ABR_INTR_BASE), 1);
  const unsigned n = hex_bytes(MLKEM_ENC_EK, buf, sizeof buf);
  buf[0] = 0xFF;
  buf[1] |= 0x0F;
  put_bytes(MLKEM_ENCAPS_KEY(0), buf, n);
  put_hex(MLKEM_MSG(0), MLKEM_ENC_M);
  mmio_write(MLKEM_CTRL, MLKEM_CMD_ENCAPS);
  if (abr_wait("ML-KEM ERROR", MLKEM_STATUS, MLKEM_STATUS_ERROR)) {
    /* abr_ctrl.sv: the error flag holds the engine (READY low) until a zeroize. */
    t_eq("MLKEM_STATUS: ERROR only (no READY, no VALID)", mmio_read(MLKEM_STATUS), MLKEM_STATUS_ERROR);
    t_eq("MLDSA_STATUS shows the same error", mmio_read(MLDSA_STATUS), MLDSA_STATUS_ERROR);
    t_eq("error_internal status", mmio_read(INTR_ERROR_STS(ABR_INTR_BASE)) & 1, 1);
  }
  mmio_write(INTR_ERROR_STS(ABR_INTR_BASE), 1);
  zeroize(MLKEM_CTRL, MLKEM_STATUS);
  t_eq("MLKEM_STATUS after ZEROIZE", mmio_read(MLKEM_STATUS), ABR_STATUS_READY);
}

/* The shared key to the key vault (kv_mlkem_sharedkey_wr_ctrl): vault dword i = SHARED_KEY[7-i]
 * (abr_ctrl.sv), and AES takes a vault key's dwords most significant byte first
 * (aes_clp_wrapper.sv), so the AES key is the shared key k byte-reversed. The ACVP
 * encapsulation's k goes to a slot with the AES-key destination; AES-256-ECB of a zero block
 * with that slot must be AES-256-ECB(reverse(k), 0), computed with `cryptography`. */
static void shared_key_to_vault(void) {
  t_case("ML-KEM-1024 shared key to the key vault, used as an AES-256 key (byte-reversed k)");
  mmio_write(KV_KEY_CTRL(9), KV_CTRL_CLEAR);
  put_hex(MLKEM_ENCAPS_KEY(0), MLKEM_ENC_EK);
  put_hex(MLKEM_MSG(0), MLKEM_ENC_M);
  mmio_write(MLKEM_KV_SHAREDKEY_WR_CTRL, KV_WRITE_CTRL(9, KV_DEST_AES_KEY));
  if (!kem_run(MLKEM_CMD_ENCAPS)) return;
  if (!kv_wait("shared key write to the vault", MLKEM_KV_SHAREDKEY_WR_STATUS, KV_ERROR_SUCCESS)) return;
  t_eq("slot 9 last_dword", KV_CTRL_LAST_DWORD(mmio_read(KV_KEY_CTRL(9))), 7);
  zeroize(MLKEM_CTRL, MLKEM_STATUS);
  mmio_write(AES_KV_RD_KEY_CTRL, KV_READ_CTRL(9));
  if (!kv_wait("AES key read", AES_KV_RD_KEY_STATUS, KV_ERROR_SUCCESS)) return;
  const uint32_t ctrl = AES_CTRL(AES_OP_ENC, AES_MODE_ECB, AES_KEY_256) | AES_CTRL_SIDELOAD;
  mmio_write(AES_CTRL_SHADOWED, ctrl);
  mmio_write(AES_CTRL_SHADOWED, ctrl);
  for (unsigned i = 0; i < 4; ++i) mmio_write(AES_DATA_IN(i), 0);
  if (!t_wait("AES OUTPUT_VALID", AES_STATUS, AES_STATUS_OUTPUT_VALID, AES_STATUS_OUTPUT_VALID, 10000)) return;
  check_bytes("AES-256-ECB(reverse(k), 0)", AES_DATA_OUT(0), "ddddffbeb6220a678807279680b2e677");
  mmio_write(AES_CTRL_SHADOWED, ctrl | AES_CTRL_MANUAL);
  mmio_write(AES_CTRL_SHADOWED, ctrl | AES_CTRL_MANUAL);
  mmio_write(AES_TRIGGER, AES_TRIGGER_KEY_IV_DATA_IN_CLEAR | AES_TRIGGER_DATA_OUT_CLEAR);
}

/* Keygen, encapsulation with the given m, decapsulation of the engine's own ciphertext, and
 * of that ciphertext with bit 0 of byte 0 flipped (implicit rejection). */
static void mlkem_chain(void) {
  t_case("ML-KEM-1024 keygen -> encaps -> decaps -> decaps of a flipped ciphertext (noble case 0)");
  put_hex(MLKEM_SEED_D(0), MLKEM_NOBLE_D);
  put_hex(MLKEM_SEED_Z(0), MLKEM_NOBLE_Z);
  if (!kem_run(MLKEM_CMD_KEYGEN)) return;
  check_digest("SHA-512(ENCAPS_KEY)", MLKEM_ENCAPS_KEY(0), MLKEM_EK_BYTES, MLKEM_NOBLE_EK_SHA512);
  get_bytes(MLKEM_DECAPS_KEY(0), buf2, MLKEM_DK_BYTES); /* kept for the decapsulations */
  put_hex(MLKEM_MSG(0), MLKEM_NOBLE_M);
  if (!kem_run(MLKEM_CMD_ENCAPS)) return;
  check_digest("SHA-512(CIPHERTEXT)", MLKEM_CIPHERTEXT(0), MLKEM_CT_BYTES, MLKEM_NOBLE_C_SHA512);
  check_bytes("SHARED_KEY after ENCAPS", MLKEM_SHARED_KEY(0), MLKEM_NOBLE_K);
  get_bytes(MLKEM_CIPHERTEXT(0), sig, MLKEM_CT_BYTES);
  for (unsigned flip = 0; flip < 2; ++flip) {
    zeroize(MLKEM_CTRL, MLKEM_STATUS);
    put_bytes(MLKEM_DECAPS_KEY(0), buf2, MLKEM_DK_BYTES);
    sig[0] ^= (uint8_t)flip;
    put_bytes(MLKEM_CIPHERTEXT(0), sig, MLKEM_CT_BYTES);
    if (!kem_run(MLKEM_CMD_DECAPS)) return;
    check_bytes(flip ? "SHARED_KEY after DECAPS of the flipped ciphertext (K-bar)" : "SHARED_KEY after DECAPS",
                MLKEM_SHARED_KEY(0), flip ? MLKEM_NOBLE_K_REJECTED : MLKEM_NOBLE_K);
  }
  zeroize(MLKEM_CTRL, MLKEM_STATUS);
}
#endif

int main(void) {
  irq_init();
  t_suite("abr");
  identity_and_reset();
  for (unsigned i = 0; i < sizeof keygens / sizeof keygens[0]; ++i) keygen_case(&keygens[i], i == 0);
  external_sign_verify();
  seed_from_vault();
#if CALIPTRA_HW_2_1
  for (unsigned i = 0; i < sizeof siggens / sizeof siggens[0]; ++i) siggen_case(&siggens[i]);
  sigver_cases();
  mlkem_acvp();
  mlkem_chain();
  shared_key_to_vault();
#endif
  return t_done();
}
