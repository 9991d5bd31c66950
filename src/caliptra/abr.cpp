#include "caliptra/abr.h"

#include "caliptra/keyvault.h"
#include "crypto/mlkem1024.h"
#include "crypto/sha.h"

namespace calemu::caliptra {

namespace {

using bus::RegDef;
using crypto::Bytes;
using crypto::ByteView;

// MLDSA_CTRL / MLKEM_CTRL fields.
constexpr uint32_t kCmdMask = 0x7, kZeroize = 1u << 3, kPcrSign = 1u << 4, kExternalMu = 1u << 5,
                   kStreamMsg = 1u << 6;
// Command codes (abr_params_pkg.sv mldsa_cmd_e / mlkem_cmd_e).
constexpr uint32_t kKeygen = 1, kSign = 2, kVerify = 3, kKeygenSign = 4;  // ML-DSA
constexpr uint32_t kEncaps = 2, kDecaps = 3, kKeygenDecaps = 4;           // ML-KEM (1 = keygen)

// *_CORE_NAME / *_CORE_VERSION (mldsa_params_pkg.sv, abr_params_pkg.sv): "MLDSA-87", "KEM-1024",
// versions "1.0.3" (2.0) and "2.0.3" (2.1), low word first.
constexpr uint32_t kMldsaName[2] = {0x44534D4C, 0x3837412D};
constexpr uint32_t kMlkemName[2] = {0x4D2D4B45, 0x32343130};
constexpr uint32_t kVersion20[2] = {0x2e302e31, 0x00000033};
constexpr uint32_t kVersion21[2] = {0x302e322e, 0x00003300};

constexpr unsigned kSignatureBytes = crypto::mldsa87::kSignatureBytes;  // the last word's top byte is unused

// kv_read_ctrl_reg read_en[0] read_entry[5:1]: the fields a 2.1 read client lets software
// write (pcr_hash_extend and rsvd have swwe = 0 in abr_ctrl.sv). kv_write_ctrl_reg: write_en,
// write_entry and the nine destination-valid bits.
constexpr uint32_t kKvReadCtrlWritable21 = 0x3F, kKvWriteCtrlWritable = 0x7FFF;

// A key-vault copy moves one dword per cycle between leaving IDLE and DONE (kv_fsm.sv).
constexpr uint64_t kv_copy_cycles(unsigned dwords) { return dwords + 2; }

#define CALEMU_ABR_MLDSA_ROWS(entropy, kv_ctrl, kv_status, status_mask)       \
  RegDef("MLDSA_NAME", 0x000).count(2).ro(),                                  \
  RegDef("MLDSA_VERSION", 0x008).count(2).ro(),                               \
  RegDef("MLDSA_CTRL", 0x010).rw(0x7F).wo().hook_write(),                     \
  RegDef("MLDSA_STATUS", 0x014).ro(status_mask).hook_read(),                  \
  RegDef(entropy, 0x018).count(16).wo().hook_write(),                         \
  RegDef("MLDSA_SEED", 0x058).count(8).wo().hook_write(),                     \
  RegDef("MLDSA_SIGN_RND", 0x078).count(8).wo().hook_write(),                 \
  RegDef("MLDSA_MSG", 0x098).count(16).wo().hook_write(),                     \
  RegDef("MLDSA_VERIFY_RES", 0x0D8).count(16).ro(),                           \
  RegDef("MLDSA_EXTERNAL_MU", 0x118).count(16).wo().hook_write(),             \
  RegDef("MLDSA_MSG_STROBE", 0x158).rw(0xF).reset(0xF).wo().hook_write(),     \
  RegDef("MLDSA_CTX_CONFIG", 0x15C).rw(0xFF).wo().hook_write(),               \
  RegDef("MLDSA_CTX", 0x160).count(64).wo().hook_write(),                     \
  RegDef("MLDSA_PUBKEY", 0x1000).count(648).hooks(),                          \
  RegDef("MLDSA_SIGNATURE", 0x2000).count(1157).hooks(),                      \
  RegDef("MLDSA_PRIVKEY_OUT", 0x4000).count(1224).ro().hook_read(),           \
  RegDef("MLDSA_PRIVKEY_IN", 0x6000).count(1224).wo().hook_write(),           \
  RegDef(kv_ctrl, 0x8000).hook_write(),                                       \
  RegDef(kv_status, 0x8004).ro(0x3FF)

}  // namespace

const RegDef Abr::kRegs20[kNumMldsaRegs] = {
    CALEMU_ABR_MLDSA_ROWS("MLDSA_ENTROPY", "mldsa_kv_rd_seed_ctrl", "mldsa_kv_rd_seed_status", 0x7)};

const RegDef Abr::kRegs21[kNumRegs] = {
    CALEMU_ABR_MLDSA_ROWS("ABR_ENTROPY", "kv_mldsa_seed_rd_ctrl", "kv_mldsa_seed_rd_status", 0xF),
    RegDef("MLKEM_NAME", 0x9000).count(2).ro(),
    RegDef("MLKEM_VERSION", 0x9008).count(2).ro(),
    RegDef("MLKEM_CTRL", 0x9010).rw(0xF).wo().hook_write(),
    RegDef("MLKEM_STATUS", 0x9014).ro(0x7).hook_read(),
    RegDef("MLKEM_SEED_D", 0x9018).count(8).wo().hook_write(),
    RegDef("MLKEM_SEED_Z", 0x9038).count(8).wo().hook_write(),
    RegDef("MLKEM_SHARED_KEY", 0x9058).count(8).ro().hook_read(),
    RegDef("MLKEM_MSG", 0x9080).count(8).hooks(),
    RegDef("MLKEM_DECAPS_KEY", 0xA000).count(792).hooks(),
    RegDef("MLKEM_ENCAPS_KEY", 0xB000).count(392).hooks(),
    RegDef("MLKEM_CIPHERTEXT", 0xB800).count(392).hooks(),
    RegDef("kv_mlkem_seed_rd_ctrl", 0xC000).hook_write(),
    RegDef("kv_mlkem_seed_rd_status", 0xC004).ro(0x3FF),
    RegDef("kv_mlkem_msg_rd_ctrl", 0xC008).hook_write(),
    RegDef("kv_mlkem_msg_rd_status", 0xC00C).ro(0x3FF),
    RegDef("kv_mlkem_sharedkey_wr_ctrl", 0xC010).hook_write(),
    RegDef("kv_mlkem_sharedkey_wr_status", 0xC014).ro(0x3FF),
};

#undef CALEMU_ABR_MLDSA_ROWS

// What the running command publishes when it ends.
struct Abr::Results {
  bool error = false;
  std::optional<Bytes> signature;
  std::optional<Bytes> verify_res;  // c~' or, after a failed decode or norm check, zeros
  std::optional<Bytes> shared_key, ciphertext;
};

Abr::Abr(BlockContext& ctx)
    : bus::RegBlock(ctx.hw == HwGen::V2_1 ? "abr" : "mldsa",
                    ctx.hw == HwGen::V2_1 ? std::span<const RegDef>(kRegs21) : std::span<const RegDef>(kRegs20),
                    kSize),
      ctx_(ctx),
      intr_({"error_internal"}, {"notif_cmd_done"},
            [&ctx](bool err, bool notif) {
              if (ctx.set_irq) {
                ctx.set_irq(kIrqAbrError, err);
                ctx.set_irq(kIrqAbrNotif, notif);
              }
            }),
      mldsa_seed_rd_(ctx.timeline, "abr.kv_mldsa_seed_rd", *this, KV_MLDSA_SEED_RD_STATUS, v21()),
      stage_("abr.stage", [this] { stage(); }),
      done_("abr.done", [this] { finish(); }),
      zeroized_("abr.zeroized", [this] { phase_ = Phase::Idle; }) {
  if (v21()) {
    mlkem_seed_rd_ = std::make_unique<kv::Client>(ctx.timeline, "abr.kv_mlkem_seed_rd", *this, KV_MLKEM_SEED_RD_STATUS, true);
    mlkem_msg_rd_ = std::make_unique<kv::Client>(ctx.timeline, "abr.kv_mlkem_msg_rd", *this, KV_MLKEM_MSG_RD_STATUS, true);
    shared_key_wr_ = std::make_unique<kv::Client>(ctx.timeline, "abr.kv_mlkem_sharedkey_wr", *this,
                                                  KV_MLKEM_SHAREDKEY_WR_STATUS);
  }
  attach(kIntrOffset, intr_);
  clear_state(false);
}

Abr::~Abr() = default;

// ---- State ----

bool Abr::ready() const {
  if (phase_ != Phase::Idle) return false;
  // 2.1 abr_ready also waits for every key-vault copy (and holds low after a failed read).
  if (v21())
    return mldsa_seed_rd_.ready() && mlkem_seed_rd_->ready() && mlkem_msg_rd_->ready() && shared_key_wr_->ready();
  return true;
}

uint32_t Abr::mldsa_status() const {
  return (ready() ? 1u : 0u) | (dsa_valid_ ? 2u : 0u) | (stream_ready_ ? 4u : 0u) | (v21() && error_ ? 8u : 0u);
}

uint32_t Abr::mlkem_status() const { return (ready() ? 1u : 0u) | (kem_valid_ ? 2u : 0u) | (error_ ? 4u : 0u); }

void Abr::clear_data() {
  for (unsigned id : {ENTROPY, MLDSA_SEED, MLDSA_SIGN_RND, MLDSA_MSG, MLDSA_VERIFY_RES, MLDSA_EXTERNAL_MU, MLDSA_CTX})
    for (unsigned i = 0; i < def(id).count_; ++i) reg(id, i) = 0;
  reg(MLDSA_CTX_CONFIG) = 0;
  reg(MLDSA_MSG_STROBE) = 0;  // hwclr: 0 after a zeroize, 0xF only after reset
  if (v21())
    for (unsigned i = 0; i < kSeedWords; ++i) reg(MLKEM_SEED_D, i) = 0;
  scratch_.fill(0);
  pk_rho_.fill(0);
  sk_mem_.fill(0);
  pk_mem_.fill(0);
  sig_.fill(0);
}

void Abr::clear_state(bool zeroizing) {
  ctx_.timeline.cancel(stage_);
  ctx_.timeline.cancel(done_);
  ctx_.timeline.cancel(zeroized_);
  for (kv::Client* c : {&mldsa_seed_rd_, mlkem_seed_rd_.get(), mlkem_msg_rd_.get(), shared_key_wr_.get()}) {
    if (!c) continue;
    if (zeroizing)
      c->abort();
    else
      c->reset();
  }
  phase_ = Phase::Idle;
  op_ = Op::None;
  results_.reset();
  stream_mu_.reset();
  stream_mode_ = external_mu_ = stream_ready_ = false;
  dsa_valid_ = kem_valid_ = error_ = false;
  privkey_lock_ = dk_lock_ = true;
  kv_seed_present_ = kv_kem_seed_present_ = kv_kem_msg_present_ = false;
  pk_read_latch_ = sig_read_latch_ = 0;
  for (unsigned i = 0; i < 2; ++i) {
    reg(MLDSA_NAME, i) = kMldsaName[i];
    reg(MLDSA_VERSION, i) = v21() ? kVersion21[i] : kVersion20[i];
    if (v21()) {
      reg(MLKEM_NAME, i) = kMlkemName[i];
      reg(MLKEM_VERSION, i) = kVersion21[i];
    }
  }
}

void Abr::reset(bus::ResetKind kind) {
  if (kind == bus::ResetKind::FwUpdate) return;
  bus::RegBlock::reset(kind);
  scratch_.fill(0);
  pk_rho_.fill(0);
  sk_mem_.fill(0);
  pk_mem_.fill(0);
  sig_.fill(0);
  clear_state(false);
}

void Abr::zeroize() {
  clear_state(true);
  clear_data();
  phase_ = Phase::Zeroizing;
  ctx_.timeline.schedule_in(zeroized_, v21() ? kCyclesZeroize21 : kCyclesZeroize20);
}

// ---- Byte strings in little-endian words ----

template <typename F>
Bytes Abr::gather(unsigned words, size_t bytes, F word) {
  Bytes out(bytes);
  for (unsigned w = 0; w < words; ++w) {
    const uint32_t v = word(w);
    for (unsigned b = 0; b < 4 && 4 * w + b < bytes; ++b) out[4 * w + b] = static_cast<uint8_t>(v >> (8 * b));
  }
  return out;
}

template <typename F>
void Abr::scatter(ByteView bytes, F word) {
  for (unsigned w = 0; 4 * w < bytes.size(); ++w) {
    uint32_t v = 0;
    for (unsigned b = 0; b < 4 && 4 * w + b < bytes.size(); ++b) v |= uint32_t{bytes[4 * w + b]} << (8 * b);
    word(w) = v;
  }
}

Bytes Abr::reg_bytes(unsigned id, unsigned words) const {
  Bytes out(4 * words);
  for (unsigned i = 0; i < 4 * words; ++i) out[i] = static_cast<uint8_t>(reg(id, i / 4) >> (8 * (i % 4)));
  return out;
}

void Abr::set_reg_words(unsigned id, ByteView bytes) {
  scatter(bytes, [&](unsigned i) -> uint32_t& { return reg(id, i); });
}

// ---- Register access ----

bool Abr::read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester&) {
  switch (id) {
    case MLDSA_STATUS: value = mldsa_status(); break;
    case MLKEM_STATUS: value = mlkem_status(); break;
    case MLKEM_SHARED_KEY:
      // Readable only when no vault input fed the command and the key is not bound for the
      // vault (dest_keyvault is the write control's write_en, which clears once the copy starts).
      value = kem_valid_ && !(reg(KV_MLKEM_SHAREDKEY_WR_CTRL) & 1) && !kv_kem_seed_present_ && !kv_kem_msg_present_
                  ? shared_key_word(index)
                  : 0;
      break;
    case MLKEM_MSG: value = 0; break;  // no read port
    default: value = api_read(id, index); break;
  }
  return true;
}

