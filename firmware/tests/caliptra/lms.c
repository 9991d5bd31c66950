#include "lms.h"

#include "cptra_test.h"
#include "sha_drv.h"

#define N 32 /* SHA-256 parameter sets only (n = m = 32) */
#define D_PBLC 0x8080u
#define D_MESG 0x8181u
#define D_LEAF 0x8282u
#define D_INTR 0x8383u

static uint32_t u32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static void put_u32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

/* RFC 8554 Table 1 (LMOTS_SHA256_N32_W1..W8) and Table 2 (LMS_SHA256_M32_H5..H25). */
struct ots_params { unsigned w, p, ls; };
static bool ots_params(uint32_t type, struct ots_params *o) {
  static const struct ots_params table[] = {{1, 265, 7}, {2, 133, 6}, {4, 67, 4}, {8, 34, 0}};
  if (type < 1 || type > 4) return false;
  *o = table[type - 1];
  return true;
}
static unsigned lms_height(uint32_t type) { return type >= 5 && type <= 9 ? 5 * (type - 4) : 0; }

static unsigned coef(const uint8_t *s, unsigned i, unsigned w) {
  return (s[i * w / 8] >> (8 - (w * (i % (8 / w)) + w))) & ((1u << w) - 1);
}

static void digest_bytes(const uint32_t *d, uint8_t *out) { be_bytes(d, 8, out); }

static bool hash_parts(const void *a, size_t na, const void *b, size_t nb, const void *c, size_t nc, uint8_t *out) {
  struct sha_ctx ctx;
  uint32_t d[8];
  sha256_start(&ctx, true);
  sha_update(&ctx, a, na);
  sha_update(&ctx, b, nb);
  sha_update(&ctx, c, nc);
  if (!sha_finish(&ctx, d, 8)) return false;
  digest_bytes(d, out);
  return true;
}

/* tmp = y; for j = a .. 2^w - 2: tmp = H(I || u32str(q) || u16str(i) || u8str(j) || tmp),
 * all on the engine: the first block carries j = a, the accelerator does the rest. */
static bool chain(const uint8_t *I, uint32_t q, unsigned i, unsigned a, unsigned w, const uint8_t *y, uint8_t *z,
                  struct lms_stats *stats) {
  const unsigned last = (1u << w) - 1;
  if (a == last) {
    memcpy(z, y, N);
    return true;
  }
  uint8_t msg[55];
  uint32_t block[16], d[8];
  memcpy(msg, I, 16);
  put_u32(msg + 16, q);
  msg[20] = (uint8_t)(i >> 8);
  msg[21] = (uint8_t)i;
  msg[22] = (uint8_t)a;
  memcpy(msg + 23, y, N);
  sha_block(msg, sizeof msg, 0, 64, 0, block);
  if (!t_wait("SHA-256 READY before a chain", SHA256_STATUS, SHA_STATUS_READY, SHA_STATUS_READY, SHA_TIMEOUT))
    return false;
  reg_write_words(SHA256_BLOCK(0), block, 16);
  mmio_write(SHA256_CTRL, SHA256_CTRL_INIT | SHA256_CTRL_MODE_256 | SHA256_CTRL_WNTZ_MODE | SHA256_CTRL_WNTZ_W(w) |
                              SHA256_CTRL_WNTZ_N32);
  if (!t_wait("the Winternitz chain (READY, VALID, not WNTZ_BUSY)", SHA256_STATUS,
              SHA_STATUS_READY | SHA_STATUS_VALID | SHA256_STATUS_WNTZ_BUSY, SHA_STATUS_READY | SHA_STATUS_VALID,
              300000))
    return false;
  reg_read_words(SHA256_DIGEST(0), d, 8);
  digest_bytes(d, z);
  ++stats->chains;
  stats->chain_steps += last - a;
  return true;
}

/* Algorithm 4b: the candidate LM-OTS public key Kc. */
static bool lmots_candidate(const uint8_t *I, uint32_t q, const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                            size_t sig_len, uint32_t expected_type, uint8_t *kc, struct lms_stats *stats) {
  struct ots_params o;
  if (sig_len < 4 || u32(sig) != expected_type || !ots_params(expected_type, &o))
    return t_fail("LM-OTS type %u unsupported or not the key's %u", sig_len < 4 ? 0 : u32(sig), expected_type);
  if (sig_len != 4 + N * (o.p + 1)) return t_fail("LM-OTS signature of %u bytes", (uint32_t)sig_len);
  const uint8_t *c = sig + 4, *y = sig + 4 + N;
  uint8_t prefix[22], qc[N + 2];
  memcpy(prefix, I, 16);
  put_u32(prefix + 16, q);
  prefix[20] = D_MESG >> 8;
  prefix[21] = D_MESG & 0xFF;
  struct sha_ctx ctx;
  uint32_t d[8];
  sha256_start(&ctx, true);
  sha_update(&ctx, prefix, sizeof prefix);
  sha_update(&ctx, c, N);
  sha_update(&ctx, msg, msg_len);
  if (!sha_finish(&ctx, d, 8)) return false;
  digest_bytes(d, qc);
  uint32_t sum = 0;
  for (unsigned i = 0; i < N * 8 / o.w; ++i) sum += (1u << o.w) - 1 - coef(qc, i, o.w);
  sum <<= o.ls;
  qc[N] = (uint8_t)(sum >> 8);
  qc[N + 1] = (uint8_t)sum;

  /* All chains first: the engine holds one hash state, so Kc's hash cannot be in
   * progress while a chain runs. */
  static uint8_t z[265 * N];
  for (unsigned i = 0; i < o.p; ++i)
    if (!chain(I, q, i, coef(qc, i, o.w), o.w, y + N * i, z + N * i, stats)) return false;
  prefix[20] = D_PBLC >> 8;
  prefix[21] = D_PBLC & 0xFF;
  sha256_start(&ctx, true);
  sha_update(&ctx, prefix, sizeof prefix);
  sha_update(&ctx, z, N * o.p);
  if (!sha_finish(&ctx, d, 8)) return false;
  digest_bytes(d, kc);
  return true;
}

