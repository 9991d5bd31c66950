/* ECC secp384r1 engine (ecc_reg.rdl). Full addresses; every operand is 12 words, most
 * significant word first. */
#pragma once
#include "intr.h"

#define ECC_NAME(i) (ECC_BASE + 0x000u + 4u * (i))
#define ECC_VERSION(i) (ECC_BASE + 0x008u + 4u * (i))
#define ECC_CTRL (ECC_BASE + 0x010u)
#define ECC_STATUS (ECC_BASE + 0x018u)
#define ECC_SEED(i) (ECC_BASE + 0x080u + 4u * (i))
#define ECC_MSG(i) (ECC_BASE + 0x100u + 4u * (i))
#define ECC_PRIVKEY_OUT(i) (ECC_BASE + 0x180u + 4u * (i))
#define ECC_PUBKEY_X(i) (ECC_BASE + 0x200u + 4u * (i))
#define ECC_PUBKEY_Y(i) (ECC_BASE + 0x280u + 4u * (i))
#define ECC_SIGN_R(i) (ECC_BASE + 0x300u + 4u * (i))
#define ECC_SIGN_S(i) (ECC_BASE + 0x380u + 4u * (i))
#define ECC_VERIFY_R(i) (ECC_BASE + 0x400u + 4u * (i))
#define ECC_IV(i) (ECC_BASE + 0x480u + 4u * (i))
#define ECC_NONCE(i) (ECC_BASE + 0x500u + 4u * (i))
#define ECC_PRIVKEY_IN(i) (ECC_BASE + 0x580u + 4u * (i))
#define ECC_DH_SHARED_KEY(i) (ECC_BASE + 0x5C0u + 4u * (i)) /* 2.x */
#define ECC_KV_RD_PKEY_CTRL (ECC_BASE + 0x600u)
#define ECC_KV_RD_PKEY_STATUS (ECC_BASE + 0x604u)
#define ECC_KV_RD_SEED_CTRL (ECC_BASE + 0x608u)
#define ECC_KV_RD_SEED_STATUS (ECC_BASE + 0x60Cu)
#define ECC_KV_WR_PKEY_CTRL (ECC_BASE + 0x610u)
#define ECC_KV_WR_PKEY_STATUS (ECC_BASE + 0x614u)

/* ECC_CTRL: CTRL[1:0] (1 keygen, 2 sign, 3 verify) ZEROIZE[2] PCR_SIGN[3] DH_SHAREDKEY[4] (2.x) */
#define ECC_CMD_KEYGEN 1u
#define ECC_CMD_SIGN 2u
#define ECC_CMD_VERIFY 3u
#define ECC_CTRL_ZEROIZE (1u << 2)
#define ECC_CTRL_PCR_SIGN (1u << 3)
#define ECC_CTRL_DH_SHAREDKEY (1u << 4)
#define ECC_STATUS_READY (1u << 0)
#define ECC_STATUS_VALID (1u << 1)
#define ECC_ERR_INTERNAL (1u << 0) /* error_internal: bad input, aborted without VALID */
