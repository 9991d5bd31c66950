/* A C program written against caliptra-sw's caliptra_model.h API (hw-model/c-binding), run
   against libcalemu. It drives the SoC side by hand like caliptra-sw's examples/api code:
   fuses, FUSE_WR_DONE, stepping, a mailbox command over the APB window, the output buffer,
   exit detection; then caliptra_model_boot_default as ASPEED's QEMU RFC v1 calls it.
   Usage: compat_test <test-rom.bin> [2.0|2.1]   (firmware/caliptra/mbox_echo_rom.c)
   With a generation it is the caliptra-sw 2.x program: hw_version set, the ROM image padded
   to the 96 KiB of a 2.x ROM, and CPTRA_HW_REV_ID must name that generation. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caliptra_model.h"

#define CHECK(cond)                                                    \
  do {                                                                 \
    if (!(cond)) {                                                     \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      exit(1);                                                         \
    }                                                                  \
  } while (0)

#define FUSE_WR_DONE 0x300300B0u
#define HW_REV_ID 0x300300D4u
#define FUSE_UDS_SEED_0 0x30030200u
#define MBOX_LOCK 0x30020000u
#define MBOX_CMD 0x30020008u
#define MBOX_DLEN 0x3002000Cu
#define MBOX_DATAIN 0x30020010u
#define MBOX_DATAOUT 0x30020014u
#define MBOX_EXECUTE 0x30020018u
#define MBOX_STATUS 0x3002001Cu

static uint8_t *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  CHECK(f != NULL);
  fseek(f, 0, SEEK_END);
  *len = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *buf = malloc(*len);
  CHECK(fread(buf, 1, *len, f) == *len);
  fclose(f);
  return buf;
}

static unsigned rd(struct caliptra_model *m, unsigned addr) {
  unsigned v = 0;
  CHECK(caliptra_model_apb_read_u32(m, addr, &v) == CALIPTRA_MODEL_STATUS_OK);
  return v;
}

static void wr(struct caliptra_model *m, unsigned addr, unsigned v) {
  CHECK(caliptra_model_apb_write_u32(m, addr, v) == CALIPTRA_MODEL_STATUS_OK);
}

/* 1.x (no hw_version: the field reads 0 and the 48 KiB ROM decides) or 2.0 / 2.1. */
static int g_hw_version = -1;

static struct caliptra_model *make(const uint8_t *rom, size_t rom_len) {
  static const uint8_t empty;
  struct caliptra_model_init_params params = {
      .hw_version = g_hw_version < 0 ? CALIPTRA_HW_VERSION_2_0 : (enum caliptra_hw_version)g_hw_version,
      .rom = {.data = rom, .len = rom_len},
      .dccm = {.data = &empty, .len = 0},
      .iccm = {.data = &empty, .len = 0},
      .security_state = CALIPTRA_SEC_STATE_DBG_UNLOCKED_UNPROVISIONED,
  };
  struct caliptra_model *m = NULL;
  CHECK(caliptra_model_init_default(params, &m) == CALIPTRA_MODEL_STATUS_OK);
  CHECK(m != NULL);
  return m;
}

