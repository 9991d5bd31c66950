/* The C client API (include/calemu_client.h), compiled as C. Called by cli_test.cpp with
 * the endpoints of a running server that booted the echo test ROM; returns 0 when every
 * step behaved, else the number of the first step that did not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calemu_client.h"

#define CHECK(step, cond)                                                          \
  do {                                                                             \
    if (!(cond)) {                                                                 \
      fprintf(stderr, "C client step %d failed: %s\n", step, c ? calemu_client_last_error(c) : "-"); \
      calemu_client_close(c);                                                      \
      return step;                                                                 \
    }                                                                              \
  } while (0)

int calemu_c_client_mbox(const char *endpoint) {
  char *err = NULL;
  calemu_client *c = calemu_client_connect(endpoint, CALEMU_PROTOCOL_MBOX, &err);
  CHECK(1, c != NULL);
  calemu_client_set_timeout(c, 20000);
  uint32_t granted = 0, hw = 0;
  CHECK(2, calemu_client_hello(c, CALEMU_FEATURE_ERRORS, &granted, &hw) == CALEMU_CLIENT_OK);
  CHECK(3, granted == CALEMU_FEATURE_ERRORS && hw == 0x10);

  /* ECHO ("ECHO" little-endian) answers with the request. */
  const uint8_t req[5] = {1, 2, 3, 4, 5};
  uint8_t resp[16];
  size_t n = 0;
  uint32_t status = 0;
  CHECK(4, calemu_mbox_execute(c, 0x4F484345u, req, sizeof req, &status, resp, sizeof resp, &n) == 0);
  CHECK(5, status == 1 && n == 5 && memcmp(req, resp, 5) == 0);
  /* Too small a buffer is reported, with the needed size. */
  CHECK(6, calemu_mbox_execute(c, 0x4F484345u, req, sizeof req, &status, resp, 2, &n) == CALEMU_CLIENT_ARG && n == 5);

  /* calemu_mbox_request puts the checksum in front: ECHO returns it, and it is right. */
  CHECK(7, calemu_mbox_request(c, 0x4F484345u, req, sizeof req, &status, resp, sizeof resp, &n) ==
               CALEMU_CLIENT_CHECKSUM);
  const uint32_t sum = (uint32_t)resp[0] | (uint32_t)resp[1] << 8 | (uint32_t)resp[2] << 16 | (uint32_t)resp[3] << 24;
  CHECK(8, n == 9 && sum == calemu_mbox_checksum(0x4F484345u, req, sizeof req));

  calemu_state st;
  CHECK(9, calemu_client_get_state(c, &st) == 0 && st.boot_state == CALEMU_STATE_READY_FOR_FW);
  /* An unknown reset kind is the server's BAD_ARGUMENT (14) - here: a valid warm reset. */
  calemu_client_close(c);

  c = calemu_client_connect("unix:/nonexistent/socket", CALEMU_PROTOCOL_CPTR, &err);
  CHECK(10, c == NULL && err != NULL);
  free(err);
  return 0;
}

int calemu_c_client_cptr(const char *endpoint) {
  calemu_client *c = calemu_client_connect(endpoint, CALEMU_PROTOCOL_CPTR, NULL);
  CHECK(21, c != NULL);
  calemu_client_set_timeout(c, 20000);
  uint32_t v = 0;
  CHECK(22, calemu_apb_read(c, 0x300300D4u, &v) == 0 && (v & 0xFFFF) == 0x11);
  CHECK(23, calemu_apb_write(c, 0x30030120u, 0xC0FFEE) == 0);
  CHECK(24, calemu_apb_read(c, 0x30030120u, &v) == 0 && v == 0xC0FFEE);
  /* Legacy clients read 0xdeadbeef for a failed access; with ERRORS it is UNALIGNED (8). */
  CHECK(25, calemu_apb_read(c, 0x30030001u, &v) == 0 && v == 0xDEADBEEFu);
  CHECK(26, calemu_client_hello(c, CALEMU_FEATURE_ERRORS | CALEMU_FEATURE_EVENTS, NULL, NULL) == 0);
  CHECK(27, calemu_apb_read(c, 0x30030001u, &v) == 8);
  calemu_event ev;
  CHECK(28, calemu_client_wait_event(c, 50, &ev) == CALEMU_CLIENT_TIMEOUT);
  calemu_client_close(c);
  return 0;
}
