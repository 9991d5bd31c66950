/* CSRNG (csrng.rdl) and ENTROPY_SRC (entropy_src.rdl), the OpenTitan IPs of 1.x; 2.x
 * integrates newer versions (CALIPTRA_HW_2X: CSRNG offsets from CMD_REQ on, SW_CMD_STS and
 * CTRL fields, ENTROPY_SRC CONF fields). */
#pragma once
#include "memmap.h"

#define CSRNG_INTR_STATE (CSRNG_BASE + 0x00u)
#define CSRNG_INTR_ENABLE (CSRNG_BASE + 0x04u)
#define CSRNG_INTR_TEST (CSRNG_BASE + 0x08u)
#define CSRNG_ALERT_TEST (CSRNG_BASE + 0x0Cu)
#define CSRNG_REGWEN (CSRNG_BASE + 0x10u)
#define CSRNG_CTRL (CSRNG_BASE + 0x14u)
#define CSRNG_CMD_REQ (CSRNG_BASE + 0x18u)
#if CALIPTRA_HW_2X
#define CSRNG_RESEED_INTERVAL (CSRNG_BASE + 0x1Cu)
#define CSRNG_RESEED_COUNTER(i) (CSRNG_BASE + 0x20u + 4u * (i))
#define CSRNG_SW_CMD_STS (CSRNG_BASE + 0x2Cu)
#define CSRNG_GENBITS_VLD (CSRNG_BASE + 0x30u)
#define CSRNG_GENBITS (CSRNG_BASE + 0x34u)
#define CSRNG_INT_STATE_READ_ENABLE (CSRNG_BASE + 0x38u)
#define CSRNG_INT_STATE_READ_ENABLE_REGWEN (CSRNG_BASE + 0x3Cu)
#define CSRNG_INT_STATE_NUM (CSRNG_BASE + 0x40u)
#define CSRNG_INT_STATE_VAL (CSRNG_BASE + 0x44u)
#define CSRNG_FIPS_FORCE (CSRNG_BASE + 0x48u)
#define CSRNG_HW_EXC_STS (CSRNG_BASE + 0x4Cu)
#define CSRNG_RECOV_ALERT_STS (CSRNG_BASE + 0x50u)
#define CSRNG_ERR_CODE (CSRNG_BASE + 0x54u)
#define CSRNG_ERR_CODE_TEST (CSRNG_BASE + 0x58u)
#define CSRNG_MAIN_SM_STATE (CSRNG_BASE + 0x5Cu)
#else
#define CSRNG_SW_CMD_STS (CSRNG_BASE + 0x1Cu)
#define CSRNG_GENBITS_VLD (CSRNG_BASE + 0x20u)
#define CSRNG_GENBITS (CSRNG_BASE + 0x24u)
#define CSRNG_INT_STATE_NUM (CSRNG_BASE + 0x28u)
#define CSRNG_INT_STATE_VAL (CSRNG_BASE + 0x2Cu)
#define CSRNG_HW_EXC_STS (CSRNG_BASE + 0x30u)
#define CSRNG_RECOV_ALERT_STS (CSRNG_BASE + 0x34u)
#define CSRNG_ERR_CODE (CSRNG_BASE + 0x38u)
#define CSRNG_ERR_CODE_TEST (CSRNG_BASE + 0x3Cu)
#define CSRNG_MAIN_SM_STATE (CSRNG_BASE + 0x40u)
#endif

#define MUBI4_TRUE 0x6u
#define MUBI4_FALSE 0x9u
/* CTRL: ENABLE[3:0] SW_APP_ENABLE[7:4] READ_INT_STATE[11:8] (2.x: FIPS_FORCE_ENABLE[15:12],
 * left false), each MuBi4 */
#if CALIPTRA_HW_2X
#define CSRNG_CTRL_VALUE(enable, sw_app, read_state) ((enable) | (sw_app) << 4 | (read_state) << 8 | MUBI4_FALSE << 12)
#define CSRNG_CTRL_RESET 0x9999u
#else
#define CSRNG_CTRL_VALUE(enable, sw_app, read_state) ((enable) | (sw_app) << 4 | (read_state) << 8)
#define CSRNG_CTRL_RESET 0x999u
#endif
/* CMD_REQ header: acmd[3:0] clen[7:4] flag0[11:8] glen[24:12] */
#define CSRNG_CMD(acmd, clen, flag0, glen) \
  ((uint32_t)(acmd) | (uint32_t)(clen) << 4 | (uint32_t)(flag0) << 8 | (uint32_t)(glen) << 12)
