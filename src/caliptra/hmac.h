// The HMAC engine (caliptra-rtl src/hmac/rtl/hmac.sv, hmac_core.v, hmac_reg.rdl): HMAC-384
// in 1.x; HMAC-384 or HMAC-512 (CTRL.MODE) with a 512-bit key in 2.x. Firmware supplies
// the key and padded 1024-bit blocks (the inner hash's length counts the 1024-bit key
// block); INIT hashes key^ipad and the first block, NEXT continues the inner hash, and every
// INIT/NEXT ends with a full outer hash, so TAG is valid after each block. Key and block can
// come from the key vault, the tag can go to it; a tag computed from vault data never
// appears in TAG. LFSR_SEED feeds the SCA masking LFSR inside the SHA-512 cores
// (hmac_lfsr.sv) and changes no result.
// 2.x additions, as hmac.sv v2.0.4/v2.1.2 has them:
//  - CSR_MODE: the key is the SoC's CSR-signing HMAC key (caliptra_top.sv
//    cptra_csr_hmac_key, all ones in debug or scan mode) instead of KEY.
//  - HMAC-384 mode ignores KEY[12..15] and leaves TAG[12..15] zero.
//  - A vault key that is all zero (key_zero_error) or, in HMAC-512 mode, has zero low
//    128 bits (key_mode_error) raises its error and locks the engine out of results (no
//    TAG, no VALID, no vault write) until a zeroize.
//  - The kv control registers only take writes while the engine is idle (field swwe).
#pragma once
#include <array>
#include <cstdint>

#include "bus/regfile.h"
#include "bus/timeline.h"
#include "caliptra/block_context.h"
#include "caliptra/intr_block.h"
#include "caliptra/kv_client.h"

namespace calemu::caliptra {

class Hmac : public bus::RegBlock {
 public:
  static constexpr uint32_t kSize = 0x1000;  // HMAC_REG_ADDR_WIDTH = 12
  static constexpr uint64_t kCyclesPerCompression = 84;
  // hmac_core.v: INIT runs IPAD, OPAD (inner block and outer key in parallel) and HMAC
  // stages, NEXT only the last two; the hardware specification gives 254 cycles for INIT.
  static constexpr uint64_t kCyclesInit = 254;
  static constexpr uint64_t kCyclesNext = 2 * kCyclesPerCompression + 2;

  // CTRL fields (2.x adds MODE, CSR_MODE and a reserved bit).
  static constexpr uint32_t kInit = 1u << 0, kNext = 1u << 1, kZeroize = 1u << 2, kMode512 = 1u << 3,
                            kCsrMode = 1u << 4;

  // One table per generation (hmac_reg.rdl), sharing the ids: the 1.x names are HMAC384_*,
  // the 2.x ones HMAC512_*; 2.x has 16-word KEY/TAG and LFSR_SEED at 0x140.
#define CALEMU_HMAC_REGS(X, P, kw, ctrl, seed)                                  \
  X(NAME, P "_NAME", 0x000, .count(2).ro().hook_read())                         \
  X(VERSION, P "_VERSION", 0x008, .count(2).ro().hook_read())                   \
  X(CTRL, P "_CTRL", 0x010, ctrl.wo().hook_write())                             \
  X(STATUS, P "_STATUS", 0x018, .ro(0x3))                                       \
  X(KEY, P "_KEY", 0x040, .count(kw).wo().hook_write())                         \
  X(BLOCK, P "_BLOCK", 0x080, .count(32).wo().hook_write())                     \
  X(TAG, P "_TAG", 0x100, .count(kw).ro())                                      \
  X(LFSR_SEED, P "_LFSR_SEED", seed, .count(12).reset(0x3CAB'FFB0).wo())        \
  X(KV_RD_KEY_CTRL, P "_KV_RD_KEY_CTRL", 0x600, .hook_write())                  \
  X(KV_RD_KEY_STATUS, P "_KV_RD_KEY_STATUS", 0x604, .ro(0x3FF))                 \
  X(KV_RD_BLOCK_CTRL, P "_KV_RD_BLOCK_CTRL", 0x608, .hook_write())              \
  X(KV_RD_BLOCK_STATUS, P "_KV_RD_BLOCK_STATUS", 0x60C, .ro(0x3FF))             \
  X(KV_WR_CTRL, P "_KV_WR_CTRL", 0x610, .hook_write())                          \
  X(KV_WR_STATUS, P "_KV_WR_STATUS", 0x614, .ro(0x3FF))
#define CALEMU_HMAC_ENUM(id, name, off, ...) id,
#define CALEMU_HMAC_ROW(id, name, off, ...) ::calemu::bus::RegDef(name, off) __VA_ARGS__,
  enum Reg : unsigned { CALEMU_HMAC_REGS(CALEMU_HMAC_ENUM, "", 1, , 0) kNumRegs };
  static constexpr bus::RegDef kRegs1x[] = {
      CALEMU_HMAC_REGS(CALEMU_HMAC_ROW, "HMAC384", 12, .rw(0x7), 0x130)};
  static constexpr bus::RegDef kRegs2x[] = {
      CALEMU_HMAC_REGS(CALEMU_HMAC_ROW, "HMAC512", 16, .rw(0x3F).reset(kMode512), 0x140)};
#undef CALEMU_HMAC_ENUM
#undef CALEMU_HMAC_ROW
#undef CALEMU_HMAC_REGS

  explicit Hmac(BlockContext& ctx);

  void reset(bus::ResetKind kind) override;
  void zeroize();  // CTRL.ZEROIZE, also debugUnlock_or_scan_mode_switch
  IntrBlock& intr() { return intr_; }

 protected:
  Verdict write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester& who) override;
  void after_write(unsigned id, unsigned index, uint32_t old, const bus::Requester& who) override;
  bool read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester& who) override;

 private:
  using Words16 = std::array<uint32_t, 16>;
  void on_ctrl(uint32_t value);
  void on_key_read(uint32_t value);
  void on_block_read(uint32_t value);
  void core_done();
  void write_tag_to_vault(const kv::WriteCtrl& wc);
  Words16 core_key() const;
  bool kv_clients_ready() const { return key_rd_.ready() && block_rd_.ready(); }
  bool busy() const { return busy_ || !kv_clients_ready() || !kv_wr_.ready(); }
  uint32_t kv_ctrl_writable(unsigned id) const;
  void clear_state();

  BlockContext& ctx_;
  const bool v2_;
  const unsigned key_words_;  // 12 (1.x), 16 (2.x)
  IntrBlock intr_;
  kv::Client key_rd_, block_rd_, kv_wr_;
  bus::Event done_;

  struct Op {
    bool init = false;
    bool mode512 = false;
    Words16 key{};
    std::array<uint32_t, 32> block{};
  } op_;  // what the core latched at INIT/NEXT
  std::array<uint64_t, 8> inner_{};  // H1: the inner SHA-384/512 state, kept across NEXT
  Words16 kv_reg_{};
  bool busy_ = false;
  uint32_t block_lock_ = 0;
  bool kv_key_data_present_ = false;    // KEY locked against firmware until the tag
  bool kv_block_data_present_ = false;  // with the key: the tag is withheld from TAG
  unsigned kv_key_entry_ = 0, kv_block_entry_ = 0;
  // A failed vault read keeps its error code, and the code keeps the destination cleared
  // (KEY/BLOCK hwclr = error == KV_READ_FAIL) until a zeroize or a successful read.
  bool key_read_failed_ = false, block_read_failed_ = false;
  bool error_flag_ = false;  // 2.x key_zero/key_mode error: sticky until zeroize
};

}  // namespace calemu::caliptra
