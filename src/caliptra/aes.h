// The AES engine of Caliptra 2.x: OpenTitan's AES unit (caliptra-rtl src/aes/rtl: aes_core.sv,
// aes_control_fsm.sv, aes_ghash.sv, aes_ctr.sv, aes_reg_status.sv, the shadowed control
// registers) behind the Caliptra wrapper aes_clp_wrapper.sv, whose own registers
// (aes_clp_reg.rdl: name, version, the Trivium entropy seed, the key-vault key read, and in
// 2.1 the data endianness swap and the key-vault write of the output) sit at +0x800.
//
// The core is modelled as its control FSM sees it: an operation starts when its start
// conditions hold (the RTL's status trackers for key, IV, input and output registers), runs for
// the cipher core's or GHASH block's latency, and ends by writing DATA_OUT, unless the previous
// output has not been read yet (automatic mode stalls). Modes ECB/CBC/CFB/OFB/CTR and GCM
// (init, restore, AAD, text, save, tag), 128/192/256-bit keys, manual operation, register
// clearing and PRNG reseeding triggers, the key sideloaded from the key vault, and the
// shadowed-register update errors are modelled; the masking and the PRNGs' exact
// pseudo-random values are not (see docs/ips/aes.md).
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "bus/regfile.h"
#include "bus/timeline.h"
#include "caliptra/block_context.h"
#include "caliptra/intr_block.h"
#include "caliptra/kv_client.h"
#include "caliptra/shadowed_reg.h"
#include "crypto/aes.h"

namespace calemu::caliptra {

class Aes : public bus::RegBlock {
 public:
  static constexpr uint32_t kSize = 0x1000;       // 0x1001_1000 .. 0x1001_1FFF
  static constexpr uint32_t kClpOffset = 0x800;   // caliptra_tlul_adapter_vh VH_REGISTER_ADDRESS_OFFSET

  // aes_pkg.sv encodings (one-hot fields of CTRL_SHADOWED / CTRL_GCM_SHADOWED).
  enum Op : uint32_t { kEnc = 1, kDec = 2 };
  enum Mode : uint32_t { kEcb = 1, kCbc = 2, kCfb = 4, kOfb = 8, kCtr = 16, kGcm = 32, kModeNone = 63 };
  enum KeyLen : uint32_t { k128 = 1, k192 = 2, k256 = 4 };
  enum GcmPhase : uint32_t { kInit = 1, kRestore = 2, kAad = 4, kText = 8, kSave = 16, kTag = 32 };
  // TRIGGER fields.
  static constexpr uint32_t kStart = 1u << 0, kKeyIvDataInClear = 1u << 1, kDataOutClear = 1u << 2,
                            kPrngReseed = 1u << 3;
  // STATUS fields.
  static constexpr uint32_t kIdle = 1u << 0, kStall = 1u << 1, kOutputLost = 1u << 2, kOutputValid = 1u << 3,
                            kInputReady = 1u << 4, kAlertRecovCtrlUpdateErr = 1u << 5, kAlertFatalFault = 1u << 6;

  // aes.rdl / aes_reg_top.sv (offsets, reset values of the RTL; the key, IV, input and output
  // registers live in the model, the table only names them).
#define CALEMU_AES_REGS(X)                                                  \
  X(ALERT_TEST, 0x00, .rw(0x3).wo())                                        \
  X(KEY_SHARE0, 0x04, .count(8).wo().hook_write())                          \
  X(KEY_SHARE1, 0x24, .count(8).wo().hook_write())                          \
  X(IV, 0x44, .count(4).hooks())                                            \
  X(DATA_IN, 0x54, .count(4).wo().hook_write())                             \
  X(DATA_OUT, 0x64, .count(4).ro().hook_read())                             \
  X(CTRL_SHADOWED, 0x74, .reset(0x11FD).rw(0xFFFF).hooks())                 \
  X(CTRL_AUX_SHADOWED, 0x78, .reset(0x1).rw(0x3).hooks())                   \
  X(CTRL_AUX_REGWEN, 0x7C, .reset(0x1).rw(0x1).hook_write())                \
  X(TRIGGER, 0x80, .reset(0xE).rw(0xF).wo().hook_write())                   \
  X(STATUS, 0x84, .ro(0x7F).hook_read())                                    \
  X(CTRL_GCM_SHADOWED, 0x88, .reset(0x401).rw(0x7FF).hooks())
  CALEMU_REG_TABLE(CALEMU_AES_REGS)
#undef CALEMU_AES_REGS

