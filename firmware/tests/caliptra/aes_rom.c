/* AES engine of Caliptra 2.x driven through its registers as caliptra-sw's driver does
 * (README.md, "aes"): control register written twice, key in two shares, IV, then blocks;
 * SP 800-38A Appendix F (ECB, CBC, CTR), the GCM specification's test cases (McGrew and
 * Viega, Appendix B) including a partial last block, a GCM save/restore in the middle of a
 * message, a key sideloaded from the key vault (an HMAC-512 tag), and in 2.1 the big-endian
 * data path (CTRL0.ENDIAN_SWAP). */
#include "cptra_test.h"
#include "crypto_drv.h"
#include "regs/aes.h"

#define AES_TIMEOUT 20000u
#define KEY_MASK 0x12345678u /* any value: the key is written as share0 ^ share1 */

static uint8_t key[32], iv[16], in[64], out[64], expected[64], aad[32], tag[16], expected_tag[16];

static bool aes_wait(const char *what, uint32_t bit) {
  return t_wait(what, AES_STATUS, bit, bit, AES_TIMEOUT);
}
static void shadowed(uint32_t addr, uint32_t value) {
  mmio_write(addr, value);
  mmio_write(addr, value);
}
/* The data registers take little-endian words: byte 4i+j in bits 8j of word i. */
static void le_words_from(const uint8_t *b, uint32_t *w, unsigned n_words) { memcpy(w, b, 4 * n_words); }
static uint32_t key_len_field(unsigned key_bytes) {
  return key_bytes == 16 ? AES_KEY_128 : key_bytes == 24 ? AES_KEY_192 : AES_KEY_256;
}

static void write_key(unsigned key_bytes) {
  uint32_t w[8] = {0};
  le_words_from(key, w, key_bytes / 4);
  for (unsigned i = 0; i < 8; ++i) {
    mmio_write(AES_KEY_SHARE0(i), w[i] ^ KEY_MASK);
    mmio_write(AES_KEY_SHARE1(i), KEY_MASK);
  }
}
static void write_iv(const uint8_t *bytes) {
  uint32_t w[4];
  le_words_from(bytes, w, 4);
  reg_write_words(AES_IV(0), w, 4);
}

static bool put_block(const uint8_t *b) {
  uint32_t w[4];
  if (!aes_wait("AES INPUT_READY", AES_STATUS_INPUT_READY)) return false;
  le_words_from(b, w, 4);
  reg_write_words(AES_DATA_IN(0), w, 4);
  return true;
}
static bool get_block(uint8_t *b) {
  uint32_t w[4];
  if (!aes_wait("AES OUTPUT_VALID", AES_STATUS_OUTPUT_VALID)) return false;
  reg_read_words(AES_DATA_OUT(0), w, 4);
  memcpy(b, w, 16);
  return true;
}

/* ECB/CBC/CTR in automatic mode: each block starts once its four DATA_IN words are written. */
static bool aes_setup(uint32_t op, uint32_t mode, unsigned key_bytes, bool with_iv) {
  if (!aes_wait("AES IDLE", AES_STATUS_IDLE)) return false;
  shadowed(AES_CTRL_SHADOWED, AES_CTRL(op, mode, key_len_field(key_bytes)));
  write_key(key_bytes);
  if (with_iv) write_iv(iv);
  return true;
}
static bool aes_crypt(const uint8_t *src, uint8_t *dst, unsigned n) {
  for (unsigned i = 0; i < n; i += 16)
    if (!put_block(src + i) || !get_block(dst + i)) return false;
  return aes_wait("AES IDLE after the message", AES_STATUS_IDLE);
}
/* Clears key, IV and data registers, as the driver does after every operation. */
static void aes_clear(void) {
  aes_wait("AES IDLE before clearing", AES_STATUS_IDLE);
  shadowed(AES_CTRL_SHADOWED, AES_CTRL(AES_OP_ENC, AES_MODE_ECB, AES_KEY_256) | AES_CTRL_MANUAL);
  mmio_write(AES_TRIGGER, AES_TRIGGER_KEY_IV_DATA_IN_CLEAR | AES_TRIGGER_DATA_OUT_CLEAR);
  aes_wait("AES IDLE after clearing", AES_STATUS_IDLE);
}

