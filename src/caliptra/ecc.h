// The ECC secp384r1 engine (caliptra-rtl src/ecc/rtl/ecc_dsa_ctrl.sv, ecc_reg.rdl,
// ecc_hmac_drbg_interface.sv, hmac_drbg.sv). As the RTL computes them:
//  - keygen: privkey = HMAC_DRBG(entropy = SEED, nonce = NONCE) (SHA-384, K = 0, V = 1,
//    rejection-sampled into [1, q-1]), pubkey = privkey * G. The same seed and nonce give
//    the same key pair.
//  - signing: h = MSG mod q (one subtraction), k = HMAC_DRBG(privkey, h) — RFC 6979 —
//    r = x(kG) mod q, s = k^-1 (h + r * privkey) mod q.
//  - verifying: VERIFY_R = affine x of (h s^-1) G + (r s^-1) Q; firmware compares it with r.
//  - PCR signing (PCR_SIGN with SIGN): the key comes straight from key-vault slot 7 and the
//    message from the SHA-512 engine's gen_pcr_hash digest.
//  - ECDH (2.x, DH_SHAREDKEY): DH_SHARED_KEY = affine x of privkey * PUBKEY, after the
//    public key checks. It goes to the key vault when KV_WR_CTRL asks, and is withheld from
//    DH_SHARED_KEY when the private key came from the vault.
// Bad inputs (privkey out of range, r/s out of range, a public key off the curve or not
// reduced, PCR_SIGN with KEYGEN/VERIFY/DH, r or s computed as zero) raise error_internal
// and end the command without VALID, as ecc_dsa_ctrl.sv's error_flag does; in 2.x the flag
// is sticky: the engine ignores every command until a zeroize. IV only seeds the
// side-channel masking (lambda, scalar blinding, signature masking) and changes no result.
#pragma once
#include <array>
#include <cstdint>
#include <functional>

#include "bus/regfile.h"
#include "bus/timeline.h"
#include "caliptra/block_context.h"
#include "caliptra/intr_block.h"
#include "caliptra/kv_client.h"

namespace calemu::caliptra {

class Ecc : public bus::RegBlock {
 public:
  static constexpr uint32_t kSize = 0x1000;  // ECC_REG_ADDR_WIDTH = 12
  // The hardware specification's ECC table (cycles at 400 MHz).
  static constexpr uint64_t kCyclesKeygen = 909'648;
  static constexpr uint64_t kCyclesSign = 932'990;
  static constexpr uint64_t kCyclesVerify = 1'223'938;
  // The key-generation DRBG runs (SCA randoms, then the key) before the point
  // multiplication; the private key is out, and its vault write starts, after them.
  static constexpr uint64_t kCyclesKeygenDrbg = 6'600;
  // ecc_pm_sequencer.sv CHK_PK runs before the verify multiplications.
  static constexpr uint64_t kCyclesPubkeyCheck = 2'000;
  // ECDH runs the CHK_PK program and one blinded scalar multiplication, as keygen does
  // (the hardware specification gives no figure).
  static constexpr uint64_t kCyclesSharedKey = kCyclesKeygen + kCyclesPubkeyCheck;

  using Words = std::array<uint32_t, 12>;  // a 384-bit value, most significant word first

