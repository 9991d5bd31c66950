/* Firmware drivers for the SHA-512 and SHA-256 engines as real firmware drives them:
 * wait for READY, write a padded block to BLOCK, pulse INIT (first block) or NEXT, and
 * read DIGEST once VALID. Streaming contexts pad in firmware (the engines take whole
 * padded blocks). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "regs/sha.h"

#define SHA_TIMEOUT 100000u /* cycles for one block */

struct sha_ctx {
  bool is512;          /* the SHA-512 engine (128-byte blocks), else SHA-256 (64-byte) */
  uint32_t ctrl_mode;  /* CTRL bits selecting the mode */
  unsigned block_bytes;
  uint8_t buf[128];
  unsigned used;
  uint32_t total;      /* bytes hashed so far */
  unsigned blocks;     /* blocks given to the engine */
  bool failed;
};

/* mode: SHA512_MODE_* for the SHA-512 engine; for SHA-256, 256 or 224. */
void sha512_start(struct sha_ctx *c, unsigned mode);
void sha256_start(struct sha_ctx *c, bool sha256);
void sha_update(struct sha_ctx *c, const void *data, size_t len);
/* Pads, runs the last blocks and reads n digest words; false (with a FAIL line) on a
 * timeout. */
bool sha_finish(struct sha_ctx *c, uint32_t *digest, unsigned n);
bool sha512_hash(unsigned mode, const void *msg, size_t len, uint32_t *digest, unsigned n);
bool sha256_hash(bool sha256, const void *msg, size_t len, uint32_t *digest, unsigned n);
