/* The standard interrupt block every engine carries at +0x800 (caliptra-rtl
 * libs/rtl/interrupt_regs.rdl; soc_ifc's has more events at the same offsets). Offsets are
 * relative to the block, so INTR_NOTIF_STS(SHA512_BASE) is the SHA-512 notification status. */
#pragma once
#include "memmap.h"

#define INTR_BLOCK(base) ((base) + 0x800u)
#define INTR_GLOBAL_EN(base) (INTR_BLOCK(base) + 0x000u)  /* error_en[0] notif_en[1] */
#define INTR_ERROR_EN(base) (INTR_BLOCK(base) + 0x004u)
#define INTR_NOTIF_EN(base) (INTR_BLOCK(base) + 0x008u)
#define INTR_ERROR_GLOBAL(base) (INTR_BLOCK(base) + 0x00Cu)  /* agg_sts */
#define INTR_NOTIF_GLOBAL(base) (INTR_BLOCK(base) + 0x010u)
#define INTR_ERROR_STS(base) (INTR_BLOCK(base) + 0x014u)  /* W1C */
#define INTR_NOTIF_STS(base) (INTR_BLOCK(base) + 0x018u)  /* W1C */
#define INTR_ERROR_TRIG(base) (INTR_BLOCK(base) + 0x01Cu) /* W1S pulse */
#define INTR_NOTIF_TRIG(base) (INTR_BLOCK(base) + 0x020u)
#define INTR_ERROR_COUNT(base, i) (INTR_BLOCK(base) + 0x100u + 4u * (i))
#define INTR_NOTIF_COUNT(base, i) (INTR_BLOCK(base) + 0x180u + 4u * (i))

#define INTR_GLOBAL_ERROR_EN (1u << 0)
#define INTR_GLOBAL_NOTIF_EN (1u << 1)
#define INTR_NOTIF_CMD_DONE (1u << 0) /* the engines' only notification event */
