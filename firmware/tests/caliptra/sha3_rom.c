/* SHA-3 engine of Caliptra 2.1 (0x1004_0000) driven through its registers as caliptra-sw's
 * driver does (README.md, "sha3"): CFG_SHADOWED written twice, START, message into MSG_FIFO
 * (words, then the tail byte by byte), PROCESS, digest from the STATE window, DONE.
 * Expectations: the FIPS 202 example values (NIST CSRC "Examples with Intermediate Values":
 * SHA3-224/256/384/512 of "abc", of the empty string and of the 1600-bit message of 0xA3
 * bytes; SHAKE128 of the empty message and SHAKE256 of the 1600-bit message, 4096 output bits
 * each, squeezed with RUN), the SP 800-185 cSHAKE samples #1-#4, the error codes of
 * kmac_pkg.sv / kmac_errchk.sv, and the notification interrupt (PIC source 18). */
#include "cptra_test.h"
#include "regs/kmac.h"

#define SHA3_TIMEOUT 20000u

static uint8_t msg[200], out[512], expected[512];

static bool sha3_wait(const char *what, uint32_t bit) { return t_wait(what, KMAC_STATUS, bit, bit, SHA3_TIMEOUT); }
static void shadowed(uint32_t addr, uint32_t value) {
  mmio_write(addr, value);
  mmio_write(addr, value);
}
static unsigned rate_bytes(uint32_t mode, uint32_t strength) {
  static const unsigned capacity_bits[] = {256, 448, 512, 768, 1024}; /* L128 .. L512: 2L */
  (void)mode;
  return 200 - capacity_bits[strength] / 8;
}

static bool sha3_start(uint32_t mode, uint32_t strength, uint32_t cfg_extra) {
  if (!sha3_wait("SHA3 idle", KMAC_STATUS_IDLE)) return false;
  shadowed(KMAC_CFG_SHADOWED, KMAC_CFG(mode, strength) | cfg_extra);
  mmio_write(KMAC_CMD, KMAC_CMD_START);
  return sha3_wait("SHA3 absorbing after START", KMAC_STATUS_ABSORB);
}
/* Whole words first (byte 4i in bits [7:0]), then the tail one byte at a time at the FIFO's
 * first address. */
static void sha3_feed(const uint8_t *m, unsigned n) {
  unsigned i = 0;
  for (; i + 4 <= n; i += 4) {
    uint32_t w;
    memcpy(&w, m + i, 4);
    mmio_write(KMAC_MSG_FIFO, w);
  }
  for (; i < n; ++i) *(volatile uint8_t *)KMAC_MSG_FIFO = m[i];
}
/* PROCESS, then the output from the STATE window (little-endian lanes), RUN for every
 * further rate-sized block, DONE. */
static bool sha3_finish(uint8_t *o, unsigned n, unsigned rate) {
  mmio_write(KMAC_CMD, KMAC_CMD_PROCESS);
  if (!sha3_wait("SHA3 squeezing after PROCESS", KMAC_STATUS_SQUEEZE)) return false;
  for (unsigned off = 0; off < n; off += rate) {
    if (off) {
      mmio_write(KMAC_CMD, KMAC_CMD_RUN);
      if (!sha3_wait("SHA3 squeezing after RUN", KMAC_STATUS_SQUEEZE)) return false;
    }
    const unsigned len = n - off < rate ? n - off : rate;
    for (unsigned i = 0; i < len; i += 4) {
      const uint32_t w = mmio_read(KMAC_STATE(i / 4));
      for (unsigned b = 0; b < 4 && i + b < len; ++b) o[off + i + b] = (uint8_t)(w >> (8 * b));
    }
  }
  mmio_write(KMAC_CMD, KMAC_CMD_DONE);
  return sha3_wait("SHA3 idle after DONE", KMAC_STATUS_IDLE);
}
static bool bytes_eq(const char *what, const uint8_t *actual, const uint8_t *want, unsigned n) {
  for (unsigned i = 0; i < n; ++i)
    if (actual[i] != want[i]) return t_fail("%s: byte %u: expected %02x, got %02x", what, i, want[i], actual[i]);
  return true;
}
static unsigned make_msg(const char *m) {
  if (m[0] == '*') { /* the 1600-bit message of 0xA3 bytes */
    memset(msg, 0xA3, 200);
    return 200;
  }
  const unsigned n = strlen(m);
  memcpy(msg, m, n);
  return n;
}