uint32_t Abr::api_read(unsigned id, unsigned index) {
  switch (id) {
    case MLDSA_PUBKEY:
      if (v21()) return dsa_valid_ ? pubkey_word(index) : 0;
      // 2.0: the rho words come through a read-data flop that keeps its value while VALID is
      // low, and t1 reads return that flop too (mldsa_ctrl.sv pk_reg_rdata).
      if (!dsa_valid_) return pk_read_latch_;
      if (index < 8) pk_read_latch_ = pubkey_word(index);
      return pubkey_word(index);
    case MLDSA_SIGNATURE: {
      if (v21()) return dsa_valid_ ? sig_[index] : 0;
      if (!dsa_valid_) return sig_read_latch_;  // 2.0 signature_reg_rdata, as above
      const bool in_z = index >= 16 && index < 16 + 1120;
      sig_read_latch_ = in_z ? 0 : sig_[index];
      return sig_[index];
    }
    case MLDSA_PRIVKEY_OUT: return dsa_valid_ && !privkey_lock_ ? privkey_word(index) : 0;
    case MLKEM_DECAPS_KEY: return kem_valid_ && !dk_lock_ ? dk_word(index) : 0;
    case MLKEM_ENCAPS_KEY: return kem_valid_ ? ek_word(index) : 0;
    case MLKEM_CIPHERTEXT: return kem_valid_ ? ct_word(index) : 0;
    default: return 0;
  }
}