  // ecc_reg.rdl; 2.x adds CTRL.DH_SHAREDKEY and DH_SHARED_KEY (last in the ids, absent
  // from the 1.x table).
#define CALEMU_ECC_REGS(X, ctrl_rw)                                             \
  X(ECC_NAME, 0x000, .count(2).ro().hook_read())                                \
  X(ECC_VERSION, 0x008, .count(2).ro().hook_read())                             \
  X(ECC_CTRL, 0x010, .rw(ctrl_rw).wo().hook_write())                            \
  X(ECC_STATUS, 0x018, .ro(0x3))                                                \
  X(ECC_SEED, 0x080, .count(12).wo().hook_write())                              \
  X(ECC_MSG, 0x100, .count(12).wo().hook_write())                               \
  X(ECC_PRIVKEY_OUT, 0x180, .count(12).ro())                                    \
  X(ECC_PUBKEY_X, 0x200, .count(12).hook_write())                               \
  X(ECC_PUBKEY_Y, 0x280, .count(12).hook_write())                               \
  X(ECC_SIGN_R, 0x300, .count(12).hook_write())                                 \
  X(ECC_SIGN_S, 0x380, .count(12).hook_write())                                 \
  X(ECC_VERIFY_R, 0x400, .count(12).ro())                                       \
  X(ECC_IV, 0x480, .count(12).wo().hook_write())                                \
  X(ECC_NONCE, 0x500, .count(12).wo().hook_write())                             \
  X(ECC_PRIVKEY_IN, 0x580, .count(12).wo().hook_write())                        \
  X(ecc_kv_rd_pkey_ctrl, 0x600, .hook_write())                                  \
  X(ecc_kv_rd_pkey_status, 0x604, .ro(0x3FF))                                   \
  X(ecc_kv_rd_seed_ctrl, 0x608, .hook_write())                                  \
  X(ecc_kv_rd_seed_status, 0x60C, .ro(0x3FF))                                   \
  X(ecc_kv_wr_pkey_ctrl, 0x610, .hook_write())                                  \
  X(ecc_kv_wr_pkey_status, 0x614, .ro(0x3FF))
#define CALEMU_ECC_REGS_2X(X) X(ECC_DH_SHARED_KEY, 0x5C0, .count(12).ro())
  enum Reg : unsigned { CALEMU_ECC_REGS(CALEMU_REG_ENUM, 0) CALEMU_ECC_REGS_2X(CALEMU_REG_ENUM) kNumRegs };
  static constexpr bus::RegDef kRegs[] = {CALEMU_ECC_REGS(CALEMU_REG_ROW, 0xF)};
  static constexpr bus::RegDef kRegs2x[] = {CALEMU_ECC_REGS(CALEMU_REG_ROW, 0x1F) CALEMU_ECC_REGS_2X(CALEMU_REG_ROW)};
#undef CALEMU_ECC_REGS_2X
#undef CALEMU_ECC_REGS

  explicit Ecc(BlockContext& ctx);

  // pcr_signing_data.pcr_hash: the SHA-512 engine's gen_pcr_hash digest, most significant
  // word first (caliptra_top.sv); MSG takes its first 12 words.
  using PcrHash = std::array<uint32_t, 16>;
  void set_pcr_hash_source(std::function<PcrHash()> source) { pcr_hash_ = std::move(source); }

  void reset(bus::ResetKind kind) override;
  void zeroize();  // CTRL.ZEROIZE, also debugUnlock_or_scan_mode_switch
  IntrBlock& intr() { return intr_; }

  // The engine's HMAC_DRBG (hmac_drbg.sv) on its first INIT: 384 bits in [1, q-1].
  static Words hmac_drbg(const Words& entropy, const Words& nonce);

 protected:
  Verdict write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester& who) override;
  void after_write(unsigned id, unsigned index, uint32_t old, const bus::Requester& who) override;
  bool read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester& who) override;

 private:
  enum class Cmd : unsigned { None = 0, Keygen = 1, Sign = 2, Verify = 3, SharedKey = 4 };
  void on_ctrl(uint32_t value);
  void start(Cmd cmd);
  void keygen_privkey_out();
  void finish();
  void fail();  // error_flag: abort without VALID
  void write_secret_to_vault();
  void on_privkey_read(uint32_t value);
  void on_seed_read(uint32_t value);
  void copy_in(unsigned id, const std::array<uint32_t, 16>& words, bool error, unsigned n);
  Words read_words(unsigned id) const;
  void write_words(unsigned id, const Words& w);
  bool ready() const { return !busy_; }
  bool engine_busy() const { return busy_ || !privkey_rd_.ready() || !seed_rd_.ready() || !kv_wr_.ready(); }
  uint32_t kv_ctrl_writable(unsigned id) const;
  void clear_state();

  BlockContext& ctx_;
  const bool v2_;
  IntrBlock intr_;
  kv::Client privkey_rd_, seed_rd_, kv_wr_;
  bus::Event done_, privkey_out_;
  std::function<PcrHash()> pcr_hash_;

  bool busy_ = false;
  Cmd cmd_ = Cmd::None;
  bool result_ok_ = false;
  Words privkey_{}, pub_x_{}, pub_y_{}, r_{}, s_{}, verify_r_{}, shared_{};
  Words kv_reg_{};
  bool kv_seed_data_present_ = false, kv_key_data_present_ = false;
  unsigned kv_seed_entry_ = 0, kv_key_entry_ = 0;
  bool error_flag_ = false;  // 2.x error_flag_reg: sticky until zeroize
  bool seed_read_failed_ = false, privkey_read_failed_ = false;
};

}  // namespace calemu::caliptra
