/* AXI DMA of the Caliptra 2.x core at 0x3002_2000 (caliptra-rtl src/axi/rtl/axi_dma_reg.rdl).
 * The interrupt block is the standard one at +0x800: INTR_*(AXI_DMA_BASE). Full addresses. */
#pragma once
#include "intr.h"

#define DMA_ID (AXI_DMA_BASE + 0x00u)
#define DMA_CAP (AXI_DMA_BASE + 0x04u)
#define DMA_CTRL (AXI_DMA_BASE + 0x08u)
#define DMA_STATUS0 (AXI_DMA_BASE + 0x0Cu)
#define DMA_STATUS1 (AXI_DMA_BASE + 0x10u) /* bytes_remaining */
#define DMA_SRC_ADDR_L (AXI_DMA_BASE + 0x14u)
#define DMA_SRC_ADDR_H (AXI_DMA_BASE + 0x18u)
#define DMA_DST_ADDR_L (AXI_DMA_BASE + 0x1Cu)
#define DMA_DST_ADDR_H (AXI_DMA_BASE + 0x20u)
#define DMA_BYTE_COUNT (AXI_DMA_BASE + 0x24u)
#define DMA_BLOCK_SIZE (AXI_DMA_BASE + 0x28u)
#define DMA_WRITE_DATA (AXI_DMA_BASE + 0x2Cu)
#define DMA_READ_DATA (AXI_DMA_BASE + 0x30u)

#define DMA_ID_CLPD 0x67768068u /* "CLPD" */
/* CTRL: go[0] flush[1] aes_mode_en[2] aes_gcm_mode[3] (2.1) rd_route[17:16] rd_fixed[20]
 * wr_route[26:24] (bit 26 in 2.1) wr_fixed[28] */
#define DMA_CTRL_GO (1u << 0)
#define DMA_CTRL_FLUSH (1u << 1)
#define DMA_CTRL_AES_MODE (1u << 2)
#define DMA_CTRL_AES_GCM (1u << 3)
#define DMA_CTRL_RD_ROUTE(r) ((uint32_t)(r) << 16)
#define DMA_CTRL_RD_FIXED (1u << 20)
#define DMA_CTRL_WR_ROUTE(r) ((uint32_t)(r) << 24)
#define DMA_CTRL_WR_FIXED (1u << 28)
#define DMA_RD_DISABLE 0u
#define DMA_RD_MBOX 1u
#define DMA_RD_AHB_FIFO 2u
#define DMA_RD_AXI_WR 3u
#define DMA_WR_DISABLE 0u
#define DMA_WR_MBOX 1u
#define DMA_WR_AHB_FIFO 2u
#define DMA_WR_AXI_RD 3u
#define DMA_WR_KEYVAULT 4u /* 2.1 */
/* STATUS0: busy[0] error[1] fifo_depth[15:4] axi_dma_fsm_ps[17:16] payload_available[18]
 * image_activated[19] axi_dma_aes_fsm_ps[23:20] (2.1) */
#define DMA_STATUS0_BUSY (1u << 0)
#define DMA_STATUS0_ERROR (1u << 1)
#define DMA_STATUS0_FIFO_DEPTH(v) (((v) >> 4) & 0xFFFu)
#define DMA_STATUS0_FSM(v) (((v) >> 16) & 3u)
#define DMA_FSM_IDLE 0u
#define DMA_FSM_WAIT_DATA 1u
#define DMA_FSM_DONE 2u
#define DMA_FSM_ERROR 3u
/* Interrupt events (error_internal_intr_r / notif_internal_intr_r bit order). */
#define DMA_ERR_CMD_DEC (1u << 0)
#define DMA_ERR_AXI_RD (1u << 1)
#define DMA_ERR_AXI_WR (1u << 2)
#define DMA_ERR_MBOX_LOCK (1u << 3)
#define DMA_ERR_SHA_LOCK (1u << 4)
#define DMA_ERR_FIFO_OFLOW (1u << 5)
#define DMA_ERR_FIFO_UFLOW (1u << 6)
#define DMA_NOTIF_TXN_DONE (1u << 0)
#define DMA_NOTIF_FIFO_EMPTY (1u << 1)
#define DMA_NOTIF_FIFO_NOT_EMPTY (1u << 2)
#define DMA_NOTIF_FIFO_FULL (1u << 3)
#define DMA_NOTIF_FIFO_NOT_FULL (1u << 4)
