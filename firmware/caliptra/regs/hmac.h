/* HMAC engine: HMAC-384 in 1.x (hmac_reg.rdl), HMAC-384/512 in 2.x. Full addresses. */
#pragma once
#include "intr.h"

#define HMAC_NAME(i) (HMAC_BASE + 0x000u + 4u * (i))
#define HMAC_VERSION(i) (HMAC_BASE + 0x008u + 4u * (i))
#define HMAC_CTRL (HMAC_BASE + 0x010u)
#define HMAC_STATUS (HMAC_BASE + 0x018u)
#define HMAC_KEY(i) (HMAC_BASE + 0x040u + 4u * (i))
#define HMAC_BLOCK(i) (HMAC_BASE + 0x080u + 4u * (i)) /* 32 words */
#define HMAC_TAG(i) (HMAC_BASE + 0x100u + 4u * (i))
#if CALIPTRA_HW_2X
#define HMAC_KEY_WORDS 16u
#define HMAC_TAG_WORDS 16u
#define HMAC_LFSR_SEED(i) (HMAC_BASE + 0x140u + 4u * (i))
#else
#define HMAC_KEY_WORDS 12u
#define HMAC_TAG_WORDS 12u
#define HMAC_LFSR_SEED(i) (HMAC_BASE + 0x130u + 4u * (i))
#endif
#define HMAC_KV_RD_KEY_CTRL (HMAC_BASE + 0x600u)
#define HMAC_KV_RD_KEY_STATUS (HMAC_BASE + 0x604u)
#define HMAC_KV_RD_BLOCK_CTRL (HMAC_BASE + 0x608u)
#define HMAC_KV_RD_BLOCK_STATUS (HMAC_BASE + 0x60Cu)
#define HMAC_KV_WR_CTRL (HMAC_BASE + 0x610u)
#define HMAC_KV_WR_STATUS (HMAC_BASE + 0x614u)

/* HMAC_CTRL: INIT[0] NEXT[1] ZEROIZE[2]; 2.x adds MODE[3] (1 = HMAC-512, the reset value)
 * and CSR_MODE[4] */
#define HMAC_CTRL_INIT (1u << 0)
#define HMAC_CTRL_NEXT (1u << 1)
#define HMAC_CTRL_ZEROIZE (1u << 2)
#define HMAC_CTRL_MODE_512 (1u << 3)
#define HMAC_CTRL_CSR_MODE (1u << 4)
#define HMAC_STATUS_READY (1u << 0)
#define HMAC_STATUS_VALID (1u << 1)
