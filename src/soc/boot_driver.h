// The SoC side of a Caliptra boot (caliptra-fw-protocol.md §2.1): program fuses, set up the
// mailbox users and the watchdog budget, write CPTRA_FUSE_WR_DONE / BOOTFSM_GO, wait for
// READY_FOR_FW, load firmware with FIRMWARE_LOAD, and wait for runtime or a boot status.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "caliptra/machine.h"
#include "soc/fuses.h"
#include "soc/mailbox_client.h"

namespace calemu::soc {

struct BootOptions {
  Fuses fuses = Fuses::defaults();
  std::array<uint32_t, 5> valid_axi_users = {0, 1, 2, 3, 4};  // locked into CPTRA_MBOX_VALID_PAUSER
  uint32_t soc_user = 1;                                       // the AXI user this driver uses
  uint64_t wdt_timeout_cycles = 40'000'000;                    // CPTRA_WDT_CFG (the boot budget)
  uint32_t dbg_manuf_service = 0;                              // CPTRA_DBG_MANUF_SERVICE_REG
  bool request_idevid_csr = false;                             // MFG_FLAG_GEN_IDEV_CSR, then download it
};

struct BootError {
  std::string message;
  uint32_t fw_error = 0;  // CPTRA_FW_ERROR_FATAL when Caliptra reported one
};

class BootDriver {
 public:
  static constexpr uint32_t kFirmwareLoad = 0x4657'4C44;  // "FWLD"

  BootDriver(caliptra::Machine& m, BootOptions opts);

  // Each step returns false and fills error() when it cannot complete.
  bool program_fuses();              // waits for ready_for_fuses, writes every fuse
  bool start();                      // users, WDT, debug service reg, FUSE_WR_DONE, BOOTFSM_GO
  bool wait_ready_for_fw(uint64_t max_cycles);
  bool load_firmware(std::span<const uint8_t> image, uint64_t max_cycles);
  bool wait_boot_status(uint32_t status, uint64_t max_cycles);
  bool wait_ready_for_runtime(uint64_t max_cycles);
  // cond is checked whenever the machine reports an event, and every `slice` cycles.
  bool wait_until(const std::function<bool()>& cond, uint64_t max_cycles, const std::string& what,
                  uint64_t slice = ~0ull);
  // Runs until the firmware waits for a mailbox command: it polls mbox_status and has shown
  // no activity (output, boot/flow status) for quiet_cycles.
  bool wait_for_mailbox_poll(uint64_t quiet_cycles, uint64_t max_cycles);

  // The IDevID CSR the ROM produced when request_idevid_csr was set (empty otherwise).
  const std::vector<uint8_t>& idevid_csr() const { return idevid_csr_; }
  const BootError& error() const { return error_; }

 private:
  bool write(uint32_t addr, uint32_t value);
  bool fail(std::string message);
  bool fatal_reported();
  void service_idevid_csr();

  caliptra::Machine& m_;
  BootOptions opts_;
  BootError error_;
  std::vector<uint8_t> idevid_csr_;
};

}  // namespace calemu::soc
