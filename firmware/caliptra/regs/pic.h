/* The VeeR EL2 PIC (el2_pic_ctrl.sv, VeeR EL2 PRM "interrupts") and its CSRs. */
#pragma once
#include "memmap.h"

#define PIC_MEIPL(id) (PIC_BASE + 0x0000u + 4u * (id))  /* priority 0..15 */
#define PIC_MEIP(word) (PIC_BASE + 0x1000u + 4u * (word)) /* pending bits */
#define PIC_MEIE(id) (PIC_BASE + 0x2000u + 4u * (id))   /* enable */
#define PIC_MPICCFG (PIC_BASE + 0x3000u)                /* priord[0] */
#define PIC_MEIGWCTRL(id) (PIC_BASE + 0x4000u + 4u * (id)) /* polarity[0] type[1] */
#define PIC_MEIGWCLR(id) (PIC_BASE + 0x5000u + 4u * (id))

#define CSR_MEIVT 0xBC8  /* vector table base [31:10] */
#define CSR_MEIPT 0xBC9  /* priority threshold */
#define CSR_MEICPCT 0xBCA
#define CSR_MEICIDPL 0xBCB
#define CSR_MEICURPL 0xBCC
#define CSR_MEIHAP 0xFC8 /* claim id in [9:2] */

#define MCAUSE_INTERRUPT 0x80000000u
#define MCAUSE_M_TIMER (MCAUSE_INTERRUPT | 7u)
#define MCAUSE_M_EXTERNAL (MCAUSE_INTERRUPT | 11u)
#define MIE_MTIE (1u << 7)
#define MIE_MEIE (1u << 11)
#define MSTATUS_MIE (1u << 3)
