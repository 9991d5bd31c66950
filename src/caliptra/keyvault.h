// The key vault (caliptra-rtl src/keyvault/rtl/kv.sv, kv_reg.rdl): 32 slots of 48 bytes
// (1.x) that only the crypto engines read and write. Firmware sees the per-slot controls
// (locks, clear, the destination-valid bits and last dword the writer left) and can never
// read or write key material. Engines go through read() / write(), which apply the RTL's
// rules: a read fails if the slot is use-locked or lacks the reader's destination-valid
// bit (the data then reads as zeros), a write fails if the slot is write- or use-locked.
#pragma once
#include <array>
#include <cstdint>
#include <span>

#include "bus/regfile.h"
#include "caliptra/block_context.h"

namespace calemu::caliptra {

// The vault's read ports, in caliptra_top.sv order; the index is also the bit of the
// slot's dest_valid field that allows that port to read it (kv_reg.rdl dest_valid[]).
enum class KvClient : unsigned { HmacKey = 0, HmacBlock = 1, Sha512Block = 2, EccPrivkey = 3, EccSeed = 4 };

inline constexpr uint8_t kv_dest(KvClient c) { return static_cast<uint8_t>(1u << static_cast<unsigned>(c)); }

class KeyVault : public bus::RegBlock {
 public:
  static constexpr unsigned kSlots = 32;          // KV_NUM_KEYS (1.x)
  static constexpr unsigned kWords = 12;          // KV_NUM_DWORDS (1.x)
  static constexpr unsigned kPcrSigningSlot = 7;  // KV_ENTRY_FOR_SIGNING
  static constexpr uint32_t kSize = 0x1000;       // KV_REG_ADDR_WIDTH = 12
  static constexpr uint32_t kDebugValue0 = 0xAAAA'AAAA;  // CLP_DEBUG_MODE_KV_0
  static constexpr uint32_t kDebugValue1 = 0x5555'5555;  // CLP_DEBUG_MODE_KV_1

  // KEY_CTRL fields.
  static constexpr uint32_t kLockWr = 1u << 0, kLockUse = 1u << 1, kClear = 1u << 2;
  static constexpr unsigned kDestValidShift = 9, kLastDwordShift = 17;

#define CALEMU_KV_REGS(X)                                                             \
  X(KEY_CTRL, 0x000, .count(32).rw(0x1FF).mask(0x1F'FFFF).sticky().hook_write())      \
  X(KEY_ENTRY, 0x600, .count(32 * 12).wo().sticky().hook_write())                     \
  X(CLEAR_SECRETS, 0xC00, .rw(0x3).hook_write())
  CALEMU_REG_TABLE(CALEMU_KV_REGS)
#undef CALEMU_KV_REGS

  explicit KeyVault(BlockContext& ctx);

  struct ReadResult {
    bool error = false;                 // kv_rd_resp.error: use-locked or not a valid destination
    std::array<uint32_t, kWords> words{};  // zeros when error
    unsigned last_dword = 0;            // the offset the last writer ended at
  };
  ReadResult read(unsigned slot, KvClient client) const;
  // An engine's write: words land at offsets 0..n-1, dest_valid and last_dword (= n-1) are
  // recorded. Returns false (KV_WRITE_FAIL) and changes nothing if the slot is locked.
  bool write(unsigned slot, std::span<const uint32_t> words, uint8_t dest_valid);
  // Slot 7, wired to the ECC engine for PCR signing regardless of locks and dest bits.
  std::array<uint32_t, kWords> pcr_signing_key() const;

  // debugUnlock_or_scan_mode_switch (debug unlocked at reset release, scan mode entry, or a
  // fatal error): every key dword takes the selected debug value, locks notwithstanding.
  void flush_debug_values();

  uint32_t ctrl(unsigned slot) const { return reg(KEY_CTRL, slot); }
  void reset(bus::ResetKind kind) override;

 protected:
  Verdict write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester& who) override;
  void after_write(unsigned id, unsigned index, uint32_t old, const bus::Requester& who) override;

 private:
  bool locked(unsigned slot) const { return (reg(KEY_CTRL, slot) & (kLockWr | kLockUse)) != 0; }
  bool in_debug_or_scan_mode() const { return ctx_.secrets && !ctx_.secrets->debug_locked(); }
  uint32_t debug_value() const { return (reg(CLEAR_SECRETS) & 2) ? kDebugValue1 : kDebugValue0; }
  void clear_slot(unsigned slot);
  void fill(bool honour_locks);

  BlockContext& ctx_;
};

}  // namespace calemu::caliptra
