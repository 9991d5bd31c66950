// The C ABI (include/caliptra_model.h) over the public C++ facade. Nothing throws across it.
#include "caliptra_model.h"

#include <cstring>
#include <new>
#include <string>

#include "caliptra/machine.h"
#include "calemu/caliptra.h"

struct caliptra_model {
  calemu::Caliptra c;
  std::string output;  // what output_peek returned last (the buffer stays valid until the next call)
};

namespace {

int to_code(calemu::Status s) { return s == calemu::Status::Ok ? CALIPTRA_MODEL_STATUS_OK : -static_cast<int>(s); }

calemu::Hw pick_hw(const caliptra_model_init_params& p) {
  switch (p.hw_version) {
    case CALIPTRA_HW_VERSION_1_X: return calemu::Hw::V1;
    case CALIPTRA_HW_VERSION_2_1: case CALIPTRA_HW_VERSION_2_2: return calemu::Hw::V2_1;
    case CALIPTRA_HW_VERSION_2_0:
    default:
      // A 1.x program has no hw_version (0): its 48 KiB ROM tells the generation.
      return p.rom.len <= 48 * 1024 ? calemu::Hw::V1 : calemu::Hw::V2_0;
  }
}

constexpr uint32_t kBootStatusTimeoutCycles = 400'000'000;

}  // namespace

extern "C" {

int caliptra_model_init_default(struct caliptra_model_init_params params, struct caliptra_model** model) {
  if (!model) return CALIPTRA_MODEL_INVALID_ARGUMENT;
  *model = nullptr;
  calemu::CaliptraOptions o;
  o.hw = pick_hw(params);
  if (params.rom.data && params.rom.len) o.rom.assign(params.rom.data, params.rom.data + params.rom.len);
  if (params.optional_obf_key.data) {
    if (params.optional_obf_key.len != 32) return CALIPTRA_MODEL_INVALID_OBF_KEY_SIZE;
    std::memcpy(o.obf_key.data(), params.optional_obf_key.data, 32);
  }
  o.lifecycle = (params.security_state & 3) == 3   ? calemu::Lifecycle::Production
                : (params.security_state & 3) == 1 ? calemu::Lifecycle::Manufacturing
                                                   : calemu::Lifecycle::Unprovisioned;
  o.debug_locked = params.security_state & 4;
  o.soc_user = params.soc_user ? params.soc_user : 0xFFFF'FFFFu;
  try {
    auto* m = new caliptra_model{calemu::Caliptra(o), {}};
    *model = m;
  } catch (const std::bad_alloc&) {
    return CALIPTRA_MODEL_INVALID_ARGUMENT;
  } catch (const std::exception&) {
    return CALIPTRA_MODEL_BAD_ROM;
  }
  return CALIPTRA_MODEL_STATUS_OK;
}

void caliptra_model_destroy(struct caliptra_model* model) { delete model; }

int caliptra_model_apb_read_u32(struct caliptra_model* model, unsigned int addr, unsigned int* data) {
  if (!model || !data) return CALIPTRA_MODEL_INVALID_ARGUMENT;
  uint32_t v = 0;
  const int rc = to_code(model->c.soc_read(addr, v));
  *data = v;
  return rc;
}

int caliptra_model_apb_write_u32(struct caliptra_model* model, unsigned int addr, unsigned int data) {
  if (!model) return CALIPTRA_MODEL_INVALID_ARGUMENT;
  return to_code(model->c.soc_write(addr, data));
}

bool caliptra_model_ready_for_fuses(struct caliptra_model* model) { return model && model->c.ready_for_fuses(); }
bool caliptra_model_ready_for_fw(struct caliptra_model* model) { return model && model->c.ready_for_fw(); }

int caliptra_model_step(struct caliptra_model* model) {
  if (!model) return CALIPTRA_MODEL_INVALID_ARGUMENT;
  model->c.run(1);
  return CALIPTRA_MODEL_STATUS_OK;
}

bool caliptra_model_exit_requested(struct caliptra_model* model) { return model && model->c.exit_requested(); }

struct caliptra_buffer caliptra_model_output_peek(struct caliptra_model* model) {
  if (!model) return caliptra_buffer{nullptr, 0};
  model->output = model->c.output();
  return caliptra_buffer{reinterpret_cast<const uint8_t*>(model->output.data()), model->output.size()};
}

void caliptra_model_step_until_boot_status(struct caliptra_model* model, unsigned int boot_status) {
  if (!model) return;
  const uint64_t end = model->c.cycles() + kBootStatusTimeoutCycles;
  while (model->c.boot_status() != boot_status && model->c.cycles() < end && !model->c.exit_requested())
    model->c.run(10'000);
}

void caliptra_model_set_axi_user(struct caliptra_model* model, unsigned int axi_user) {
  if (model) model->c.set_user(axi_user);
}

void caliptra_model_set_apb_pauser(struct caliptra_model* model, unsigned int pauser) {
  caliptra_model_set_axi_user(model, pauser);
}

int caliptra_model_boot_default(struct caliptra_model* model, struct caliptra_buffer fw_buffer,
                                unsigned int boot_status) {
  if (!model || (!fw_buffer.data && fw_buffer.len)) return CALIPTRA_MODEL_INVALID_ARGUMENT;
  const std::span<const uint8_t> fw(fw_buffer.data, fw_buffer.data ? fw_buffer.len : 0);
  return to_code(model->c.boot(fw, boot_status));
}

const char* caliptra_model_strerror(int status) {
  switch (status) {
    case CALIPTRA_MODEL_STATUS_OK: return "ok";
    case CALIPTRA_MODEL_INVALID_OBF_KEY_SIZE: return "the obfuscation key must be 32 bytes";
    case CALIPTRA_MODEL_INVALID_ARGUMENT: return "invalid argument (null model or buffer)";
    case CALIPTRA_MODEL_BUS_ERROR: return "the bus refused the access (unmapped address, or AXI user not allowed)";
    case CALIPTRA_MODEL_BAD_ROM: return "the ROM image does not fit this Caliptra generation";
    case CALIPTRA_MODEL_BOOT_FAILED: return "boot failed (see the Caliptra output)";
    case CALIPTRA_MODEL_TIMEOUT: return "timed out waiting for Caliptra";
    case CALIPTRA_MODEL_FATAL_ERROR: return "Caliptra reported a fatal error (CPTRA_FW_ERROR_FATAL)";
    default: return "unknown status";
  }
}

}  // extern "C"
