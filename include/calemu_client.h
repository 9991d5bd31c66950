/* calemu client: talk to a `calemu serve` instance (or any server of the QEMU CPTR/MBOX
 * protocols) from C. Blocking calls, one request and its reply each; docs/protocol.md has
 * the wire format. Link with libcalemu (pkg-config calemu).
 *
 *   calemu_client *c = calemu_client_connect("unix:/tmp/caliptra-mbox.sock", CALEMU_PROTOCOL_MBOX);
 *   uint32_t status; uint8_t resp[64]; size_t n;
 *   int rc = calemu_mbox_request(c, 0x46505652, NULL, 0, &status, resp, sizeof resp, &n);  // VERSION
 *   calemu_client_close(c);
 *
 * Return codes: 0 success; > 0 the server's ERROR code (CALEMU_ERR_*, docs/protocol.md);
 * < 0 a client-side failure (CALEMU_CLIENT_*). calemu_client_last_error() says more. */
#ifndef CALEMU_CLIENT_H
#define CALEMU_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct calemu_client calemu_client;

enum calemu_protocol { CALEMU_PROTOCOL_CPTR = 0, CALEMU_PROTOCOL_MBOX = 1 };

enum calemu_client_status {
  CALEMU_CLIENT_OK = 0,
  CALEMU_CLIENT_IO = -1,       /* connection failed or closed, malformed reply */
  CALEMU_CLIENT_TIMEOUT = -2,  /* no reply within the timeout */
  CALEMU_CLIENT_ARG = -3,      /* bad argument (NULL, buffer too small) */
  CALEMU_CLIENT_CHECKSUM = -4  /* mailbox response checksum mismatch */
};

/* HELLO feature bits */
#define CALEMU_FEATURE_EVENTS 0x1u
#define CALEMU_FEATURE_ERRORS 0x2u
#define CALEMU_FEATURE_AXI_USER 0x4u

/* Boot states (events and state queries) */
#define CALEMU_STATE_READY_FOR_FUSES 1u
#define CALEMU_STATE_BOOTING 2u
#define CALEMU_STATE_READY_FOR_FW 3u
#define CALEMU_STATE_FIRMWARE_BOOTING 4u
#define CALEMU_STATE_READY_FOR_RUNTIME 5u
#define CALEMU_STATE_FATAL 6u
#define CALEMU_STATE_EXITED 7u
#define CALEMU_EVENT_NON_FATAL_ERROR 0x80u
#define CALEMU_EVENT_RESET 0x81u

typedef struct calemu_state {
  uint32_t boot_state; /* CALEMU_STATE_* */
  uint32_t boot_status, flow_status, fw_error_fatal, fw_error_non_fatal;
  uint64_t cycle;
} calemu_state;

typedef struct calemu_event {
  uint32_t event; /* a CALEMU_STATE_* it entered, or CALEMU_EVENT_* */
  uint32_t code;  /* fatal/non-fatal error code, reset kind */
  calemu_state state;
} calemu_event;

/* NULL on failure (errno-style text in *error if error is not NULL; free() it). */
calemu_client *calemu_client_connect(const char *endpoint, enum calemu_protocol protocol, char **error);
void calemu_client_close(calemu_client *c);
/* Milliseconds to wait for each reply; 0 waits forever (the default). */
void calemu_client_set_timeout(calemu_client *c, uint32_t timeout_ms);
const char *calemu_client_last_error(const calemu_client *c);

/* HELLO: features granted in *granted (may be NULL), hardware in *hw_generation
 * (0x10 = Caliptra 1.x, 0x20 = 2.0, 0x21 = 2.1; may be NULL). */
int calemu_client_hello(calemu_client *c, uint32_t features, uint32_t *granted, uint32_t *hw_generation);
int calemu_client_hello_as(calemu_client *c, uint32_t features, uint32_t axi_user, uint32_t *granted);

/* CPTR */
int calemu_apb_read(calemu_client *c, uint32_t addr, uint32_t *value);
int calemu_apb_write(calemu_client *c, uint32_t addr, uint32_t value);

/* MBOX: a raw mailbox command; *status is BUSY 0 / DATA_READY 1 / COMPLETE 2 / CMD_FAILURE 3.
 * *resp_len gets the response length even when it did not fit (then CALEMU_CLIENT_ARG). */
int calemu_mbox_execute(calemu_client *c, uint32_t cmd, const uint8_t *req, size_t req_len, uint32_t *status,
                        uint8_t *resp, size_t resp_cap, size_t *resp_len);
/* A Caliptra request: req holds the fields after the 4-byte checksum, which this call
 * computes; a DATA_READY response's checksum is verified (CALEMU_CLIENT_CHECKSUM). resp
 * receives the whole response including its 8-byte header. */
int calemu_mbox_request(calemu_client *c, uint32_t cmd, const uint8_t *fields, size_t fields_len, uint32_t *status,
                        uint8_t *resp, size_t resp_cap, size_t *resp_len);
uint32_t calemu_mbox_checksum(uint32_t cmd, const uint8_t *data, size_t len);

/* Extensions (after HELLO) */
int calemu_client_get_state(calemu_client *c, calemu_state *state);
int calemu_client_reset(calemu_client *c, int warm);
int calemu_client_program_fuses(calemu_client *c, const char *fuse_text, int start_boot);
/* Waits up to timeout_ms for an event (needs CALEMU_FEATURE_EVENTS); CALEMU_CLIENT_TIMEOUT if none. */
int calemu_client_wait_event(calemu_client *c, uint32_t timeout_ms, calemu_event *event);

#ifdef __cplusplus
}
#endif
#endif
