/* ECC secp384r1 engine driven through its registers (README.md, "ecc"): keygen from seed
 * and nonce against the caliptra-rtl testbench vectors, RFC 6979 A.2.6 signatures, NIST
 * CAVP SigVer P-384/SHA-384 (messages hashed on the SHA-512 engine; passing and failing
 * records), bad inputs, keygen into the key vault, PCR signing over gen_pcr_hash, and the
 * notification interrupt used to wait for every command. */
#include "cptra_test.h"
#include "crypto_drv.h"
#include "regs/sha.h"
#include "sha_drv.h"

static uint8_t msg[256];

/* caliptra-rtl v1.1 src/ecc/tb/secp384_testvector_all.hex: hashed message, private key,
 * public key x and y, seed, nonce, R, S, IV. Keygen from seed + nonce gives the key. */
struct rtl_vector {
  const char *name, *msg, *priv, *x, *y, *seed, *nonce, *r, *s, *iv;
};
static const struct rtl_vector rtl[] = {
    {"caliptra-rtl testbench vector 0: keygen, sign, verify",
     "4A92E81D106262971437AE60ECE5EDB1680FA19ED2357DF37F9B82512EF1A1C7D724D8DA27AE6DE8D9D3F777B6B619B2",
     "13672C8525C01F3D385DC0BCF96AC9B5BF622FBC5F23C793C9E6D564DFAD92BFA58088679A1DCC965D3BCBA6EDFDEE80",
     "2A88C6126AE15417D703D26FD95AD4D9B43BD983AAA0E84B8C7898C443F47D14B354709E0331187258E2549A0D27BD20",
     "5F3C2C4CD124F0972805CF00C131CC5E7150B2D7CB7AD818E61799AE15B5752D046E8D36FBEEA6D0E292087D577C0CEC",
     "80507D7D77FBF4F234002F6520D41D35B44DAED3F80D87350BB9B38356CB4B06087915952D4CA13B7DCB2B84AB8430BB",
     "C274EF2DA5639EE0742EDA96FFF23CD59C8949D76F24C6A1D82949F739CCC18F4E4031CD104AA90EE1BA894F9AC91E68",
     "8C6082F7B673BCAF9BA8D238A33FA6C46CE94C71D89838B0BB6839BE812E80D341EAA03EAC590E3A8C5D88F87F98DEF6",
     "278E80A4B43E630976F3B77859549F6A8F0F56CBDC22E8269C026F4D86FD26ECA93EDE5C94F0ABB2F7B60BF3CA209E55",
     "00EB422ED939AF9BB8716C5E01CB32A0B33687B8960E9F70700D3C95E3764FEC1941D1A7DA4877F41D431BDC4A4E9193"},
    {"caliptra-rtl testbench vector 1: keygen, sign, verify",
     "308A1BAA743B9CA910F5F349D0946EDD6B95E2BB9D13696A5E95399A53057810914ABE4233FC0DA1C30A6CCE7E322910",
     "90BE06450E91A121E503E5ED07B14ECC42ED0978E74ABB37C1E0D8BD5CA3E2A0FE2C28F0E4AB82725B262FA392B3F620",
     "78C7E89EFA42201E165651DCB20D63E985B0C8901CAB8B553315A9493E59D56ED06D83A3062AD1601FEF7663AA76C1EE",
     "B1135727F440DB88179179CE7C80ECED2F459C2319E2C42BC903A536A155AAF2A408BE36C0CF317B2FE9ACB69A652F0D",
     "3D2F8C13932B008217305D38F1A7F2B4D6C1D94EF733CAD20ADEE90A7283131892AA4C78C8FDE8F7709A7EF974E24529",
     "567A4B56B9A3933F91978BDB243B10D6BC353C30890E5E8B54E25E34842C0FB5DB9CA32849EF1B24F1CAFC37FCA5CF3E",
     "26EF6019EFA605663110D75C33C210B83BFED40FB9A300BB6245537C3E00493F2F5C9C0562BE11FB06E7CC809FCB021D",
     "1FEA55F7595D4725B704CBC30D4D469705E95E1DE52DCD0C2D6282A7539D4ED759CC2EBA61F8A1C981A0D7E2844D7532",
     "2B80CEE87346B40D657BB380A22FEBECE71E59FA4DC75914884C9F1BA030E3BD0E43FBDDA75FA0936FF40DA72539A6B3"},
};

