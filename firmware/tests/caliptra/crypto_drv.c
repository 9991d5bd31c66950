#include "crypto_drv.h"

#include "cptra_test.h"

bool kv_wait(const char *what, uint32_t status_reg, uint32_t want_error) {
  if (!t_wait(what, status_reg, KV_STATUS_READY | KV_STATUS_VALID, KV_STATUS_READY | KV_STATUS_VALID, KV_TIMEOUT))
    return false;
  return t_eq(what, KV_STATUS_ERROR(mmio_read(status_reg)), want_error);
}

static bool hmac_block(const uint32_t *words, bool first, uint32_t mode_bits) {
  if (!t_wait("HMAC READY", HMAC_STATUS, HMAC_STATUS_READY, HMAC_STATUS_READY, HMAC_TIMEOUT)) return false;
  if (words) reg_write_words(HMAC_BLOCK(0), words, 32);
  mmio_write(HMAC_CTRL, (first ? HMAC_CTRL_INIT : HMAC_CTRL_NEXT) | mode_bits);
  return true;
}

bool hmac384(const struct hmac_op *op, uint32_t tag[12]) { return hmac_run(op, false, tag); }

bool hmac_run(const struct hmac_op *op, bool mode512, uint32_t *tag) {
#if CALIPTRA_HW_2X
  const uint32_t mode_bits = mode512 ? HMAC_CTRL_MODE_512 : 0;
#else
  const uint32_t mode_bits = 0;
  (void)mode512;
#endif
  const unsigned tag_words = mode512 ? 16 : 12;
  if (op->key_slot >= 0) {
    mmio_write(HMAC_KV_RD_KEY_CTRL, KV_READ_CTRL(op->key_slot));
    if (!kv_wait("HMAC key read from the vault", HMAC_KV_RD_KEY_STATUS, KV_ERROR_SUCCESS)) return false;
  } else {
    uint8_t k[4 * HMAC_KEY_WORDS] = {0};
    uint32_t kw[HMAC_KEY_WORDS];
    memcpy(k, op->key, op->key_len);
    be_words(k, sizeof k, kw);
    reg_write_words(HMAC_KEY(0), kw, HMAC_KEY_WORDS);
  }
  mmio_write(HMAC_KV_WR_CTRL, op->kv_dest_slot >= 0 ? KV_WRITE_CTRL(op->kv_dest_slot, op->kv_dest) : 0);
  if (op->block_slot >= 0) {
    /* The read client pads the slot's words as a message after the 1024-bit key block. */
    mmio_write(HMAC_KV_RD_BLOCK_CTRL, KV_READ_CTRL(op->block_slot));
    if (!kv_wait("HMAC block read from the vault", HMAC_KV_RD_BLOCK_STATUS, KV_ERROR_SUCCESS)) return false;
    if (!hmac_block(0, true, mode_bits)) return false;
  } else {
    /* The inner hash's length counts the key block: 1024 bits before the message. */
    const unsigned blocks = sha_blocks(op->msg_len, 128);
    for (unsigned i = 0; i < blocks; ++i) {
      uint32_t words[32];
      sha_block(op->msg, op->msg_len, 1024, 128, i, words);
      if (!hmac_block(words, i == 0, mode_bits)) return false;
    }
  }
  if (!t_wait("HMAC VALID", HMAC_STATUS, HMAC_STATUS_READY | HMAC_STATUS_VALID, HMAC_STATUS_READY | HMAC_STATUS_VALID,
              HMAC_TIMEOUT))
    return false;
  if (op->kv_dest_slot >= 0) return kv_wait("HMAC tag write to the vault", HMAC_KV_WR_STATUS, KV_ERROR_SUCCESS);
  reg_read_words(HMAC_TAG(0), tag, tag_words);
  return true;
}

bool ecc_run(uint32_t ctrl, bool *valid) {
  mmio_write(ECC_CTRL, ctrl);
  if (!t_wait("ECC READY after the command", ECC_STATUS, ECC_STATUS_READY, ECC_STATUS_READY, ECC_TIMEOUT)) return false;
  *valid = (mmio_read(ECC_STATUS) & ECC_STATUS_VALID) != 0;
  return true;
}

bool ecc_sign(const uint32_t *privkey, int key_slot, const uint32_t *msg, uint32_t r[12], uint32_t s[12]) {
  bool valid = false;
  if (!t_wait("ECC READY", ECC_STATUS, ECC_STATUS_READY, ECC_STATUS_READY, ECC_TIMEOUT)) return false;
  if (key_slot >= 0) {
    mmio_write(ECC_KV_RD_PKEY_CTRL, KV_READ_CTRL(key_slot));
    if (!kv_wait("ECC private key read from the vault", ECC_KV_RD_PKEY_STATUS, KV_ERROR_SUCCESS)) return false;
  } else {
    reg_write_words(ECC_PRIVKEY_IN(0), privkey, 12);
  }
  reg_write_words(ECC_MSG(0), msg, 12);
  if (!ecc_run(ECC_CMD_SIGN, &valid)) return false;
  if (!t_true("ECC sign ended with VALID", valid)) return false;
  reg_read_words(ECC_SIGN_R(0), r, 12);
  reg_read_words(ECC_SIGN_S(0), s, 12);
  return true;
}