struct digest_case {
  const char *name;
  uint32_t mode, strength;
  const char *msg; /* text, or "*" for 200 bytes of 0xA3 */
  const char *digest;
};
static const struct digest_case digests[] = {
    {"SHA3-224(\"abc\")", KMAC_MODE_SHA3, KMAC_L224, "abc", "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf"},
    {"SHA3-256(\"abc\")", KMAC_MODE_SHA3, KMAC_L256, "abc",
     "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"},
    {"SHA3-384(\"abc\")", KMAC_MODE_SHA3, KMAC_L384, "abc",
     "ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b298d88cea927ac7f539f1edf228376d25"},
    {"SHA3-512(\"abc\")", KMAC_MODE_SHA3, KMAC_L512, "abc",
     "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e"
     "10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0"},
    {"SHA3-256(\"\")", KMAC_MODE_SHA3, KMAC_L256, "", "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"},
    {"SHA3-224(1600 bits of 0xA3)", KMAC_MODE_SHA3, KMAC_L224, "*", "9376816aba503f72f96ce7eb65ac095deee3be4bf9bbc2a1cb7e11e0"},
    {"SHA3-256(1600 bits of 0xA3)", KMAC_MODE_SHA3, KMAC_L256, "*",
     "79f38adec5c20307a98ef76e8324afbfd46cfd81b22e3973c65fa1bd9de31787"},
    {"SHA3-384(1600 bits of 0xA3)", KMAC_MODE_SHA3, KMAC_L384, "*",
     "1881de2ca7e41ef95dc4732b8f5f002b189cc1e42b74168ed1732649ce1dbcdd76197a31fd55ee989f2d7050dd473e8f"},
    {"SHA3-512(1600 bits of 0xA3)", KMAC_MODE_SHA3, KMAC_L512, "*",
     "e76dfad22084a8b1467fcf2ffa58361bec7628edf5f3fdc0e4805dc48caeeca8"
     "1b7c13c30adf52a3659584739a2df46be589c51ca1a4a8416df6545a1ce8ba00"},
    {"SHAKE128(\"\"), 4096 bits (RUN twice)", KMAC_MODE_SHAKE, KMAC_L128, "",
     "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef263cb1eea988004b93103cfb0aeefd2a68"
     "6e01fa4a58e8a3639ca8a1e3f9ae57e235b8cc873c23dc62b8d260169afa2f75ab916a58d974918835d25e6a435085b2"
     "badfd6dfaac359a5efbb7bcc4b59d538df9a04302e10c8bc1cbf1a0b3a5120ea17cda7cfad765f5623474d368ccca8af"
     "0007cd9f5e4c849f167a580b14aabdefaee7eef47cb0fca9767be1fda69419dfb927e9df07348b196691abaeb580b32d"
     "ef58538b8d23f87732ea63b02b4fa0f4873360e2841928cd60dd4cee8cc0d4c922a96188d032675c8ac850933c7aff15"
     "33b94c834adbb69c6115bad4692d8619f90b0cdf8a7b9c264029ac185b70b83f2801f2f4b3f70c593ea3aeeb613a7f1b"
     "1de33fd75081f592305f2e4526edc09631b10958f464d889f31ba010250fda7f1368ec2967fc84ef2ae9aff268e0b170"
     "0affc6820b523a3d917135f2dff2ee06bfe72b3124721d4a26c04e53a75e30e73a7a9c4a95d91c55d495e9f51dd0b5e9"
     "d83c6d5e8ce803aa62b8d654db53d09b8dcff273cdfeb573fad8bcd45578bec2e770d01efde86e721a3f7c6cce275dab"
     "e6e2143f1af18da7efddc4c7b70b5e345db93cc936bea323491ccb38a388f546a9ff00dd4e1300b9b2153d2041d205b4"
     "43e41b45a653f2a5c4492c1add544512dda2529833462b71a41a45be97290b6f"},
    {"SHAKE256(1600 bits of 0xA3), 4096 bits (RUN three times)", KMAC_MODE_SHAKE, KMAC_L256, "*",
     "cd8a920ed141aa0407a22d59288652e9d9f1a7ee0c1e7c1ca699424da84a904d2d700caae7396ece96604440577da4f3"
     "aa22aeb8857f961c4cd8e06f0ae6610b1048a7f64e1074cd629e85ad7566048efc4fb500b486a3309a8f26724c0ed628"
     "001a1099422468de726f1061d99eb9e93604d5aa7467d4b1bd6484582a384317d7f47d750b8f5499512bb85a226c4243"
     "556e696f6bd072c5aa2d9b69730244b56853d16970ad817e213e470618178001c9fb56c54fefa5fee67d2da524bb3b0b"
     "61ef0e9114a92cdbb6cccb98615cfe76e3510dd88d1cc28ff99287512f24bfafa1a76877b6f37198e3a641c68a7c42d4"
     "5fa7acc10dae5f3cefb7b735f12d4e589f7a456e78c0f5e4c4471fffa5e4fa0514ae974d8c2648513b5db494cea84715"
     "6d277ad0e141c24c7839064cd08851bc2e7ca109fd4e251c35bb0a04fb05b364ff8c4d8b59bc303e25328c09a882e952"
     "518e1a8ae0ff265d61c465896973d7490499dc639fb8502b39456791b1b6ec5bcc5d9ac36a6df622a070d43fed781f5f"
     "149f7b62675e7d1a4d6dec48c1c7164586eae06a51208c0b791244d307726505c3ad4b26b6822377257aa152037560a7"
     "39714a3ca79bd605547c9b78dd1f596f2d4f1791bc689a0e9b799a37339c04275733740143ef5d2b58b96a363d4e0807"
     "6a1a9d7846436e4dca5728b6f760eef0ca92bf0be5615e96959d767197a0beeb"},
};