/* RFC 6979 A.2.6: P-384 key, SHA-384, messages "sample" and "test". */
static const char RFC6979_X[] =
    "6b9d3dad2e1b8c1c05b19875b6659f4de23c3b667bf297ba9aa47740787137d896d5724e4c70a825f872c9ea60d2edf5";
static const char RFC6979_UX[] =
    "ec3a4e415b4e19a4568618029f427fa5da9a8bc4ae92e02e06aae5286b300c64def8f0ea9055866064a254515480bc13";
static const char RFC6979_UY[] =
    "8015d9b72d7d57244ea8ef9ac0c621896708a59367f9dfb9f54ca84b3f1c9db1288b231c3ae0d4fe7344fd2533264720";
struct rfc6979_case {
  const char *name, *message, *r, *s;
};
static const struct rfc6979_case rfc6979[] = {
    {"RFC 6979 A.2.6 P-384/SHA-384 'sample': sign, verify with U", "sample", "94edbb92a5ecb8aad4736e56c691916b3f88140666ce9fa73d64c4ea95ad133c81a648152e44acf96e36dd1e80fabe46",
     "99ef4aeb15f178cea1fe40db2603138f130e740a19624526203b6351d0a3a94fa329c145786e679e7b82c71a38628ac8"},
    {"RFC 6979 A.2.6 P-384/SHA-384 'test': sign, verify with U", "test", "8203b63d3c853e8d77227fb377bcf7b7b772e97892a80f36ab775d509d7a5feb0542a7f0812998da8f1dd3ca3cf023db",
     "ddd0760448d42d8a43af45af836fce4de8be06b485e9b61b827c2f13173923e06a739f040649a667bf3b828246baa5a5"},
};

/* NIST CAVP 186-3ecdsatestvectors SigVer.rsp, [P-384,SHA-384]: one "Result = P" and one
 * "Result = F (2 - R changed)" record. */
struct sigver {
  const char *name, *msg, *qx, *qy, *r, *s;
  bool pass;
};
static const struct sigver sigvers[] = {
    {"CAVP SigVer P-384/SHA-384, Result = P",
     "9dd789ea25c04745d57a381f22de01fb0abd3c72dbdefd44e43213c189583eef85ba662044da3de2dd8670e6325154480155bbeebb702c"
     "75781ac32e13941860cb576fe37a05b757da5b5b418f6dd7c30b042e40f4395a342ae4dce05634c33625e2bc524345481f7e253d95512668"
     "23771b251705b4a85166022a37ac28f1bd",
     "cb908b1fd516a57b8ee1e14383579b33cb154fece20c5035e2b3765195d1951d75bd78fb23e00fef37d7d064fd9af144",
     "cd99c46b5857401ddcff2cf7cf822121faf1cbad9a011bed8c551f6f59b2c360f79bfbe32adbcaa09583bdfdf7c374bb",
     "33f64fb65cd6a8918523f23aea0bbcf56bba1daca7aff817c8791dc92428d605ac629de2e847d43cee55ba9e4a0e83ba",
     "4428bb478a43ac73ecd6de51ddf7c28ff3c2441625a081714337dd44fea8011bae71959a10947b6ea33f77e128d3c6ae", true},
    {"CAVP SigVer P-384/SHA-384, Result = F (R changed)",
     "4132833a525aecc8a1a6dea9f4075f44feefce810c4668423b38580417f7bdca5b21061a45eaa3cbe2a7035ed189523af8002d65c2899e"
     "65735e4d93a16503c145059f365c32b3acc6270e29a09131299181c98b3c76769a18faf21f6b4a8f271e6bf908e238afe8002e27c63417bd"
     "a758f846e1e3b8e62d7f05ebd98f1f9154",
     "1f94eb6f439a3806f8054dd79124847d138d14d4f52bac93b042f2ee3cdb7dc9e09925c2a5fee70d4ce08c61e3b19160",
     "1c4fd111f6e33303069421deb31e873126be35eeb436fe2034856a3ed1e897f26c846ee3233cd16240989a7990c19d8c",
     "3c15c3cedf2a6fbff2f906e661f5932f2542f0ce68e2a8182e5ed3858f33bd3c5666f17ac39e52cb004b80a0d4ba73cd",
     "9de879083cbb0a97973c94f1963d84f581e4c6541b7d000f9850deb25154b23a37dd72267bdd72665cc7027f88164fab", false},
};