#define CSRNG_INSTANTIATE 1u
#define CSRNG_RESEED 2u
#define CSRNG_GENERATE 3u
#define CSRNG_UPDATE 4u
#define CSRNG_UNINSTANTIATE 5u
#if CALIPTRA_HW_2X
/* SW_CMD_STS: CMD_RDY[1] CMD_ACK[2] CMD_STS[5:3] */
#define CSRNG_SW_CMD_RDY (1u << 1)
#define CSRNG_SW_CMD_ACK (1u << 2)
#define CSRNG_SW_CMD_STS_CODE(v) (((v) >> 3) & 7u)
/* SW_CMD_STS after a completed command: ready, acknowledged, status OK */
#define CSRNG_SW_CMD_DONE (CSRNG_SW_CMD_RDY | CSRNG_SW_CMD_ACK)
#else
#define CSRNG_SW_CMD_RDY (1u << 0)
#define CSRNG_SW_CMD_STS_ERR (1u << 1)
#define CSRNG_SW_CMD_DONE CSRNG_SW_CMD_RDY
#endif
#define CSRNG_GENBITS_VLD_VALID (1u << 0)
#define CSRNG_GENBITS_VLD_FIPS (1u << 1)
#define CSRNG_INTR_CMD_REQ_DONE (1u << 0)
#define CSRNG_INTR_ENTROPY_REQ (1u << 1)
#define CSRNG_SM_IDLE 0x4Eu
#define CSRNG_SW_APP 2u /* INT_STATE_NUM of the software instance */

#define ES_INTR_STATE (ENTROPY_SRC_BASE + 0x00u)
#define ES_ME_REGWEN (ENTROPY_SRC_BASE + 0x10u)
#define ES_SW_REGUPD (ENTROPY_SRC_BASE + 0x14u)
#define ES_REGWEN (ENTROPY_SRC_BASE + 0x18u)
#define ES_REV (ENTROPY_SRC_BASE + 0x1Cu)
#define ES_MODULE_ENABLE (ENTROPY_SRC_BASE + 0x20u)
#define ES_CONF (ENTROPY_SRC_BASE + 0x24u)
#define ES_ENTROPY_CONTROL (ENTROPY_SRC_BASE + 0x28u)
#define ES_ENTROPY_DATA (ENTROPY_SRC_BASE + 0x2Cu)
#define ES_HEALTH_TEST_WINDOWS (ENTROPY_SRC_BASE + 0x30u)
#define ES_REPCNT_THRESHOLDS (ENTROPY_SRC_BASE + 0x34u)
#define ES_ADAPTP_HI_THRESHOLDS (ENTROPY_SRC_BASE + 0x3Cu)
#define ES_ADAPTP_LO_THRESHOLDS (ENTROPY_SRC_BASE + 0x40u)
#define ES_ALERT_FAIL_COUNTS (ENTROPY_SRC_BASE + 0xA8u)
#define ES_RECOV_ALERT_STS (ENTROPY_SRC_BASE + 0xD4u)
#define ES_ERR_CODE (ENTROPY_SRC_BASE + 0xD8u)
#define ES_MAIN_SM_STATE (ENTROPY_SRC_BASE + 0xE0u)
/* CONF (1.x): FIPS_ENABLE[3:0] ENTROPY_DATA_REG_ENABLE[7:4] THRESHOLD_SCOPE[15:12]
 * RNG_BIT_ENABLE[23:20]; (2.x): FIPS_ENABLE[3:0] FIPS_FLAG[7:4] RNG_FIPS[11:8]
 * RNG_BIT_ENABLE[15:12] RNG_BIT_SEL[17:16] THRESHOLD_SCOPE[21:18] ENTROPY_DATA_REG_ENABLE[25:22] */
#if CALIPTRA_HW_2X
#define ES_CONF_RESET 0x02649999u
#define ES_CONF_FIPS(fips_enable, fips_flag)                                                                   \
  ((uint32_t)(fips_enable) | (uint32_t)(fips_flag) << 4 | MUBI4_FALSE << 8 | MUBI4_FALSE << 12 |               \
   MUBI4_FALSE << 18 | MUBI4_FALSE << 22)
#else
#define ES_CONF_RESET 0x00909099u
#define ES_CONF_FIPS(fips_enable, fips_flag) \
  ((uint32_t)(fips_enable) | MUBI4_FALSE << 4 | MUBI4_TRUE << 12 | MUBI4_FALSE << 20)
#endif
#define ES_MAIN_SM_IDLE 0x0F5u
#define ES_MAIN_SM_BOOT_PHASE_DONE 0x08Eu
#define ES_MAIN_SM_CONT_HT_RUNNING 0x1A2u
