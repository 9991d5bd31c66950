/* Mailbox CSRs (mbox_csr.rdl) and the SHA-512 accelerator (sha512_acc_csr.rdl), uC view. */
#pragma once
#include "intr.h"

#define MBOX_LOCK (MBOX_CSR_BASE + 0x00u)
#define MBOX_USER (MBOX_CSR_BASE + 0x04u)
#define MBOX_CMD (MBOX_CSR_BASE + 0x08u)
#define MBOX_DLEN (MBOX_CSR_BASE + 0x0Cu)
#define MBOX_DATAIN (MBOX_CSR_BASE + 0x10u)
#define MBOX_DATAOUT (MBOX_CSR_BASE + 0x14u)
#define MBOX_EXECUTE (MBOX_CSR_BASE + 0x18u)
#define MBOX_STATUS (MBOX_CSR_BASE + 0x1Cu)
#define MBOX_UNLOCK (MBOX_CSR_BASE + 0x20u)

/* MBOX_STATUS: status[3:0] ecc_single_error[4] ecc_double_error[5] mbox_fsm_ps[8:6]
 * soc_has_lock[9] mbox_rdptr[24:10] (1.x) */
#define MBOX_STATUS_CODE(v) ((v) & 0xFu)
#define MBOX_STATUS_FSM(v) (((v) >> 6) & 7u)
#define MBOX_STATUS_SOC_HAS_LOCK (1u << 9)
#define MBOX_STATUS_RDPTR(v) (((v) >> 10) & 0x7FFFu)
#define MBOX_CMD_BUSY 0u
#define MBOX_DATA_READY 1u
#define MBOX_CMD_COMPLETE 2u
#define MBOX_CMD_FAILURE 3u
/* mbox_fsm_e */
#define MBOX_FSM_IDLE 0u
#define MBOX_FSM_RDY_FOR_CMD 1u
#define MBOX_FSM_RDY_FOR_DATA 2u
#define MBOX_FSM_RDY_FOR_DLEN 3u
#define MBOX_FSM_EXECUTE_SOC 4u
#define MBOX_FSM_EXECUTE_UC 6u
#define MBOX_FSM_ERROR 7u
#define MBOX_CALIPTRA_USER 0xFFFFFFFFu /* USER latched for the core's lock */

#define SHA_ACC_LOCK (SHA512_ACC_BASE + 0x00u)
#define SHA_ACC_USER (SHA512_ACC_BASE + 0x04u)
#define SHA_ACC_MODE (SHA512_ACC_BASE + 0x08u)
#define SHA_ACC_START_ADDRESS (SHA512_ACC_BASE + 0x0Cu)
#define SHA_ACC_DLEN (SHA512_ACC_BASE + 0x10u)
#define SHA_ACC_DATAIN (SHA512_ACC_BASE + 0x14u)
#define SHA_ACC_EXECUTE (SHA512_ACC_BASE + 0x18u)
#define SHA_ACC_STATUS (SHA512_ACC_BASE + 0x1Cu)
#define SHA_ACC_DIGEST(i) (SHA512_ACC_BASE + 0x20u + 4u * (i))
#define SHA_ACC_CONTROL (SHA512_ACC_BASE + 0x60u)
/* MODE: MODE[1:0] ENDIAN_TOGGLE[2] */
#define SHA_ACC_MODE_STREAM_384 0u
#define SHA_ACC_MODE_STREAM_512 1u
#define SHA_ACC_MODE_MBOX_384 2u
#define SHA_ACC_MODE_MBOX_512 3u
#define SHA_ACC_MODE_ENDIAN_TOGGLE (1u << 2)
#define SHA_ACC_STATUS_VALID (1u << 0)
#define SHA_ACC_STATUS_SOC_HAS_LOCK (1u << 1)
#define SHA_ACC_CONTROL_ZEROIZE (1u << 0)
