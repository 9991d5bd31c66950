#include "caliptra/pcrvault.h"

namespace calemu::caliptra {

PcrVault::PcrVault(BlockContext&) : bus::RegBlock("pv", kRegs, kSize) {}

// pv_reg.rdl: entries live on cptra_pwrgood; the lock on cptra_uc_rst_b (warm and
// firmware-update resets); the rest of PCR_CTRL on cptra_rst_b.
void PcrVault::reset(bus::ResetKind kind) {
  bus::RegBlock::reset(kind);
  if (kind == bus::ResetKind::FwUpdate)
    for (unsigned p = 0; p < kPcrs; ++p) reg(PCR_CTRL, p) &= ~kLock;
}

PcrVault::Pcr PcrVault::read(unsigned pcr) const {
  Pcr v{};
  if (pcr < kPcrs)
    for (unsigned w = 0; w < kWords; ++w) v[w] = reg(PCR_ENTRY, pcr * kWords + w);
  return v;
}

void PcrVault::write(unsigned pcr, std::span<const uint32_t, kWords> value) {
  if (pcr >= kPcrs) return;
  for (unsigned w = 0; w < kWords; ++w) reg(PCR_ENTRY, pcr * kWords + w) = value[w];
}

bus::RegBlock::Verdict PcrVault::write_hook(unsigned, unsigned, uint32_t& next, uint32_t old,
                                            const bus::Requester&) {
  // lock and clear both have swwel = lock: once locked, neither can be written.
  if (old & kLock) next = (next & ~(kLock | kClear)) | kLock;
  return Verdict::Store;
}

void PcrVault::after_write(unsigned, unsigned index, uint32_t, const bus::Requester&) {
  uint32_t& c = reg(PCR_CTRL, index);
  if (c & kClear)
    for (unsigned w = 0; w < kWords; ++w) reg(PCR_ENTRY, index * kWords + w) = 0;
  c &= ~kClear;  // singlepulse
}

}  // namespace calemu::caliptra