static void put_hex(uint32_t addr, const char *hex) {
  uint32_t w[12];
  hex_words(hex, w, 12);
  reg_write_words(addr, w, 12);
}

static bool check_hex(const char *what, uint32_t addr, const char *hex) {
  uint32_t w[12];
  hex_words(hex, w, 12);
  return t_reg_words(what, addr, w, 12);
}

/* Starts a command and sleeps until the engine's notification (PIC source 4). */
static bool ecc_command(uint32_t ctrl, bool expect_valid) {
  mmio_write(INTR_NOTIF_STS(ECC_BASE), INTR_NOTIF_CMD_DONE);
  irq_enable(IRQ_ECC_NOTIF, 7);
  mmio_write(ECC_CTRL, ctrl);
  /* A rejected input ends the command within a few cycles (ecc_dsa_ctrl.sv error_flag). */
  if (!expect_valid) return t_wait("ECC READY", ECC_STATUS, ECC_STATUS_READY, ECC_STATUS_READY, ECC_TIMEOUT);
  t_eq("ECC_STATUS right after the command (busy)", mmio_read(ECC_STATUS), 0);
  if (!irq_wait(IRQ_ECC_NOTIF, ECC_TIMEOUT)) return false;
  mmio_write(INTR_NOTIF_STS(ECC_BASE), INTR_NOTIF_CMD_DONE);
  return t_eq("ECC_STATUS at cmd_done", mmio_read(ECC_STATUS), ECC_STATUS_READY | ECC_STATUS_VALID);
}

static void name_and_version(void) {
  t_case("NAME/VERSION registers (ecc_params_pkg.sv)");
  t_eq("ECC_NAME[0] 'secp'", mmio_read(ECC_NAME(0)), 0x63707365);
  t_eq("ECC_NAME[1] '-384'", mmio_read(ECC_NAME(1)), 0x38342D33);
  t_eq("ECC_VERSION[0] '1.00'", mmio_read(ECC_VERSION(0)), 0x3030312e);
  t_eq("ECC_STATUS after reset: READY", mmio_read(ECC_STATUS), ECC_STATUS_READY);
}

static void rtl_keygen_sign_verify(const struct rtl_vector *v) {
  t_case(v->name);
  put_hex(ECC_SEED(0), v->seed);
  put_hex(ECC_NONCE(0), v->nonce);
  put_hex(ECC_IV(0), v->iv);
  if (!ecc_command(ECC_CMD_KEYGEN, true)) return;
  check_hex("PRIVKEY_OUT", ECC_PRIVKEY_OUT(0), v->priv);
  check_hex("PUBKEY_X", ECC_PUBKEY_X(0), v->x);
  check_hex("PUBKEY_Y", ECC_PUBKEY_Y(0), v->y);
  put_hex(ECC_MSG(0), v->msg);
  put_hex(ECC_PRIVKEY_IN(0), v->priv);
  if (!ecc_command(ECC_CMD_SIGN, true)) return;
  check_hex("SIGN_R", ECC_SIGN_R(0), v->r);
  check_hex("SIGN_S", ECC_SIGN_S(0), v->s);
  if (!ecc_command(ECC_CMD_VERIFY, true)) return; /* PUBKEY and SIGN still hold the pair */
  check_hex("VERIFY_R = R", ECC_VERIFY_R(0), v->r);
}

