// The deobfuscation engine (caliptra-rtl src/doe/rtl/doe_cbc.sv, doe_fsm.sv,
// doe_core_cbc.sv, doe_reg.rdl): AES-256-CBC decryption, with the SoC's obfuscation key,
// of the obfuscated UDS seed (12 words, 3 blocks, in 1.x) or field entropy (8 words, 2
// blocks) into a key-vault slot, with dest_valid = HMAC key | HMAC block. Each flow runs
// once per cold reset (UDS_FLOW_DONE / FE_FLOW_DONE lock it; a repeated command completes
// at once without touching the vault). CMD 3 zeroes the obfuscated secrets in soc_ifc.
// The CBC chain carries over from one block, and one flow, to the next until firmware
// writes an IV register.
// 2.x: the UDS seed is 16 words (4 blocks); the vault receives each flow's dwords at
// contiguous offsets (last_dword 15 for the UDS, 7 for the FE). 2.1 adds CMD_EXT and the
// OCP LOCK HEK flow (CMD_EXT = 1, CMD = 0: command 4): the 8-word obfuscated HEK seed
// (soc_ifc fuse_hek_seed, never replaced in debug mode) into DEST with dest_valid = HMAC
// block only. With the ss_ocp_lock_en strap, the vault's write rules apply (the DOE may not
// write the key release slot 23): the flow then sets STATUS.ERROR and stalls in its write
// state, as doe_fsm.sv does, until a CMD 3 or a debug/scan switch.
#pragma once
#include <array>
#include <cstdint>

#include "bus/regfile.h"
#include "bus/timeline.h"
#include "caliptra/block_context.h"
#include "caliptra/intr_block.h"

namespace calemu::caliptra {

class Doe : public bus::RegBlock {
 public:
  static constexpr uint32_t kSize = 0x1000;  // DOE_REG_ADDR_WIDTH = 12
  // doe_key_mem.sv expands the key in ~16 cycles; doe_decipher_block.sv spends 4 S-box
  // cycles and one update per round, 14 rounds, plus the FSM's block load and 4 KV writes.
  static constexpr uint64_t kCyclesKeyExpansion = 16;
  static constexpr uint64_t kCyclesPerBlock = 14 * 5 + 2 + 4;
  enum Cmd : uint32_t { kIdle = 0, kUds = 1, kFe = 2, kClearObfSecrets = 3, kHek = 4 };
  // DOE_STATUS fields.
  static constexpr uint32_t kReady = 1u << 0, kValid = 1u << 1, kUdsFlowDone = 1u << 2, kFeFlowDone = 1u << 3,
                            kSecretsCleared = 1u << 4, kHekFlowDone = 1u << 5, kError = 1u << 8;

  // doe_reg.rdl; 2.1 adds DOE_CTRL.CMD_EXT[8:7] and STATUS HEK_FLOW_DONE, ERROR.
#define CALEMU_DOE_REGS(X, ctrl_rw, status_bits)                                \
  X(DOE_IV, 0x000, .count(4).hook_write())                                      \
  X(DOE_CTRL, 0x010, .rw(ctrl_rw).hook_write())                                 \
  X(DOE_STATUS, 0x014, .ro(status_bits).sticky())
#define CALEMU_DOE_REGS_1X(X) CALEMU_DOE_REGS(X, 0x7F, 0x1F)
#define CALEMU_DOE_REGS_21(X) CALEMU_DOE_REGS(X, 0x1FF, 0x13F)
  CALEMU_REG_TABLE(CALEMU_DOE_REGS_1X)
  static constexpr bus::RegDef kRegs21[] = {CALEMU_DOE_REGS_21(CALEMU_REG_ROW)};
#undef CALEMU_DOE_REGS_1X
#undef CALEMU_DOE_REGS_21
#undef CALEMU_DOE_REGS

  explicit Doe(BlockContext& ctx);

  void reset(bus::ResetKind kind) override;
  // debugUnlock_or_scan_mode_switch drives the same clear as CMD 3 (doe_cbc.sv).
  void clear_obf_secrets();
  IntrBlock& intr() { return intr_; }

 protected:
  void after_write(unsigned id, unsigned index, uint32_t old, const bus::Requester& who) override;

 private:
  void on_ctrl(uint32_t value);
  void run_flow(Cmd cmd, unsigned dest);
  void flow_done();
  std::span<const uint32_t> obfuscated(Cmd cmd) const;
  static uint32_t flow_done_bit(Cmd cmd);
  void set_status(uint32_t bit, bool on) { reg(DOE_STATUS) = on ? reg(DOE_STATUS) | bit : reg(DOE_STATUS) & ~bit; }

  BlockContext& ctx_;
  const unsigned uds_words_;  // CLP_OBF_UDS_DWORDS: 12 (1.x), 16 (2.x)
  IntrBlock intr_;
  bus::Event done_;
  Cmd running_ = kIdle;
  bool chained_ = false;      // the CBC engine holds the previous ciphertext (doe_core_cbc.sv)
  std::array<uint8_t, 16> chain_{};
  std::array<uint32_t, 16> pending_{};  // the flow's plaintext, written to the vault at its end
  unsigned pending_words_ = 0;
  unsigned dest_ = 0;
};

}  // namespace calemu::caliptra