// The memories take writes only while the engine is ready; their storage is the engine's.
bus::RegBlock::Verdict Abr::api_write(unsigned id, unsigned index, uint32_t value) {
  if (!ready()) return Verdict::Ignore;
  switch (id) {
    case MLDSA_PUBKEY:
      if (!v21() && dsa_valid_ && index < 8) pk_read_latch_ = pubkey_word(index);
      pubkey_word(index) = value;
      break;
    case MLDSA_SIGNATURE: sig_[index] = value; break;
    case MLDSA_PRIVKEY_IN:
      // 2.1: the memory part shares its RAM with an ML-KEM message loaded from the vault.
      if (index >= 32 && kv_kem_msg_present_) break;
      privkey_word(index) = value;
      break;
    case MLKEM_DECAPS_KEY: dk_word(index) = value; break;
    case MLKEM_ENCAPS_KEY: ek_word(index) = value; break;
    case MLKEM_CIPHERTEXT: ct_word(index) = value; break;
    case MLKEM_MSG:
      if (!kv_kem_msg_present_) kem_msg_word(index) = value;
      break;
    case MLKEM_SEED_Z:
      if (!kv_kem_seed_present_) seed_z_word(index) = value;
      break;
    default: break;
  }
  return Verdict::Ignore;
}

// Software write enables (swwe in the RDL, driven by abr_ctrl.sv / mldsa_ctrl.sv).
bus::RegBlock::Verdict Abr::write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester&) {
  switch (id) {
    case MLDSA_CTRL: case MLKEM_CTRL: return Verdict::Store;  // acted on in after_write
    case ENTROPY: case MLDSA_SIGN_RND: case MLDSA_EXTERNAL_MU: case MLDSA_CTX: case MLDSA_CTX_CONFIG:
      return ready() ? Verdict::Store : Verdict::Ignore;
    case MLDSA_SEED: return ready() && !kv_seed_present_ ? Verdict::Store : Verdict::Ignore;
    case MLKEM_SEED_D: return ready() && !kv_kem_seed_present_ ? Verdict::Store : Verdict::Ignore;
    case MLDSA_MSG: return ready() || stream_ready_ ? Verdict::Store : Verdict::Ignore;
    case MLDSA_MSG_STROBE: return stream_ready_ ? Verdict::Store : Verdict::Ignore;
    case KV_MLDSA_SEED_RD_CTRL:
      if (!ready() || kv_seed_present_) return Verdict::Ignore;
      if (v21()) next = (old & ~kKvReadCtrlWritable21) | (next & kKvReadCtrlWritable21);
      return Verdict::Store;
    case KV_MLKEM_SEED_RD_CTRL: case KV_MLKEM_MSG_RD_CTRL: {
      const bool present = id == KV_MLKEM_SEED_RD_CTRL ? kv_kem_seed_present_ : kv_kem_msg_present_;
      if (!ready() || present) return Verdict::Ignore;
      next = (old & ~kKvReadCtrlWritable21) | (next & kKvReadCtrlWritable21);
      return Verdict::Store;
    }
    case KV_MLKEM_SHAREDKEY_WR_CTRL:
      if (!ready()) return Verdict::Ignore;
      next = (old & ~kKvWriteCtrlWritable) | (next & kKvWriteCtrlWritable);
      return Verdict::Store;
    default: return api_write(id, index, next);
  }
}

