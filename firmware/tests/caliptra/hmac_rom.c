/* HMAC-384 engine driven through its registers (README.md, "hmac"): RFC 4231 test cases
 * 1-7 (the 131-byte keys of 6 and 7 hashed to 48 bytes on the SHA-512 engine first, as
 * RFC 2104 prescribes), multi-block messages with NEXT, and the key-vault route: a tag
 * written to the vault, used as the next HMAC's key, whose tag goes to the vault as an ECC
 * private key and is proven by the ECC engine's RFC 6979 signature with it. */
#include "cptra_test.h"
#include "crypto_drv.h"
#include "sha_drv.h"

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
  t_eq("HMAC384_NAME[0] 'hmac'", mmio_read(HMAC_NAME(0)), 0x6163686d);
  t_eq("HMAC384_NAME[1] 'sha2'", mmio_read(HMAC_NAME(1)), 0x61327368);
  t_eq("HMAC384_VERSION[0] '1.00'", mmio_read(HMAC_VERSION(0)), 0x3030312e);
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
  return t_done();
}
