/* CSRNG and ENTROPY_SRC driven through their registers (README.md, "csrng"): the software
 * CTR_DRBG (AES-256, no derivation function) instantiated from known seeds against NIST
 * CAVP CTR_DRBG vectors (two generates, the second compared; a reseed; a personalization
 * string checked through the internal-state readout), then the iTRNG path the 1.x ROM
 * uses: entropy source in FIPS mode, instantiate from it, FIPS-flagged genbits.
 *
 * Word order (csrng_core.sv packer FIFOs): the additional data is a little-endian 384-bit
 * number in words, so the NIST byte string is written last word first; GENBITS returns each
 * 128-bit block's last word first. */
#include "cptra_test.h"
#include "regs/csrng.h"

#define CMD_TIMEOUT 10000u
/* The reseed counter after instantiate: 1 in 1.x, 0 in 2.x (csrng_ctr_drbg_cmd.sv prep_rc). */
#define RC_AFTER_INSTANTIATE (CALIPTRA_HW_2X ? 0u : 1u)

/* Sends a command with the NIST byte string `seed_hex` (if any) as additional data and
 * waits for cs_cmd_req_done. */
static bool command(uint32_t acmd, const char *seed_hex, uint32_t flag0, uint32_t glen) {
  uint32_t words[12];
  const unsigned n = seed_hex ? hex_words(seed_hex, words, 12) : 0;
  mmio_write(CSRNG_INTR_STATE, CSRNG_INTR_CMD_REQ_DONE);
  mmio_write(CSRNG_CMD_REQ, CSRNG_CMD(acmd, n, flag0, glen));
  for (unsigned i = 0; i < n; ++i) mmio_write(CSRNG_CMD_REQ, words[n - 1 - i]);
  if (glen) return true; /* a generate completes once its blocks have been read */
  if (!t_wait("cs_cmd_req_done", CSRNG_INTR_STATE, CSRNG_INTR_CMD_REQ_DONE, CSRNG_INTR_CMD_REQ_DONE, CMD_TIMEOUT))
    return false;
  return t_eq("SW_CMD_STS", mmio_read(CSRNG_SW_CMD_STS), CSRNG_SW_CMD_DONE) &&
         t_eq("ERR_CODE", mmio_read(CSRNG_ERR_CODE), 0);
}

/* Generates `blocks` 128-bit blocks into out (NIST byte order, as big-endian words). */
static bool generate(unsigned blocks, uint32_t *out, uint32_t *vld_flags) {
  if (!command(CSRNG_GENERATE, 0, MUBI4_FALSE, blocks)) return false;
  for (unsigned b = 0; b < blocks; ++b) {
    if (!t_wait("GENBITS_VLD", CSRNG_GENBITS_VLD, CSRNG_GENBITS_VLD_VALID, CSRNG_GENBITS_VLD_VALID, CMD_TIMEOUT))
      return false;
    if (vld_flags) *vld_flags = mmio_read(CSRNG_GENBITS_VLD);
    for (unsigned w = 0; w < 4; ++w) out[4 * b + 3 - w] = mmio_read(CSRNG_GENBITS);
  }
  return t_wait("cs_cmd_req_done after generate", CSRNG_INTR_STATE, CSRNG_INTR_CMD_REQ_DONE, CSRNG_INTR_CMD_REQ_DONE,
                CMD_TIMEOUT);
}

/* The software instance's state (csrng_state_db.sv, 14 words from reseed counter up):
 * reseed counter, V (4 words, low first), key (8 words, low first), {fips, instantiated}. */
static void read_state(uint32_t *counter, uint32_t v[4], uint32_t key[8], uint32_t *flags) {
  uint32_t st[14];
  mmio_write(CSRNG_INT_STATE_NUM, CSRNG_SW_APP);
  for (unsigned i = 0; i < 14; ++i) st[i] = mmio_read(CSRNG_INT_STATE_VAL);
  *counter = st[0];
  for (unsigned i = 0; i < 4; ++i) v[i] = st[4 - i];
  for (unsigned i = 0; i < 8; ++i) key[i] = st[12 - i];
  *flags = st[13];
}

struct cavp {
  const char *name, *entropy, *reseed, *returned;
};
/* NIST CAVP DRBG (SP 800-90A) CTR_DRBG.rsp, [AES-256 no df], PredictionResistance = False,
 * EntropyInputLen = 384, no nonce / personalization / additional input, ReturnedBitsLen = 512:
 * COUNT = 0 and 2 of drbgvectors_no_reseed, COUNT = 0 of drbgvectors_pr_false (with a reseed). */
