/* Adams Bridge at 0x1003_0000 (2.0 mldsa_reg.rdl "MLDSA", 2.1 abr_reg.rdl "ABR"; the RDL lives
 * in chipsalliance/adams-bridge). Byte strings (seeds, messages, keys, signatures,
 * ciphertexts) are little-endian words: byte i in bits 8(i%4) of word i/4. Full addresses. */
#pragma once
#include "intr.h"

#define MLDSA_NAME(i) (ABR_BASE + 0x000u + 4u * (i))
#define MLDSA_VERSION(i) (ABR_BASE + 0x008u + 4u * (i))
#define MLDSA_CTRL (ABR_BASE + 0x010u)
#define MLDSA_STATUS (ABR_BASE + 0x014u)
#define ABR_ENTROPY(i) (ABR_BASE + 0x018u + 4u * (i)) /* 16 words, SCA masking */
#define MLDSA_SEED(i) (ABR_BASE + 0x058u + 4u * (i))  /* 8 words */
#define MLDSA_SIGN_RND(i) (ABR_BASE + 0x078u + 4u * (i))
#define MLDSA_MSG(i) (ABR_BASE + 0x098u + 4u * (i)) /* 16 words; the stream port is MSG[0] */
#define MLDSA_VERIFY_RES(i) (ABR_BASE + 0x0D8u + 4u * (i))
#define MLDSA_EXTERNAL_MU(i) (ABR_BASE + 0x118u + 4u * (i)) /* 2.1 */
#define MLDSA_MSG_STROBE (ABR_BASE + 0x158u)
#define MLDSA_CTX_CONFIG (ABR_BASE + 0x15Cu)
#define MLDSA_CTX(i) (ABR_BASE + 0x160u + 4u * (i)) /* 64 words */
#define MLDSA_PUBKEY(i) (ABR_BASE + 0x1000u + 4u * (i))     /* 648 words */
#define MLDSA_SIGNATURE(i) (ABR_BASE + 0x2000u + 4u * (i))  /* 1157 words */
#define MLDSA_PRIVKEY_OUT(i) (ABR_BASE + 0x4000u + 4u * (i)) /* 1224 words */
#define MLDSA_PRIVKEY_IN(i) (ABR_BASE + 0x6000u + 4u * (i))
#define MLDSA_KV_RD_SEED_CTRL (ABR_BASE + 0x8000u)
#define MLDSA_KV_RD_SEED_STATUS (ABR_BASE + 0x8004u)
/* The interrupt block sits at +0x8100: use INTR_*(ABR_INTR_BASE). */
#define ABR_INTR_BASE (ABR_BASE + 0x7900u)

/* 2.1 ML-KEM-1024 half */
#define MLKEM_NAME(i) (ABR_BASE + 0x9000u + 4u * (i))
#define MLKEM_VERSION(i) (ABR_BASE + 0x9008u + 4u * (i))
#define MLKEM_CTRL (ABR_BASE + 0x9010u)
#define MLKEM_STATUS (ABR_BASE + 0x9014u)
#define MLKEM_SEED_D(i) (ABR_BASE + 0x9018u + 4u * (i)) /* 8 words */
#define MLKEM_SEED_Z(i) (ABR_BASE + 0x9038u + 4u * (i))
#define MLKEM_SHARED_KEY(i) (ABR_BASE + 0x9058u + 4u * (i))
#define MLKEM_MSG(i) (ABR_BASE + 0x9080u + 4u * (i))
#define MLKEM_DECAPS_KEY(i) (ABR_BASE + 0xA000u + 4u * (i)) /* 792 words */
#define MLKEM_ENCAPS_KEY(i) (ABR_BASE + 0xB000u + 4u * (i)) /* 392 words */
#define MLKEM_CIPHERTEXT(i) (ABR_BASE + 0xB800u + 4u * (i)) /* 392 words */
#define MLKEM_KV_RD_SEED_CTRL (ABR_BASE + 0xC000u)
#define MLKEM_KV_RD_SEED_STATUS (ABR_BASE + 0xC004u)
#define MLKEM_KV_RD_MSG_CTRL (ABR_BASE + 0xC008u)
#define MLKEM_KV_RD_MSG_STATUS (ABR_BASE + 0xC00Cu)
#define MLKEM_KV_SHAREDKEY_WR_CTRL (ABR_BASE + 0xC010u)
#define MLKEM_KV_SHAREDKEY_WR_STATUS (ABR_BASE + 0xC014u)

/* CTRL: CMD[2:0] ZEROIZE[3] PCR_SIGN[4] EXTERNAL_MU[5] (2.1) STREAM_MSG[6] */
#define MLDSA_CMD_KEYGEN 1u
#define MLDSA_CMD_SIGN 2u
#define MLDSA_CMD_VERIFY 3u
#define MLDSA_CMD_KEYGEN_SIGN 4u
#define MLKEM_CMD_KEYGEN 1u
#define MLKEM_CMD_ENCAPS 2u
#define MLKEM_CMD_DECAPS 3u
#define MLKEM_CMD_KEYGEN_DECAPS 4u
#define ABR_CTRL_ZEROIZE (1u << 3)
#define ABR_CTRL_PCR_SIGN (1u << 4)
#define ABR_CTRL_EXTERNAL_MU (1u << 5)
#define ABR_CTRL_STREAM_MSG (1u << 6)
/* MLDSA_STATUS: READY[0] VALID[1] MSG_STREAM_READY[2] ERROR[3] (2.1);
 * MLKEM_STATUS: READY[0] VALID[1] ERROR[2] */
#define ABR_STATUS_READY (1u << 0)
#define ABR_STATUS_VALID (1u << 1)
#define MLDSA_STATUS_MSG_STREAM_READY (1u << 2)
#define MLDSA_STATUS_ERROR (1u << 3)
#define MLKEM_STATUS_ERROR (1u << 2)

#define MLDSA_PUBKEY_BYTES 2592u
#define MLDSA_PRIVKEY_BYTES 4896u
#define MLDSA_SIGNATURE_BYTES 4627u
#define MLKEM_EK_BYTES 1568u
#define MLKEM_DK_BYTES 3168u
#define MLKEM_CT_BYTES 1568u