void Abr::after_write(unsigned id, unsigned index, uint32_t, const bus::Requester&) {
  switch (id) {
    case MLDSA_CTRL: on_mldsa_ctrl(reg(MLDSA_CTRL)); break;
    case MLKEM_CTRL: on_mlkem_ctrl(reg(MLKEM_CTRL)); break;
    case MLDSA_MSG:
      if (index == 0 && stream_ready_) stream_word(reg(MLDSA_MSG, 0));
      break;
    case KV_MLDSA_SEED_RD_CTRL: case KV_MLKEM_SEED_RD_CTRL: case KV_MLKEM_MSG_RD_CTRL: on_kv_read(id); break;
    default: break;
  }
}

// ---- Storage as byte strings ----

Bytes Abr::privkey_bytes() {
  return gather(kPrivkeyWords, crypto::mldsa87::kSecretKeyBytes, [this](unsigned i) { return privkey_word(i); });
}
Bytes Abr::pubkey_bytes() {
  return gather(kPubkeyWords, crypto::mldsa87::kPublicKeyBytes, [this](unsigned i) { return pubkey_word(i); });
}
Bytes Abr::signature_bytes() {
  return gather(kSignatureWords, kSignatureBytes, [this](unsigned i) { return sig_[i]; });
}
Bytes Abr::dk_bytes() {
  return gather(kDecapsKeyWords, crypto::mlkem1024::kDecapsulationKeyBytes, [this](unsigned i) { return dk_word(i); });
}
Bytes Abr::ek_bytes() {
  return gather(kEncapsKeyWords, crypto::mlkem1024::kEncapsulationKeyBytes, [this](unsigned i) { return ek_word(i); });
}
Bytes Abr::ct_bytes() {
  return gather(kCiphertextWords, crypto::mlkem1024::kCiphertextBytes, [this](unsigned i) { return ct_word(i); });
}

