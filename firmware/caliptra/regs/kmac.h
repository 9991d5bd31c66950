/* SHA-3 engine of Caliptra 2.1 at 0x1004_0000 (sha3_ctrl.sv around OpenTitan's KMAC without
 * the KMAC key): kmac_reg.rdl at +0x000 with the Keccak state window (+0x400) and the
 * message FIFO (+0x800); sha3_reg.rdl (name, version, the PIC-facing interrupt block) at
 * +0x1000. Full addresses. */
#pragma once
#include "intr.h"

#define KMAC_INTR_STATE (KMAC_BASE + 0x000u)
#define KMAC_INTR_ENABLE (KMAC_BASE + 0x004u)
#define KMAC_INTR_TEST (KMAC_BASE + 0x008u)
#define KMAC_CFG_REGWEN (KMAC_BASE + 0x010u)
#define KMAC_CFG_SHADOWED (KMAC_BASE + 0x014u)
#define KMAC_CMD (KMAC_BASE + 0x018u)
#define KMAC_STATUS (KMAC_BASE + 0x01Cu)
#define KMAC_PREFIX(i) (KMAC_BASE + 0x020u + 4u * (i)) /* 11 words */
#define KMAC_ERR_CODE (KMAC_BASE + 0x04Cu)
#define KMAC_STATE(i) (KMAC_BASE + 0x400u + 4u * (i))  /* 1600-bit state, little-endian lanes */
#define KMAC_MSG_FIFO (KMAC_BASE + 0x800u)
#define SHA3_CLP(off) (KMAC_BASE + 0x1000u + (off))
#define SHA3_NAME(i) SHA3_CLP(0x000u + 4u * (i))
#define SHA3_VERSION(i) SHA3_CLP(0x008u + 4u * (i))
/* sha3_reg's interrupt block sits at +0x1400 (not the engines' +0x800): use
 * INTR_*(SHA3_INTR_BASE). */
#define SHA3_INTR_BASE (KMAC_BASE + 0x0C00u)

/* CFG_SHADOWED (written twice): kstrength[3:1] mode[5:4] msg_endianness[8]
 * state_endianness[9] */
#define KMAC_CFG(mode, strength) ((uint32_t)(strength) << 1 | (uint32_t)(mode) << 4)
#define KMAC_CFG_MSG_BIG_ENDIAN (1u << 8)
#define KMAC_CFG_STATE_BIG_ENDIAN (1u << 9)
#define KMAC_MODE_SHA3 0u
#define KMAC_MODE_SHAKE 2u
#define KMAC_MODE_CSHAKE 3u
#define KMAC_L128 0u
#define KMAC_L224 1u
#define KMAC_L256 2u
#define KMAC_L384 3u
#define KMAC_L512 4u
/* CMD: cmd[5:0] (kmac_pkg.sv kmac_cmd_e), err_processed[10] */
#define KMAC_CMD_START 0x1Du
#define KMAC_CMD_PROCESS 0x2Eu
#define KMAC_CMD_RUN 0x31u
#define KMAC_CMD_DONE 0x16u
#define KMAC_CMD_ERR_PROCESSED (1u << 10)
/* STATUS */
#define KMAC_STATUS_IDLE (1u << 0)
#define KMAC_STATUS_ABSORB (1u << 1)
#define KMAC_STATUS_SQUEEZE (1u << 2)
#define KMAC_STATUS_FIFO_DEPTH(v) (((v) >> 8) & 0x1Fu)
#define KMAC_STATUS_FIFO_EMPTY (1u << 14)
#define KMAC_STATUS_FIFO_FULL (1u << 15)
/* INTR_STATE / INTR_ENABLE / INTR_TEST */
#define KMAC_INTR_DONE (1u << 0)
#define KMAC_INTR_FIFO_EMPTY (1u << 1)
#define KMAC_INTR_ERR (1u << 2)
/* ERR_CODE[31:24] (kmac_pkg.sv err_code_e) */
#define KMAC_ERR_SW_PUSHED_MSG_FIFO 0x02u
#define KMAC_ERR_UNEXPECTED_MODE_STRENGTH 0x06u
#define KMAC_ERR_SW_CMD_SEQUENCE 0x08u