static void rfc6979_sign_verify(const struct rfc6979_case *c) {
  uint32_t h[12];
  t_case(c->name);
  if (!sha512_hash(SHA512_MODE_384, c->message, strlen(c->message), h, 12)) return;
  put_hex(ECC_PRIVKEY_IN(0), RFC6979_X);
  reg_write_words(ECC_MSG(0), h, 12);
  if (!ecc_command(ECC_CMD_SIGN, true)) return;
  check_hex("SIGN_R", ECC_SIGN_R(0), c->r);
  check_hex("SIGN_S", ECC_SIGN_S(0), c->s);
  t_eq("PRIVKEY_IN is write-only", mmio_read(ECC_PRIVKEY_IN(0)), 0);
  put_hex(ECC_PUBKEY_X(0), RFC6979_UX);
  put_hex(ECC_PUBKEY_Y(0), RFC6979_UY);
  if (!ecc_command(ECC_CMD_VERIFY, true)) return;
  check_hex("VERIFY_R = r", ECC_VERIFY_R(0), c->r);
}

static void cavp_sigver(const struct sigver *v) {
  uint32_t h[12], r[12], vr[12];
  t_case(v->name);
  const unsigned len = hex_bytes(v->msg, msg, sizeof msg);
  if (!sha512_hash(SHA512_MODE_384, msg, len, h, 12)) return;
  reg_write_words(ECC_MSG(0), h, 12);
  put_hex(ECC_PUBKEY_X(0), v->qx);
  put_hex(ECC_PUBKEY_Y(0), v->qy);
  put_hex(ECC_SIGN_R(0), v->r);
  put_hex(ECC_SIGN_S(0), v->s);
  if (!ecc_command(ECC_CMD_VERIFY, true)) return;
  hex_words(v->r, r, 12);
  reg_read_words(ECC_VERIFY_R(0), vr, 12);
  const bool accepted = memcmp(r, vr, sizeof r) == 0;
  if (v->pass) t_words("VERIFY_R (must equal R)", vr, r, 12);
  else t_true("VERIFY_R must differ from R (signature rejected)", !accepted);
}

/* 2.x ecc_dsa_ctrl.sv latches error_flag (error_flag_reg): the sequencer stays at ECC_NOP,
 * so a good command does nothing, until a ZEROIZE clears it. 1.x runs the next command. */
static void after_error(void) {
#if CALIPTRA_HW_2X
  put_hex(ECC_MSG(0), rtl[0].msg);
  put_hex(ECC_PRIVKEY_IN(0), rtl[0].priv);
  mmio_write(ECC_CTRL, ECC_CMD_SIGN);
  for (volatile unsigned i = 0; i < 2000; ++i) {
  }
  t_eq("a good SIGN after an error: READY, no VALID", mmio_read(ECC_STATUS), ECC_STATUS_READY);
  mmio_write(ECC_CTRL, ECC_CTRL_ZEROIZE);
#endif
}

