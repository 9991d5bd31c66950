// The SHA-512 engine (caliptra-rtl src/sha512/rtl/sha512.sv, sha512_reg.rdl): firmware
// feeds padded 1024-bit blocks and triggers INIT/NEXT in one of the modes SHA-512/224,
// SHA-512/256, SHA-384 and SHA-512. Besides that, as the RTL wires it:
//  - PCR hash extend: VAULT_RD_CTRL with pcr_hash_extend copies a PCR into BLOCK[0..11]
//    (locked against firmware writes); the digest of the next LAST block goes back to that
//    PCR instead of DIGEST.
//  - gen_pcr_hash: a hash over all 32 PCRs and the nonce, for PCR quotes (SHA-384 in 1.x,
//    SHA-512 in 2.x); the result is also the message the ECC engine (and the 2.x Adams
//    Bridge) signs in its PCR-signing mode.
//  - KV_WR_CTRL: a write-enabled result is withheld from DIGEST and handed to the write
//    client, whose only port is the PCR vault during an extend (1.x and 2.x), so nothing
//    lands anywhere although the status reports success. A vault read without
//    pcr_hash_extend never completes (its PCR-vault port is only routed during an extend).
// 2.x (v2.0.4/v2.1.2) differences:
//  - DIGEST is the whole unmasked 512-bit state in every mode, and firmware may write it:
//    NEXT with RESTORE loads the state from DIGEST before hashing the block, so a hash can
//    be suspended and resumed.
//  - zeroize also stops gen_pcr_hash and releases the block locks; in 2.1 it clears the
//    locked BLOCK dwords too, and gen_pcr_hash locks BLOCK only while it runs.
//  - the vault control registers take writes only while the engine is idle.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "bus/regfile.h"
#include "bus/timeline.h"
#include "caliptra/block_context.h"
#include "caliptra/intr_block.h"
#include "caliptra/kv_client.h"

namespace calemu::caliptra {

class Sha512 : public bus::RegBlock {
 public:
  static constexpr uint32_t kSize = 0x1000;  // SHA512_REG_ADDR_WIDTH = 12
  // "Process" cycles per block in the hardware specification's SHA512 table.
  static constexpr uint64_t kCyclesPerBlock = 87;
  // pv_gen_hash.sv writes one block dword per cycle before each block starts.
  static constexpr uint64_t kCyclesBlockFill = 32;
  enum Mode : unsigned { kSha512_224 = 0, kSha512_256 = 1, kSha384 = 2, kSha512 = 3 };

  // One table per generation (sha512_reg.rdl). 2.x adds CTRL.RESTORE, makes DIGEST
  // writable (the restore source) and widens GEN_PCR_HASH_DIGEST to 16 words.
#define CALEMU_SHA512_REGS(X, ctrl_rw, digest, gen_words)                       \
  X(SHA512_NAME, 0x000, .count(2).ro().hook_read())                             \
  X(SHA512_VERSION, 0x008, .count(2).ro().hook_read())                          \
  X(SHA512_CTRL, 0x010, .rw(ctrl_rw).reset(0x8).wo().hook_write())              \
  X(SHA512_STATUS, 0x018, .ro(0x3))                                             \
  X(SHA512_BLOCK, 0x080, .count(32).wo().hook_write())                          \
  X(SHA512_DIGEST, 0x100, .count(16) digest)                                    \
  X(SHA512_VAULT_RD_CTRL, 0x600, .hook_write())                                 \
  X(SHA512_VAULT_RD_STATUS, 0x604, .ro(0x3FF))                                  \
  X(SHA512_KV_WR_CTRL, 0x608, .hook_write())                                    \
  X(SHA512_KV_WR_STATUS, 0x60C, .ro(0x3FF))                                     \
  X(SHA512_GEN_PCR_HASH_NONCE, 0x610, .count(8).wo())                           \
  X(SHA512_GEN_PCR_HASH_CTRL, 0x630, .rw(0x1).wo().hook_write())                \
  X(SHA512_GEN_PCR_HASH_STATUS, 0x634, .ro(0x3))                                \
  X(SHA512_GEN_PCR_HASH_DIGEST, 0x638, .count(gen_words).ro())
#define CALEMU_SHA512_REGS_1X(X) CALEMU_SHA512_REGS(X, 0x3F, .ro(), 12)
#define CALEMU_SHA512_REGS_2X(X) CALEMU_SHA512_REGS(X, 0x7F, , 16)
  CALEMU_REG_TABLE(CALEMU_SHA512_REGS_1X)
  static constexpr bus::RegDef kRegs2x[] = {CALEMU_SHA512_REGS_2X(CALEMU_REG_ROW)};
#undef CALEMU_SHA512_REGS_1X
#undef CALEMU_SHA512_REGS_2X
#undef CALEMU_SHA512_REGS

  explicit Sha512(BlockContext& ctx);

  void reset(bus::ResetKind kind) override;
  // CTRL.ZEROIZE, also driven by debugUnlock_or_scan_mode_switch.
  void zeroize();
  IntrBlock& intr() { return intr_; }
  // pcr_signing_hash: the last gen_pcr_hash digest, most significant word first: SHA-384
  // (12 words, the rest zero) in 1.x, SHA-512 in 2.x. The ECC engine signs its first 12
  // words, the 2.x Adams Bridge (ML-DSA) all 16.
  std::array<uint32_t, 16> pcr_signing_hash() const { return pcr_sign_; }

 protected:
  Verdict write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester& who) override;
  void after_write(unsigned id, unsigned index, uint32_t old, const bus::Requester& who) override;
  bool read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester& who) override;

 private:
  void on_ctrl(uint32_t value);
  void on_vault_read(uint32_t value);
  void on_gen_pcr_hash_start();
  void start_core(bool init, bool restore, unsigned mode, const std::array<uint32_t, 32>& block);
  void core_done();
  void gen_step();
  bool write_to_vault() const;
  void update_gen_status();
  void clear_state();

  uint32_t kv_ctrl_writable(unsigned id) const;

  BlockContext& ctx_;
  const bool v2_;
  IntrBlock intr_;
  kv::Client vault_rd_, kv_wr_;
  bus::Event core_done_, gen_step_;

  // The core.
  std::array<uint64_t, 8> h_{};
  std::array<uint32_t, 32> core_block_{};
  unsigned core_mode_ = kSha384;
  bool busy_ = false;
  bool core_last_ = false;  // the LAST qualifier of the block in flight

  // Firmware CTRL fields that persist between writes.
  unsigned mode_ = kSha384;
  bool last_ = false;

  uint32_t block_lock_ = 0;         // BLOCK dwords firmware may not overwrite
  bool kv_read_data_present_ = false;
  bool pcr_hash_extend_ip_ = false;
  unsigned hash_extend_entry_ = 0;
  std::array<uint32_t, 12> kv_reg_{};  // a result bound for a vault
  std::array<uint32_t, 16> pcr_sign_{};

  // gen_pcr_hash (pv_gen_hash.sv).
  bool gen_hash_ip_ = false;
  bool gen_wait_core_ = false;  // a block is filled and waits for the core
  unsigned gen_block_ = 0;
  std::vector<uint32_t> gen_message_;
};

}  // namespace calemu::caliptra
