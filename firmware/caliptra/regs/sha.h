/* SHA-512 (sha512_reg.rdl) and SHA-256 (sha256_reg.rdl) engines. Full addresses. */
#pragma once
#include "intr.h"

#define SHA512_NAME(i) (SHA512_BASE + 0x000u + 4u * (i))
#define SHA512_VERSION(i) (SHA512_BASE + 0x008u + 4u * (i))
#define SHA512_CTRL (SHA512_BASE + 0x010u)
#define SHA512_STATUS (SHA512_BASE + 0x018u)
#define SHA512_BLOCK(i) (SHA512_BASE + 0x080u + 4u * (i)) /* 32 words */
#define SHA512_DIGEST(i) (SHA512_BASE + 0x100u + 4u * (i)) /* 16 words */
#define SHA512_VAULT_RD_CTRL (SHA512_BASE + 0x600u)
#define SHA512_VAULT_RD_STATUS (SHA512_BASE + 0x604u)
#define SHA512_KV_WR_CTRL (SHA512_BASE + 0x608u)
#define SHA512_KV_WR_STATUS (SHA512_BASE + 0x60Cu)
#define SHA512_GEN_PCR_HASH_NONCE(i) (SHA512_BASE + 0x610u + 4u * (i)) /* 8 words */
#define SHA512_GEN_PCR_HASH_CTRL (SHA512_BASE + 0x630u)
#define SHA512_GEN_PCR_HASH_STATUS (SHA512_BASE + 0x634u)
#define SHA512_GEN_PCR_HASH_DIGEST(i) (SHA512_BASE + 0x638u + 4u * (i)) /* 12 words (1.x), 16 (2.x) */

/* SHA512_CTRL: INIT[0] NEXT[1] MODE[3:2] ZEROIZE[4] LAST[5] RESTORE[6] (2.x: NEXT loads the
 * state from DIGEST first) */
#define SHA512_CTRL_INIT (1u << 0)
#define SHA512_CTRL_NEXT (1u << 1)
#define SHA512_CTRL_MODE(m) ((uint32_t)(m) << 2)
#define SHA512_CTRL_ZEROIZE (1u << 4)
#define SHA512_CTRL_LAST (1u << 5)
#define SHA512_CTRL_RESTORE (1u << 6)
#define SHA512_MODE_512_224 0u
#define SHA512_MODE_512_256 1u
#define SHA512_MODE_384 2u
#define SHA512_MODE_512 3u
#define SHA_STATUS_READY (1u << 0)
#define SHA_STATUS_VALID (1u << 1)

#define SHA256_NAME(i) (SHA256_BASE + 0x000u + 4u * (i))
#define SHA256_VERSION(i) (SHA256_BASE + 0x008u + 4u * (i))
#define SHA256_CTRL (SHA256_BASE + 0x010u)
#define SHA256_STATUS (SHA256_BASE + 0x018u)
#define SHA256_BLOCK(i) (SHA256_BASE + 0x080u + 4u * (i)) /* 16 words */
#define SHA256_DIGEST(i) (SHA256_BASE + 0x100u + 4u * (i)) /* 8 words */

/* SHA256_CTRL: INIT[0] NEXT[1] MODE[2] (1 = SHA-256) ZEROIZE[3] WNTZ_MODE[4] WNTZ_W[8:5]
 * WNTZ_N_MODE[9] (1 = n 32 bytes) */
#define SHA256_CTRL_INIT (1u << 0)
#define SHA256_CTRL_NEXT (1u << 1)
#define SHA256_CTRL_MODE_256 (1u << 2)
#define SHA256_CTRL_ZEROIZE (1u << 3)
#define SHA256_CTRL_WNTZ_MODE (1u << 4)
#define SHA256_CTRL_WNTZ_W(w) ((uint32_t)(w) << 5)
#define SHA256_CTRL_WNTZ_N32 (1u << 9)
#define SHA256_STATUS_WNTZ_BUSY (1u << 2)
