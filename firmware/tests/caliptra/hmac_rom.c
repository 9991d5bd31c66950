/* HMAC-384 engine driven through its registers (README.md, "hmac"): RFC 4231 test cases
 * 1-7 (the 131-byte keys of 6 and 7 hashed to 48 bytes on the SHA-512 engine first, as
 * RFC 2104 prescribes), multi-block messages with NEXT, and the key-vault route: a tag
 * written to the vault, used as the next HMAC's key, whose tag goes to the vault as an ECC
 * private key and is proven by the ECC engine's RFC 6979 signature with it. */
#include "cptra_test.h"
#include "crypto_drv.h"
#include "sha_drv.h"
#if CALIPTRA_HW_2X
#include "regs/aes.h"
#endif

static uint8_t key[160], msg[256];

struct rfc4231 {
  const char *name, *key, *data, *tag;
};
/* RFC 4231 §4.2-§4.8, HMAC-SHA-384 (test case 5 truncated to 128 bits). */
static const struct rfc4231 cases[] = {
    {"RFC 4231 test case 1", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
     "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6"},
    {"RFC 4231 test case 2 (key 'Jefe')", "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
     "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"},
    {"RFC 4231 test case 3", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
     "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27"},
    {"RFC 4231 test case 4", "0102030405060708090a0b0c0d0e0f10111213141516171819",
     "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
     "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb"},
    {"RFC 4231 test case 5 (truncated to 128 bits)", "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
     "546573742057697468205472756e636174696f6e", "3abf34c3503b2a23a46efc619baef897"},
    {"RFC 4231 test case 6 (131-byte key hashed first)",
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
     "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952"},
    {"RFC 4231 test case 7 (131-byte key, 152-byte data: 2 blocks)",
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e64206120"
     "6c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f2062652068617368656420"
     "6265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e",
     "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e"},
};

static void rfc4231_case(const struct rfc4231 *c) {
  uint32_t tag[12], expected[12], hashed[12];
  t_case(c->name);
  unsigned key_len = hex_bytes(c->key, key, sizeof key);
  const unsigned msg_len = hex_bytes(c->data, msg, sizeof msg);
  const unsigned tag_words = hex_words(c->tag, expected, 12);
  if (key_len > 128) { /* longer than the SHA-384 block: K = SHA-384(key) */
    if (!sha512_hash(SHA512_MODE_384, key, key_len, hashed, 12)) return;
    be_bytes(hashed, 12, key);
    key_len = 48;
  }
  const struct hmac_op op = {key, key_len, -1, -1, msg, msg_len, -1, 0};
  if (hmac384(&op, tag)) t_words("TAG", tag, expected, tag_words);
}

static void name_and_version(void) {
  t_case("NAME/VERSION registers (hmac_param_pkg.sv)");
  t_eq("NAME[0] 'hmac'", mmio_read(HMAC_NAME(0)), 0x6163686d);
  t_eq("NAME[1] 'sha2'", mmio_read(HMAC_NAME(1)), 0x61327368);
#if CALIPTRA_HW_2X
  t_eq("VERSION[0] '2.00'", mmio_read(HMAC_VERSION(0)), 0x3030322e);
  t_eq("CTRL reads 0 (MODE resets to HMAC-512 but CTRL is write-only)", mmio_read(HMAC_CTRL), 0);
#else
  t_eq("HMAC384_VERSION[0] '1.00'", mmio_read(HMAC_VERSION(0)), 0x3030312e);
#endif
  t_eq("HMAC384_STATUS after reset: READY", mmio_read(HMAC_STATUS), HMAC_STATUS_READY);
  t_eq("HMAC384_KEY[0] is write-only (reads 0)", (mmio_write(HMAC_KEY(0), 0x5a5a5a5a), mmio_read(HMAC_KEY(0))), 0);
}

/* HMAC(Jefe, "what do ya want for nothing?") into slot 3 as an HMAC key; HMAC(slot 3,
 * "Caliptra key vault route") into slot 4 as an ECC private key; ECC signs SHA-384("abc")
 * with slot 4. Expected (hashlib HMAC, RFC 6979 computed offline): README.md. */
