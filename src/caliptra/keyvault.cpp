#include "caliptra/keyvault.h"

#include <algorithm>

namespace calemu::caliptra {

KeyVault::KeyVault(BlockContext& ctx) : bus::RegBlock("kv", kRegs, kSize), ctx_(ctx) {}

// Reset domains (kv_reg.rdl): key data, dest_valid and last_dword live on cptra_pwrgood
// (hard_reset_b); lock_wr/lock_use on cptra_uc_rst_b (core_only_rst_b: warm and
// firmware-update resets); clear and the reserved bits on cptra_rst_b.
void KeyVault::reset(bus::ResetKind kind) {
  bus::RegBlock::reset(kind);
  if (kind == bus::ResetKind::Cold) return;
  const uint32_t keep = kind == bus::ResetKind::Warm ? ~0x1FFu : ~(kLockWr | kLockUse);
  for (unsigned s = 0; s < kSlots; ++s) reg(KEY_CTRL, s) &= keep;
}

KeyVault::ReadResult KeyVault::read(unsigned slot, KvClient client) const {
  ReadResult r;
  if (slot >= kSlots) return r;
  const uint32_t c = reg(KEY_CTRL, slot);
  r.last_dword = (c >> kLastDwordShift) & 0xF;
  r.error = (c & kLockUse) || !((c >> kDestValidShift) & kv_dest(client));
  if (!r.error)
    for (unsigned w = 0; w < kWords; ++w) r.words[w] = reg(KEY_ENTRY, slot * kWords + w);
  return r;
}

bool KeyVault::write(unsigned slot, std::span<const uint32_t> words, uint8_t dest_valid) {
  if (slot >= kSlots || locked(slot) || words.empty()) return false;
  const size_t n = std::min<size_t>(words.size(), kWords);
  for (size_t w = 0; w < n; ++w) reg(KEY_ENTRY, slot * kWords + static_cast<unsigned>(w)) = words[w];
  uint32_t& c = reg(KEY_CTRL, slot);
  c = (c & 0x1FF) | uint32_t{dest_valid} << kDestValidShift | static_cast<uint32_t>(n - 1) << kLastDwordShift;
  return true;
}

std::array<uint32_t, KeyVault::kWords> KeyVault::pcr_signing_key() const {
  std::array<uint32_t, kWords> k{};
  for (unsigned w = 0; w < kWords; ++w) k[w] = reg(KEY_ENTRY, kPcrSigningSlot * kWords + w);
  return k;
}

void KeyVault::clear_slot(unsigned slot) {
  for (unsigned w = 0; w < kWords; ++w) reg(KEY_ENTRY, slot * kWords + w) = 0;
  reg(KEY_CTRL, slot) &= 0x1FF;  // dest_valid and last_dword are cleared with the data
}

// kv.sv flush_keyvault: only the key dwords take the debug value; dest_valid and
// last_dword keep what the last writer left.
void KeyVault::fill(bool honour_locks) {
  const uint32_t v = debug_value();
  for (unsigned s = 0; s < kSlots; ++s) {
    if (honour_locks && locked(s)) continue;
    for (unsigned w = 0; w < kWords; ++w) reg(KEY_ENTRY, s * kWords + w) = v;
  }
}

void KeyVault::flush_debug_values() { fill(false); }

bus::RegBlock::Verdict KeyVault::write_hook(unsigned id, unsigned, uint32_t& next, uint32_t old,
                                            const bus::Requester&) {
  switch (id) {
    case KEY_ENTRY:
      return Verdict::Ignore;  // swwel is tied to 1: firmware can never write key material
    case KEY_CTRL:
      next |= old & (kLockWr | kLockUse);  // swwel = the lock itself: once set, set until reset
      return Verdict::Store;
    default:
      return Verdict::Store;
  }
}

void KeyVault::after_write(unsigned id, unsigned index, uint32_t, const bus::Requester&) {
  if (id == KEY_CTRL) {
    // The clear pulse empties the slot unless it is write- or use-locked (key_entry_clear).
    if ((reg(KEY_CTRL, index) & kClear) && !locked(index)) clear_slot(index);
    reg(KEY_CTRL, index) &= ~kClear;
  } else if (id == CLEAR_SECRETS) {
    // wr_debug_values only acts in debug or scan mode, and spares locked slots.
    if ((reg(CLEAR_SECRETS) & 1) && in_debug_or_scan_mode()) fill(true);
    reg(CLEAR_SECRETS) &= ~1u;
  }
}

}  // namespace calemu::caliptra