void Abr::publish_dsa_keypair(const Bytes& pk, const Bytes& sk) {
  scatter(sk, [this](unsigned i) -> uint32_t& { return privkey_word(i); });
  scatter(pk, [this](unsigned i) -> uint32_t& { return pubkey_word(i); });
}

// ---- Commands ----

void Abr::on_mldsa_ctrl(uint32_t v) {
  if (v & kZeroize) return zeroize();
  if (!ready()) return;  // every other field has swwe = ready
  stream_mode_ = (v & kStreamMsg) != 0;
  const bool external_mu = v21() && (v & kExternalMu);  // mldsa_ctrl.sv (2.0) ties external_mu to 0
  const uint32_t cmd = v & kCmdMask;
  if (v & kPcrSign) load_pcr_signing_inputs(external_mu);
  if (cmd) privkey_lock_ = dk_lock_ = true;  // any command re-locks the private outputs
  // pcr_sign_input_invalid: PCR signing is KEYGEN+SIGN only. 2.0 acts on the error flag's
  // rising edge, so with the flag already set (no zeroize since) the command runs.
  if ((v & kPcrSign) && (cmd == kKeygen || cmd == kSign || cmd == kVerify) && (v21() || !error_)) return fail();
  external_mu_ = external_mu;
  switch (cmd) {
    case kKeygen: start(Op::DsaKeygen, kCyclesMldsaKeygen); break;
    case kSign: start(Op::DsaSign, kCyclesSignBeforeMessage); break;
    case kVerify: start(Op::DsaVerify, kCyclesVerifyBeforeMessage); break;
    case kKeygenSign: start(Op::DsaKeygenSign, kCyclesMldsaKeygen + kCyclesSignBeforeMessage); break;
    default: break;  // 5..7: no command
  }
}

void Abr::on_mlkem_ctrl(uint32_t v) {
  if (v & kZeroize) return zeroize();
  if (!ready()) return;
  const uint32_t cmd = v & kCmdMask;
  if (cmd) privkey_lock_ = dk_lock_ = true;
  switch (cmd) {
    case kKeygen: start(Op::KemKeygen, kCyclesMlkemKeygen); break;
    case kEncaps: start(Op::KemEncaps, kCyclesMlkemEncaps); break;
    case kDecaps: start(Op::KemDecaps, kCyclesMlkemDecaps); break;
    case kKeygenDecaps: start(Op::KemKeygenDecaps, kCyclesMlkemKeygen + kCyclesMlkemDecaps); break;
    default: break;
  }
}