static void digest_case(const struct digest_case *c) {
  t_case(c->name);
  const unsigned n = make_msg(c->msg);
  const unsigned len = hex_bytes(c->digest, expected, sizeof expected);
  if (!sha3_start(c->mode, c->strength, 0)) return;
  sha3_feed(msg, n);
  if (sha3_finish(out, len, rate_bytes(c->mode, c->strength))) bytes_eq("digest", out, expected, len);
}

/* SP 800-185 Appendix: cSHAKE with N = "" and S = "Email Signature"; PREFIX holds
 * encode_string(N) || encode_string(S) = 01 00 01 78 "Email Signature" as little-endian
 * words (the hardware adds left_encode(rate) and the zero padding of bytepad). */
struct cshake_case {
  const char *name;
  uint32_t strength;
  unsigned msg_len; /* the message is 00 01 02 ... */
  const char *out;
};
static const struct cshake_case cshakes[] = {
    {"cSHAKE128 sample #1 (4 bytes)", KMAC_L128, 4, "c1c36925b6409a04f1b504fcbca9d82b4017277cb5ed2b2065fc1d3814d5aaf5"},
    {"cSHAKE128 sample #2 (200 bytes)", KMAC_L128, 200,
     "c5221d50e4f822d96a2e8881a961420f294b7b24fe3d2094baed2c6524cc166b"},
    {"cSHAKE256 sample #3 (4 bytes)", KMAC_L256, 4,
     "d008828e2b80ac9d2218ffee1d070c48b8e4c87bff32c9699d5b6896eee0edd1"
     "64020e2be0560858d9c00c037e34a96937c561a74c412bb4c746469527281c8c"},
    {"cSHAKE256 sample #4 (200 bytes)", KMAC_L256, 200,
     "07dc27b11e51fbac75bc7b3c1d983e8b4b85fb1defaf218912ac86430273091727"
     "f42b17ed1df63e8ec118f04b23633c1dfb1574c8fb55cb45da8e25afb092bb"},
};

static bool cshake_prefix_and_start(uint32_t strength, uint32_t cfg_extra) {
  static const uint8_t prefix_bytes[] = {0x01, 0x00, 0x01, 0x78, 'E', 'm', 'a', 'i', 'l', ' ', 'S',
                                         'i',  'g',  'n',  'a',  't', 'u', 'r', 'e'};
  uint8_t prefix[44] = {0};
  memcpy(prefix, prefix_bytes, sizeof prefix_bytes);
  for (unsigned i = 0; i < 11; ++i) {
    uint32_t w;
    memcpy(&w, prefix + 4 * i, 4);
    mmio_write(KMAC_PREFIX(i), w);
  }
  return sha3_start(KMAC_MODE_CSHAKE, strength, cfg_extra);
}

static void cshake_case(const struct cshake_case *c) {
  t_case(c->name);
  for (unsigned i = 0; i < c->msg_len; ++i) msg[i] = (uint8_t)i;
  const unsigned len = hex_bytes(c->out, expected, sizeof expected);
  if (!cshake_prefix_and_start(c->strength, 0)) return;
  sha3_feed(msg, c->msg_len);
  if (sha3_finish(out, len, rate_bytes(KMAC_MODE_CSHAKE, c->strength))) bytes_eq("output", out, expected, len);
}

