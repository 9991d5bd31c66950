/* Firmware drivers for the HMAC-384 and ECC-384 engines (and the key-vault routes between
 * them) as real firmware drives them: operands as big-endian words, INIT/NEXT or a command
 * in CTRL, then READY/VALID. Vault reads and writes go through each engine's kv_*_ctrl
 * registers and are waited for on the matching kv_*_status. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "regs/ecc.h"
#include "regs/hmac.h"
#include "regs/vaults.h"

#define ECC_TIMEOUT 3000000u  /* cycles for one keygen / sign / verify (~1M each) */
#define HMAC_TIMEOUT 10000u   /* cycles for one block */
#define KV_TIMEOUT 1000u      /* cycles for a vault copy */

/* HMAC-384 of msg with a key of up to 48 bytes (64 in 2.x) (zero-padded, RFC 2104), or with the key
 * already in the key vault (key_slot >= 0; then key/key_len are ignored). The tag lands in
 * tag[12], or in the vault slot kv_dest_slot (>= 0) with the destination bits kv_dest, in
 * which case TAG is not written by the hardware. */
struct hmac_op {
  const uint8_t *key;
  unsigned key_len;
  int key_slot;
  int block_slot;      /* the message comes from this vault slot (msg ignored) when >= 0 */
  const uint8_t *msg;
  size_t msg_len;
  int kv_dest_slot;
  uint32_t kv_dest;
};
bool hmac384(const struct hmac_op *op, uint32_t tag[12]);
/* The same with the mode chosen: 2.x's HMAC-512 (mode512: 64-byte key, 16-word tag) or
 * HMAC-384 (CTRL.MODE = 0); 1.x has only HMAC-384 and ignores mode512. */
bool hmac_run(const struct hmac_op *op, bool mode512, uint32_t *tag);

/* Waits for a kv status register to show READY and VALID; checks ERROR against want. */
bool kv_wait(const char *what, uint32_t status_reg, uint32_t want_error);

/* ECC: returns false (with a FAIL line) on timeout; *valid tells whether the engine set
 * VALID (a rejected input ends with READY and error_internal but no VALID). */
bool ecc_run(uint32_t ctrl, bool *valid);
/* Signs msg[12] with privkey[12] (or, with key_slot >= 0, with the vault key in that slot). */
bool ecc_sign(const uint32_t *privkey, int key_slot, const uint32_t *msg, uint32_t r[12], uint32_t s[12]);