// PCR_SIGN loads the seed straight from key-vault slot 8 and the message from the SHA-512
// engine's PCR digest, both in reverse word order; the seed then counts as vault data.
void Abr::load_pcr_signing_inputs(bool external_mu) {
  const std::array<uint32_t, 8> seed = ctx_.kv ? ctx_.kv->pcr_mldsa_signing_seed() : std::array<uint32_t, 8>{};
  for (unsigned i = 0; i < kSeedWords; ++i) reg(MLDSA_SEED, i) = seed[kSeedWords - 1 - i];
  if (!external_mu) {
    const std::array<uint32_t, 16> hash = pcr_hash_ ? pcr_hash_() : std::array<uint32_t, 16>{};
    for (unsigned i = 0; i < kMsgWords; ++i) reg(MLDSA_MSG, i) = hash[kMsgWords - 1 - i];
  }
  kv_seed_present_ = true;
}

void Abr::start(Op op, uint64_t cycles_to_stage) {
  phase_ = Phase::Running;
  op_ = op;
  results_ = std::make_unique<Results>();
  ctx_.timeline.schedule_in(stage_, cycles_to_stage);
}

// The point where the running command has consumed its key material and needs the message:
// the inputs are read here (so a vault copy that finished meanwhile is seen).
void Abr::stage() {
  switch (op_) {
    case Op::KemKeygen: case Op::KemEncaps: case Op::KemDecaps: case Op::KemKeygenDecaps:
      run_kem();
      return finish();
    case Op::DsaKeygen: case Op::DsaKeygenSign: {
      const auto kp = crypto::mldsa87::keygen(reg_bytes(MLDSA_SEED, kSeedWords));
      publish_dsa_keypair(kp.pk, kp.sk);
      if (op_ == Op::DsaKeygen) return finish();
      break;
    }
    case Op::DsaVerify:
      // NORMCHK on z runs before the message is needed; a failure ends the command with a
      // cleared VERIFY_RES (clear_verify_valid jumps to MLDSA_VERIFY_E).
      if (!crypto::mldsa87::signature_z_in_bound(signature_bytes())) {
        results_->verify_res = Bytes(64, 0);
        return finish();
      }
      break;
    default: break;
  }
  if (external_mu_) return run_after_message(reg_bytes(MLDSA_EXTERNAL_MU, 16));
  const Bytes tr = op_ == Op::DsaVerify ? crypto::shake256(pubkey_bytes(), 64)
                                        : gather(16, 64, [this](unsigned i) { return privkey_word(16 + i); });
  if (stream_mode_) {
    Bytes context = reg_bytes(MLDSA_CTX, 64);
    context.resize(reg(MLDSA_CTX_CONFIG) & 0xFF);
    stream_mu_ = std::make_unique<crypto::mldsa87::MuHasher>(tr, context);
    phase_ = Phase::Streaming;
    stream_ready_ = true;
    return;
  }
  // M' = 0 || 0 || MSG: the fixed 64-byte message with an empty context.
  run_after_message(crypto::mldsa87::mu_from_tr(tr, reg_bytes(MLDSA_MSG, kMsgWords), {}));
}

// One MLDSA_MSG[0] write while MSG_STREAM_READY: the bytes MSG_STROBE marks; a strobe other
// than 0xF marks the last word (0 = no bytes).
void Abr::stream_word(uint32_t word) {
  const uint32_t strobe = reg(MLDSA_MSG_STROBE) & 0xF;
  uint8_t bytes[4];
  size_t n = 0;
  for (unsigned b = 0; b < 4; ++b)
    if (strobe & (1u << b)) bytes[n++] = static_cast<uint8_t>(word >> (8 * b));
  stream_mu_->update({bytes, n});
  if (strobe == 0xF) return;
  stream_ready_ = false;
  phase_ = Phase::Running;
  const Bytes mu = stream_mu_->finish();
  stream_mu_.reset();
  run_after_message(mu);
}