static const struct cavp cavp[] = {
    {"CAVP CTR_DRBG AES-256 no df, no reseed, COUNT = 0",
     "df5d73faa468649edda33b5cca79b0b05600419ccb7a879ddfec9db32ee494e5531b51de16a30f769262474c73bec010", 0,
     "d1c07cd95af8a7f11012c84ce48bb8cb87189e99d40fccb1771c619bdf82ab2280b1dc2f2581f39164f7ac0c510494b3"
     "a43c41b7db17514c87b107ae793e01c5"},
    {"CAVP CTR_DRBG AES-256 no df, no reseed, COUNT = 2",
     "0217a8acf2f8e2c4ab7bdcd5a694bca28d038018869dcbe2160d1ce0b4c78ead5592efed98662f2dff87f32f4835c677", 0,
     "aa36779726f52875312507fb084744d4d7f3f9468a5b246ccde316d2ab91879c2e29f5a0938a3bcd722bb718d01bbfc3"
     "5831c9e64f5b6410ae908d3061f76c84"},
    {"CAVP CTR_DRBG AES-256 no df, pr_false (reseed), COUNT = 0",
     "e4bc23c5089a19d86f4119cb3fa08c0a4991e0a1def17e101e4c14d9c323460a7c2fb58e0b086c6c57b55f56cae25bad",
     "fd85a836bba85019881e8c6bad23c9061adc75477659acaea8e4a01dfe07a1832dad1c136f59d70f8653a5dc118663d6",
     "b2cb8905c05e5950ca31895096be29ea3d5a3b82b269495554eb80fe07de43e193b9e7c3ece73b80e062b1c1f68202fb"
     "b1c52a040ea2478864295282234aaada"},
};

static void run_cavp(const struct cavp *c) {
  uint32_t out[16], expected[16];
  t_case(c->name);
  if (!command(CSRNG_UNINSTANTIATE, 0, MUBI4_FALSE, 0)) return;
  /* flag0 = true: the seed is the additional data alone (no entropy source). */
  if (!command(CSRNG_INSTANTIATE, c->entropy, MUBI4_TRUE, 0)) return;
  if (c->reseed && !command(CSRNG_RESEED, c->reseed, MUBI4_TRUE, 0)) return;
  if (!generate(4, out, 0) || !generate(4, out, 0)) return;
  hex_words(c->returned, expected, 16);
  t_words("ReturnedBits (second generate)", out, expected, 16);
}

/* CTR_DRBG.rsp [AES-256 no df], PersonalizationStringLen = 384, COUNT = 0: Key and V after
 * instantiate (the seed material is EntropyInput XOR PersonalizationString). */
static void personalization(void) {
  uint32_t ei[12], ps[12], counter, v[4], key[8], flags, exp_v[4], exp_key[8];
  char seed[97];
  t_case("CAVP CTR_DRBG AES-256 no df, personalization string: Key and V after instantiate (INT_STATE_VAL)");
  hex_words("b5e2af38591a9743e5d3e458848a3998536d3b625e1694be847f95c3bfbda267f08624be4bb6aa496e1b596be523e7c4", ei, 12);
  hex_words("0a9a59e7605c0e12fae317bb004aecf1427bda4dca7718801895c38179fd36cd922634c3789a99b9d9c556fe50a41de4", ps, 12);
  for (unsigned i = 0; i < 12; ++i)
    for (unsigned k = 0; k < 8; ++k) seed[8 * i + k] = "0123456789abcdef"[((ei[i] ^ ps[i]) >> (28 - 4 * k)) & 15];
  seed[96] = 0;
  if (!command(CSRNG_UNINSTANTIATE, 0, MUBI4_FALSE, 0) || !command(CSRNG_INSTANTIATE, seed, MUBI4_TRUE, 0)) return;
  read_state(&counter, v, key, &flags);
  hex_words("ec777c24fe03afe8b6534712400ba6e2dfb1a112d901e7509ba493917cb309b2", exp_key, 8);
  hex_words("10c013b7048a1984667cfa1bc081cfae", exp_v, 4);
  t_words("Key", key, exp_key, 8);
  t_words("V", v, exp_v, 4);
  t_eq("reseed counter", counter, RC_AFTER_INSTANTIATE);
  t_eq("{fips, instantiated}", flags, 1);
}

