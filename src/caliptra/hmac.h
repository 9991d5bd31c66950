// The HMAC-384 engine of 1.x (caliptra-rtl src/hmac/rtl/hmac.sv, hmac_core.v, hmac_reg.rdl).
// Firmware supplies a 384-bit key and padded 1024-bit blocks (the inner hash's length
// counts the 1024-bit key block); INIT hashes key^ipad and the first block, NEXT continues
// the inner hash, and every INIT/NEXT ends with a full outer hash, so TAG is valid after
// each block. Key and block can come from the key vault, the tag can go to it; a tag
// computed from vault data never appears in TAG. LFSR_SEED feeds the SCA masking LFSR
// inside the SHA-512 cores (hmac_lfsr.sv) and changes no result.
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

#define CALEMU_HMAC_REGS(X)                                                     \
  X(HMAC384_NAME, 0x000, .count(2).ro().hook_read())                            \
  X(HMAC384_VERSION, 0x008, .count(2).ro().hook_read())                         \
  X(HMAC384_CTRL, 0x010, .rw(0x7).wo().hook_write())                            \
  X(HMAC384_STATUS, 0x018, .ro(0x3))                                            \
  X(HMAC384_KEY, 0x040, .count(12).wo().hook_write())                           \
  X(HMAC384_BLOCK, 0x080, .count(32).wo().hook_write())                         \
  X(HMAC384_TAG, 0x100, .count(12).ro())                                        \
  X(HMAC384_LFSR_SEED, 0x130, .count(12).reset(0x3CAB'FFB0).wo())               \
  X(HMAC384_KV_RD_KEY_CTRL, 0x600, .hook_write())                               \
  X(HMAC384_KV_RD_KEY_STATUS, 0x604, .ro(0x3FF))                                \
  X(HMAC384_KV_RD_BLOCK_CTRL, 0x608, .hook_write())                             \
  X(HMAC384_KV_RD_BLOCK_STATUS, 0x60C, .ro(0x3FF))                              \
  X(HMAC384_KV_WR_CTRL, 0x610, .hook_write())                                   \
  X(HMAC384_KV_WR_STATUS, 0x614, .ro(0x3FF))
  CALEMU_REG_TABLE(CALEMU_HMAC_REGS)
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
  void on_ctrl(uint32_t value);
  void on_key_read(uint32_t value);
  void on_block_read(uint32_t value);
  void core_done();
  bool kv_clients_ready() const { return key_rd_.ready() && block_rd_.ready(); }
  void clear_state();

  BlockContext& ctx_;
  IntrBlock intr_;
  kv::Client key_rd_, block_rd_, kv_wr_;
  bus::Event done_;

  struct Op {
    bool init = false;
    std::array<uint32_t, 12> key{};
    std::array<uint32_t, 32> block{};
  } op_;  // the key and block the core latched at INIT/NEXT
  std::array<uint64_t, 8> inner_{};  // H1: the inner SHA-384 state, kept across NEXT
  std::array<uint32_t, 12> tag_{};
  std::array<uint32_t, 12> kv_reg_{};
  bool busy_ = false, valid_ = false;
  uint32_t block_lock_ = 0;
  bool kv_key_data_present_ = false;  // KEY locked against firmware until the tag
  bool kv_data_present_ = false;      // the tag is withheld from TAG
  // A failed vault read keeps its error code, and the code keeps the destination cleared
  // (KEY/BLOCK hwclr = error == KV_READ_FAIL) until a zeroize or a successful read.
  bool key_read_failed_ = false, block_read_failed_ = false;
};

}  // namespace calemu::caliptra