static void vault_route(void) {
  static const char m2[] = "Caliptra key vault route";
  uint32_t tag[12], before[12], h[12], r[12], s[12], exp_r[12], exp_s[12];
  t_case("tag to the vault, vault key to HMAC, tag to the vault as an ECC key, RFC 6979 signature with it");
  mmio_write(KV_KEY_CTRL(3), KV_CTRL_CLEAR);
  mmio_write(KV_KEY_CTRL(4), KV_CTRL_CLEAR);
  reg_read_words(HMAC_TAG(0), before, 12);
  struct hmac_op op = {(const uint8_t *)"Jefe", 4, -1, -1, (const uint8_t *)"what do ya want for nothing?", 28, 3,
                       KV_DEST_HMAC_KEY};
  if (!hmac384(&op, tag)) return;
  t_reg_words("TAG after a vault-bound tag (not written)", HMAC_TAG(0), before, 12);
  const uint32_t ctrl3 = mmio_read(KV_KEY_CTRL(3));
  t_eq("slot 3 dest_valid", KV_CTRL_DEST_VALID(ctrl3), KV_DEST_HMAC_KEY);
  t_eq("slot 3 last_dword", KV_CTRL_LAST_DWORD(ctrl3), 11);

  /* A tag computed from a vault key never shows in TAG, even without a vault destination. */
  const struct hmac_op hidden = {0, 0, 3, -1, (const uint8_t *)m2, sizeof m2 - 1, -1, 0};
  if (!hmac384(&hidden, tag)) return;
  t_words("TAG after an HMAC with a vault key (withheld)", tag, before, 12);

  const struct hmac_op op2 = {0, 0, 3, -1, (const uint8_t *)m2, sizeof m2 - 1, 4, KV_DEST_ECC_PKEY};
  if (!hmac384(&op2, tag)) return;
  t_eq("slot 4 dest_valid", KV_CTRL_DEST_VALID(mmio_read(KV_KEY_CTRL(4))), KV_DEST_ECC_PKEY);
  hex_words("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7", h, 12);
  if (!ecc_sign(0, 4, h, r, s)) return;
  hex_words("776574709649a74d2d0c8a15b2f93df09a0bd539f49c6675aff28dbddbcef53b1306127d4f230c2b4e3f0774822c6e12", exp_r, 12);
  hex_words("a52faef955e754524c0e9009bc411e2339a1de4a5f9bdd248e6d7648e42141f5db9bbcf39794e7770829e7ee1a938c52", exp_s, 12);
  t_words("SIGN_R", r, exp_r, 12);
  t_words("SIGN_S", s, exp_s, 12);
}