static bool bytes_eq(const char *what, const uint8_t *actual, const uint8_t *want, unsigned n) {
  for (unsigned i = 0; i < n; ++i)
    if (actual[i] != want[i])
      return t_fail("%s: byte %u: expected %02x, got %02x", what, i, want[i], actual[i]);
  return true;
}

/* ---- SP 800-38A Appendix F ---- */
static const char kPlain[] =
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
static const char kKey128[] = "2b7e151628aed2a6abf7158809cf4f3c";
static const char kKey192[] = "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b";
static const char kKey256[] = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4";
struct sp800_38a {
  const char *name;
  uint32_t mode;
  const char *key, *iv, *ct;
};
static const struct sp800_38a modes[] = {
    {"F.1.1/F.1.2 ECB-AES128", AES_MODE_ECB, kKey128, 0,
     "3ad77bb40d7a3660a89ecaf32466ef97f5d3d58503b9699de785895a96fdbaaf"
     "43b1cd7f598ece23881b00e3ed0306887b0c785e27e8ad3f8223207104725dd4"},
    {"F.1.3/F.1.4 ECB-AES192", AES_MODE_ECB, kKey192, 0,
     "bd334f1d6e45f25ff712a214571fa5cc974104846d0ad3ad7734ecb3ecee4eef"
     "ef7afd2270e2e60adce0ba2face6444e9a4b41ba738d6c72fb16691603c18e0e"},
    {"F.1.5/F.1.6 ECB-AES256", AES_MODE_ECB, kKey256, 0,
     "f3eed1bdb5d2a03c064b5a7e3db181f8591ccb10d410ed26dc5ba74a31362870"
     "b6ed21b99ca6f4f9f153e7b1beafed1d23304b7a39f9f3ff067d8d8f9e24ecc7"},
    {"F.2.1/F.2.2 CBC-AES128", AES_MODE_CBC, kKey128, "000102030405060708090a0b0c0d0e0f",
     "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
     "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7"},
    {"F.2.5/F.2.6 CBC-AES256", AES_MODE_CBC, kKey256, "000102030405060708090a0b0c0d0e0f",
     "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
     "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b"},
    {"F.5.1/F.5.2 CTR-AES128", AES_MODE_CTR, kKey128, "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
     "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
     "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee"},
    {"F.5.5/F.5.6 CTR-AES256", AES_MODE_CTR, kKey256, "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
     "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
     "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6"},
};

static void sp800_38a_case(const struct sp800_38a *v) {
  t_case(v->name);
  const unsigned key_bytes = hex_bytes(v->key, key, sizeof key);
  hex_bytes(kPlain, in, sizeof in);
  hex_bytes(v->ct, expected, sizeof expected);
  if (v->iv) hex_bytes(v->iv, iv, sizeof iv);
  if (!aes_setup(AES_OP_ENC, v->mode, key_bytes, v->iv != 0) || !aes_crypt(in, out, 64)) return;
  bytes_eq("encrypt", out, expected, 64);
  if (v->mode == AES_MODE_CBC) { /* the IV register ends as the last ciphertext block */
    uint32_t w[4];
    reg_read_words(AES_IV(0), w, 4);
    bytes_eq("IV after CBC encryption", (const uint8_t *)w, expected + 48, 16);
  }
  if (!aes_setup(AES_OP_DEC, v->mode, key_bytes, v->iv != 0) || !aes_crypt(expected, out, 64)) return;
  bytes_eq("decrypt", out, in, 64);
  aes_clear();
}

