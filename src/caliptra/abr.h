// The Adams Bridge post-quantum engine at 0x1003_0000 (chipsalliance/adams-bridge as
// caliptra-rtl 2.x pins it): ML-DSA-87 in 2.0 (mldsa_top: mldsa_ctrl.sv, mldsa_reg.rdl) and
// ML-DSA-87 plus ML-KEM-1024 in 2.1 (abr_top: abr_ctrl.sv, abr_reg.rdl).
//
// Byte strings (seeds, messages, keys, signatures, ciphertexts, shared keys) sit in the
// registers as little-endian words: byte i of the FIPS 203/204 encoding is bits 8(i%4) of
// word i/4. Key-vault routes reverse the word order (entry dword i <-> register word n-1-i),
// and so do the PCR-signing inputs: SEED[i] = key-vault slot 8 dword 7-i, MSG[i] =
// SHA-512 GEN_PCR_HASH_DIGEST[15-i].
//
// The results live in the engine's own storage as the RTL keeps it, so the aliasing that
// firmware can observe is the RTL's: in 2.1 the first 32 private-key words, the public key's
// rho and the ML-KEM rho/H(ek)/z/shared key share one 48-word scratch register file, and the
// rest of the ML-DSA private key shares one memory with the ML-KEM decapsulation key,
// encapsulation key, ciphertext and message.
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
#include "crypto/bytes.h"
#include "crypto/mldsa87.h"

namespace calemu::caliptra {

class Abr : public bus::RegBlock {
 public:
  static constexpr uint32_t kSize = 0x10000;
  static constexpr uint32_t kIntrOffset = 0x8100;

  // Latencies in core cycles (AdamsBridge_MLDSA.md / AdamsBridge_MLKEM.md "Performance and
  // Area Results", the protected configuration the RTL builds).
  static constexpr uint64_t kCyclesMldsaKeygen = 15'600;
  static constexpr uint64_t kCyclesMldsaSignRound = 36'700;  // per try of the rejection loop
  static constexpr uint64_t kCyclesMldsaVerify = 18'800;
  static constexpr uint64_t kCyclesMlkemKeygen = 6'603;
  static constexpr uint64_t kCyclesMlkemEncaps = 8'509;
  static constexpr uint64_t kCyclesMlkemDecaps = 12'117;
  // Where the message is consumed, estimated from the sequencer programs: signing loads
  // tr and the message right after seeding its LFSR (abr_seq.sv MLDSA_SIGN_S..H_MU);
  // verification first decodes pk and z, checks ||z|| and hashes pk into tr (VERIFY_S..H_TR).
  static constexpr uint64_t kCyclesSignBeforeMessage = 120;
  static constexpr uint64_t kCyclesVerifyBeforeMessage = 2'300;
  // The secret key decoder runs after mu and rho'' (MLDSA_SIGN_INIT_S).
  static constexpr uint64_t kCyclesSkDecode = 600;
  // ZEROIZE scrubs the internal memories one address per cycle (MLDSA_MEM_MAX_DEPTH = 1408
  // in 2.0, ABR_MEM_MAX_DEPTH = 1472 in 2.1) before READY returns.
  static constexpr uint64_t kCyclesZeroize20 = 1408 + 2, kCyclesZeroize21 = 1472 + 2;

  // Register ids, shared by both generations; 2.0's table stops at kNumMldsaRegs.
  enum Reg : unsigned {
    MLDSA_NAME, MLDSA_VERSION, MLDSA_CTRL, MLDSA_STATUS, ENTROPY, MLDSA_SEED, MLDSA_SIGN_RND, MLDSA_MSG,
    MLDSA_VERIFY_RES, MLDSA_EXTERNAL_MU, MLDSA_MSG_STROBE, MLDSA_CTX_CONFIG, MLDSA_CTX, MLDSA_PUBKEY,
    MLDSA_SIGNATURE, MLDSA_PRIVKEY_OUT, MLDSA_PRIVKEY_IN, KV_MLDSA_SEED_RD_CTRL, KV_MLDSA_SEED_RD_STATUS,
    kNumMldsaRegs,
    MLKEM_NAME = kNumMldsaRegs, MLKEM_VERSION, MLKEM_CTRL, MLKEM_STATUS, MLKEM_SEED_D, MLKEM_SEED_Z,
    MLKEM_SHARED_KEY, MLKEM_MSG, MLKEM_DECAPS_KEY, MLKEM_ENCAPS_KEY, MLKEM_CIPHERTEXT, KV_MLKEM_SEED_RD_CTRL,
    KV_MLKEM_SEED_RD_STATUS, KV_MLKEM_MSG_RD_CTRL, KV_MLKEM_MSG_RD_STATUS, KV_MLKEM_SHAREDKEY_WR_CTRL,
    KV_MLKEM_SHAREDKEY_WR_STATUS, kNumRegs
  };

  // Word counts.
  static constexpr unsigned kSeedWords = 8, kMsgWords = 16, kPubkeyWords = 648, kSignatureWords = 1157,
                            kPrivkeyWords = 1224, kDecapsKeyWords = 792, kEncapsKeyWords = 392,
                            kCiphertextWords = 392, kSharedKeyWords = 8, kKemMsgWords = 8;

  // The RDL names of each generation ("MLDSA" addrmap in 2.0, "ABR" in 2.1).
  static const bus::RegDef kRegs20[kNumMldsaRegs];
  static const bus::RegDef kRegs21[kNumRegs];

  explicit Abr(BlockContext& ctx);
  ~Abr() override;

  // pcr_signing_data.pcr_hash: the SHA-512 engine's gen_pcr_hash digest, 16 words in
  // GEN_PCR_HASH_DIGEST register order (word 0 = the digest's first four bytes, big-endian).
  void set_pcr_hash_source(std::function<std::array<uint32_t, 16>()> source) { pcr_hash_ = std::move(source); }

