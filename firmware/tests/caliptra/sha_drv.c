#include "sha_drv.h"

#include "cptra_test.h"

static uint32_t status_reg(const struct sha_ctx *c) { return c->is512 ? SHA512_STATUS : SHA256_STATUS; }

static void run_block(struct sha_ctx *c, const uint8_t *block) {
  uint32_t words[32];
  const unsigned n = c->block_bytes / 4;
  if (!t_wait(c->is512 ? "SHA-512 READY" : "SHA-256 READY", status_reg(c), SHA_STATUS_READY, SHA_STATUS_READY,
              SHA_TIMEOUT)) {
    c->failed = true;
    return;
  }
  be_words(block, c->block_bytes, words);
  reg_write_words(c->is512 ? SHA512_BLOCK(0) : SHA256_BLOCK(0), words, n);
  const uint32_t go = c->blocks == 0 ? (c->is512 ? SHA512_CTRL_INIT : SHA256_CTRL_INIT)
                                     : (c->is512 ? SHA512_CTRL_NEXT : SHA256_CTRL_NEXT);
  mmio_write(c->is512 ? SHA512_CTRL : SHA256_CTRL, go | c->ctrl_mode);
  ++c->blocks;
}

void sha512_start(struct sha_ctx *c, unsigned mode) {
  memset(c, 0, sizeof *c);
  c->is512 = true;
  c->ctrl_mode = SHA512_CTRL_MODE(mode);
  c->block_bytes = 128;
}

void sha256_start(struct sha_ctx *c, bool sha256) {
  memset(c, 0, sizeof *c);
  c->ctrl_mode = sha256 ? SHA256_CTRL_MODE_256 : 0;
  c->block_bytes = 64;
}

void sha_update(struct sha_ctx *c, const void *data, size_t len) {
  const uint8_t *p = data;
  c->total += (uint32_t)len;
  while (len) {
    unsigned take = c->block_bytes - c->used;
    if (take > len) take = (unsigned)len;
    memcpy(c->buf + c->used, p, take);
    c->used += take;
    p += take;
    len -= take;
    if (c->used == c->block_bytes) {
      run_block(c, c->buf);
      c->used = 0;
    }
  }
}

bool sha_finish(struct sha_ctx *c, uint32_t *digest, unsigned n) {
  /* The tail: what is buffered, then the padding (sha_block over the tail alone, with the
   * length of the whole message). */
  const unsigned tail_blocks = sha_blocks(c->used, c->block_bytes);
  for (unsigned i = 0; i < tail_blocks; ++i) {
    uint32_t words[32];
    uint8_t block[128];
    sha_block(c->buf, c->used, (c->total - c->used) * 8, c->block_bytes, i, words);
    be_bytes(words, c->block_bytes / 4, block);
    run_block(c, block);
  }
  if (c->failed) return false;
  if (!t_wait(c->is512 ? "SHA-512 VALID" : "SHA-256 VALID", status_reg(c), SHA_STATUS_VALID | SHA_STATUS_READY,
              SHA_STATUS_VALID | SHA_STATUS_READY, SHA_TIMEOUT))
    return false;
  reg_read_words(c->is512 ? SHA512_DIGEST(0) : SHA256_DIGEST(0), digest, n);
  return true;
}

bool sha512_hash(unsigned mode, const void *msg, size_t len, uint32_t *digest, unsigned n) {
  struct sha_ctx c;
  sha512_start(&c, mode);
  sha_update(&c, msg, len);
  return sha_finish(&c, digest, n);
}

bool sha256_hash(bool sha256, const void *msg, size_t len, uint32_t *digest, unsigned n) {
  struct sha_ctx c;
  sha256_start(&c, sha256);
  sha_update(&c, msg, len);
  return sha_finish(&c, digest, n);
}
