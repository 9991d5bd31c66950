/* A test ROM for the SoC-side tools and the C ABI: prints a banner, sets READY_FOR_FW, then
   serves mailbox commands: FIRMWARE_LOAD ("FWLD") sums the image and completes with
   CMD_COMPLETE; "ECHO" answers with the request bytes (DATA_READY); "EXIT" ends the run
   (main returns 0 -> 0xFF on the output wire). Others get CMD_FAILURE. */
#include "caliptra_io.h"

#define CMD_FWLD 0x46574C44u
#define CMD_ECHO 0x4F484345u /* "ECHO" little-endian */
#define CMD_EXIT 0x54495845u /* "EXIT" */

static uint32_t buf[1024];

int main(void) {
  put_str("mbox-echo test ROM\n");
  CPTRA_BOOT_STATUS = 1;
  CPTRA_FLOW_STATUS = FLOW_READY_FOR_FW;
  for (;;) {
    while (MBOX_FSM(MBOX_STATUS) != MBOX_FSM_EXECUTE_UC) {}
    const uint32_t cmd = MBOX_CMD, dlen = MBOX_DLEN;
    if (cmd == CMD_FWLD) {
      uint32_t sum = 0;
      for (uint32_t i = 0; i < (dlen + 3) / 4; i++) sum += MBOX_DATAOUT;
      put_str("firmware received: ");
      put_hex(dlen);
      put_str(" bytes, word sum ");
      put_hex(sum);
      put_char('\n');
      CPTRA_BOOT_STATUS = 2;
      MBOX_STATUS = 2; /* CMD_COMPLETE */
    } else if (cmd == CMD_ECHO && dlen <= sizeof buf) {
      const uint32_t words = (dlen + 3) / 4;
      for (uint32_t i = 0; i < words; i++) buf[i] = MBOX_DATAOUT;
      MBOX_DLEN = dlen;
      for (uint32_t i = 0; i < words; i++) MBOX_DATAIN = buf[i];
      MBOX_STATUS = 1; /* DATA_READY */
    } else if (cmd == CMD_EXIT) {
      MBOX_STATUS = 2;
      while (MBOX_FSM(MBOX_STATUS) == MBOX_FSM_EXECUTE_SOC) {}
      put_str("bye\n");
      return 0;
    } else {
      MBOX_STATUS = 3; /* CMD_FAILURE */
    }
    /* Wait until the SoC has taken the answer (it may lock the mailbox again at once). */
    while (MBOX_FSM(MBOX_STATUS) == MBOX_FSM_EXECUTE_SOC) {}
  }
}