  void reset(bus::ResetKind kind) override;
  void zeroize();  // CTRL.ZEROIZE (either half in 2.1), also debugUnlock_or_scan_mode_switch
  IntrBlock& intr() { return intr_; }
  bool has_mlkem() const { return ctx_.hw == HwGen::V2_1; }

 protected:
  Verdict write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester& who) override;
  void after_write(unsigned id, unsigned index, uint32_t old, const bus::Requester& who) override;
  bool read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester& who) override;

 private:
  enum class Op : uint8_t { None, DsaKeygen, DsaSign, DsaVerify, DsaKeygenSign, KemKeygen, KemEncaps, KemDecaps, KemKeygenDecaps };
  enum class Phase : uint8_t { Idle, Running, Streaming, Zeroizing, Error };
  struct Results;  // what the running command will publish when it ends

  bool v21() const { return ctx_.hw == HwGen::V2_1; }
  bool ready() const;
  bool dsa_op() const { return op_ >= Op::DsaKeygen && op_ <= Op::DsaKeygenSign; }
  uint32_t mldsa_status() const;
  uint32_t mlkem_status() const;

  // Commands.
  void on_mldsa_ctrl(uint32_t value);
  void on_mlkem_ctrl(uint32_t value);
  void load_pcr_signing_inputs(bool external_mu);
  void start(Op op, uint64_t cycles_to_stage);
  void stage();
  void stream_word(uint32_t word);
  void run_after_message(const crypto::Bytes& mu);
  void run_kem();
  void finish();
  void fail();  // error_flag: the error interrupt; 2.1 stays in ERROR until a zeroize
  void publish_dsa_keypair(const crypto::Bytes& pk, const crypto::Bytes& sk);

  // Key-vault copies.
  void on_kv_read(unsigned ctrl_id);
  void write_shared_key_to_kv();

  // Storage views (word i of each API array as the RTL maps it).
  uint32_t& privkey_word(unsigned i) { return i < 32 ? scratch_[i] : sk_mem_[i - 32]; }
  uint32_t& pubkey_word(unsigned i) { return i < 8 ? (v21() ? scratch_[i] : pk_rho_[i]) : pk_mem_[i - 8]; }
  uint32_t& dk_word(unsigned i) { return i < 768 ? sk_mem_[i] : scratch_[i & 31]; }
  uint32_t& ek_word(unsigned i) { return i < 384 ? sk_mem_[384 + i] : scratch_[i & 7]; }
  uint32_t& ct_word(unsigned i) { return sk_mem_[768 + i]; }
  uint32_t& kem_msg_word(unsigned i) { return sk_mem_[1160 + i]; }
  uint32_t& seed_z_word(unsigned i) { return scratch_[16 + i]; }
  uint32_t& shared_key_word(unsigned i) { return scratch_[32 + i]; }
  template <typename F>
  crypto::Bytes gather(unsigned words, size_t bytes, F word);
  template <typename F>
  void scatter(crypto::ByteView bytes, F word);
  crypto::Bytes privkey_bytes();
  crypto::Bytes pubkey_bytes();
  crypto::Bytes signature_bytes();
  crypto::Bytes dk_bytes();
  crypto::Bytes ek_bytes();
  crypto::Bytes ct_bytes();
  uint32_t& kv_target_word(unsigned ctrl_id, unsigned dword);
  void clear_kv_target(unsigned ctrl_id);
  crypto::Bytes reg_bytes(unsigned id, unsigned words) const;
  void set_reg_words(unsigned id, crypto::ByteView bytes);

  bool api_readable(unsigned id, unsigned index) const;
  uint32_t api_read(unsigned id, unsigned index);
  Verdict api_write(unsigned id, unsigned index, uint32_t value);
  void clear_state(bool zeroizing);
  void clear_data();

  BlockContext& ctx_;
  IntrBlock intr_;
  kv::Client mldsa_seed_rd_;
  std::unique_ptr<kv::Client> mlkem_seed_rd_, mlkem_msg_rd_, shared_key_wr_;  // 2.1
  bus::Event stage_, done_, zeroized_;
  std::function<std::array<uint32_t, 16>()> pcr_hash_;

  Phase phase_ = Phase::Idle;
  Op op_ = Op::None;
  std::unique_ptr<Results> results_;
  std::unique_ptr<crypto::mldsa87::MuHasher> stream_mu_;
  bool stream_mode_ = false;   // CTRL.STREAM_MSG, kept until a zeroize
  bool external_mu_ = false;   // the running command's EXTERNAL_MU (2.1)
  bool stream_ready_ = false;  // STATUS.MSG_STREAM_READY
  bool dsa_valid_ = false, kem_valid_ = false;
  bool error_ = false;  // error_flag_reg
  bool privkey_lock_ = true, dk_lock_ = true;
  bool kv_seed_present_ = false, kv_kem_seed_present_ = false, kv_kem_msg_present_ = false;
  // 2.0's read-data flops for the register-backed parts of PUBKEY and SIGNATURE, which a
  // read returns while VALID is low.
  uint32_t pk_read_latch_ = 0, sig_read_latch_ = 0;

  std::array<uint32_t, 48> scratch_{};  // 2.1 abr_scratch_reg; 2.0 privatekey_reg (words 0..31)
  std::array<uint32_t, 8> pk_rho_{};    // 2.0 publickey_reg
  std::array<uint32_t, 1192> sk_mem_{};
  std::array<uint32_t, 640> pk_mem_{};
  std::array<uint32_t, kSignatureWords> sig_{};
};

}  // namespace calemu::caliptra
