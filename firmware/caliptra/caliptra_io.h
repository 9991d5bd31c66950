/* Register addresses our Caliptra-side test firmware uses (caliptra-rtl 1.x RDL). */
#pragma once
#include <stdint.h>

#define REG32(a) (*(volatile uint32_t *)(a))
#define SOC_IFC 0x30030000u
#define CPTRA_BOOT_STATUS REG32(SOC_IFC + 0x38)
#define CPTRA_FLOW_STATUS REG32(SOC_IFC + 0x3C)
#define CPTRA_FW_ERROR_FATAL REG32(SOC_IFC + 0x08)
#define CPTRA_GENERIC_OUTPUT_WIRES0 REG32(SOC_IFC + 0xCC)
#define MBOX 0x30020000u
#define MBOX_LOCK REG32(MBOX + 0x00)
#define MBOX_USER REG32(MBOX + 0x04)
#define MBOX_CMD REG32(MBOX + 0x08)
#define MBOX_DLEN REG32(MBOX + 0x0C)
#define MBOX_DATAIN REG32(MBOX + 0x10)
#define MBOX_DATAOUT REG32(MBOX + 0x14)
#define MBOX_EXECUTE REG32(MBOX + 0x18)
#define MBOX_STATUS REG32(MBOX + 0x1C)
#define MBOX_FSM(s) (((s) >> 6) & 7)
#define MBOX_FSM_EXECUTE_UC 6
#define MBOX_FSM_EXECUTE_SOC 4
#define FLOW_READY_FOR_FW (1u << 28)

static inline void put_char(char c) { CPTRA_GENERIC_OUTPUT_WIRES0 = (uint8_t)c; }
static inline void put_str(const char *s) { while (*s) put_char(*s++); }
static inline void put_hex(uint32_t v) {
  put_str("0x");
  for (int i = 28; i >= 0; i -= 4) put_char("0123456789abcdef"[(v >> i) & 15]);
}
