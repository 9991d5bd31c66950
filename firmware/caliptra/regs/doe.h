/* Deobfuscation engine (doe_reg.rdl). */
#pragma once
#include "intr.h"

#define DOE_IV(i) (DOE_BASE + 0x000u + 4u * (i))
#define DOE_CTRL (DOE_BASE + 0x010u)
#define DOE_STATUS (DOE_BASE + 0x014u)

/* DOE_CTRL: CMD[1:0] DEST[6:2] CMD_EXT[8:7] (2.1: CMD_EXT 1 with CMD 0 is the HEK flow) */
#define DOE_CMD_UDS 1u
#define DOE_CMD_FE 2u
#define DOE_CMD_CLEAR_OBF_SECRETS 3u
#define DOE_CTRL_DEST(slot) ((uint32_t)(slot) << 2)
#define DOE_CTRL_CMD_EXT_HEK (1u << 7)
#define DOE_STATUS_READY (1u << 0)
#define DOE_STATUS_VALID (1u << 1)
#define DOE_STATUS_UDS_FLOW_DONE (1u << 2)
#define DOE_STATUS_FE_FLOW_DONE (1u << 3)
#define DOE_STATUS_DEOBF_SECRETS_CLEARED (1u << 4)
#define DOE_STATUS_HEK_FLOW_DONE (1u << 5) /* 2.1 */
#define DOE_STATUS_ERROR (1u << 8)         /* 2.1 */