static void reset_values(void) {
  t_case("reset values (csrng.rdl, entropy_src.rdl)");
  t_eq("CSRNG CTRL", mmio_read(CSRNG_CTRL), CSRNG_CTRL_RESET);
#if CALIPTRA_HW_2X
  t_eq("CSRNG SW_CMD_STS (CMD_RDY low while disabled)", mmio_read(CSRNG_SW_CMD_STS), 0);
  t_eq("CSRNG RESEED_INTERVAL", mmio_read(CSRNG_RESEED_INTERVAL), 0xFFFFFFFFu);
  t_eq("CSRNG INT_STATE_READ_ENABLE", mmio_read(CSRNG_INT_STATE_READ_ENABLE), 0x7);
#else
  t_eq("CSRNG SW_CMD_STS", mmio_read(CSRNG_SW_CMD_STS), CSRNG_SW_CMD_RDY);
#endif
  t_eq("CSRNG MAIN_SM_STATE", mmio_read(CSRNG_MAIN_SM_STATE), CSRNG_SM_IDLE);
  t_eq("CSRNG REGWEN", mmio_read(CSRNG_REGWEN), 1);
  t_eq("ENTROPY_SRC MODULE_ENABLE", mmio_read(ES_MODULE_ENABLE), MUBI4_FALSE);
  t_eq("ENTROPY_SRC CONF", mmio_read(ES_CONF), ES_CONF_RESET);
  t_eq("ENTROPY_SRC MAIN_SM_STATE (Idle)", mmio_read(ES_MAIN_SM_STATE), ES_MAIN_SM_IDLE);
  t_eq("ENTROPY_SRC REGWEN", mmio_read(ES_REGWEN), 1);
}

/* The 1.x ROM's iTRNG bring-up (caliptra-sw drivers/src/csrng.rs): thresholds, FIPS mode,
 * enable, wait for the startup health tests, instantiate from the entropy source. */
static void entropy_source(void) {
  uint32_t out[12], flags = 0, counter, v[4], key[8], st;
  t_case("entropy source in FIPS mode seeds CSRNG: FIPS-flagged genbits");
  mmio_write(ES_REPCNT_THRESHOLDS, 41);
  mmio_write(ES_ADAPTP_HI_THRESHOLDS, 1536);
  mmio_write(ES_ADAPTP_LO_THRESHOLDS, 512);
  /* 2.x: the seed is FIPS-flagged only with CONF.FIPS_FLAG too (entropy_src_core.sv
   * fips_compliance = es_enable & fips_flag_pfe). */
  mmio_write(ES_CONF, ES_CONF_FIPS(MUBI4_TRUE, MUBI4_TRUE));
  mmio_write(ES_MODULE_ENABLE, MUBI4_TRUE);
  t_eq("REGWEN falls while enabled", mmio_read(ES_REGWEN), 0);
  mmio_write(ES_ADAPTP_LO_THRESHOLDS, 7);
  t_eq("ADAPTP_LO_THRESHOLDS locked", mmio_read(ES_ADAPTP_LO_THRESHOLDS), 512);
  if (!t_wait("ENTROPY_SRC ContHTRunning", ES_MAIN_SM_STATE, 0x1FF, ES_MAIN_SM_CONT_HT_RUNNING, 100000)) return;
  t_eq("ALERT_FAIL_COUNTS", mmio_read(ES_ALERT_FAIL_COUNTS), 0);
  if (!command(CSRNG_UNINSTANTIATE, 0, MUBI4_FALSE, 0)) return;
  mmio_write(CSRNG_INTR_STATE, CSRNG_INTR_ENTROPY_REQ);
  if (!command(CSRNG_INSTANTIATE, 0, MUBI4_FALSE, 0)) return;
  t_eq("cs_entropy_req raised", mmio_read(CSRNG_INTR_STATE) & CSRNG_INTR_ENTROPY_REQ, CSRNG_INTR_ENTROPY_REQ);
  if (!generate(3, out, &flags)) return;
  t_eq("GENBITS_VLD.GENBITS_FIPS", flags & CSRNG_GENBITS_VLD_FIPS, CSRNG_GENBITS_VLD_FIPS);
  read_state(&counter, v, key, &st);
  t_eq("{fips, instantiated}", st, 3);
  t_eq("reseed counter after one generate", counter, RC_AFTER_INSTANTIATE + 1);
  bool nonzero = false;
  for (unsigned i = 0; i < 12; ++i) nonzero |= out[i] != 0;
  t_true("generated bits are not all zero", nonzero);
}