void Abr::run_after_message(const Bytes& mu) {
  if (!external_mu_) set_reg_words(MLDSA_EXTERNAL_MU, mu);  // the internal mu lands in EXTERNAL_MU
  if (op_ == Op::DsaVerify) {
    const auto c_tilde = crypto::mldsa87::verify_challenge(pubkey_bytes(), mu, signature_bytes());
    results_->verify_res = c_tilde ? *c_tilde : Bytes(64, 0);  // bad hint encoding: SIGDEC_H clears it
    ctx_.timeline.schedule_in(done_, kCyclesMldsaVerify - kCyclesVerifyBeforeMessage);
    return;
  }
  const Bytes sk = privkey_bytes();
  if (!crypto::mldsa87::secret_key_in_range(sk)) {  // skdecode_error
    results_->error = true;
    ctx_.timeline.schedule_in(done_, kCyclesSkDecode);
    return;
  }
  const auto signing = crypto::mldsa87::sign_mu_counted(sk, mu, reg_bytes(MLDSA_SIGN_RND, 8));
  results_->signature = signing.signature;
  ctx_.timeline.schedule_in(done_, signing.attempts * kCyclesMldsaSignRound);
}

void Abr::run_kem() {
  namespace kem = crypto::mlkem1024;
  try {
    if (op_ == Op::KemKeygen || op_ == Op::KemKeygenDecaps) {
      const kem::KeyPair kp =
          kem::keygen(reg_bytes(MLKEM_SEED_D, kSeedWords), gather(8, 32, [this](unsigned i) { return seed_z_word(i); }));
      // dk = dkPKE || ek || H(ek) || z: ek's t lands in the ENCAPS_KEY memory and its rho,
      // H(ek) and z in the scratch registers, so ENCAPS_KEY reads the same ek.
      scatter(kp.dk, [this](unsigned i) -> uint32_t& { return dk_word(i); });
    }
    if (op_ == Op::KemEncaps) {
      const kem::Encapsulation e =
          kem::encaps(ek_bytes(), gather(kKemMsgWords, 32, [this](unsigned i) { return kem_msg_word(i); }));
      results_->ciphertext = e.ciphertext;
      results_->shared_key = e.shared_secret;
    }
    if (op_ == Op::KemDecaps || op_ == Op::KemKeygenDecaps) results_->shared_key = kem::decaps(dk_bytes(), ct_bytes());
  } catch (const crypto::CryptoError&) {
    // encaps_input_check_failure (ek's coefficients not reduced) or
    // decaps_input_check_failure (H(ek) differs from the one in dk).
    results_->error = true;
  }
}

void Abr::finish() {
  const std::unique_ptr<Results> r = std::move(results_);
  if (!r) return;
  if (r->error) return fail();
  const Op op = op_;
  op_ = Op::None;
  phase_ = Phase::Idle;
  if (r->signature) scatter(*r->signature, [this](unsigned i) -> uint32_t& { return sig_[i]; });
  if (r->verify_res) set_reg_words(MLDSA_VERIFY_RES, *r->verify_res);
  if (r->ciphertext) scatter(*r->ciphertext, [this](unsigned i) -> uint32_t& { return ct_word(i); });
  if (r->shared_key) scatter(*r->shared_key, [this](unsigned i) -> uint32_t& { return shared_key_word(i); });
  // notif_cmd_done fires as a VALID rises; VALID stays set until a zeroize.
  bool& valid = op >= Op::DsaKeygen && op <= Op::DsaKeygenSign ? dsa_valid_ : kem_valid_;
  const bool rose = !valid;
  if (&valid == &dsa_valid_) {
    // The private key is readable only after a stand-alone keygen from a software seed.
    if (op == Op::DsaKeygen && !kv_seed_present_) privkey_lock_ = false;
    // 2.0 kv_seed_data_present_reset: a vault (or PCR) seed is cleared as VALID rises.
    if (!v21() && kv_seed_present_) {
      for (unsigned i = 0; i < kSeedWords; ++i) reg(MLDSA_SEED, i) = 0;
      kv_seed_present_ = false;
    }
  } else {
    if (op == Op::KemKeygen && !kv_kem_seed_present_) dk_lock_ = false;
    if (op != Op::KemKeygen && (reg(KV_MLKEM_SHAREDKEY_WR_CTRL) & 1)) write_shared_key_to_kv();
  }
  valid = true;
  if (rose) intr_.notif_event(0);
}

void Abr::fail() {
  ctx_.timeline.cancel(stage_);
  ctx_.timeline.cancel(done_);
  results_.reset();
  stream_mu_.reset();
  stream_ready_ = false;
  op_ = Op::None;
  if (!error_) intr_.error_event(0);
  error_ = true;
  // 2.1 holds the sequencer in ABR_ERROR until a zeroize; 2.0's falls through to RESET.
  phase_ = v21() ? Phase::Error : Phase::Idle;
}

// ---- Key vault ----