static void bad_inputs(void) {
  t_case("bad inputs raise error_internal and end without VALID (ecc_dsa_ctrl.sv)");
  const uint32_t errors0 = mmio_read(INTR_ERROR_COUNT(ECC_BASE, 0));
  mmio_write(INTR_ERROR_STS(ECC_BASE), ECC_ERR_INTERNAL);
  reg_fill(ECC_PRIVKEY_IN(0), 0xFFFFFFFF, 12); /* >= q */
  if (!ecc_command(ECC_CMD_SIGN, false)) return;
  t_eq("STATUS after a private key >= q", mmio_read(ECC_STATUS), ECC_STATUS_READY);
  t_eq("error_internal", mmio_read(INTR_ERROR_STS(ECC_BASE)), ECC_ERR_INTERNAL);
  mmio_write(INTR_ERROR_STS(ECC_BASE), ECC_ERR_INTERNAL);
  after_error();
  reg_fill(ECC_PUBKEY_X(0), 1, 12); /* (1, 2) is not on the curve */
  reg_fill(ECC_PUBKEY_Y(0), 2, 12);
  reg_fill(ECC_SIGN_R(0), 3, 12);
  reg_fill(ECC_SIGN_S(0), 4, 12);
  if (!ecc_command(ECC_CMD_VERIFY, false)) return;
  t_eq("STATUS after a public key off the curve", mmio_read(ECC_STATUS), ECC_STATUS_READY);
  t_eq("error_internal", mmio_read(INTR_ERROR_STS(ECC_BASE)), ECC_ERR_INTERNAL);
  mmio_write(INTR_ERROR_STS(ECC_BASE), ECC_ERR_INTERNAL);
  after_error();
  reg_fill(ECC_SIGN_R(0), 0, 12); /* r = 0 */
  put_hex(ECC_PUBKEY_X(0), RFC6979_UX);
  put_hex(ECC_PUBKEY_Y(0), RFC6979_UY);
  if (!ecc_command(ECC_CMD_VERIFY, false)) return;
  t_eq("error_internal after r = 0", mmio_read(INTR_ERROR_STS(ECC_BASE)), ECC_ERR_INTERNAL);
  mmio_write(INTR_ERROR_STS(ECC_BASE), ECC_ERR_INTERNAL);
  t_eq("error_internal_intr_count_r", mmio_read(INTR_ERROR_COUNT(ECC_BASE, 0)), errors0 + 3);
  after_error();
}

static void zeroize(void) {
  uint32_t zeros[12] = {0};
  t_case("ZEROIZE clears the result registers");
  mmio_write(ECC_CTRL, ECC_CTRL_ZEROIZE);
  t_reg_words("PUBKEY_X", ECC_PUBKEY_X(0), zeros, 12);
  t_reg_words("SIGN_R", ECC_SIGN_R(0), zeros, 12);
  t_reg_words("VERIFY_R", ECC_VERIFY_R(0), zeros, 12);
  t_eq("STATUS", mmio_read(ECC_STATUS), ECC_STATUS_READY);
}

/* Keygen with the private key bound for slot 7 (the PCR signing key), then PCR signing:
 * the engine signs SHA512's gen_pcr_hash digest with slot 7, as caliptra_top.sv wires
 * them. Expected digest (hashlib over the 32 PCRs and the nonce, last nonce register
 * first, pv_gen_hash.sv) and signature (RFC 6979) computed offline. */