/* msg_endianness: each word written is byte-swapped first; state_endianness: each STATE word
 * reads byte-swapped (caliptra-sw sets it and reads digests as big-endian words). Sample #2's
 * message 00 01 02 .. C7 written as big-endian words (0x00010203, ...) is the same byte
 * stream. */
static void endianness(void) {
  uint32_t words[16], want[16];
  t_case("msg_endianness and state_endianness: cSHAKE256 sample #4 in big-endian words");
  hex_words(cshakes[3].out, want, 16);
  if (!cshake_prefix_and_start(KMAC_L256, KMAC_CFG_MSG_BIG_ENDIAN | KMAC_CFG_STATE_BIG_ENDIAN)) return;
  for (unsigned i = 0; i < 200; i += 4)
    mmio_write(KMAC_MSG_FIFO, (uint32_t)i << 24 | (uint32_t)(i + 1) << 16 | (uint32_t)(i + 2) << 8 | (i + 3));
  mmio_write(KMAC_CMD, KMAC_CMD_PROCESS);
  if (!sha3_wait("SHA3 squeezing", KMAC_STATUS_SQUEEZE)) return;
  reg_read_words(KMAC_STATE(0), words, 16);
  t_words("STATE as big-endian words", words, want, 16);
  mmio_write(KMAC_CMD, KMAC_CMD_DONE);
}

static void identity_and_reset(void) {
  t_case("reset state and identity (kmac_reg.rdl, sha3_param_pkg.sv)");
  t_eq("SHA3_NAME[0] 'sha3'", mmio_read(SHA3_NAME(0)), 0x61337368u);
  t_eq("SHA3_VERSION[0] '2.00'", mmio_read(SHA3_VERSION(0)), 0x3030312eu);
  t_eq("STATUS: sha3_idle | fifo_empty", mmio_read(KMAC_STATUS), KMAC_STATUS_IDLE | KMAC_STATUS_FIFO_EMPTY);
  t_eq("CFG_REGWEN", mmio_read(KMAC_CFG_REGWEN), 1);
  t_eq("ERR_CODE", mmio_read(KMAC_ERR_CODE), 0);
}

/* The done event reaches the PIC through kmac's INTR_ENABLE and sha3_reg's notification
 * block (sha3_ctrl.sv: notif_cmd_done on the rising edge of intr_kmac_done). */
static void done_interrupt(void) {
  t_case("kmac_done -> notif_cmd_done -> PIC source 18");
  /* kmac_done is still set from the operations above (nothing cleared it): clear it first,
   * or enabling it would be the rising edge. */
  mmio_write(KMAC_INTR_STATE, KMAC_INTR_DONE | KMAC_INTR_ERR);
  mmio_write(INTR_NOTIF_STS(SHA3_INTR_BASE), INTR_NOTIF_CMD_DONE);
  irq_enable(IRQ_SHA3_NOTIF, 1);
  mmio_write(INTR_GLOBAL_EN(SHA3_INTR_BASE), INTR_GLOBAL_NOTIF_EN | INTR_GLOBAL_ERROR_EN);
  mmio_write(INTR_NOTIF_EN(SHA3_INTR_BASE), INTR_NOTIF_CMD_DONE);
  mmio_write(KMAC_INTR_ENABLE, KMAC_INTR_DONE);
  const uint32_t count = mmio_read(INTR_NOTIF_COUNT(SHA3_INTR_BASE, 0));
  if (!sha3_start(KMAC_MODE_SHA3, KMAC_L256, 0)) return;
  sha3_feed((const uint8_t *)"abc", 3);
  mmio_write(KMAC_CMD, KMAC_CMD_PROCESS);
  if (!t_true("interrupt taken", irq_wait(IRQ_SHA3_NOTIF, SHA3_TIMEOUT))) return;
  t_eq("kmac INTR_STATE.kmac_done", mmio_read(KMAC_INTR_STATE) & KMAC_INTR_DONE, KMAC_INTR_DONE);
  t_eq("sha3 notif_cmd_done status", mmio_read(INTR_NOTIF_STS(SHA3_INTR_BASE)) & INTR_NOTIF_CMD_DONE,
       INTR_NOTIF_CMD_DONE);
  t_eq("notif_cmd_done counter", mmio_read(INTR_NOTIF_COUNT(SHA3_INTR_BASE, 0)), count + 1);
  hex_bytes(digests[1].digest, expected, 32);
  for (unsigned i = 0; i < 8; ++i) {
    const uint32_t w = mmio_read(KMAC_STATE(i));
    memcpy(out + 4 * i, &w, 4);
  }
  bytes_eq("digest", out, expected, 32);
  mmio_write(KMAC_INTR_STATE, KMAC_INTR_DONE);
  mmio_write(INTR_NOTIF_STS(SHA3_INTR_BASE), INTR_NOTIF_CMD_DONE);
  mmio_write(KMAC_CMD, KMAC_CMD_DONE);
  sha3_wait("SHA3 idle", KMAC_STATUS_IDLE);
  mmio_write(KMAC_INTR_ENABLE, 0);
  irq_disable(IRQ_SHA3_NOTIF);
}

