/* calemu's test FMC: a stand-in for Caliptra's First Mutable Code that shows the ROM handed
 * over. It prints a line, sets a boot status and jumps to the runtime the ROM loaded. */
#include "soc_ifc.h"

#define TEST_FMC_BOOT_STATUS 0x7E57F001u

typedef void (*entry_fn)(void);

int main(void) {
  cptra_puts("[test-fmc] calemu test FMC for Caliptra " CALIPTRA_GENERATION " running; FW_REV_ID[0] = ");
  cptra_put_hex32(mmio_read(CPTRA_FW_REV_ID0));
  cptra_puts("\n");
  cptra_set_boot_status(TEST_FMC_BOOT_STATUS);
  cptra_puts("[test-fmc] boot status set; jumping to the runtime at " RUNTIME_ENTRY_TEXT "\n");
  ((entry_fn)RUNTIME_ENTRY)();
  cptra_idle();
}