/* ---- GCM (McGrew and Viega, "The Galois/Counter Mode of Operation", Appendix B) ---- */
struct gcm_case {
  const char *name, *key, *iv, *aad, *pt, *ct, *tag;
};
static const char kGcmKey[] = "feffe9928665731c6d6a8f9467308308";
static const char kGcmKey256[] = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
static const char kGcmIv[] = "cafebabefacedbaddecaf888";
static const char kGcmAad[] = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
static const char kGcmPt60[] =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
static const struct gcm_case gcm_cases[] = {
    {"GCM test case 2 (AES-128, one zero block)", "00000000000000000000000000000000", "000000000000000000000000", "",
     "00000000000000000000000000000000", "0388dace60b6a392f328c2b971b2fe78", "ab6e47d42cec13bdf53a67b21257bddf"},
    {"GCM test case 3 (AES-128, 4 blocks, no AAD)", kGcmKey, kGcmIv, "",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
     "4d5c2af327cd64a62cf35abd2ba6fab4"},
    {"GCM test case 4 (AES-128, 20-byte AAD, 60-byte text)", kGcmKey, kGcmIv, kGcmAad, kGcmPt60,
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
     "5bc94fbc3221a5db94fae95ae7121a47"},
    {"GCM test case 13 (AES-256, empty)", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
    {"GCM test case 14 (AES-256, one zero block)", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "00000000000000000000000000000000", "cea7403d4d606b6e074ec5d3baf39d18",
     "d0d1c8a799996bf0265b98b5d48ab919"},
    {"GCM test case 16 (AES-256, 20-byte AAD, 60-byte text)", kGcmKey256, kGcmIv, kGcmAad, kGcmPt60,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

/* INIT: control, phase INIT, key, the 96-bit IV with a zero last word (the hardware derives
 * H and the first counter block). */
static bool gcm_start(uint32_t op, unsigned key_bytes, uint32_t iv_last_word) {
  uint32_t w[4] = {0};
  if (!aes_wait("AES IDLE", AES_STATUS_IDLE)) return false;
  shadowed(AES_CTRL_SHADOWED, AES_CTRL(op, AES_MODE_GCM, key_len_field(key_bytes)));
  shadowed(AES_CTRL_GCM_SHADOWED, AES_GCM_CTRL(AES_GCM_INIT, 16));
  write_key(key_bytes);
  le_words_from(iv, w, 3);
  w[3] = iv_last_word;
  reg_write_words(AES_IV(0), w, 4);
  return aes_wait("AES IDLE after GCM INIT", AES_STATUS_IDLE);
}
/* AAD or text blocks; the phase (with the valid-byte count) is set for the first block and
 * again for a partial last one. dst == 0: no output (AAD). */
static bool gcm_blocks(uint32_t phase, const uint8_t *src, unsigned n, uint8_t *dst) {
  for (unsigned off = 0; off < n; off += 16) {
    const unsigned len = n - off < 16 ? n - off : 16;
    uint8_t block[16] = {0};
    memcpy(block, src + off, len);
    if (off == 0 || len < 16) {
      if (!aes_wait("AES IDLE before a phase change", AES_STATUS_IDLE)) return false;
      shadowed(AES_CTRL_GCM_SHADOWED, AES_GCM_CTRL(phase, len));
    }
    if (!put_block(block)) return false;
    if (dst) {
      if (!get_block(block)) return false;
      memcpy(dst + off, block, len);
    }
  }
  return true;
}
/* TAG: the last block is len(A) || len(C) in bits (SP 800-38D Algorithm 4, step 5). */
static bool gcm_tag(unsigned aad_len, unsigned text_len, uint8_t *t) {
  uint8_t lens[16] = {0};
  for (unsigned i = 0; i < 4; ++i) {
    lens[7 - i] = (uint8_t)((aad_len * 8) >> (8 * i));
    lens[15 - i] = (uint8_t)((text_len * 8) >> (8 * i));
  }
  if (!aes_wait("AES IDLE before TAG", AES_STATUS_IDLE)) return false;
  shadowed(AES_CTRL_GCM_SHADOWED, AES_GCM_CTRL(AES_GCM_TAG, 16));
  return put_block(lens) && get_block(t);
}

static void gcm_case(const struct gcm_case *c) {
  t_case(c->name);
  const unsigned key_bytes = hex_bytes(c->key, key, sizeof key);
  hex_bytes(c->iv, iv, sizeof iv);
  const unsigned aad_len = hex_bytes(c->aad, aad, sizeof aad);
  const unsigned n = hex_bytes(c->pt, in, sizeof in);
  hex_bytes(c->ct, expected, sizeof expected);
  hex_bytes(c->tag, expected_tag, sizeof expected_tag);
  for (unsigned dec = 0; dec < 2; ++dec) {
    if (!gcm_start(dec ? AES_OP_DEC : AES_OP_ENC, key_bytes, 0)) return;
    if (aad_len && !gcm_blocks(AES_GCM_AAD, aad, aad_len, 0)) return;
    if (n && !gcm_blocks(AES_GCM_TEXT, dec ? expected : in, n, out)) return;
    if (!gcm_tag(aad_len, n, tag)) return;
    bytes_eq(dec ? "plaintext" : "ciphertext", out, dec ? in : expected, n);
    bytes_eq(dec ? "tag computed while decrypting" : "tag", tag, expected_tag, 16);
  }
  aes_clear();
}

/* Test case 16 split as caliptra-sw streams GCM: AAD and two text blocks, SAVE (the GHASH
 * state appears in DATA_OUT), then a fresh INIT, RESTORE of that state through DATA_IN, the
 * IV's last word set to the next counter (big-endian: inc32 of J0 after two blocks = 4), and
 * the remaining 28 bytes. Ciphertext and tag must be the published ones. */
static void gcm_save_restore(void) {
  uint32_t ghash[4];
  t_case("GCM test case 16 with SAVE after two blocks and RESTORE into a new INIT");
  const unsigned key_bytes = hex_bytes(kGcmKey256, key, sizeof key);
  hex_bytes(kGcmIv, iv, sizeof iv);
  const unsigned aad_len = hex_bytes(kGcmAad, aad, sizeof aad);
  const unsigned n = hex_bytes(kGcmPt60, in, sizeof in);
  hex_bytes(gcm_cases[5].ct, expected, sizeof expected);
  hex_bytes(gcm_cases[5].tag, expected_tag, sizeof expected_tag);
  if (!gcm_start(AES_OP_ENC, key_bytes, 0) || !gcm_blocks(AES_GCM_AAD, aad, aad_len, 0) ||
      !gcm_blocks(AES_GCM_TEXT, in, 32, out))
    return;
  if (!aes_wait("AES IDLE before SAVE", AES_STATUS_IDLE)) return;
  shadowed(AES_CTRL_GCM_SHADOWED, AES_GCM_CTRL(AES_GCM_SAVE, 16));
  if (!aes_wait("AES OUTPUT_VALID after SAVE", AES_STATUS_OUTPUT_VALID)) return;
  reg_read_words(AES_DATA_OUT(0), ghash, 4);
  aes_clear();

  if (!gcm_start(AES_OP_ENC, key_bytes, 0)) return;
  shadowed(AES_CTRL_GCM_SHADOWED, AES_GCM_CTRL(AES_GCM_RESTORE, 16));
  if (!aes_wait("AES INPUT_READY for RESTORE", AES_STATUS_INPUT_READY)) return;
  reg_write_words(AES_DATA_IN(0), ghash, 4);
  if (!aes_wait("AES IDLE after RESTORE", AES_STATUS_IDLE)) return;
  uint32_t w[4];
  le_words_from(iv, w, 3);
  w[3] = 0x04000000u; /* counter 4, big-endian in the register */
  reg_write_words(AES_IV(0), w, 4);
  if (!gcm_blocks(AES_GCM_TEXT, in + 32, n - 32, out + 32) || !gcm_tag(aad_len, n, tag)) return;
  bytes_eq("ciphertext", out, expected, n);
  bytes_eq("tag", tag, expected_tag, 16);
  aes_clear();
}

/* ---- key from the key vault ----
 * HMAC-512 of RFC 4231 test case 2 goes to slot 5 with the AES-key destination; AES-256-ECB
 * then sideloads it (aes_clp_wrapper.sv: the key is the vault entry's first eight dwords,
 * each most significant byte first, i.e. the tag's first 32 bytes). Expected: AES-256-ECB of
 * the SP 800-38A F.1.5 plaintext under 164b7a7b...ea250554, computed offline (README.md). */
static const char kKvCiphertext[] =
    "a0a87fe7b75a5c8a6b636eef02000ecc2c7094425bd5cf4ac200077021c064fa";

static void key_from_vault(void) {
  t_case("AES-256 key sideloaded from a key-vault slot written by HMAC-512");
  mmio_write(KV_KEY_CTRL(5), KV_CTRL_CLEAR);
  struct hmac_op op = {(const uint8_t *)"Jefe", 4, -1, -1, (const uint8_t *)"what do ya want for nothing?", 28, 5,
                       KV_DEST_AES_KEY};
  uint32_t unused[16];
  if (!hmac_run(&op, true, unused)) return;
  mmio_write(AES_KV_RD_KEY_CTRL, KV_READ_CTRL(5));
  if (!kv_wait("AES key read from the vault", AES_KV_RD_KEY_STATUS, KV_ERROR_SUCCESS)) return;
  if (!aes_wait("AES IDLE", AES_STATUS_IDLE)) return;
  shadowed(AES_CTRL_SHADOWED, AES_CTRL(AES_OP_ENC, AES_MODE_ECB, AES_KEY_256) | AES_CTRL_SIDELOAD);
  hex_bytes(kPlain, in, sizeof in);
  hex_bytes(kKvCiphertext, expected, sizeof expected);
  if (!aes_crypt(in, out, 32)) return;
  bytes_eq("ciphertext under the vault key", out, expected, 32);
  aes_clear();

  t_case("a slot without the AES-key destination is refused (KV_READ_FAIL)");
  mmio_write(KV_KEY_CTRL(6), KV_CTRL_CLEAR);
  op.kv_dest_slot = 6;
  op.kv_dest = KV_DEST_HMAC_KEY;
  if (!hmac_run(&op, true, unused)) return;
  mmio_write(AES_KV_RD_KEY_CTRL, KV_READ_CTRL(6));
  kv_wait("AES key read from the vault", AES_KV_RD_KEY_STATUS, KV_ERROR_READ_FAIL);
}

static void identity_and_reset(void) {
  t_case("reset state and identity (aes.rdl resets, aes_clp_wrapper.sv NAME/VERSION)");
#if CALIPTRA_HW_2_1
  t_eq("AES_NAME[0] 'aes' (seven hex digits: 32'h0061657)", mmio_read(AES_NAME(0)), 0x00061657u);
  t_eq("AES_VERSION[0] '1.0'", mmio_read(AES_VERSION(0)), 0x00312e30u);
#else
  t_eq("AES_NAME[0] (tied to 0 in 2.0, FIXME in the RTL)", mmio_read(AES_NAME(0)), 0);
  t_eq("AES_VERSION[0] (tied to 0 in 2.0)", mmio_read(AES_VERSION(0)), 0);
#endif
  t_eq("STATUS: IDLE | INPUT_READY", mmio_read(AES_STATUS), AES_STATUS_IDLE | AES_STATUS_INPUT_READY);
  t_eq("CTRL_SHADOWED reset", mmio_read(AES_CTRL_SHADOWED), 0x11FDu);
  t_eq("CTRL_GCM_SHADOWED reset (INIT, 16 bytes)", mmio_read(AES_CTRL_GCM_SHADOWED), 0x401u);
  t_eq("AES_KV_RD_KEY_STATUS: READY", mmio_read(AES_KV_RD_KEY_STATUS), KV_STATUS_READY);
}

#if CALIPTRA_HW_2_1
/* 2.1 CTRL0.ENDIAN_SWAP: DATA_IN / DATA_OUT words are big-endian (byte 4i in bits 31:24). */
static void endian_swap(void) {
  t_case("2.1 CTRL0.ENDIAN_SWAP: big-endian data words, SP 800-38A F.1.5");
  hex_bytes(kKey256, key, sizeof key);
  hex_bytes(kPlain, in, sizeof in);
  hex_bytes(modes[2].ct, expected, sizeof expected);
  mmio_write(AES_CTRL0, 1);
  if (!aes_setup(AES_OP_ENC, AES_MODE_ECB, 32, false)) return;
  uint32_t w[4], exp_w[4];
  be_words(in, 16, w);
  if (!aes_wait("AES INPUT_READY", AES_STATUS_INPUT_READY)) return;
  reg_write_words(AES_DATA_IN(0), w, 4);
  if (!aes_wait("AES OUTPUT_VALID", AES_STATUS_OUTPUT_VALID)) return;
  reg_read_words(AES_DATA_OUT(0), w, 4);
  be_words(expected, 16, exp_w);
  t_words("DATA_OUT", w, exp_w, 4);
  mmio_write(AES_CTRL0, 0);
  aes_clear();
}
#endif

int main(void) {
  t_suite("aes");
  identity_and_reset();
  for (unsigned i = 0; i < sizeof modes / sizeof modes[0]; ++i) sp800_38a_case(&modes[i]);
  for (unsigned i = 0; i < sizeof gcm_cases / sizeof gcm_cases[0]; ++i) gcm_case(&gcm_cases[i]);
  gcm_save_restore();
  key_from_vault();
#if CALIPTRA_HW_2_1
  endian_swap();
#endif
  return t_done();
}