  // Latencies in core clocks (aes_cipher_core.sv with the DOM S-box: 5 cycles per round plus
  // the load and final round; aes_ghash.sv with GFMultCycles = 32).
  static constexpr uint64_t cipher_cycles(unsigned rounds) { return 5 * rounds + 6; }
  static constexpr uint64_t kGhashCycles = 32 + 4;
  static constexpr uint64_t kGhashClearCycles = 32 + 2;  // GHASH_MASKED_INIT after output or clear
  static constexpr uint64_t kReseedCycles = 20;          // EDN words for the clearing and masking PRNGs
  static constexpr uint64_t kClearCycles = 4;
  static constexpr uint64_t kLoadCycles = 2;             // CTRL_IDLE -> CTRL_LOAD -> CTRL_GHASH_READY

  explicit Aes(BlockContext& ctx);
  ~Aes() override;

  bus::BusResult read(uint32_t offset, unsigned size, uint32_t& value, const bus::Requester& who) override;
  bus::BusResult write(uint32_t offset, unsigned size, uint32_t value, const bus::Requester& who) override;
  void reset(bus::ResetKind kind) override;

  // debugUnlock_or_scan_mode_switch (aes_clp_wrapper.sv): the key-vault clients and the
  // buffered vault key are zeroized, and in 2.1 the output captured for the vault. The AES
  // core itself is not cleared.
  void zeroize();
  // A storage error in a shadowed control register (fault injection; cannot happen
  // otherwise): the fatal alert, STATUS.ALERT_FATAL_FAULT, and the control FSM's terminal
  // error state until reset.
  void inject_fatal_fault();

  // --- The AXI DMA's AES mode (2.1; aes_clp_wrapper.sv dma_req_*, axi_dma_ctrl.sv AES FSM).
  // The DMA reaches the core registers through the same TL-UL path as firmware (offsets
  // relative to the block, CTRL0.ENDIAN_SWAP applies to DATA_IN/DATA_OUT), and watches three
  // status wires.
  bool input_ready() const { return status_bit(kInputReady); }
  bool output_valid() const { return status_bit(kOutputValid); }
  bool status_idle() const { return status_bit(kIdle); }
  bus::BusResult dma_write(uint32_t offset, uint32_t value);
  bus::BusResult dma_read(uint32_t offset, uint32_t& value);
  // The four DATA_IN / DATA_OUT words of one 128-bit block (DMA_IN_0 first), and the GCM
  // byte-count update the DMA does before a final partial block (two CTRL_GCM_SHADOWED
  // writes: phase TEXT, num_valid_bytes).
  bus::BusResult push_block(const std::array<uint32_t, 4>& words);
  bus::BusResult pull_block(std::array<uint32_t, 4>& words);
  bus::BusResult set_gcm_text_bytes(unsigned num_valid_bytes);
  // Called whenever INPUT_READY, OUTPUT_VALID or IDLE may have changed.
  void set_status_observer(std::function<void()> obs) { status_observer_ = std::move(obs); }

  IntrBlock& intr();

