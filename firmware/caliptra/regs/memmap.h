/* Caliptra core address map as the firmware sees it (caliptra-rtl config_defines.svh
 * CALIPTRA_SLAVE_BASE_ADDR, caliptra_top.sv). Build with -DCALIPTRA_HW_2X=1 for the 2.x map
 * (and -DCALIPTRA_HW_2_1=1 for 2.1). */
#pragma once
#include <stdint.h>

#ifndef CALIPTRA_HW_2X
#define CALIPTRA_HW_2X 0
#endif
#ifndef CALIPTRA_HW_2_1 /* 2.1 additions over 2.0 (SHA-3, ML-KEM, AES CTRL0 and vault write) */
#define CALIPTRA_HW_2_1 0
#endif

#define ROM_BASE 0x00000000u
#define ICCM_BASE 0x40000000u
#define DCCM_BASE 0x50000000u
#if CALIPTRA_HW_2X
#define ROM_SIZE 0x18000u
#define ICCM_SIZE 0x40000u
#define DCCM_SIZE 0x40000u
#define MBOX_SRAM_BASE 0x30040000u
#define MBOX_SRAM_SIZE 0x40000u
#else
#define ROM_SIZE 0xC000u
#define ICCM_SIZE 0x20000u
#define DCCM_SIZE 0x20000u
#define MBOX_SRAM_BASE 0x30000000u
#define MBOX_SRAM_SIZE 0x20000u
#endif

#define DOE_BASE 0x10000000u
#define ECC_BASE 0x10008000u
#define HMAC_BASE 0x10010000u
#define KV_BASE 0x10018000u
#define PV_BASE 0x1001A000u
#define DV_BASE 0x1001C000u
#define SHA512_BASE 0x10020000u
#define SHA256_BASE 0x10028000u
#define CSRNG_BASE 0x20002000u
#define ENTROPY_SRC_BASE 0x20003000u
#define MBOX_CSR_BASE 0x30020000u
#define SHA512_ACC_BASE 0x30021000u
#define SOC_IFC_BASE 0x30030000u
#define PIC_BASE 0x60000000u
#if CALIPTRA_HW_2X
#define AES_BASE 0x10011000u
#define ABR_BASE 0x10030000u
#define KMAC_BASE 0x10040000u /* 2.1 */
#define AXI_DMA_BASE 0x30022000u
#endif

/* PIC source ids (caliptra_top.sv VEER_INTR_VEC_*): each block has an error and a
 * notification line. */
#define IRQ_DOE_ERROR 1
#define IRQ_DOE_NOTIF 2
#define IRQ_ECC_ERROR 3
#define IRQ_ECC_NOTIF 4
#define IRQ_HMAC_ERROR 5
#define IRQ_HMAC_NOTIF 6
#define IRQ_KV_ERROR 7
#define IRQ_KV_NOTIF 8
#define IRQ_SHA512_ERROR 9
#define IRQ_SHA512_NOTIF 10
#define IRQ_SHA256_ERROR 11
#define IRQ_SHA256_NOTIF 12
#define IRQ_SOC_IFC_ERROR 19
#define IRQ_SOC_IFC_NOTIF 20
#define IRQ_SHA3_ERROR 17 /* 2.1 */
#define IRQ_SHA3_NOTIF 18
#define IRQ_SHA512_ACC_ERROR 21
#define IRQ_SHA512_ACC_NOTIF 22
#define IRQ_ABR_ERROR 23 /* 2.x */
#define IRQ_ABR_NOTIF 24
#define IRQ_AXI_DMA_ERROR 25
#define IRQ_AXI_DMA_NOTIF 26

#define REG_ADDR(base, off) ((base) + (off))
