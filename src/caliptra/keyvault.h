// The key vault (caliptra-rtl src/keyvault/rtl/kv.sv, kv_reg.rdl, kv_defines_pkg.sv): slots
// that only the crypto engines read and write — 32 slots of 48 bytes in 1.x, 24 slots of
// 64 bytes in 2.x. Firmware sees the per-slot controls (locks, clear, the destination-valid
// bits and last dword the writer left) and can never read or write key material. Engines go
// through read() / write(), which apply the RTL's rules: a read fails if the slot is
// use-locked or lacks the reader's destination-valid bit (the data then reads as zeros), a
// write fails if the slot is write- or use-locked. In 2.1 the OCP LOCK access filters
// (kv_read_rule_check.sv, kv_write_rule_check.sv) also apply while soc_ifc reports
// SS_OCP_LOCK_CTRL.LOCK_IN_PROGRESS.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "bus/regfile.h"
#include "caliptra/block_context.h"

namespace calemu::caliptra {

// The vault's read ports (kv_defines_pkg.sv KV_DEST_IDX_*, caliptra_top.sv); the index is
// also the bit of the slot's dest_valid field that allows that port to read it. Port 2 is
// the SHA-512 block in 1.x and the Adams Bridge ML-DSA seed in 2.x.
enum class KvClient : unsigned {
  HmacKey = 0,
  HmacBlock = 1,
  Sha512Block = 2,  // 1.x
  MldsaSeed = 2,    // 2.x
  EccPrivkey = 3,
  EccSeed = 4,
  AesKey = 5,     // 2.x
  MlkemSeed = 6,  // 2.1
  MlkemMsg = 7,   // 2.1
  DmaData = 8,    // 2.1
};

inline constexpr uint16_t kv_dest(KvClient c) { return static_cast<uint16_t>(1u << static_cast<unsigned>(c)); }

// The vault's write ports (KV_WRITE_IDX_*): 1 is SHA-512 in 1.x (tied off), unused in 2.0,
// the Adams Bridge ML-KEM shared key in 2.1; AES exists from 2.1.
enum class KvWriter : unsigned { Hmac = 0, Mlkem = 1, Ecc = 2, Doe = 3, Aes = 4 };

// kv_write_filter_metrics_t: what a writer's result was computed from, for the 2.1 OCP
// LOCK write rules. data0/data1 are the vault slots the engine's inputs were read from
// (kv_data0_present/kv_data1_present), if any.
struct KvWriteSource {
  KvWriter writer = KvWriter::Hmac;
  std::optional<unsigned> data0{}, data1{};
  bool aes_decrypt_ecb = false;
  // The DOE judges "OCP LOCK in progress" by the ss_ocp_lock_en strap (doe_fsm.sv: its
  // flows run in ROM before the register is set).
  bool ocp_lock_strap = false;
};

class KeyVault : public bus::RegBlock {
 public:
  static constexpr unsigned kMaxWords = 16;       // KV_NUM_DWORDS (2.x)
  static constexpr unsigned kPcrSigningSlot = 7;  // KV_ENTRY_FOR_SIGNING / KV_ENTRY_FOR_ECC_SIGNING
  static constexpr unsigned kMldsaSigningSlot = 8;  // KV_ENTRY_FOR_MLDSA_SIGNING (2.x)
  static constexpr uint32_t kSize = 0x1000;       // KV_REG_ADDR_WIDTH = 12
  static constexpr uint32_t kDebugValue0 = 0xAAAA'AAAA;  // CLP_DEBUG_MODE_KV_0
  static constexpr uint32_t kDebugValue1 = 0x5555'5555;  // CLP_DEBUG_MODE_KV_1
  // 2.1 OCP LOCK slots (kv_defines_pkg.sv).
  static constexpr unsigned kOcpLockSlotLow = 16, kOcpLockRtObfKeySlot = 16, kOcpLockHekSeedSlot = 22,
                            kOcpLockKeyReleaseSlot = 23;

  // KEY_CTRL fields.
  static constexpr uint32_t kLockWr = 1u << 0, kLockUse = 1u << 1, kClear = 1u << 2;
  static constexpr unsigned kDestValidShift = 9;