static void pcr_signing(void) {
#if CALIPTRA_HW_2X
  /* 2.x: gen_pcr_hash is SHA-512 (16 words); ECC signs its first 12 (pcr_hash[0..11]). */
  static const char GEN_DIGEST[] =
      "e0db1a887126c54d34778b1500616bce2027606730d41411d046d076aafd04d214f973ceb1eb3a1824aceae4cb377f13"
      "9b7a8d818035936e912afda878ad072e";
  static const char PCR_R[] =
      "b0a282a8203bdcd726f5bd7747d97b1c915b9bf1b71a8a920a179a5ed76440b912a887406dfb85f93f009e121797f6a2";
  static const char PCR_S[] =
      "ad030ae427dd4fd90cd310d2ab1a7141d043aac93515cb295081f3415be63d953a99e7dc2d416a781bf56c10b8b6807a";
  enum { GEN_WORDS = 16 };
#else
  static const char GEN_DIGEST[] =
      "1d5b2d2c157356b533b813fc5ddf2976278bc4a61dfa72fafb488af68f88224f65f280a020df8e0a6cce79b5b971a7ae";
  static const char PCR_R[] =
      "c30a39fac6896fc065e9549efe6466705852df284046dc7765b55d7f8d8b9c45b5a740c40e639a873cf8aad1af78e7af";
  static const char PCR_S[] =
      "ee2ec6293887588fc1e268cf579e673ba03796072d1159336673cb79193b9a6276aeb4be002dca5e063323687abf0bb6";
  enum { GEN_WORDS = 12 };
#endif
  uint32_t zeros[12] = {0}, block[32], digest[16];
  t_case("keygen into vault slot 7, gen_pcr_hash, PCR_SIGN");
  mmio_write(KV_KEY_CTRL(KV_PCR_SIGNING_SLOT), KV_CTRL_CLEAR);
  put_hex(ECC_SEED(0), rtl[0].seed);
  put_hex(ECC_NONCE(0), rtl[0].nonce);
  mmio_write(ECC_KV_WR_PKEY_CTRL, KV_WRITE_CTRL(KV_PCR_SIGNING_SLOT, KV_DEST_ECC_PKEY));
  if (!ecc_command(ECC_CMD_KEYGEN, true)) return;
  if (!kv_wait("private key write to slot 7", ECC_KV_WR_PKEY_STATUS, KV_ERROR_SUCCESS)) return;
  t_reg_words("PRIVKEY_OUT stays clear for a vault-bound key", ECC_PRIVKEY_OUT(0), zeros, 12);
  check_hex("PUBKEY_X", ECC_PUBKEY_X(0), rtl[0].x);
  mmio_write(ECC_KV_WR_PKEY_CTRL, 0);

  /* PCR0 = SHA-384(0^48 || SHA-384("abc")), the other PCRs zero. */
  for (unsigned p = 0; p < PV_PCRS; ++p) mmio_write(PV_PCR_CTRL(p), PV_CTRL_CLEAR);
  mmio_write(SHA512_VAULT_RD_CTRL, KV_READ_CTRL(0) | KV_READ_PCR_HASH_EXTEND);
  if (!kv_wait("PCR0 read", SHA512_VAULT_RD_STATUS, KV_ERROR_SUCCESS)) return;
  uint8_t m[96];
  memset(m, 0, sizeof m);
  uint32_t abc[12];
  hex_words("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7", abc, 12);
  be_bytes(abc, 12, m + 48);
  sha_block(m, 96, 0, 128, 0, block);
  reg_write_words(SHA512_BLOCK(0), block, 32);
  mmio_write(SHA512_CTRL, SHA512_CTRL_INIT | SHA512_CTRL_LAST | SHA512_CTRL_MODE(SHA512_MODE_384));
  if (!t_wait("PCR0 extend", SHA512_GEN_PCR_HASH_STATUS, 1, 1, SHA_TIMEOUT)) return;

  for (unsigned i = 0; i < 8; ++i) mmio_write(SHA512_GEN_PCR_HASH_NONCE(i), 0x11111111u * (i + 1));
  mmio_write(SHA512_GEN_PCR_HASH_CTRL, 1);
  if (!t_wait("gen_pcr_hash VALID", SHA512_GEN_PCR_HASH_STATUS, 3, 3, 100000)) return;
  reg_read_words(SHA512_GEN_PCR_HASH_DIGEST(0), digest, GEN_WORDS);
  uint32_t expected[16];
  hex_words(GEN_DIGEST, expected, GEN_WORDS);
  if (!t_words("GEN_PCR_HASH_DIGEST", digest, expected, GEN_WORDS)) return;

  reg_fill(ECC_PRIVKEY_IN(0), 0, 12);
  reg_fill(ECC_MSG(0), 0, 12);
  if (!ecc_command(ECC_CMD_SIGN | ECC_CTRL_PCR_SIGN, true)) return;
  check_hex("SIGN_R", ECC_SIGN_R(0), PCR_R);
  check_hex("SIGN_S", ECC_SIGN_S(0), PCR_S);
  /* And the signature verifies over the digest with the vector's public key. */
  reg_write_words(ECC_MSG(0), digest, 12);
  put_hex(ECC_PUBKEY_X(0), rtl[0].x);
  put_hex(ECC_PUBKEY_Y(0), rtl[0].y);
  if (!ecc_command(ECC_CMD_VERIFY, true)) return;
  uint32_t r[12], vr[12];
  reg_read_words(ECC_SIGN_R(0), r, 12);
  reg_read_words(ECC_VERIFY_R(0), vr, 12);
  t_words("VERIFY_R = SIGN_R", vr, r, 12);

  t_case("PCR_SIGN with KEYGEN is refused (pcr_sign_input_invalid)");
  mmio_write(INTR_ERROR_STS(ECC_BASE), ECC_ERR_INTERNAL);
  mmio_write(ECC_CTRL, ECC_CMD_KEYGEN | ECC_CTRL_PCR_SIGN);
  t_eq("error_internal", mmio_read(INTR_ERROR_STS(ECC_BASE)), ECC_ERR_INTERNAL);
  t_eq("STATUS (nothing started)", mmio_read(ECC_STATUS) & ECC_STATUS_READY, ECC_STATUS_READY);
  mmio_write(INTR_ERROR_STS(ECC_BASE), ECC_ERR_INTERNAL);
  after_error();
}