/* Algorithm 6a. *used is the signature's length. */
static bool lms_verify(const uint8_t *pub, const uint8_t *msg, size_t msg_len, const uint8_t *sig, size_t sig_len,
                       size_t *used, bool *valid, struct lms_stats *stats) {
  const uint32_t lms_type = u32(pub), ots_type = u32(pub + 4);
  const uint8_t *I = pub + 8, *root = pub + 24;
  const unsigned h = lms_height(lms_type);
  struct ots_params o;
  if (!h || !ots_params(ots_type, &o)) return t_fail("LMS type %u / LM-OTS type %u unsupported", lms_type, ots_type);
  const size_t ots_len = 4 + N * (o.p + 1), len = 4 + ots_len + 4 + N * h;
  if (sig_len < len || u32(sig + 4 + ots_len) != lms_type) return t_fail("malformed LMS signature");
  *used = len;
  const uint32_t q = u32(sig);
  if (q >= (1u << h)) {
    *valid = false;
    return true;
  }
  uint8_t kc[N], tmp[N], hdr[22];
  if (!lmots_candidate(I, q, msg, msg_len, sig + 4, ots_len, ots_type, kc, stats)) return false;
  const uint8_t *path = sig + 4 + ots_len + 4;
  uint32_t node = (1u << h) + q;
  memcpy(hdr, I, 16);
  put_u32(hdr + 16, node);
  hdr[20] = D_LEAF >> 8;
  hdr[21] = D_LEAF & 0xFF;
  if (!hash_parts(hdr, sizeof hdr, kc, N, 0, 0, tmp)) return false;
  for (unsigned i = 0; node > 1; ++i, node /= 2) {
    put_u32(hdr + 16, node / 2);
    hdr[20] = D_INTR >> 8;
    hdr[21] = D_INTR & 0xFF;
    const bool odd = node & 1;
    if (!hash_parts(hdr, sizeof hdr, odd ? path + N * i : tmp, N, odd ? tmp : path + N * i, N, tmp)) return false;
  }
  *valid = memcmp(tmp, root, N) == 0;
  return true;
}

#define LMS_PUB_LEN 56u

bool hss_verify(const uint8_t *pub, size_t pub_len, const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                size_t sig_len, struct lms_stats *stats) {
  if (pub_len != 4 + LMS_PUB_LEN || sig_len < 4) return t_fail("malformed HSS key or signature");
  const uint32_t levels = u32(pub), nspk = u32(sig);
  if (nspk + 1 != levels) return false;
  const uint8_t *key = pub + 4;
  size_t off = 4;
  for (uint32_t l = 0; l <= nspk; ++l) {
    const bool last = l == nspk;
    size_t used = 0;
    bool valid = false;
    /* Each level signs the next level's public key, which follows its signature. */
    const uint8_t *signed_msg = last ? msg : 0;
    size_t signed_len = last ? msg_len : LMS_PUB_LEN;
    if (!last) {
      /* The signature's length depends on its own types: parse it first to find the key. */
      struct ots_params o;
      const uint32_t ots_type = u32(sig + off + 4);
      if (!ots_params(ots_type, &o)) return t_fail("LM-OTS type %u unsupported", ots_type);
      const size_t ots_len = 4 + N * (o.p + 1);
      const unsigned h = lms_height(u32(sig + off + 4 + ots_len));
      signed_msg = sig + off + 4 + ots_len + 4 + N * h;
      if (!h || signed_msg + LMS_PUB_LEN > sig + sig_len) return t_fail("malformed HSS signature");
    }
    if (!lms_verify(key, signed_msg, signed_len, sig + off, sig_len - off, &used, &valid, stats)) return false;
    if (!valid) return false;
    off += used;
    if (!last) {
      key = sig + off;
      off += LMS_PUB_LEN;
    }
  }
  return off == sig_len;
}