 protected:
  Verdict write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester& who) override;
  void after_write(unsigned id, unsigned index, uint32_t old, const bus::Requester& who) override;
  bool read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester& who) override;

 private:
  class Clp;
  using Block = crypto::Block16;
  using Words4 = std::array<uint32_t, 4>;

  // The control FSM, reduced to what software can observe.
  enum class Fsm : uint8_t { Idle, Busy, Stalled, Error };
  enum class Job : uint8_t { None, Reseed, Clear, DecKeyGen, Cipher, GhashIn, GhashOut };
  // What the running job does when it ends (computed when it starts).
  struct Pending {
    Job job = Job::None;
    uint32_t triggers = 0;         // Clear: which clears; Reseed
    bool write_output = false;     // data_out_we
    Words4 output{};
    std::optional<Words4> iv_at_end;  // CBC/CFB/OFB feedback
    bool arm_iv = false;
    enum class Ghash : uint8_t { None, HashSubkey, S, Text, Restore, Aad, Save, Tag } ghash = Ghash::None;
    Block ghash_in{};              // text/AAD/tag block (masked) or restore value
    Block cipher_out{};            // H or S
  };

  // Register status tracking (aes_reg_status.sv): which registers software (or the counter)
  // wrote since the last use or clear.
  struct RegStatus {
    uint32_t all = 0;     // every register
    uint32_t written = 0;
    bool armed = false, is_new = false, clean = false;
    bool write(uint32_t bits);  // returns true on the rising edge of "new" (new_pulse_o)
    void use() { written = 0; armed = false; is_new = false; }
    void clear() { use(); clean = false; }
    void arm() { armed = true; }
  };

  // Decoded control fields.
  uint32_t op() const { return ctrl_.value() & 0x3; }
  uint32_t mode() const { return ctrl_.value() >> 2 & 0x3F; }
  uint32_t key_len() const { return ctrl_.value() >> 8 & 0x7; }
  bool sideload() const { return ctrl_.value() >> 11 & 1; }
  bool manual() const { return ctrl_.value() >> 15 & 1; }
  uint32_t gcm_phase() const { return gcm_.value() & 0x3F; }
  unsigned num_valid_bytes() const { return gcm_.value() >> 6 & 0x1F; }
  bool key_touch_forces_reseed() const { return aux_.value() & 1; }
  static uint32_t normalize_ctrl(uint32_t v, bool aes192);
  uint32_t normalize_gcm(uint32_t v) const;

  bool status_bit(uint32_t b) const { return (status_ & b) != 0; }
  void set_status(uint32_t b, bool on);
  bool cfg_valid() const { return mode() != kModeNone && !fatal_; }
  bool ghash_busy() const { return ctx_.timeline.now() < ghash_free_at_; }
  bool data_in_new() const { return data_in_written_ == 0xF; }
  bool start_common() const;
  bool start_common_gcm() const;
  bool gcm_in(uint32_t phase) const { return mode() == kGcm && gcm_phase() == phase; }
  bool start_gcm_hsk_or_s() const;
  bool start_gcm_restore() const;
  bool start_gcm_aad() const;
  bool start_gcm_save() const;
  bool start_gcm_tag() const;
  bool start_cipher() const;

  // The FSM.
  void evaluate();
  void begin(Job job, uint64_t cycles);
  void begin_cipher();
  void begin_ghash_in();
  void begin_ghash_out(bool tag);
  void job_done();
  void finish_job(bool output_read_now);
  void on_ghash_free();
  void update_idle();
  void notify();
  uint64_t after_ghash(uint64_t cycles) const;

  // Register effects.
  void write_ctrl(uint32_t value);
  void write_gcm(uint32_t value);
  void write_aux(uint32_t value);
  void write_key(unsigned share, unsigned index, uint32_t value);
  void write_iv(unsigned index, uint32_t value);
  void write_data_in(unsigned index);
  void read_data_out(unsigned index);
  void data_out_read();
  void clear_in_out_status();
  void sideload_key();
  void apply_clear(uint32_t triggers);
  void new_key_pulse();

  Block key_bytes_block(const Words4& w) const;
  crypto::AesBlockCipher cipher() const;
  uint32_t prd() { return static_cast<uint32_t>(prng_next()); }
  uint64_t prng_next();
  void ghash_clear();

  // 2.1 key-vault write of the output (aes.sv Caliptra intercept, kv_write_client).
  bool block_reg_output() const;
  uint32_t key_release_bytes() const;
  void kv_capture(const Words4& out);
  void kv_idle_rose();

  BlockContext& ctx_;
  std::unique_ptr<Clp> clp_;
  bus::Event done_, ghash_done_;
  std::function<void()> status_observer_;

  ShadowedReg ctrl_{0x11FD}, aux_{0x1}, gcm_{0x401};
  std::array<std::array<uint32_t, 8>, 2> key_init_{};
  Words4 iv_{}, data_out_{}, data_in_prev_{};
  uint32_t trigger_ = 0;
  uint32_t status_ = 0;
  RegStatus key_status_{0xFFFF}, iv_status_{0xF};
  uint32_t data_in_written_ = 0, data_out_read_ = 0;
  Fsm fsm_ = Fsm::Idle;
  Pending pending_;
  bool fatal_ = false;
  // GHASH (aes_ghash.sv), in SP 800-38D byte order.
  Block h_{}, s_{}, y_{};
  bool hash_subkey_ready_ = false, s_ready_ = false, first_block_ = true;
  uint64_t ghash_free_at_ = 0;
  uint64_t prng_state_ = 0;

  // The sideloaded key (aes_clp_wrapper.sv keymgr_key): share 0, share 1 is zero.
  std::array<uint32_t, 8> keymgr_key_{};
  bool keymgr_valid_ = false;
  unsigned kv_key_slot_ = 0;  // kv_key_present_slot
  // 2.1 output capture for the key vault.
  bool kv_intercept_ = false, kv_mask_data_out_ = false;
  unsigned kv_counter_ = 0;
  std::array<uint32_t, 16> kv_data_{};
  bool kv_data_valid_ = false;
};

}  // namespace calemu::caliptra
