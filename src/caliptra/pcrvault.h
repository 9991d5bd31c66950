// The PCR vault (caliptra-rtl src/pcrvault/rtl/pv.sv, pv_reg.rdl): 32 PCRs of 48 bytes.
// Firmware reads the entries and controls lock/clear; only the SHA-512 engine writes them
// (hash extend) and reads them (hash extend, gen_pcr_hash). The lock only guards against
// clearing: hash extends still land on a locked PCR, as in pv.sv.
#pragma once
#include <array>
#include <cstdint>
#include <span>

#include "bus/regfile.h"
#include "caliptra/block_context.h"

namespace calemu::caliptra {

class PcrVault : public bus::RegBlock {
 public:
  static constexpr unsigned kPcrs = 32;     // PV_NUM_PCR
  static constexpr unsigned kWords = 12;    // PV_NUM_DWORDS
  static constexpr uint32_t kSize = 0x1000; // PV_REG_ADDR_WIDTH = 12
  static constexpr uint32_t kLock = 1u << 0, kClear = 1u << 1;

#define CALEMU_PV_REGS(X)                                                   \
  X(PCR_CTRL, 0x000, .count(32).rw(0xFF).hook_write())                      \
  X(PCR_ENTRY, 0x600, .count(32 * 12).ro().sticky())
  CALEMU_REG_TABLE(CALEMU_PV_REGS)
#undef CALEMU_PV_REGS

  explicit PcrVault(BlockContext& ctx);

  using Pcr = std::array<uint32_t, kWords>;
  Pcr read(unsigned pcr) const;
  void write(unsigned pcr, std::span<const uint32_t, kWords> value);

  void reset(bus::ResetKind kind) override;

 protected:
  Verdict write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester& who) override;
  void after_write(unsigned id, unsigned index, uint32_t old, const bus::Requester& who) override;
};

}  // namespace calemu::caliptra