#if CALIPTRA_HW_2X
/* 2.x ECDH (CTRL.DH_SHAREDKEY): DH_SHARED_KEY = x of PRIVKEY_IN x PUBKEY. NIST CAVP
 * KAS_ECC_CDH_PrimitiveTest.txt [P-384] COUNT 0 and 1: dIUT with QCAVS gives ZIUT. */
struct cdh_vector {
  const char *name, *qx, *qy, *d, *z;
};
static const struct cdh_vector cdh[] = {
    {"ECDH: CAVP KAS ECC CDH P-384 COUNT 0",
     "a7c76b970c3b5fe8b05d2838ae04ab47697b9eaf52e764592efda27fe7513272734466b400091adbf2d68c58e0c50066",
     "ac68f19f2e1cb879aed43a9969b91a0839c4c38a49749b661efedf243451915ed0905a32b060992b468c64766fc8437a",
     "3cc3122a68f0d95027ad38c067916ba0eb8c38894d22e1b15618b6818a661774ad463b205da88cf699ab4d43c9cf98a1",
     "5f9d29dc5e31a163060356213669c8ce132e22f57c9a04f40ba7fcead493b457e5621e766c40a2e3d4d6a04b25e533f1"},
    {"ECDH: CAVP KAS ECC CDH P-384 COUNT 1",
     "30f43fcf2b6b00de53f624f1543090681839717d53c7c955d1d69efaf0349b7363acb447240101cbb3af6641ce4b88e0",
     "25e46c0c54f0162a77efcc27b6ea792002ae2ba82714299c860857a68153ab62e525ec0530d81b5aa15897981e858757",
     "92860c21bde06165f8e900c687f8ef0a05d14f290b3f07d8b3a8cc6404366e5d5119cd6d03fb12dc58e89f13df9cd783",
     "a23742a2c267d7425fda94b93f93bbcc24791ac51cd8fd501a238d40812f4cbfc59aac9520d758cf789c76300c69d2ff"},
};

static void ecdh_case(const struct cdh_vector *v) {
  t_case(v->name);
  put_hex(ECC_PRIVKEY_IN(0), v->d);
  put_hex(ECC_PUBKEY_X(0), v->qx);
  put_hex(ECC_PUBKEY_Y(0), v->qy);
  if (!ecc_command(ECC_CTRL_DH_SHAREDKEY, true)) return;
  check_hex("DH_SHARED_KEY = ZIUT", ECC_DH_SHARED_KEY(0), v->z);
}

/* The shared key to the key vault (KV_WR_PKEY_CTRL, the secret-key write port): DH_SHARED_KEY
 * stays clear, and the slot keys HMAC-384 over "abc"; expected HMAC-SHA-384(ZIUT of COUNT 0,
 * "abc") computed with Python's hmac (README.md). A public key off the curve is refused. */
