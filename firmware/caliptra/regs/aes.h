/* AES engine of Caliptra 2.x: OpenTitan's AES register set (aes.rdl) at +0x000 and the
 * Caliptra wrapper's registers (aes_clp_reg.rdl) at +0x800. Key, IV and data registers hold
 * little-endian words (byte 0 of a block in bits [7:0] of word 0). Full addresses. */
#pragma once
#include "intr.h"

#define AES_KEY_SHARE0(i) (AES_BASE + 0x004u + 4u * (i)) /* 8 words */
#define AES_KEY_SHARE1(i) (AES_BASE + 0x024u + 4u * (i))
#define AES_IV(i) (AES_BASE + 0x044u + 4u * (i))       /* 4 words */
#define AES_DATA_IN(i) (AES_BASE + 0x054u + 4u * (i))
#define AES_DATA_OUT(i) (AES_BASE + 0x064u + 4u * (i))
#define AES_CTRL_SHADOWED (AES_BASE + 0x074u)
#define AES_CTRL_AUX_SHADOWED (AES_BASE + 0x078u)
#define AES_CTRL_AUX_REGWEN (AES_BASE + 0x07Cu)
#define AES_TRIGGER (AES_BASE + 0x080u)
#define AES_STATUS (AES_BASE + 0x084u)
#define AES_CTRL_GCM_SHADOWED (AES_BASE + 0x088u)

#define AES_CLP(off) (AES_BASE + 0x800u + (off))
#define AES_NAME(i) AES_CLP(0x000u + 4u * (i))
#define AES_VERSION(i) AES_CLP(0x008u + 4u * (i))
#define AES_ENTROPY_IF_SEED(i) AES_CLP(0x110u + 4u * (i)) /* 9 words */
#define AES_CTRL0 AES_CLP(0x134u)                         /* 2.1: ENDIAN_SWAP[0] */
#define AES_KV_RD_KEY_CTRL AES_CLP(0x200u)
#define AES_KV_RD_KEY_STATUS AES_CLP(0x204u)
#define AES_KV_WR_CTRL AES_CLP(0x208u) /* 2.1 */
#define AES_KV_WR_STATUS AES_CLP(0x20Cu)
#define AES_CLP_INTR_BLOCK AES_CLP(0x400u)

/* CTRL_SHADOWED (written twice): OPERATION[1:0] MODE[7:2] KEY_LEN[10:8] SIDELOAD[11]
 * PRNG_RESEED_RATE[14:12] MANUAL_OPERATION[15]; one-hot encodings of aes_pkg.sv. */
#define AES_OP_ENC 1u
#define AES_OP_DEC 2u
#define AES_MODE_ECB 0x01u
#define AES_MODE_CBC 0x02u
#define AES_MODE_CFB 0x04u
#define AES_MODE_OFB 0x08u
#define AES_MODE_CTR 0x10u
#define AES_MODE_GCM 0x20u
#define AES_MODE_NONE 0x3Fu
#define AES_KEY_128 1u
#define AES_KEY_192 2u
#define AES_KEY_256 4u
#define AES_CTRL(op, mode, klen) ((uint32_t)(op) | (uint32_t)(mode) << 2 | (uint32_t)(klen) << 8 | 1u << 12)
#define AES_CTRL_SIDELOAD (1u << 11)
#define AES_CTRL_MANUAL (1u << 15)
/* CTRL_GCM_SHADOWED: PHASE[5:0] NUM_VALID_BYTES[10:6] */
#define AES_GCM_INIT 0x01u
#define AES_GCM_RESTORE 0x02u
#define AES_GCM_AAD 0x04u
#define AES_GCM_TEXT 0x08u
#define AES_GCM_SAVE 0x10u
#define AES_GCM_TAG 0x20u
#define AES_GCM_CTRL(phase, bytes) ((uint32_t)(phase) | (uint32_t)(bytes) << 6)
/* TRIGGER */
#define AES_TRIGGER_START (1u << 0)
#define AES_TRIGGER_KEY_IV_DATA_IN_CLEAR (1u << 1)
#define AES_TRIGGER_DATA_OUT_CLEAR (1u << 2)
#define AES_TRIGGER_PRNG_RESEED (1u << 3)
/* STATUS */
#define AES_STATUS_IDLE (1u << 0)
#define AES_STATUS_STALL (1u << 1)
#define AES_STATUS_OUTPUT_LOST (1u << 2)
#define AES_STATUS_OUTPUT_VALID (1u << 3)
#define AES_STATUS_INPUT_READY (1u << 4)
#define AES_STATUS_ALERT_RECOV_CTRL_UPDATE_ERR (1u << 5)
#define AES_STATUS_ALERT_FATAL_FAULT (1u << 6)
