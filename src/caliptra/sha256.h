// The SHA-256 engine (caliptra-rtl src/sha256/rtl/sha256.sv, sha256_reg.rdl): padded 512-bit
// blocks, INIT/NEXT, SHA-224 or SHA-256, and the LMS Winternitz-chain accelerator of 1.x:
// with WNTZ_MODE the engine hashes the firmware's first block, then keeps hashing
// I || q || i || j || tmp for j up to 2^w - 2 without firmware involvement, the chain value
// truncated to 24 or 32 bytes (WNTZ_N_MODE). The register map is the same in 2.x; there a
// zeroize also stops the Winternitz chain, and INIT/NEXT only take writes while ready.
#pragma once
#include <array>
#include <cstdint>

#include "bus/regfile.h"
#include "bus/timeline.h"
#include "caliptra/block_context.h"
#include "caliptra/intr_block.h"

namespace calemu::caliptra {

class Sha256 : public bus::RegBlock {
 public:
  static constexpr uint32_t kSize = 0x1000;  // SHA256_REG_ADDR_WIDTH = 12
  // "Process" cycles per block in the hardware specification's SHA256 table (64 rounds + 2).
  static constexpr uint64_t kCyclesPerBlock = 66;
  // Between two Winternitz blocks the FSM spends a cycle loading the next block.
  static constexpr uint64_t kCyclesWntzStep = kCyclesPerBlock + 2;

#define CALEMU_SHA256_REGS(X)                                                   \
  X(SHA256_NAME, 0x000, .count(2).ro().hook_read())                             \
  X(SHA256_VERSION, 0x008, .count(2).ro().hook_read())                          \
  X(SHA256_CTRL, 0x010, .rw(0x3FF).reset(0x84).wo().hook_write())               \
  X(SHA256_STATUS, 0x018, .ro(0x7))                                             \
  X(SHA256_BLOCK, 0x080, .count(16).wo())                                       \
  X(SHA256_DIGEST, 0x100, .count(8).ro())
  CALEMU_REG_TABLE(CALEMU_SHA256_REGS)
#undef CALEMU_SHA256_REGS

  explicit Sha256(BlockContext& ctx);

  void reset(bus::ResetKind kind) override;
  void zeroize();  // CTRL.ZEROIZE, also debugUnlock_or_scan_mode_switch
  IntrBlock& intr() { return intr_; }

 protected:
  void after_write(unsigned id, unsigned index, uint32_t old, const bus::Requester& who) override;
  bool read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester& who) override;

 private:
  void on_ctrl(uint32_t value);
  void start(bool init, bool sha256, const std::array<uint32_t, 16>& block, uint64_t cycles);
  void block_done();
  std::array<uint32_t, 16> wntz_block() const;
  bool ready() const { return !busy_ && !wntz_busy_; }
  void update_status();
  void clear_state();

  BlockContext& ctx_;
  IntrBlock intr_;
  bus::Event done_;

  std::array<uint32_t, 8> h_{};
  std::array<uint32_t, 16> core_block_{};
  std::array<uint32_t, 8> digest_{};  // digest_reg (masked)
  bool busy_ = false, valid_ = false;

  // CTRL fields that only change while the engine is ready (swwe = sha256_ready).
  bool mode256_ = true;
  unsigned wntz_w_ = 4;
  bool wntz_n32_ = false;

  // The Winternitz FSM (no zeroize term in the RTL).
  bool wntz_busy_ = false;
  unsigned wntz_j_ = 0, wntz_iter_ = 0;
  bool wntz_chain_n32_ = false;
  std::array<uint8_t, 22> wntz_prefix_{};  // I (16) || q (4) || i (2)
};

}  // namespace calemu::caliptra
