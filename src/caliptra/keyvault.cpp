#include "caliptra/keyvault.h"

#include <algorithm>

namespace calemu::caliptra {

namespace {

std::span<const bus::RegDef> table(HwGen g) {
  switch (g) {
    case HwGen::V1: return KeyVault::kRegs;
    case HwGen::V2_0: return KeyVault::kRegs20;
    case HwGen::V2_1: return KeyVault::kRegs21;
  }
  return KeyVault::kRegs;
}

bool in_ocp_lock_region(unsigned slot) { return slot >= KeyVault::kOcpLockSlotLow && slot <= KeyVault::kOcpLockKeyReleaseSlot; }
bool in_standard_region(unsigned slot) { return slot < KeyVault::kOcpLockSlotLow; }

}  // namespace

KeyVault::KeyVault(BlockContext& ctx)
    : bus::RegBlock("kv", table(ctx.hw), kSize),
      ctx_(ctx),
      slots_(is_2x(ctx.hw) ? 24 : 32),
      words_(is_2x(ctx.hw) ? 16 : 12),
      dest_field_bits_(ctx.hw == HwGen::V2_1 ? 9 : 8) {}

// KV_NUM_READ: 5 (1.x), 6 (2.0), 9 (2.1).
unsigned KeyVault::dest_bits() const {
  switch (ctx_.hw) {
    case HwGen::V1: return 5;
    case HwGen::V2_0: return 6;
    case HwGen::V2_1: return 9;
  }
  return 5;
}

// Reset domains (kv_reg.rdl): key data, dest_valid and last_dword live on cptra_pwrgood
// (hard_reset_b); lock_wr/lock_use on cptra_uc_rst_b (core_only_rst_b: warm and
// firmware-update resets); clear and the reserved bits on cptra_rst_b.
void KeyVault::reset(bus::ResetKind kind) {
  bus::RegBlock::reset(kind);
  if (kind == bus::ResetKind::Cold) return;
  const uint32_t keep = kind == bus::ResetKind::Warm ? ~0x1FFu : ~(kLockWr | kLockUse);
  for (unsigned s = 0; s < slots_; ++s) reg(KEY_CTRL, s) &= keep;
}

bool KeyVault::ocp_lock_in_progress() const {
  return ctx_.hw == HwGen::V2_1 && ctx_.secrets && ctx_.secrets->ocp_lock_in_progress();
}

// kv_read_rule_check.sv: while OCP LOCK is in progress only the DMA may read the key
// release slot.
bool KeyVault::read_allowed(unsigned slot, KvClient client) const {
  return !(ocp_lock_in_progress() && client != KvClient::DmaData && slot == kOcpLockKeyReleaseSlot);
}

// kv_write_rule_check.sv. The AES rule holds at all times: AES may only write the key
// release slot, with an ECB decryption keyed from the runtime obfuscation key slot, while
// OCP LOCK is in progress.
bool KeyVault::write_allowed(unsigned slot, const KvWriteSource& src) const {
  if (ctx_.hw != HwGen::V2_1) return true;
  const bool ocp = src.ocp_lock_strap ? ctx_.secrets && ctx_.secrets->ocp_lock_en() : ocp_lock_in_progress();
  const bool aes = src.writer == KvWriter::Aes;
  const auto from = [&](bool (*region)(unsigned)) {
    return (src.data0 && region(*src.data0)) || (src.data1 && region(*src.data1));
  };
  if (ocp && !aes && slot == kOcpLockKeyReleaseSlot) return false;
  if (ocp && from(in_standard_region) && !in_standard_region(slot)) return false;
  if (ocp && from(in_ocp_lock_region) && !in_ocp_lock_region(slot)) return false;
  if (aes && (!ocp || !src.aes_decrypt_ecb || src.data0 != kOcpLockRtObfKeySlot || slot != kOcpLockKeyReleaseSlot))
    return false;
  return true;
}

KeyVault::ReadResult KeyVault::read(unsigned slot, KvClient client) const {
  ReadResult r;
  if (!read_allowed(slot, client)) {
    r.error = r.denied = true;
    return r;
  }
  if (slot >= slots_) {  // no entry matches: data 0, no error, never last
    r.last_dword = kMaxWords;
    return r;
  }
  const uint32_t c = reg(KEY_CTRL, slot);
  r.last_dword = (c >> last_dword_shift()) & 0xF;
  r.error = (c & kLockUse) || !((c >> kDestValidShift) & kv_dest(client));
  if (!r.error)
    for (unsigned w = 0; w < words_; ++w) r.words[w] = entry(slot, w);
  return r;
}

unsigned KeyVault::copy_length(const ReadResult& r, unsigned width) const {
  if (r.denied) return 0;
  if (ctx_.hw != HwGen::V2_1 || never_last(r)) return width;
  return std::min(width, r.last_dword + 1);
}

bool KeyVault::write(unsigned slot, std::span<const uint32_t> words, uint16_t dest_valid, const KvWriteSource& src) {
  if (slot >= slots_ || locked(slot) || words.empty() || !write_allowed(slot, src)) return false;
  const size_t n = std::min<size_t>(words.size(), words_);
  for (size_t w = 0; w < n; ++w) entry(slot, static_cast<unsigned>(w)) = words[w];
  const uint32_t dest = dest_valid & ((1u << dest_bits()) - 1);
  uint32_t& c = reg(KEY_CTRL, slot);
  c = (c & 0x1FF) | dest << kDestValidShift | static_cast<uint32_t>(n - 1) << last_dword_shift();
  return true;
}

std::array<uint32_t, 12> KeyVault::pcr_signing_key() const {
  std::array<uint32_t, 12> k{};
  for (unsigned w = 0; w < 12; ++w) k[w] = entry(kPcrSigningSlot, w);
  return k;
}

std::array<uint32_t, 8> KeyVault::pcr_mldsa_signing_seed() const {
  std::array<uint32_t, 8> k{};
  if (is_2x(ctx_.hw))
    for (unsigned w = 0; w < 8; ++w) k[w] = entry(kMldsaSigningSlot, w);
  return k;
}

void KeyVault::clear_slot(unsigned slot) {
  for (unsigned w = 0; w < words_; ++w) entry(slot, w) = 0;
  reg(KEY_CTRL, slot) &= 0x1FF;  // dest_valid and last_dword are cleared with the data
}

// kv.sv flush_keyvault: only the key dwords take the debug value; dest_valid and
// last_dword keep what the last writer left.
void KeyVault::fill(bool honour_locks) {
  const uint32_t v = debug_value();
  for (unsigned s = 0; s < slots_; ++s) {
    if (honour_locks && locked(s)) continue;
    for (unsigned w = 0; w < words_; ++w) entry(s, w) = v;
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
