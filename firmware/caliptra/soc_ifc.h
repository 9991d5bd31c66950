/* What our Caliptra firmware (test FMC, runtime, test ROMs) needs of soc_ifc, uC view; the
 * register addresses are in regs/soc_ifc.h (../shared/spec/caliptra-hw-registers.md §4.4,
 * caliptra-fw-protocol.md §2.1). */
#pragma once
#include <stdint.h>

#include "regs/soc_ifc.h"

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
/* The ROM leaves the cascaded watchdog running (debug-locked boots); a runtime that idles
 * stops it, as caliptra-sw's runtime does, or timer 2 expiring becomes a fatal error. */
void cptra_stop_wdt(void);
_Noreturn void cptra_idle(void);
/* The test verdict on the output wire (0xFF pass, 0x01 fail, caliptra-sw's convention). */
_Noreturn void cptra_exit(int pass);
