/* What our test FMC and runtime need of Caliptra's soc_ifc registers (uC view; the same
 * addresses in 1.x and 2.x). ../shared/spec/caliptra-hw-registers.md §4.4,
 * caliptra-fw-protocol.md §2.1. */
#pragma once
#include <stdint.h>

#define SOC_IFC_BASE 0x30030000u
#define CPTRA_BOOT_STATUS (SOC_IFC_BASE + 0x038u)
#define CPTRA_FLOW_STATUS (SOC_IFC_BASE + 0x03Cu)
#define CPTRA_GENERIC_OUTPUT_WIRES0 (SOC_IFC_BASE + 0x0CCu)
#define CPTRA_FW_REV_ID0 (SOC_IFC_BASE + 0x0D8u)
#define CPTRA_FW_REV_ID1 (SOC_IFC_BASE + 0x0DCu)

#define FLOW_STATUS_READY_FOR_RUNTIME (1u << 29)
#define BOOT_STATUS_RT_READY_FOR_COMMANDS 0x600u /* what SoC boot drivers poll for */

static inline uint32_t mmio_read(uint32_t addr) { return *(volatile uint32_t *)addr; }
static inline void mmio_write(uint32_t addr, uint32_t value) { *(volatile uint32_t *)addr = value; }

/* One word write per character: the byte in [7:0], bit 8 toggled on every character, as
 * Caliptra's firmware prints (caliptra-sw drivers/src/uart.rs). */
void cptra_putc(char c);
void cptra_puts(const char *s);
void cptra_put_hex32(uint32_t v);
void cptra_set_boot_status(uint32_t status);
void cptra_report_ready_for_runtime(void);
_Noreturn void cptra_idle(void);
