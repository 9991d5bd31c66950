/* SHA-512 and SHA-256 engines driven through their registers (README.md, "sha"):
 * FIPS 180-4 examples and NIST CAVP byte-oriented vectors in every mode, the one-million-'a'
 * message, the notification interrupt through the PIC, zeroize, PCR hash extend through
 * the PCR vault, and HSS/LMS verification of the RFC 8554 test cases with every Winternitz
 * chain on the SHA-256 accelerator. */
#include "cptra_test.h"
#include "lms.h"
#include "regs/sha.h"
#include "regs/vaults.h"
#include "rfc8554_vectors.h"
#include "sha_drv.h"

static uint8_t msg[4096];

/* FIPS 180-4 / NIST CSRC "Example Algorithms": the one-block and two-block messages. */
static const char ABC[] = "abc";
static const char M448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char M896[] =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

struct vector {
  const char *name;
  unsigned mode;    /* SHA512_MODE_* or 256 / 224 */
  const char *text; /* the message as text, or */
  const char *hex;  /* the message as hex */
  const char *digest;
};

static const struct vector sha512_vectors[] = {
    {"FIPS 180-4 SHA-384 'abc'", SHA512_MODE_384, ABC, 0,
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
    {"FIPS 180-4 SHA-384 896-bit (2 blocks)", SHA512_MODE_384, M896, 0,
     "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039"},
    {"FIPS 180-4 SHA-512 'abc'", SHA512_MODE_512, ABC, 0,
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
    {"FIPS 180-4 SHA-512 896-bit (2 blocks)", SHA512_MODE_512, M896, 0,
     "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"},
    {"FIPS 180-4 SHA-512/224 'abc'", SHA512_MODE_512_224, ABC, 0,
     "4634270f707b6a54daae7530460842e20e37ed265ceee9a43e8924aa"},
    {"FIPS 180-4 SHA-512/224 896-bit", SHA512_MODE_512_224, M896, 0,
     "23fec5bb94d60b23308192640b0c453335d664734fe40e7268674af9"},
    {"FIPS 180-4 SHA-512/256 'abc'", SHA512_MODE_512_256, ABC, 0,
     "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23"},
    {"FIPS 180-4 SHA-512/256 896-bit", SHA512_MODE_512_256, M896, 0,
     "3928e184fb8690f840da3988121d31be65cb9d3ef83ee6146feac861e19b563a"},
    /* NIST CAVP shabytetestvectors: SHA384ShortMsg.rsp Len = 0, 8, 1016, 1024 and the first
     * SHA384LongMsg.rsp message (1816 bits); the same for SHA-512. */
    {"CAVP SHA384ShortMsg Len=0", SHA512_MODE_384, "", 0,
     "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"},
    {"CAVP SHA384ShortMsg Len=8", SHA512_MODE_384, 0, "c5",
     "b52b72da75d0666379e20f9b4a79c33a329a01f06a2fb7865c9062a28c1de860ba432edfd86b4cb1cb8a75b46076e3b1"},
    {"CAVP SHA384ShortMsg Len=1016", SHA512_MODE_384, 0,
     "dbed7612448d46cbe0a384d1c93233f02ffd1c984ba765299518656d3723b766c1658d4b1e7047cdc729459e366ef9349efc40cbd990f2a9"
     "a24db7a5045e1dea12dce8f9d9f2aaed933f93031e7b8959ac5e7bf6bbbdf30b48f7eb783f8fe292371a2f245c5c94b4acae160767a20ce7"
     "c0ea7723d97691d8eedda9efd1fe2d",
     "fb531a1ed181c732311e56f4b56ed91dcacc0dd6bf1eb4a44be6f87dd7cb1ef9dfb0310f4a79eaaa3f32bf3914d8624e"},
    {"CAVP SHA384ShortMsg Len=1024 (2 blocks)", SHA512_MODE_384, 0,
     "3bf52cc5ee86b9a0190f390a5c0366a560b557000dbe5115fd9ee11630a62769011575f15881198f227876e8fe685a6939bc8b89fd48a34e"
     "c5e71e131462b2886794dffa68ccc6d564733e67ffef25e627c6f4b5460796e3bce67bf58ca6e8e555bc916a8531697ac948b90dc8616f25"
     "101db90b50c3d3dbc9e21e42ff387187",
     "12b6cb35eda92ee37356ddee77781a17b3d90e563824a984faffc6fdd1693bd7626039635563cfc3b9a2b00f9c65eefd"},
    {"CAVP SHA384LongMsg Len=1816 (2 blocks)", SHA512_MODE_384, 0,
     "62c6a169b9be02b3d7b471a964fc0bcc72b480d26aecb2ed460b7f50016ddaf04c51218783f3aadfdff5a04ded030d7b3fb7376b61ba30b9"
     "0e2da921a4470740d63fb99fa16cc8ed81abaf8ce4016e50df81da832070372c24a80890aa3a26fa675710b8fb718266249d496f313c55d0"
     "bada101f8f56eeccee4345a8f98f60a36662cfda794900d12f9414fcbdfdeb85388a814996b47e24d5c8086e7a8edcc53d299d0d033e6bb6"
     "0c58b83d6e8b57f6c258d6081dd10eb942fdf8ec157ec3e75371235a8196eb9d22b1de3a2d30c2abbe0db7650cf6c7159bacbe29b3a93c92"
     "100508",
     "0730e184e7795575569f87030260bb8e54498e0e5d096b18285e988d245b6f3486d1f2447d5f85bcbe59d5689fc49425"},
    {"CAVP SHA512ShortMsg Len=8", SHA512_MODE_512, 0, "21",
     "3831a6a6155e509dee59a7f451eb35324d8f8f2df6e3708894740f98fdee23889f4de5adb0c5010dfb555cda77c8ab5dc902094c52de3278f35a75ebc25f093a"},
    {"CAVP SHA512ShortMsg Len=1024 (2 blocks)", SHA512_MODE_512, 0,
     "fd2203e467574e834ab07c9097ae164532f24be1eb5d88f1af7748ceff0d2c67a21f4e4097f9d3bb4e9fbf97186e0db6db0100230a52b453"
     "d421f8ab9c9a6043aa3295ea20d2f06a2f37470d8a99075f1b8a8336f6228cf08b5942fc1fb4299c7d2480e8e82bce175540bdfad7752bc9"
     "5b577f229515394f3ae5cec870a4b2f8",
     "a21b1077d52b27ac545af63b32746c6e3c51cb0cb9f281eb9f3580a6d4996d5c9917d2a6e484627a9d5a06fa1b25327a9d710e027387fc3e07d7c4d14c6086cc"},
    {"CAVP SHA512LongMsg Len=1816 (2 blocks)", SHA512_MODE_512, 0,
     "4f05600950664d5190a2ebc29c9edb89c20079a4d3e6bc3b27d75e34e2fa3d02768502bd69790078598d5fcf3d6779bfed1284bbe5ad72fb"
     "456015181d9587d6e864c940564eaafb4f2fead4346ea09b6877d9340f6b82eb1515880872213da3ad88feba9f4f13817a71d6f90a1a17c4"
     "3a15c038d988b5b29edffe2d6a062813cedbe852cde302b3e33b696846d2a8e36bd680efcc6cd3f9e9a4c1ae8cac10cc5244d13167714039"
     "9176ed46700019a004a163806f7fa467fc4e17b4617bbd7641aaff7ff56396ba8c08a8be100b33a20b5daf134a2aefa5e1c3496770dcf6ba"
     "a4f7bb",
     "a9db490c708cc72548d78635aa7da79bb253f945d710e5cb677a474efc7c65a2aab45bc7ca1113c8ce0f3c32e1399de9c459535e8816521ab714b2a6cd200525"},
};

static const struct vector sha256_vectors[] = {
    {"FIPS 180-4 SHA-256 'abc'", 256, ABC, 0, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"FIPS 180-4 SHA-256 448-bit (2 blocks)", 256, M448, 0,
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {"FIPS 180-4 SHA-224 'abc'", 224, ABC, 0, "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"},
    {"FIPS 180-4 SHA-224 448-bit (2 blocks)", 224, M448, 0, "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525"},
    /* SHA256ShortMsg.rsp Len = 8, 512 and the first SHA256LongMsg.rsp message (1304 bits). */
    {"CAVP SHA256ShortMsg Len=8", 256, 0, "d3", "28969cdfa74a12c82f3bad960b0b000aca2ac329deea5c2328ebc6f2ba9802c1"},
    {"CAVP SHA256ShortMsg Len=512 (2 blocks)", 256, 0,
     "5a86b737eaea8ee976a0a24da63e7ed7eefad18a101c1211e2b3650c5187c2a8a650547208251f6d4237e661c7bf4c77f335390394c37fa1"
     "a9f9be836ac28509",
     "42e61e174fbb3897d6dd6cef3dd2802fe67b331953b06114a65c772859dfc1aa"},
    {"CAVP SHA256LongMsg Len=1304 (3 blocks)", 256, 0,
     "451101250ec6f26652249d59dc974b7361d571a8101cdfd36aba3b5854d3ae086b5fdd4597721b66e3c0dc5d8c606d9657d0e323283a5217"
     "d1f53f2f284f57b85c8a61ac8924711f895c5ed90ef17745ed2d728abd22a5f7a13479a462d71b56c19a74a40b655c58edfe0a188ad2cf46"
     "cbf30524f65d423c837dd1ff2bf462ac4198007345bb44dbb7b1c861298cdf61982a833afc728fae1eda2f87aa2c9480858bec",
     "3c593aa539fdcdae516cdf2f15000f6634185c88f505b39775fb9ab137a10aa2"},
};

static size_t load_message(const struct vector *v) {
  if (v->hex) return hex_bytes(v->hex, msg, sizeof msg);
  const size_t n = strlen(v->text);
  memcpy(msg, v->text, n);
  return n;
}

static void run_vector(const struct vector *v, bool engine512) {
  uint32_t expected[16], digest[16];
  const unsigned n = hex_words(v->digest, expected, 16);
#if CALIPTRA_HW_2X
  /* 2.x shows the whole unmasked state in DIGEST (sha512.sv digest_reg <= core_digest): only
   * the digest's 224 bits are compared. */
  const unsigned words = n;
#else
  if (v->mode == SHA512_MODE_512_224) expected[n] = 0; /* 224 bits: 7 words, the 8th reads 0 */
  const unsigned words = v->mode == SHA512_MODE_512_224 ? 8 : n;
#endif
  t_case(v->name);
  const size_t len = load_message(v);
  const bool ok = engine512 ? sha512_hash(v->mode, msg, len, digest, words)
                            : sha256_hash(v->mode == 256, msg, len, digest, n);
  if (ok) t_words("digest", digest, expected, words);
}

static void million_a(void) {
  uint32_t expected[12], digest[12];
  t_case("FIPS 180-2 SHA-384 of one million 'a' (7813 blocks)");
  memset(msg, 'a', 1000);
  struct sha_ctx c;
  sha512_start(&c, SHA512_MODE_384);
  for (unsigned i = 0; i < 1000; ++i) sha_update(&c, msg, 1000);
  hex_words("9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985", expected,
            12);
  if (sha_finish(&c, digest, 12)) t_words("digest", digest, expected, 12);
}

static void name_and_version(void) {
  t_case("NAME/VERSION registers (sha512_params_pkg.sv, sha256_params_pkg.sv)");
  t_eq("SHA512_NAME[0] 'sha2'", mmio_read(SHA512_NAME(0)), 0x61327368);
  t_eq("SHA512_NAME[1] '-512'", mmio_read(SHA512_NAME(1)), 0x31322d35);
  t_eq("SHA512_VERSION[0] '0.80'", mmio_read(SHA512_VERSION(0)), 0x3830302e);
  t_eq("SHA256_NAME[0] 'sha2'", mmio_read(SHA256_NAME(0)), 0x61327368);
  t_eq("SHA256_NAME[1] '-256'", mmio_read(SHA256_NAME(1)), 0x35362d32);
  t_eq("SHA256_VERSION[0] '1.80'", mmio_read(SHA256_VERSION(0)), 0x3830312e);
  t_eq("SHA512_STATUS after reset: READY", mmio_read(SHA512_STATUS), SHA_STATUS_READY);
  t_eq("SHA512_BLOCK[0] is write-only (reads 0)", (mmio_write(SHA512_BLOCK(0), 0x12345678), mmio_read(SHA512_BLOCK(0))), 0);
}

/* One block on SHA-512, waited for with the notif_cmd_done interrupt (PIC source 10). */
static void notification_interrupt(void) {
  uint32_t block[32], digest[12], expected[12];
  t_case("notif_cmd_done interrupt through the PIC (source 10), W1C status, event counter");
  const uint32_t count0 = mmio_read(INTR_NOTIF_COUNT(SHA512_BASE, 0));
  mmio_write(INTR_NOTIF_STS(SHA512_BASE), INTR_NOTIF_CMD_DONE);
  mmio_write(INTR_GLOBAL_EN(SHA512_BASE), INTR_GLOBAL_NOTIF_EN);
  mmio_write(INTR_NOTIF_EN(SHA512_BASE), INTR_NOTIF_CMD_DONE);
  irq_enable(IRQ_SHA512_NOTIF, 5);
  sha_block((const uint8_t *)ABC, 3, 0, 128, 0, block);
  reg_write_words(SHA512_BLOCK(0), block, 32);
  mmio_write(SHA512_CTRL, SHA512_CTRL_INIT | SHA512_CTRL_MODE(SHA512_MODE_384));
  if (irq_wait(IRQ_SHA512_NOTIF, SHA_TIMEOUT)) {
    t_eq("interrupts taken", irq_count[IRQ_SHA512_NOTIF], 1);
    t_eq("SHA512_STATUS at the interrupt", mmio_read(SHA512_STATUS), SHA_STATUS_READY | SHA_STATUS_VALID);
    t_eq("notif_internal_intr_r.cmd_done", mmio_read(INTR_NOTIF_STS(SHA512_BASE)), INTR_NOTIF_CMD_DONE);
    t_eq("notif_global_intr_r.agg_sts", mmio_read(INTR_NOTIF_GLOBAL(SHA512_BASE)), 1);
    t_eq("notif_cmd_done_intr_count_r", mmio_read(INTR_NOTIF_COUNT(SHA512_BASE, 0)), count0 + 1);
    reg_read_words(SHA512_DIGEST(0), digest, 12);
    hex_words(sha512_vectors[0].digest, expected, 12);
    t_words("digest", digest, expected, 12);
  }
  mmio_write(INTR_NOTIF_STS(SHA512_BASE), INTR_NOTIF_CMD_DONE); /* W1C */
  t_eq("status after W1C", mmio_read(INTR_NOTIF_STS(SHA512_BASE)), 0);
  t_eq("agg_sts after W1C", mmio_read(INTR_NOTIF_GLOBAL(SHA512_BASE)), 0);
  t_eq("PIC meip after W1C (level source gone)", mmio_read(PIC_MEIP(0)) & (1u << IRQ_SHA512_NOTIF), 0);
  /* The trigger register raises the same event (and interrupt) by firmware. */
  irq_enable(IRQ_SHA512_NOTIF, 5);
  mmio_write(INTR_NOTIF_TRIG(SHA512_BASE), INTR_NOTIF_CMD_DONE);
  if (irq_wait(IRQ_SHA512_NOTIF, 1000))
    t_eq("notif_cmd_done_intr_count_r after the trigger", mmio_read(INTR_NOTIF_COUNT(SHA512_BASE, 0)), count0 + 2);
  mmio_write(INTR_NOTIF_STS(SHA512_BASE), INTR_NOTIF_CMD_DONE);
  mmio_write(INTR_GLOBAL_EN(SHA512_BASE), 0);
  irq_disable(IRQ_SHA512_NOTIF);
}

static void zeroize(void) {
  uint32_t zeros[16] = {0}, digest[16];
  t_case("ZEROIZE clears DIGEST (SHA-512 and SHA-256)");
  if (!sha512_hash(SHA512_MODE_512, ABC, 3, digest, 16)) return;
  t_true("digest present before zeroize", digest[0] != 0);
  mmio_write(SHA512_CTRL, SHA512_CTRL_ZEROIZE);
  t_reg_words("SHA512_DIGEST after zeroize", SHA512_DIGEST(0), zeros, 16);
  t_eq("SHA512_STATUS after zeroize", mmio_read(SHA512_STATUS) & SHA_STATUS_VALID, 0);
  if (!sha256_hash(true, ABC, 3, digest, 8)) return;
  mmio_write(SHA256_CTRL, SHA256_CTRL_ZEROIZE);
  t_reg_words("SHA256_DIGEST after zeroize", SHA256_DIGEST(0), zeros, 8);
}

#if CALIPTRA_HW_2X
/* 2.x CTRL.RESTORE: NEXT with RESTORE first loads the hash state from DIGEST (writable in
 * 2.x), so a hash can be suspended and resumed with another hash in between. The 896-bit
 * FIPS 180-4 message's first block, the state read from DIGEST, SHA-512("abc") in between,
 * the state written back with the second block: the published SHA-384/512 digests. */
static bool run_block(unsigned i, uint32_t ctrl) {
  uint32_t words[32];
  if (!t_wait("SHA512 READY", SHA512_STATUS, SHA_STATUS_READY, SHA_STATUS_READY, SHA_TIMEOUT)) return false;
  sha_block((const uint8_t *)M896, strlen(M896), 0, 128, i, words);
  reg_write_words(SHA512_BLOCK(0), words, 32);
  mmio_write(SHA512_CTRL, ctrl);
  return t_wait("SHA512 VALID", SHA512_STATUS, SHA_STATUS_READY | SHA_STATUS_VALID, SHA_STATUS_READY | SHA_STATUS_VALID,
                SHA_TIMEOUT);
}

static void restore_case(const char *name, unsigned mode, const char *digest_hex, unsigned n) {
  uint32_t state[16], digest[16], expected[16];
  t_case(name);
  hex_words(digest_hex, expected, n);
  if (!run_block(0, SHA512_CTRL_INIT | SHA512_CTRL_MODE(mode))) return;
  reg_read_words(SHA512_DIGEST(0), state, 16);
  if (!sha512_hash(SHA512_MODE_512, ABC, 3, digest, 16)) return; /* something else in between */
  reg_write_words(SHA512_DIGEST(0), state, 16);
  if (!run_block(1, SHA512_CTRL_NEXT | SHA512_CTRL_RESTORE | SHA512_CTRL_MODE(mode))) return;
  reg_read_words(SHA512_DIGEST(0), digest, n);
  t_words("digest after the restored second block", digest, expected, n);
}

static void restore(void) {
  uint32_t digest[16], expected[16];
  restore_case("2.x RESTORE: SHA-512 896-bit message resumed from DIGEST", SHA512_MODE_512,
               "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
               "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909", 16);
  restore_case("2.x RESTORE: SHA-384 896-bit message resumed from DIGEST", SHA512_MODE_384,
               "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712"
               "fcc7c71a557e2db966c3e9fa91746039", 12);

  t_case("2.x INIT wins over RESTORE (sha512_core.v): a fresh SHA-512('abc')");
  uint32_t words[32];
  reg_fill(SHA512_DIGEST(0), 0x5a5a5a5au, 16);
  sha_block((const uint8_t *)ABC, 3, 0, 128, 0, words);
  reg_write_words(SHA512_BLOCK(0), words, 32);
  mmio_write(SHA512_CTRL, SHA512_CTRL_INIT | SHA512_CTRL_RESTORE | SHA512_CTRL_MODE(SHA512_MODE_512));
  if (!t_wait("SHA512 VALID", SHA512_STATUS, SHA_STATUS_VALID, SHA_STATUS_VALID, SHA_TIMEOUT)) return;
  reg_read_words(SHA512_DIGEST(0), digest, 16);
  hex_words(sha512_vectors[2].digest, expected, 16); /* SHA-512 "abc" */
  t_words("digest", digest, expected, 16);
}
#endif

/* PCR hash extend as caliptra-sw's pcr_extend does it: VAULT_RD_CTRL with pcr_hash_extend
 * loads the PCR into BLOCK[0..11] (locked), firmware writes the whole block with its data
 * after the first 48 bytes, INIT|LAST; the digest lands in the PCR. SHA512_STATUS.READY does
 * not wait for the vault write (sha512.sv); GEN_PCR_HASH_STATUS.READY does (it includes
 * ~pcr_hash_extend_ip), so that is what firmware polls before reading the PCR. */
static bool pcr_extend(unsigned pcr, const uint8_t *data, unsigned len) {
  uint8_t block[128];
  uint32_t words[32];
  mmio_write(SHA512_VAULT_RD_CTRL, KV_READ_CTRL(pcr) | KV_READ_PCR_HASH_EXTEND);
  if (!t_wait("the PCR read (VAULT_RD_STATUS VALID)", SHA512_VAULT_RD_STATUS, KV_STATUS_READY | KV_STATUS_VALID,
              KV_STATUS_READY | KV_STATUS_VALID, SHA_TIMEOUT))
    return false;
  t_eq("VAULT_RD_STATUS error", KV_STATUS_ERROR(mmio_read(SHA512_VAULT_RD_STATUS)), KV_ERROR_SUCCESS);
  memset(block, 0, sizeof block);
  memcpy(block + 48, data, len);
  sha_block(block, 48 + len, 0, 128, 0, words); /* pads after PCR || data */
  reg_write_words(SHA512_BLOCK(0), words, 32);  /* the first 12 words are locked: ignored */
  mmio_write(SHA512_CTRL, SHA512_CTRL_INIT | SHA512_CTRL_LAST | SHA512_CTRL_MODE(SHA512_MODE_384));
  return t_wait("the extend into the PCR vault (GEN_PCR_HASH_STATUS READY)", SHA512_GEN_PCR_HASH_STATUS, 1, 1,
                SHA_TIMEOUT);
}

static void pcr_hash_extend(void) {
  uint32_t expected[12];
  uint8_t d1[48], d2[48];
  uint32_t w[12];
  t_case("PCR hash extend through the PCR vault (expected: SHA-384(PCR || data), hashlib)");
  const unsigned pcr = 4;
  mmio_write(PV_PCR_CTRL(pcr), PV_CTRL_CLEAR);
  hex_words(sha512_vectors[0].digest, w, 12); /* data 1: SHA-384("abc") */
  be_bytes(w, 12, d1);
  hex_words(sha512_vectors[1].digest, w, 12); /* data 2: SHA-384 of the 896-bit message */
  be_bytes(w, 12, d2);
  if (!pcr_extend(pcr, d1, 48)) return;
  hex_words("93732e3733514a841c982cfa75ea76ab55fe011acb9cd980ef4523913c65be1b0998e04d77f8c174f81a82151619ca40", expected, 12);
  t_reg_words("PCR4 after extend 1", PV_PCR_ENTRY(pcr, 0), expected, 12);
  if (!pcr_extend(pcr, d2, 48)) return;
  hex_words("73fa81ec9dd2e459616916f008a00f827f387f06877fab8f891a48c175656d4ef8070b5e5b2dfecc279cf1e8b5cadc80", expected, 12);
  t_reg_words("PCR4 after extend 2", PV_PCR_ENTRY(pcr, 0), expected, 12);
  uint8_t d3[16];
  for (unsigned i = 0; i < 16; ++i) d3[i] = (uint8_t)i;
  if (!pcr_extend(pcr, d3, 16)) return;
  hex_words("422ad450c03a20840d2d163e294ad4b9e14adf512a0656657acb83fa2767931e0dcdf4102523744701aaa05d2575119d", expected, 12);
  t_reg_words("PCR4 after a 16-byte extend", PV_PCR_ENTRY(pcr, 0), expected, 12);
  t_eq("SHA512_KV_WR_STATUS after the extend (VALID)", mmio_read(SHA512_KV_WR_STATUS) & 3, 3);
  /* A plain hash afterwards still works and reports in DIGEST. */
  uint32_t digest[12];
  if (sha512_hash(SHA512_MODE_384, ABC, 3, digest, 12)) {
    hex_words(sha512_vectors[0].digest, expected, 12);
    t_words("a plain SHA-384 after the extends", digest, expected, 12);
  }
}

static uint8_t pub[64], lms_msg[256], sig[4096];

static void lms_case(const char *name, const char *pub_hex, const char *msg_hex, const char *sig_hex, bool corrupt) {
  struct lms_stats stats = {0, 0};
  t_case(name);
  const unsigned np = hex_bytes(pub_hex, pub, sizeof pub), nm = hex_bytes(msg_hex, lms_msg, sizeof lms_msg),
                 ns = hex_bytes(sig_hex, sig, sizeof sig);
  if (corrupt) lms_msg[0] ^= 1;
  const bool valid = hss_verify(pub, np, lms_msg, nm, sig, ns, &stats);
  if (corrupt) {
    t_true("a modified message must not verify", !valid);
  } else if (t_true("the signature verifies to the published public key", valid)) {
    t_printf("     (%u Winternitz chains, %u hash steps on the accelerator)\n", stats.chains, stats.chain_steps);
  }
}

static void winternitz_limits(void) {
  t_case("WNTZ_MODE with j beyond 2^w-2 raises error0 and hashes the block normally");
  uint32_t block[16], digest[8];
  uint8_t m[55];
  memset(m, 0x5A, sizeof m);
  m[22] = 15; /* j = 15 > 2^4 - 2 */
  const uint32_t errors0 = mmio_read(INTR_ERROR_COUNT(SHA256_BASE, 0));
  sha_block(m, sizeof m, 0, 64, 0, block);
  reg_write_words(SHA256_BLOCK(0), block, 16);
  mmio_write(SHA256_CTRL, SHA256_CTRL_INIT | SHA256_CTRL_MODE_256 | SHA256_CTRL_WNTZ_MODE | SHA256_CTRL_WNTZ_W(4) |
                              SHA256_CTRL_WNTZ_N32);
  if (!t_wait("SHA-256 VALID", SHA256_STATUS, 7, 3, SHA_TIMEOUT)) return;
  t_eq("error0 (wntz_j_invalid) count", mmio_read(INTR_ERROR_COUNT(SHA256_BASE, 0)), errors0 + 1);
  t_eq("error_internal_intr_r.error0", mmio_read(INTR_ERROR_STS(SHA256_BASE)) & 1, 1);
  mmio_write(INTR_ERROR_STS(SHA256_BASE), 1);
  uint32_t plain[8];
  reg_read_words(SHA256_DIGEST(0), digest, 8);
  if (sha256_hash(true, m, sizeof m, plain, 8)) t_words("digest equals a plain SHA-256 of the block", digest, plain, 8);
}

int main(void) {
  t_suite("sha");
  irq_init();
  name_and_version();
  for (unsigned i = 0; i < sizeof sha512_vectors / sizeof sha512_vectors[0]; ++i) run_vector(&sha512_vectors[i], true);
  million_a();
  for (unsigned i = 0; i < sizeof sha256_vectors / sizeof sha256_vectors[0]; ++i) run_vector(&sha256_vectors[i], false);
  notification_interrupt();
  zeroize();
#if CALIPTRA_HW_2X
  restore();
#endif
  pcr_hash_extend();
  lms_case("RFC 8554 Test Case 1 (HSS, 2 x LMS_SHA256_M32_H5 / LMOTS_SHA256_N32_W8)", RFC8554_TC1_PUB,
           RFC8554_TC1_MSG, RFC8554_TC1_SIG, false);
  lms_case("RFC 8554 Test Case 2 (HSS, H10/W4 over H5/W8)", RFC8554_TC2_PUB, RFC8554_TC2_MSG, RFC8554_TC2_SIG, false);
  lms_case("RFC 8554 Test Case 1 with a modified message fails", RFC8554_TC1_PUB, RFC8554_TC1_MSG, RFC8554_TC1_SIG,
           true);
  winternitz_limits();
  return t_done();
}