static void regwen_locks_ctrl(void) {
  t_case("REGWEN (rw0c) locks CTRL; SW_APP_ENABLE false masks GENBITS");
  uint32_t out[4];
  mmio_write(CSRNG_CTRL, CSRNG_CTRL_VALUE(MUBI4_TRUE, MUBI4_FALSE, MUBI4_TRUE));
  if (generate(1, out, 0)) t_eq("GENBITS without SW_APP_ENABLE", out[0] | out[1] | out[2] | out[3], 0);
  mmio_write(CSRNG_REGWEN, 0);
  mmio_write(CSRNG_CTRL, CSRNG_CTRL_VALUE(MUBI4_TRUE, MUBI4_TRUE, MUBI4_TRUE));
  t_eq("CTRL after REGWEN cleared", mmio_read(CSRNG_CTRL), CSRNG_CTRL_VALUE(MUBI4_TRUE, MUBI4_FALSE, MUBI4_TRUE));
  mmio_write(CSRNG_REGWEN, 1);
  t_eq("REGWEN cannot be set again", mmio_read(CSRNG_REGWEN), 0);
}

#if CALIPTRA_HW_2X
/* 2.x command stage (csrng_cmd_stage.sv): a command out of sequence or a generate past
 * RESEED_INTERVAL is acknowledged with a status code in SW_CMD_STS.CMD_STS and not run. */
static uint32_t refused_status(uint32_t header) {
  mmio_write(CSRNG_CMD_REQ, header);
  if (!t_wait("CMD_ACK", CSRNG_SW_CMD_STS, CSRNG_SW_CMD_ACK, CSRNG_SW_CMD_ACK, CMD_TIMEOUT)) return ~0u;
  return CSRNG_SW_CMD_STS_CODE(mmio_read(CSRNG_SW_CMD_STS));
}

static void command_stage(void) {
  static const char seed[] =
      "df5d73faa468649edda33b5cca79b0b05600419ccb7a879ddfec9db32ee494e5531b51de16a30f769262474c73bec010";
  uint32_t out[4];
  t_case("2.x: instantiate while instantiated is INVALID_CMD_SEQ (3)");
  if (!command(CSRNG_UNINSTANTIATE, 0, MUBI4_FALSE, 0) || !command(CSRNG_INSTANTIATE, seed, MUBI4_TRUE, 0)) return;
  t_eq("CMD_STS", refused_status(CSRNG_CMD(CSRNG_INSTANTIATE, 0, MUBI4_TRUE, 0)), 3);

  t_case("2.x: a generate once the reseed counter reached RESEED_INTERVAL is RESEED_CNT_EXCEEDED (4)");
  mmio_write(CSRNG_RESEED_INTERVAL, 1);
  if (!command(CSRNG_UNINSTANTIATE, 0, MUBI4_FALSE, 0) || !command(CSRNG_INSTANTIATE, seed, MUBI4_TRUE, 0) ||
      !generate(1, out, 0))
    return;
  t_eq("CMD_STS", refused_status(CSRNG_CMD(CSRNG_GENERATE, 0, MUBI4_FALSE, 1)), 4);
  t_eq("no genbits", mmio_read(CSRNG_GENBITS_VLD) & CSRNG_GENBITS_VLD_VALID, 0);
  if (command(CSRNG_RESEED, seed, MUBI4_TRUE, 0)) generate(1, out, 0); /* a reseed resets the counter */
  mmio_write(CSRNG_RESEED_INTERVAL, 0xFFFFFFFFu);
}
#endif

int main(void) {
  t_suite("csrng");
  reset_values();
  mmio_write(CSRNG_CTRL, CSRNG_CTRL_VALUE(MUBI4_TRUE, MUBI4_TRUE, MUBI4_TRUE));
  for (unsigned i = 0; i < sizeof cavp / sizeof cavp[0]; ++i) run_cavp(&cavp[i]);
  personalization();
#if CALIPTRA_HW_2X
  command_stage();
#endif
  entropy_source();
  regwen_locks_ctrl();
  return t_done();
}