int main(int argc, char **argv) {
  CHECK(argc == 2 || argc == 3);
  size_t rom_len = 0;
  uint8_t *rom = read_all(argv[1], &rom_len);
  /* CPTRA_HW_REV_ID.CPTRA_GENERATION (soc_ifc_external_reg.rdl): 1.1 0x0011, 2.0.4 0x0402, 2.1.2 0x0212. */
  unsigned want_generation = 0x0011;
  if (argc == 3) {
    CHECK(strcmp(argv[2], "2.0") == 0 || strcmp(argv[2], "2.1") == 0);
    g_hw_version = strcmp(argv[2], "2.0") == 0 ? CALIPTRA_HW_VERSION_2_0 : CALIPTRA_HW_VERSION_2_1;
    want_generation = g_hw_version == CALIPTRA_HW_VERSION_2_0 ? 0x0402 : 0x0212;
    CHECK(rom_len <= 96 * 1024);
    rom = realloc(rom, 96 * 1024);
    CHECK(rom != NULL);
    memset(rom + rom_len, 0, 96 * 1024 - rom_len);
    rom_len = 96 * 1024;
  }

  /* A 31-byte obfuscation key is refused with the documented code. */
  {
    struct caliptra_model *m = NULL;
    uint8_t key[31] = {0};
    struct caliptra_model_init_params bad = {.rom = {rom, rom_len}, .optional_obf_key = {key, sizeof key}};
    CHECK(caliptra_model_init_default(bad, &m) == CALIPTRA_MODEL_INVALID_OBF_KEY_SIZE);
  }

  struct caliptra_model *m = make(rom, rom_len);
  CHECK((rd(m, HW_REV_ID) & 0xFFFF) == want_generation);
  CHECK(caliptra_model_ready_for_fuses(m));
  wr(m, FUSE_UDS_SEED_0, 0x01020304);
  wr(m, FUSE_WR_DONE, 1);
  CHECK(!caliptra_model_ready_for_fuses(m));
  int steps = 0;
  while (!caliptra_model_ready_for_fw(m) && steps < 1000000) {
    CHECK(caliptra_model_step(m) == CALIPTRA_MODEL_STATUS_OK);
    steps++;
  }
  CHECK(caliptra_model_ready_for_fw(m));

  /* ECHO through the mailbox, the way caliptra-sw's examples/api/caliptra_api.c does it. */
  const unsigned request[3] = {0x11223344, 0x55667788, 0x99aabbcc};
  CHECK(rd(m, MBOX_LOCK) == 0); /* reading LOCK acquires it */
  wr(m, MBOX_CMD, 0x4F484345);  /* "ECHO" */
  wr(m, MBOX_DLEN, sizeof request);
  for (unsigned i = 0; i < 3; i++) wr(m, MBOX_DATAIN, request[i]);
  wr(m, MBOX_EXECUTE, 1);
  steps = 0;
  while ((rd(m, MBOX_STATUS) & 0xF) == 0 && steps++ < 1000000) caliptra_model_step(m);
  CHECK((rd(m, MBOX_STATUS) & 0xF) == 1); /* DATA_READY */
  CHECK(rd(m, MBOX_DLEN) == sizeof request);
  for (unsigned i = 0; i < 3; i++) CHECK(rd(m, MBOX_DATAOUT) == request[i]);
  wr(m, MBOX_EXECUTE, 0);

  /* A bus error comes back as a code; the process keeps running. */
  unsigned junk = 0;
  CHECK(caliptra_model_apb_read_u32(m, 0x10000000, &junk) == CALIPTRA_MODEL_BUS_ERROR);
  CHECK(strlen(caliptra_model_strerror(CALIPTRA_MODEL_BUS_ERROR)) > 0);

  /* An AXI user outside the valid set cannot reach the mailbox. */
  caliptra_model_set_apb_pauser(m, 0x1234);
  CHECK(caliptra_model_apb_read_u32(m, MBOX_LOCK, &junk) == CALIPTRA_MODEL_BUS_ERROR);
  caliptra_model_set_axi_user(m, 0xFFFFFFFF);

  /* EXIT makes the ROM return 0, which it reports as 0xFF on the output wire. */
  CHECK(rd(m, MBOX_LOCK) == 0);
  wr(m, MBOX_CMD, 0x54495845); /* "EXIT" */
  wr(m, MBOX_DLEN, 0);
  wr(m, MBOX_EXECUTE, 1);
  steps = 0;
  while ((rd(m, MBOX_STATUS) & 0xF) == 0 && steps++ < 1000000) caliptra_model_step(m);
  wr(m, MBOX_EXECUTE, 0);
  steps = 0;
  while (!caliptra_model_exit_requested(m) && steps++ < 1000000) caliptra_model_step(m);
  CHECK(caliptra_model_exit_requested(m));
  struct caliptra_buffer out = caliptra_model_output_peek(m);
  CHECK(out.len > 0 && memmem(out.data, out.len, "mbox-echo test ROM", 18) != NULL);
  CHECK(memmem(out.data, out.len, "bye", 3) != NULL);
  caliptra_model_destroy(m);

  /* caliptra_model_boot_default: fuses, FIRMWARE_LOAD, step until the boot status. The test
     ROM sets boot status 2 once it has the firmware. */
  m = make(rom, rom_len);
  static uint8_t fw[4096];
  for (unsigned i = 0; i < sizeof fw; i++) fw[i] = (uint8_t)(i * 7);
  CHECK(caliptra_model_boot_default(m, (struct caliptra_buffer){.data = fw, .len = sizeof fw}, 2) ==
        CALIPTRA_MODEL_STATUS_OK);
  out = caliptra_model_output_peek(m);
  CHECK(memmem(out.data, out.len, "firmware received: 0x00001000 bytes", 35) != NULL);
  caliptra_model_destroy(m);
  free(rom);
  printf("caliptra_model C ABI (%s): ok\n", argc == 3 ? argv[2] : "1.x");
  return 0;
}