uint32_t& Abr::kv_target_word(unsigned ctrl_id, unsigned dword) {
  switch (ctrl_id) {
    case KV_MLKEM_SEED_RD_CTRL: return dword < 8 ? reg(MLKEM_SEED_D, 7 - dword) : seed_z_word(15 - dword);
    case KV_MLKEM_MSG_RD_CTRL: return kem_msg_word(7 - dword);
    default: return reg(MLDSA_SEED, 7 - dword);
  }
}

// A failed read clears the seed registers for as long as the error stands (SEED.hwclr on
// KV_READ_FAIL); the ML-KEM message memory has no such clear.
void Abr::clear_kv_target(unsigned ctrl_id) {
  if (ctrl_id == KV_MLDSA_SEED_RD_CTRL)
    for (unsigned i = 0; i < kSeedWords; ++i) reg(MLDSA_SEED, i) = 0;
  if (ctrl_id == KV_MLKEM_SEED_RD_CTRL)
    for (unsigned i = 0; i < kSeedWords; ++i) reg(MLKEM_SEED_D, i) = 0;
}

void Abr::on_kv_read(unsigned ctrl_id) {
  const kv::ReadCtrl rc = kv::ReadCtrl::decode(reg(ctrl_id));
  reg(ctrl_id) &= ~1u;  // read_en.hwclr once the client is busy
  kv::Client* client = &mldsa_seed_rd_;
  KvClient port = KvClient::MldsaSeed;
  unsigned dwords = kSeedWords;
  bool* present = &kv_seed_present_;
  if (ctrl_id == KV_MLKEM_SEED_RD_CTRL) {
    client = mlkem_seed_rd_.get(), port = KvClient::MlkemSeed, dwords = 2 * kSeedWords, present = &kv_kem_seed_present_;
  } else if (ctrl_id == KV_MLKEM_MSG_RD_CTRL) {
    client = mlkem_msg_rd_.get(), port = KvClient::MlkemMsg, dwords = kKemMsgWords, present = &kv_kem_msg_present_;
  }
  if (!rc.read_en || !client->ready()) return;
  *present = true;  // locks the target registers and the outputs derived from them
  const KeyVault::ReadResult r = ctx_.kv ? ctx_.kv->read(rc.entry, port) : KeyVault::ReadResult{true};
  if (r.denied) {  // 2.1 OCP LOCK filter: straight to DONE with KV_READ_FAIL, nothing copied
    client->start(kv::kCyclesDeniedRead, kv::Error::ReadFail, [this, ctrl_id] { clear_kv_target(ctrl_id); });
    return;
  }
  // 2.1's FSM also stops at the entry's last dword (kv_fsm.sv last); 2.0 copies all of them.
  const unsigned n = v21() ? std::min(dwords, r.last_dword + 1) : dwords;
  client->start(kv_copy_cycles(n), r.error ? kv::Error::ReadFail : kv::Error::Success, [this, ctrl_id, r, n] {
    for (unsigned i = 0; i < n; ++i) kv_target_word(ctrl_id, i) = r.error ? 0 : r.words[i];
    if (r.error) clear_kv_target(ctrl_id);
  });
}

// The shared key goes to the vault in reverse word order (abr_ctrl.sv swizzle with
// KV_WRITE_SWAP_DWORDS = 0): vault dword i = SHARED_KEY[7 - i].
void Abr::write_shared_key_to_kv() {
  const kv::WriteCtrl wc = kv::WriteCtrl::decode(reg(KV_MLKEM_SHAREDKEY_WR_CTRL));
  if (!shared_key_wr_->ready()) return;
  reg(KV_MLKEM_SHAREDKEY_WR_CTRL) &= ~1u;  // write_en.hwclr = ~kv_ready
  std::array<uint32_t, kSharedKeyWords> words{};
  for (unsigned i = 0; i < kSharedKeyWords; ++i) words[i] = shared_key_word(kSharedKeyWords - 1 - i);
  KvWriteSource src{KvWriter::Mlkem, {}, {}, false};
  if (kv_kem_seed_present_) src.data0 = kv::ReadCtrl::decode(reg(KV_MLKEM_SEED_RD_CTRL)).entry;
  if (kv_kem_msg_present_) src.data1 = kv::ReadCtrl::decode(reg(KV_MLKEM_MSG_RD_CTRL)).entry;
  shared_key_wr_->start(kv_copy_cycles(kSharedKeyWords), kv::Error::Success, [this, wc, words, src] {
    const bool ok = ctx_.kv && ctx_.kv->write(wc.entry, words, wc.dest_valid, src);
    shared_key_wr_->set_error(ok ? kv::Error::Success : kv::Error::WriteFail);
  });
}

}  // namespace calemu::caliptra