  // One list per generation; the ids are shared. KEY_CTRL: lock_wr, lock_use, clear, rsvd0,
  // rsvd1[5], dest_valid[8] (1.x, 2.0) or [9] (2.1), last_dword[4].
#define CALEMU_KV_REGS(X, slots, words, ctrl_mask)                                        \
  X(KEY_CTRL, 0x000, .count(slots).rw(0x1FF).mask(ctrl_mask).sticky().hook_write())       \
  X(KEY_ENTRY, 0x600, .count((slots) * (words)).wo().sticky().hook_write())               \
  X(CLEAR_SECRETS, 0xC00, .rw(0x3).hook_write())
#define CALEMU_KV_REGS_1X(X) CALEMU_KV_REGS(X, 32, 12, 0x1F'FFFF)
#define CALEMU_KV_REGS_20(X) CALEMU_KV_REGS(X, 24, 16, 0x1F'FFFF)
#define CALEMU_KV_REGS_21(X) CALEMU_KV_REGS(X, 24, 16, 0x3F'FFFF)
  CALEMU_REG_TABLE(CALEMU_KV_REGS_1X)
  static constexpr bus::RegDef kRegs20[] = {CALEMU_KV_REGS_20(CALEMU_REG_ROW)};
  static constexpr bus::RegDef kRegs21[] = {CALEMU_KV_REGS_21(CALEMU_REG_ROW)};
#undef CALEMU_KV_REGS_1X
#undef CALEMU_KV_REGS_20
#undef CALEMU_KV_REGS_21
#undef CALEMU_KV_REGS

  explicit KeyVault(BlockContext& ctx);

  unsigned slots() const { return slots_; }  // KV_NUM_KEYS: 32 (1.x), 24 (2.x)
  unsigned words() const { return words_; }  // KV_NUM_DWORDS: 12 (1.x), 16 (2.x)
  // Bits of a kv_write_ctrl_reg's destination field that reach the vault (KV_NUM_READ).
  unsigned dest_bits() const;

  struct ReadResult {
    bool error = false;   // kv_rd_resp.error (or the 2.1 read filter): KV_READ_FAIL
    // The 2.1 OCP LOCK read filter refused the read: the client's FSM goes straight to DONE
    // and copies nothing (the engine's registers keep their values).
    bool denied = false;
    std::array<uint32_t, kMaxWords> words{};  // zeros when error; words() are meaningful
    unsigned last_dword = 0;                  // the offset the last writer ended at
  };
  ReadResult read(unsigned slot, KvClient client) const;
  // How many dwords a read client `width` dwords wide copies into its engine (kv_fsm.sv):
  // 1.x and 2.0 copy the full width; 2.1 stops at the slot's last dword; nothing when the
  // 2.1 filter refused. A padding client (HMAC block) always stops at the last dword.
  unsigned copy_length(const ReadResult& r, unsigned width) const;
  // An entry beyond KV_NUM_KEYS (2.x read_entry is 5 bits) never signals its last dword.
  static bool never_last(const ReadResult& r) { return r.last_dword >= kMaxWords; }
  // An engine's write: words land at offsets 0..n-1, dest_valid and last_dword (= n-1) are
  // recorded. Returns false (KV_WRITE_FAIL) and changes nothing if the slot is locked, or,
  // in 2.1 while OCP LOCK is in progress, if the write rules refuse this source.
  bool write(unsigned slot, std::span<const uint32_t> words, uint16_t dest_valid, const KvWriteSource& src = {});
  // The 2.1 OCP LOCK rules alone (kv_*_rule_check.sv); always true outside 2.1.
  bool read_allowed(unsigned slot, KvClient client) const;
  bool write_allowed(unsigned slot, const KvWriteSource& src) const;

  // Slot 7, wired to the ECC engine for PCR signing regardless of locks and dest bits.
  std::array<uint32_t, 12> pcr_signing_key() const;
  // Slot 8's first 8 dwords, wired to the Adams Bridge for ML-DSA PCR signing (2.x).
  std::array<uint32_t, 8> pcr_mldsa_signing_seed() const;

  // debugUnlock_or_scan_mode_switch (debug unlocked at reset release, scan mode entry, or a
  // fatal error): every key dword takes the selected debug value, locks notwithstanding.
  void flush_debug_values();

  uint32_t ctrl(unsigned slot) const { return reg(KEY_CTRL, slot); }
  unsigned last_dword_shift() const { return kDestValidShift + dest_field_bits_; }
  void reset(bus::ResetKind kind) override;

 protected:
  Verdict write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester& who) override;
  void after_write(unsigned id, unsigned index, uint32_t old, const bus::Requester& who) override;

 private:
  bool locked(unsigned slot) const { return (reg(KEY_CTRL, slot) & (kLockWr | kLockUse)) != 0; }
  bool in_debug_or_scan_mode() const { return ctx_.secrets && ctx_.secrets->in_debug_scan_mode(); }
  bool ocp_lock_in_progress() const;
  uint32_t debug_value() const { return (reg(CLEAR_SECRETS) & 2) ? kDebugValue1 : kDebugValue0; }
  uint32_t entry(unsigned slot, unsigned w) const { return reg(KEY_ENTRY, slot * words_ + w); }
  uint32_t& entry(unsigned slot, unsigned w) { return reg(KEY_ENTRY, slot * words_ + w); }
  void clear_slot(unsigned slot);
  void fill(bool honour_locks);

  BlockContext& ctx_;
  unsigned slots_, words_;
  unsigned dest_field_bits_;  // dest_valid width in KEY_CTRL: 8 (1.x, 2.0), 9 (2.1)
};

}  // namespace calemu::caliptra