static void ecdh_to_vault(void) {
  uint32_t zeros[12] = {0}, tag[12], expected[12];
  t_case("ECDH shared key into the key vault, used as an HMAC-384 key");
  mmio_write(KV_KEY_CTRL(6), KV_CTRL_CLEAR);
  mmio_write(ECC_CTRL, ECC_CTRL_ZEROIZE);
  put_hex(ECC_PRIVKEY_IN(0), cdh[0].d);
  put_hex(ECC_PUBKEY_X(0), cdh[0].qx);
  put_hex(ECC_PUBKEY_Y(0), cdh[0].qy);
  mmio_write(ECC_KV_WR_PKEY_CTRL, KV_WRITE_CTRL(6, KV_DEST_HMAC_KEY));
  if (!ecc_command(ECC_CTRL_DH_SHAREDKEY, true)) return;
  if (!kv_wait("shared key write to slot 6", ECC_KV_WR_PKEY_STATUS, KV_ERROR_SUCCESS)) return;
  mmio_write(ECC_KV_WR_PKEY_CTRL, 0);
  t_reg_words("DH_SHARED_KEY stays clear for a vault-bound key", ECC_DH_SHARED_KEY(0), zeros, 12);
  /* A tag from a vault key is withheld from TAG: it goes to slot 5 as an ECC key, whose
   * RFC 6979 signature of SHA-384("abc") proves it. */
  mmio_write(KV_KEY_CTRL(5), KV_CTRL_CLEAR);
  const struct hmac_op op = {0, 0, 6, -1, (const uint8_t *)"abc", 3, 5, KV_DEST_ECC_PKEY};
  if (!hmac_run(&op, false, tag)) return;
  uint32_t h[12], r[12], s[12];
  hex_words("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7", h, 12);
  if (!ecc_sign(0, 5, h, r, s)) return;
  hex_words("0b8275d6f0e648d14611dc087ddf91e74d637a8a231f1d3b70b01c09290c2aa1a21631394a7d62ee7ceaf080f816624a", expected,
            12);
  t_words("SIGN_R with the key HMAC-384(Z, 'abc')", r, expected, 12);
  hex_words("1fde259d23eeeb3c7da7a6dc26bcdae1288934546869bf04f72774df57c861f6d3ab22ff3199cd65d2f6fb07b1ac6ec2", expected,
            12);
  t_words("SIGN_S", s, expected, 12);

  t_case("ECDH with a public key off the curve: error_internal, no shared key");
  mmio_write(ECC_CTRL, ECC_CTRL_ZEROIZE);
  mmio_write(INTR_ERROR_STS(ECC_BASE), ECC_ERR_INTERNAL);
  put_hex(ECC_PRIVKEY_IN(0), cdh[0].d);
  reg_fill(ECC_PUBKEY_X(0), 1, 12);
  reg_fill(ECC_PUBKEY_Y(0), 2, 12);
  if (!ecc_command(ECC_CTRL_DH_SHAREDKEY, false)) return;
  t_eq("STATUS", mmio_read(ECC_STATUS), ECC_STATUS_READY);
  t_eq("error_internal", mmio_read(INTR_ERROR_STS(ECC_BASE)), ECC_ERR_INTERNAL);
  t_reg_words("DH_SHARED_KEY", ECC_DH_SHARED_KEY(0), zeros, 12);
  mmio_write(INTR_ERROR_STS(ECC_BASE), ECC_ERR_INTERNAL);
  mmio_write(ECC_CTRL, ECC_CTRL_ZEROIZE);
}
#endif

int main(void) {
  t_suite("ecc");
  irq_init();
  mmio_write(INTR_GLOBAL_EN(ECC_BASE), INTR_GLOBAL_NOTIF_EN);
  mmio_write(INTR_NOTIF_EN(ECC_BASE), INTR_NOTIF_CMD_DONE);
  name_and_version();
  for (unsigned i = 0; i < sizeof rtl / sizeof rtl[0]; ++i) rtl_keygen_sign_verify(&rtl[i]);
  for (unsigned i = 0; i < sizeof rfc6979 / sizeof rfc6979[0]; ++i) rfc6979_sign_verify(&rfc6979[i]);
  for (unsigned i = 0; i < sizeof sigvers / sizeof sigvers[0]; ++i) cavp_sigver(&sigvers[i]);
  bad_inputs();
  zeroize();
  pcr_signing();
#if CALIPTRA_HW_2X
  for (unsigned i = 0; i < sizeof cdh / sizeof cdh[0]; ++i) ecdh_case(&cdh[i]);
  ecdh_to_vault();
#endif
  return t_done();
}