#if CALIPTRA_HW_2X
/* RFC 4231 §4.2-§4.8, HMAC-SHA-512 through the 2.x engine in its HMAC-512 mode (CTRL.MODE). */
static const struct rfc4231 cases512[] = {
    {"HMAC-512: RFC 4231 test case 1", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
     "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
     "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
    {"HMAC-512: RFC 4231 test case 2 (key 'Jefe')", "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
     "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
     "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
    {"HMAC-512: RFC 4231 test case 3", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
     "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
     "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
    {"HMAC-512: RFC 4231 test case 4", "0102030405060708090a0b0c0d0e0f10111213141516171819",
     "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
     "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
     "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
    {"HMAC-512: RFC 4231 test case 5 (truncated to 128 bits)", "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
     "546573742057697468205472756e636174696f6e", "415fad6271580a531d4179bc891d87a6"},
    {"HMAC-512: RFC 4231 test case 6 (131-byte key hashed first)", 0, 0,
     "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
     "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
    {"HMAC-512: RFC 4231 test case 7 (131-byte key, 152-byte data: 2 blocks)", 0, 0,
     "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
     "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
};

static void rfc4231_512_case(unsigned i) {
  const struct rfc4231 *c = &cases512[i];
  uint32_t tag[16], expected[16], hashed[16];
  t_case(c->name);
  /* Test cases 6 and 7 share their key and data with the SHA-384 table. */
  unsigned key_len = hex_bytes(c->key ? c->key : cases[i].key, key, sizeof key);
  const unsigned msg_len = hex_bytes(c->data ? c->data : cases[i].data, msg, sizeof msg);
  const unsigned tag_words = hex_words(c->tag, expected, 16);
  if (key_len > 128) { /* K = SHA-512(key) */
    if (!sha512_hash(SHA512_MODE_512, key, key_len, hashed, 16)) return;
    be_bytes(hashed, 16, key);
    key_len = 64;
  }
  const struct hmac_op op = {key, key_len, -1, -1, msg, msg_len, -1, 0};
  if (hmac_run(&op, true, tag)) t_words("TAG", tag, expected, tag_words);
}

/* HMAC-384 mode masks the key to 384 bits and leaves TAG[12..15] zero (hmac.sv get_mask),
 * even right after an HMAC-512 filled them. */
static void mode384_after_512(void) {
  uint32_t tag[16], expected[12], zeros[4] = {0};
  t_case("HMAC-384 right after HMAC-512: RFC 4231 #2 tag, TAG[12..15] zero, KEY[12..15] ignored");
  hex_bytes(cases[1].data, msg, sizeof msg);
  const struct hmac_op op512 = {(const uint8_t *)"Jefe", 4, -1, -1, msg, 28, -1, 0};
  if (!hmac_run(&op512, true, tag)) return;
  reg_fill(HMAC_KEY(12), 0xA5A5A5A5u, 4); /* must not reach the core in HMAC-384 mode */
  reg_fill(HMAC_KEY(0), 0, 12);
  mmio_write(HMAC_KEY(0), 0x4a656665u);
  uint32_t words[32];
  sha_block(msg, 28, 1024, 128, 0, words);
  reg_write_words(HMAC_BLOCK(0), words, 32);
  mmio_write(HMAC_CTRL, HMAC_CTRL_INIT);
  if (!t_wait("HMAC VALID", HMAC_STATUS, HMAC_STATUS_VALID, HMAC_STATUS_VALID, HMAC_TIMEOUT)) return;
  reg_read_words(HMAC_TAG(0), tag, 16);
  hex_words(cases[1].tag, expected, 12);
  t_words("TAG[0..11]", tag, expected, 12);
  t_words("TAG[12..15]", tag + 12, zeros, 4);
}

/* CSR_MODE: the key is the SoC's CSR-signing HMAC key, which caliptra_top.sv replaces with
 * all ones in debug mode (this test runs debug-unlocked). Expected HMAC-SHA-512(64 x 0xFF,
 * "abc") computed with Python's hmac (README.md). */
static void csr_mode(void) {
  uint32_t tag[16], expected[16], words[32];
  t_case("CSR_MODE in debug mode: the key is all ones (CLP_DEBUG_MODE_CSR_HMAC_KEY)");
  reg_fill(HMAC_KEY(0), 0x11111111u, 16); /* ignored in CSR mode */
  sha_block((const uint8_t *)"abc", 3, 1024, 128, 0, words);
  reg_write_words(HMAC_BLOCK(0), words, 32);
  mmio_write(HMAC_CTRL, HMAC_CTRL_INIT | HMAC_CTRL_MODE_512 | HMAC_CTRL_CSR_MODE);
  if (!t_wait("HMAC VALID", HMAC_STATUS, HMAC_STATUS_VALID, HMAC_STATUS_VALID, HMAC_TIMEOUT)) return;
  reg_read_words(HMAC_TAG(0), tag, 16);
  hex_words("aa9733870650f2f1c0376f73cbab90fddf2b7bb89c481f2de3239e46e6b3b900"
            "118f8daeaa09ec21e1900b20a2e9273de5dfd95e5721475ac91aee1b550cb957",
            expected, 16);
  t_words("TAG", tag, expected, 16);
}

/* A 512-bit vault key: HMAC-512 of RFC 4231 #2 to slot 3 (last_dword 15), HMAC-512 keyed by
 * slot 3 to slot 4 as an AES key; AES-256-ECB with slot 4 (its first 32 bytes, aes_clp_wrapper.sv)
 * proves the content. Expected (Python hmac, `cryptography` AES) in README.md. Then
 * key_mode_error: a 384-bit vault key (low 128 bits zero) in HMAC-512 mode. */
static void vault_route_512(void) {
  static const char m2[] = "Caliptra 2.x key vault route";
  uint32_t tag[16], w[4], expected[4];
  t_case("HMAC-512 tag to the vault, used as a 512-bit HMAC key, result proven through AES");
  mmio_write(KV_KEY_CTRL(3), KV_CTRL_CLEAR);
  mmio_write(KV_KEY_CTRL(4), KV_CTRL_CLEAR);
  const struct hmac_op op = {(const uint8_t *)"Jefe", 4, -1, -1, (const uint8_t *)"what do ya want for nothing?", 28, 3,
                             KV_DEST_HMAC_KEY};
  if (!hmac_run(&op, true, tag)) return;
  t_eq("slot 3 last_dword", KV_CTRL_LAST_DWORD(mmio_read(KV_KEY_CTRL(3))), 15);
  const struct hmac_op op2 = {0, 0, 3, -1, (const uint8_t *)m2, sizeof m2 - 1, 4, KV_DEST_AES_KEY};
  if (!hmac_run(&op2, true, tag)) return;
  mmio_write(AES_KV_RD_KEY_CTRL, KV_READ_CTRL(4));
  if (!kv_wait("AES key read", AES_KV_RD_KEY_STATUS, KV_ERROR_SUCCESS)) return;
  const uint32_t ctrl = AES_CTRL(AES_OP_ENC, AES_MODE_ECB, AES_KEY_256) | AES_CTRL_SIDELOAD;
  mmio_write(AES_CTRL_SHADOWED, ctrl); /* shadowed: written twice */
  mmio_write(AES_CTRL_SHADOWED, ctrl);
  reg_fill(AES_DATA_IN(0), 0, 4);
  if (!t_wait("AES OUTPUT_VALID", AES_STATUS, AES_STATUS_OUTPUT_VALID, AES_STATUS_OUTPUT_VALID, 10000)) return;
  reg_read_words(AES_DATA_OUT(0), w, 4);
  hex_words("941b0ddc9eed70de80efdd3f8bfee73d", expected, 4);
  for (unsigned i = 0; i < 4; ++i) expected[i] = __builtin_bswap32(expected[i]); /* little-endian data words */
  t_words("AES-256-ECB(0^128) under the second tag", w, expected, 4);

  t_case("key_mode_error: a 384-bit vault key in HMAC-512 mode gives no tag until ZEROIZE");
  mmio_write(KV_KEY_CTRL(5), KV_CTRL_CLEAR);
  const struct hmac_op op384 = {(const uint8_t *)"Jefe", 4, -1, -1, (const uint8_t *)"x", 1, 5, KV_DEST_HMAC_KEY};
  if (!hmac_run(&op384, false, tag)) return;
  mmio_write(INTR_ERROR_STS(HMAC_BASE), 0xF);
  mmio_write(HMAC_KV_RD_KEY_CTRL, KV_READ_CTRL(5));
  if (!kv_wait("HMAC key read", HMAC_KV_RD_KEY_STATUS, KV_ERROR_SUCCESS)) return;
  uint32_t words[32];
  sha_block((const uint8_t *)"abc", 3, 1024, 128, 0, words);
  reg_write_words(HMAC_BLOCK(0), words, 32);
  mmio_write(HMAC_CTRL, HMAC_CTRL_INIT | HMAC_CTRL_MODE_512);
  t_eq("error status: key_mode_error (error0)", mmio_read(INTR_ERROR_STS(HMAC_BASE)) & 3, 1);
  for (volatile unsigned i = 0; i < 400; ++i) {
  }
  t_eq("no VALID", mmio_read(HMAC_STATUS) & HMAC_STATUS_VALID, 0);
  mmio_write(HMAC_CTRL, HMAC_CTRL_ZEROIZE);
  mmio_write(INTR_ERROR_STS(HMAC_BASE), 0xF);
  const struct hmac_op again = {(const uint8_t *)"Jefe", 4, -1, -1, msg, 28, -1, 0};
  hex_bytes(cases[1].data, msg, sizeof msg);
  uint32_t expected16[16];
  hex_words(cases512[1].tag, expected16, 16);
  if (hmac_run(&again, true, tag)) t_words("TAG after ZEROIZE (RFC 4231 #2)", tag, expected16, 16);
}
#endif

/* INIT on a new key restarts: a second message after a first one gives its own RFC tag. */
static void back_to_back(void) {
  uint32_t tag[12], expected[12];
  t_case("INIT restarts the inner hash (test case 2 right after test case 7)");
  hex_bytes(cases[1].data, msg, sizeof msg);
  const struct hmac_op op = {(const uint8_t *)"Jefe", 4, -1, -1, msg, 28, -1, 0};
  hex_words(cases[1].tag, expected, 12);
  if (hmac384(&op, tag)) t_words("TAG", tag, expected, 12);
}

int main(void) {
  t_suite("hmac");
  name_and_version();
  for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; ++i) rfc4231_case(&cases[i]);
  back_to_back();
  vault_route();
#if CALIPTRA_HW_2X
  for (unsigned i = 0; i < sizeof cases512 / sizeof cases512[0]; ++i) rfc4231_512_case(i);
  mode384_after_512();
  csr_mode();
  vault_route_512();
#endif
  return t_done();
}
