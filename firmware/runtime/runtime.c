/* calemu's test runtime: prints a line, reports RT_READY_FOR_COMMANDS and ready-for-runtime
 * (what a SoC boot driver waits for), then idles. It serves no mailbox commands. */
#include "soc_ifc.h"

int main(void) {
  cptra_puts("[test-rt] calemu test runtime for Caliptra " CALIPTRA_GENERATION " running; FW_REV_ID[1] = ");
  cptra_put_hex32(mmio_read(CPTRA_FW_REV_ID1));
  cptra_puts("\n");
  cptra_set_boot_status(BOOT_STATUS_RT_READY_FOR_COMMANDS);
  cptra_report_ready_for_runtime();
  cptra_stop_wdt();
  cptra_puts("[test-rt] ready for runtime; watchdog stopped; idling\n");
  cptra_idle();
}
