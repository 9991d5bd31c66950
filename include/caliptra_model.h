/*
 * calemu's C ABI, source-compatible with the caliptra_model.h that caliptra-sw's
 * hw-model/c-binding generates, in both its 1.x form (caliptra_model_set_apb_pauser) and its
 * 2.x form (hw_version in the init params), plus caliptra_model_boot_default from the 1.2
 * branch that ASPEED's QEMU RFC v1 calls.
 *
 * Differences that make it safer to embed:
 *  - a refused bus access returns a negative code instead of aborting the process;
 *  - caliptra_model_strerror() explains every code;
 *  - soc_user 0 in the init params means the RTL's default valid mailbox user 0xFFFFFFFF.
 *
 * Generation: hw_version selects 2.0/2.1/2.2 as in caliptra-sw 2.x. A 1.x program has no
 * hw_version field (it reads as 0); a ROM of at most 48 KiB then selects Caliptra 1.x.
 * CALIPTRA_HW_VERSION_1_X asks for 1.x explicitly.
 */
#ifndef HW_MODEL_C_BINDING_OUT_CALIPTRA_MODEL_H
#define HW_MODEL_C_BINDING_OUT_CALIPTRA_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CALIPTRA_SEC_STATE_DBG_UNLOCKED_UNPROVISIONED 0 /* 0b000 */
#define CALIPTRA_SEC_STATE_DBG_LOCKED_MANUFACTURING 5   /* 0b101 */
#define CALIPTRA_SEC_STATE_DBG_UNLOCKED_PRODUCTION 3    /* 0b011 */
#define CALIPTRA_SEC_STATE_DBG_LOCKED_PRODUCTION 7      /* 0b111 */

#define CALIPTRA_MODEL_STATUS_OK 0
#define CALIPTRA_MODEL_INVALID_OBF_KEY_SIZE (-1)
/* calemu additions */
#define CALIPTRA_MODEL_INVALID_ARGUMENT (-2)
#define CALIPTRA_MODEL_BUS_ERROR (-3)
#define CALIPTRA_MODEL_BAD_ROM (-4)
#define CALIPTRA_MODEL_BOOT_FAILED (-5)
#define CALIPTRA_MODEL_TIMEOUT (-6)
#define CALIPTRA_MODEL_FATAL_ERROR (-7)

enum caliptra_hw_version {
  CALIPTRA_HW_VERSION_2_0 = 0,
  CALIPTRA_HW_VERSION_2_1 = 1,
  CALIPTRA_HW_VERSION_2_2 = 2,
  CALIPTRA_HW_VERSION_1_X = 0x100 /* calemu addition */
};

struct caliptra_model;

struct caliptra_buffer {
  const uint8_t *data;
  uintptr_t len;
};

struct caliptra_model_init_params {
  enum caliptra_hw_version hw_version;
  struct caliptra_buffer rom;
  struct caliptra_buffer dccm;
  struct caliptra_buffer iccm;
  uint8_t security_state;
  uint32_t soc_user;
  struct caliptra_buffer optional_obf_key; /* NULL data: the default key; else 32 bytes */
};

int caliptra_model_init_default(struct caliptra_model_init_params params, struct caliptra_model **model);
void caliptra_model_destroy(struct caliptra_model *model);

int caliptra_model_apb_read_u32(struct caliptra_model *model, unsigned int addr, unsigned int *data);
int caliptra_model_apb_write_u32(struct caliptra_model *model, unsigned int addr, unsigned int data);

bool caliptra_model_ready_for_fuses(struct caliptra_model *model);
bool caliptra_model_ready_for_fw(struct caliptra_model *model);
int caliptra_model_step(struct caliptra_model *model);
bool caliptra_model_exit_requested(struct caliptra_model *model);
struct caliptra_buffer caliptra_model_output_peek(struct caliptra_model *model);
void caliptra_model_step_until_boot_status(struct caliptra_model *model, unsigned int boot_status);

void caliptra_model_set_axi_user(struct caliptra_model *model, unsigned int axi_user);
void caliptra_model_set_apb_pauser(struct caliptra_model *model, unsigned int pauser);

/* Default fuses, FUSE_WR_DONE, FIRMWARE_LOAD of fw_buffer, then step until
   CPTRA_BOOT_STATUS == boot_status. Returns CALIPTRA_MODEL_STATUS_OK or a negative code. */
int caliptra_model_boot_default(struct caliptra_model *model, struct caliptra_buffer fw_buffer,
                                unsigned int boot_status);

/* calemu addition: a description of a status code. */
const char *caliptra_model_strerror(int status);

#ifdef __cplusplus
}
#endif

#endif /* HW_MODEL_C_BINDING_OUT_CALIPTRA_MODEL_H */