/* kmac_errchk.sv: a command the sequence does not allow is ErrSwCmdSequence (0x08) and never
 * reaches the core; SHAKE with a 224-bit strength is ErrUnexpectedModeStrength (0x06) at
 * START. Both raise kmac_err, and the sha3_error event on the Caliptra side. */
static void errors(void) {
  t_case("PROCESS while idle: ErrSwCmdSequence, kmac_err, sha3_error on PIC source 17");
  irq_enable(IRQ_SHA3_ERROR, 1);
  mmio_write(INTR_ERROR_EN(SHA3_INTR_BASE), 1);
  mmio_write(KMAC_INTR_ENABLE, KMAC_INTR_ERR);
  mmio_write(KMAC_CMD, KMAC_CMD_PROCESS);
  t_eq("ERR_CODE[31:24]", mmio_read(KMAC_ERR_CODE) >> 24, KMAC_ERR_SW_CMD_SEQUENCE);
  t_eq("INTR_STATE.kmac_err", mmio_read(KMAC_INTR_STATE) & KMAC_INTR_ERR, KMAC_INTR_ERR);
  t_true("error interrupt taken", irq_wait(IRQ_SHA3_ERROR, SHA3_TIMEOUT));
  t_eq("sha3 error status (sha3_error)", mmio_read(INTR_ERROR_STS(SHA3_INTR_BASE)) & 1, 1);
  t_eq("still idle", mmio_read(KMAC_STATUS) & KMAC_STATUS_IDLE, KMAC_STATUS_IDLE);
  mmio_write(KMAC_INTR_STATE, KMAC_INTR_ERR);
  mmio_write(INTR_ERROR_STS(SHA3_INTR_BASE), 1);

  t_case("SHAKE with L224: ErrUnexpectedModeStrength, no absorbing");
  shadowed(KMAC_CFG_SHADOWED, KMAC_CFG(KMAC_MODE_SHAKE, KMAC_L224));
  mmio_write(KMAC_CMD, KMAC_CMD_START);
  t_eq("ERR_CODE[31:24]", mmio_read(KMAC_ERR_CODE) >> 24, KMAC_ERR_UNEXPECTED_MODE_STRENGTH);
  t_eq("INTR_STATE.kmac_err", mmio_read(KMAC_INTR_STATE) & KMAC_INTR_ERR, KMAC_INTR_ERR);
  t_eq("STATUS.sha3_absorb", mmio_read(KMAC_STATUS) & KMAC_STATUS_ABSORB, 0);
  mmio_write(KMAC_CMD, KMAC_CMD_ERR_PROCESSED);
  mmio_write(KMAC_INTR_STATE, KMAC_INTR_ERR);
  mmio_write(INTR_ERROR_STS(SHA3_INTR_BASE), 1);
  mmio_write(KMAC_INTR_ENABLE, 0);
  irq_disable(IRQ_SHA3_ERROR);

  t_case("after the errors, SHA3-256(\"abc\") still works");
  const unsigned n = make_msg("abc");
  hex_bytes(digests[1].digest, expected, 32);
  if (!sha3_start(KMAC_MODE_SHA3, KMAC_L256, 0)) return;
  sha3_feed(msg, n);
  if (sha3_finish(out, 32, rate_bytes(KMAC_MODE_SHA3, KMAC_L256))) bytes_eq("digest", out, expected, 32);
}

int main(void) {
  irq_init();
  t_suite("sha3");
  identity_and_reset();
  for (unsigned i = 0; i < sizeof digests / sizeof digests[0]; ++i) digest_case(&digests[i]);
  for (unsigned i = 0; i < sizeof cshakes / sizeof cshakes[0]; ++i) cshake_case(&cshakes[i]);
  endianness();
  done_interrupt();
  errors();
  return t_done();
}
