// What a Caliptra IP block may reach besides its own registers: the hardware generation,
// device time, its interrupt lines, and the few blocks it is wired to in the RTL.
#pragma once
#include <cstdint>
#include <functional>
#include <span>

#include "bus/memory.h"
#include "bus/timeline.h"

namespace calemu::bus {
class AxiSpace;
}

namespace calemu::caliptra {

enum class HwGen : uint8_t { V1, V2_0, V2_1 };
inline bool is_2x(HwGen g) { return g != HwGen::V1; }

class KeyVault;
class PcrVault;

// Secrets soc_ifc holds for the DOE (fuses and the obfuscation key); the DOE reads them
// directly in the RTL (never through firmware-visible registers).
class SocSecrets {
 public:
  virtual ~SocSecrets() = default;
  virtual std::span<const uint32_t> uds_seed() const = 0;       // 12 words (1.x), 16 (2.x)
  virtual std::span<const uint32_t> field_entropy() const = 0;  // 8 words
  virtual std::span<const uint32_t> obf_key() const = 0;        // 8 words
  virtual std::span<const uint32_t> hek_seed() const = 0;       // 8 words (2.1)
  virtual bool debug_locked() const = 0;
  // caliptra_top.sv cptra_in_debug_scan_mode: the device secrets (UDS, FE, obfuscation key,
  // CSR HMAC key) are replaced by debug values. 1.x: debug unlocked or scan mode.
  virtual bool in_debug_scan_mode() const { return !debug_locked(); }
  virtual void clear_obf_secrets() = 0;  // DOE command 3: zeroes UDS, FE and the obf key
  // 2.1 SS_OCP_LOCK_CTRL.LOCK_IN_PROGRESS (soc_ifc ss_ocp_lock_in_progress): turns on the key
  // vault's OCP LOCK access rules.
  virtual bool ocp_lock_in_progress() const { return false; }
  // 2.1 ss_ocp_lock_en strap (CPTRA_HW_CONFIG.OCP_LOCK_MODE_en): the DOE's write rules use it.
  virtual bool ocp_lock_en() const { return false; }
  // 2.x cptra_csr_hmac_key (16 words) as caliptra_top.sv latches it: the SoC's input during
  // the manufacturing lifecycle, zeros otherwise (HMAC CSR_MODE; the HMAC block substitutes
  // all ones in debug or scan mode itself). Empty = zeros.
  virtual std::span<const uint32_t> csr_hmac_key() const { return {}; }
  // 2.1 SS_KEY_RELEASE_SIZE (soc_ifc ss_key_release_key_size), in bytes: how much of AES's
  // output the AES engine writes to the key vault's key-release slot.
  virtual uint32_t key_release_size() const { return 0; }
  // 2.1 SS_KEY_RELEASE_BASE_ADDR_H/L: the only AXI address the DMA's key release may write.
  virtual uint64_t key_release_addr() const { return 0; }
  // 2.x SS_CALIPTRA_DMA_AXI_USER: the AxUSER of every request of the AXI DMA.
  virtual uint32_t dma_axi_user() const { return 0; }
};

struct BlockContext {
  HwGen hw = HwGen::V1;
  bus::Timeline& timeline;
  std::function<void(unsigned source, bool level)> set_irq;  // PIC source ids from caliptra_top.sv
  KeyVault* kv = nullptr;
  PcrVault* pv = nullptr;
  SocSecrets* secrets = nullptr;
  bus::Memory* mbox_sram = nullptr;
  uint64_t seed = 0;  // deterministic randomness for TRNG/DRBG models
  bus::AxiSpace* axi = nullptr;  // 2.x: the AXI fabric behind the DMA's manager port (AxiDma)
  std::function<bool()> uc_mbox_lock = nullptr;  // 2.x: the core holds the mailbox lock (mbox.sv uc_mbox_lock)
};

// PIC source ids (caliptra-rtl config_defines.svh / caliptra_top.sv, VEER_INTR_VEC_*). 1..22
// are the same in every generation; 17/18 are reserved before 2.1. AES has no interrupt
// lines (caliptra_top.sv leaves aes error_intr/notif_intr open).
enum Irq : unsigned {
  kIrqDoeError = 1, kIrqDoeNotif = 2, kIrqEccError = 3, kIrqEccNotif = 4, kIrqHmacError = 5,
  kIrqHmacNotif = 6, kIrqKvError = 7, kIrqKvNotif = 8, kIrqSha512Error = 9, kIrqSha512Notif = 10,
  kIrqSha256Error = 11, kIrqSha256Notif = 12, kIrqSocIfcError = 19, kIrqSocIfcNotif = 20,
  kIrqSha512AccError = 21, kIrqSha512AccNotif = 22,
  kIrqSha3Error = 17, kIrqSha3Notif = 18,              // 2.1 (SHA3/KMAC)
  kIrqAbrError = 23, kIrqAbrNotif = 24,                // 2.x (Adams Bridge; "MLDSA" in 2.0)
  kIrqAxiDmaError = 25, kIrqAxiDmaNotif = 26,          // 2.x
};

}  // namespace calemu::caliptra
