/* Key vault (kv_reg.rdl, kv_def.rdl), PCR vault (pv_reg.rdl), data vault (dv_reg.rdl). */
#pragma once
#include "memmap.h"

#if CALIPTRA_HW_2X
#define KV_SLOTS 24u
#define KV_WORDS 16u
#else
#define KV_SLOTS 32u
#define KV_WORDS 12u
#endif
#define KV_KEY_CTRL(slot) (KV_BASE + 0x000u + 4u * (slot))
#define KV_KEY_ENTRY(slot, w) (KV_BASE + 0x600u + 4u * ((slot) * KV_WORDS + (w)))
#define KV_CLEAR_SECRETS (KV_BASE + 0xC00u)
/* KEY_CTRL: lock_wr[0] lock_use[1] clear[2] rsvd0[3] rsvd1[8:4] dest_valid[16:9]
 * last_dword[20:17] (1.x / 2.0); 2.1 widens dest_valid to [17:9], last_dword at [21:18] */
#define KV_CTRL_LOCK_WR (1u << 0)
#define KV_CTRL_LOCK_USE (1u << 1)
#define KV_CTRL_CLEAR (1u << 2)
#if CALIPTRA_HW_2_1
#define KV_CTRL_DEST_VALID(v) (((v) >> 9) & 0x1FFu)
#define KV_CTRL_LAST_DWORD(v) (((v) >> 18) & 0xFu)
#else
#define KV_CTRL_DEST_VALID(v) (((v) >> 9) & 0xFFu)
#define KV_CTRL_LAST_DWORD(v) (((v) >> 17) & 0xFu)
#endif
/* CLEAR_SECRETS: wr_debug_values[0] sel_debug_value[1] */
#define KV_CLEAR_SECRETS_WR_DEBUG (1u << 0)
#define KV_CLEAR_SECRETS_SEL_DEBUG_1 (1u << 1)

/* The engines' kv_read_ctrl_reg: read_en[0] read_entry[5:1] pcr_hash_extend[6] */
#define KV_READ_CTRL(slot) (1u | ((uint32_t)(slot) << 1))
#define KV_READ_PCR_HASH_EXTEND (1u << 6)
/* kv_write_ctrl_reg: write_en[0] write_entry[5:1], then one destination-valid bit per vault
 * reader from bit 6 */
#define KV_WRITE_CTRL(slot, dest) (1u | ((uint32_t)(slot) << 1) | ((uint32_t)(dest) << 6))
#define KV_DEST_HMAC_KEY (1u << 0)
#define KV_DEST_HMAC_BLOCK (1u << 1)
#define KV_DEST_SHA_BLOCK (1u << 2) /* 1.x; the ML-DSA seed in 2.x */
#define KV_DEST_MLDSA_SEED (1u << 2)
#define KV_DEST_ECC_PKEY (1u << 3)
#define KV_DEST_ECC_SEED (1u << 4)
#define KV_DEST_AES_KEY (1u << 5)    /* 2.x */
#define KV_DEST_MLKEM_SEED (1u << 6) /* 2.1 */
#define KV_DEST_MLKEM_MSG (1u << 7)  /* 2.1 */
#define KV_DEST_DMA_DATA (1u << 8)   /* 2.1 */
/* kv_status_reg: READY[0] VALID[1] ERROR[9:2] */
#define KV_STATUS_READY (1u << 0)
#define KV_STATUS_VALID (1u << 1)
#define KV_STATUS_ERROR(v) (((v) >> 2) & 0xFFu)
#define KV_ERROR_SUCCESS 0x00u
#define KV_ERROR_READ_FAIL 0x01u
#define KV_ERROR_WRITE_FAIL 0x02u
#define KV_PCR_SIGNING_SLOT 7u /* wired to ECC for PCR signing */

#define PV_PCRS 32u
#define PV_WORDS 12u
#define PV_PCR_CTRL(pcr) (PV_BASE + 0x000u + 4u * (pcr))
#define PV_PCR_ENTRY(pcr, w) (PV_BASE + 0x600u + 4u * ((pcr) * PV_WORDS + (w)))
#define PV_CTRL_LOCK (1u << 0)
#define PV_CTRL_CLEAR (1u << 1)

#define DV_WORDS 12u
#define DV_STICKY_DATA_VAULT_CTRL(i) (DV_BASE + 0x000u + 4u * (i))
#define DV_STICKY_DATA_VAULT_ENTRY(i, w) (DV_BASE + 0x028u + 4u * ((i) * DV_WORDS + (w)))
#define DV_DATA_VAULT_CTRL(i) (DV_BASE + 0x208u + 4u * (i))
#define DV_DATA_VAULT_ENTRY(i, w) (DV_BASE + 0x230u + 4u * ((i) * DV_WORDS + (w)))
#define DV_LOCKABLE_SCRATCH_REG_CTRL(i) (DV_BASE + 0x410u + 4u * (i))
#define DV_LOCKABLE_SCRATCH_REG(i) (DV_BASE + 0x438u + 4u * (i))
#define DV_NON_STICKY_GENERIC_SCRATCH_REG(i) (DV_BASE + 0x460u + 4u * (i))
#define DV_STICKY_LOCKABLE_SCRATCH_REG_CTRL(i) (DV_BASE + 0x480u + 4u * (i))
#define DV_STICKY_LOCKABLE_SCRATCH_REG(i) (DV_BASE + 0x4A0u + 4u * (i))
#define DV_CTRL_LOCK_ENTRY (1u << 0)
