#include "caliptra/aes.h"

#include <algorithm>

#include "caliptra/keyvault.h"

namespace calemu::caliptra {

namespace {

using Block = crypto::Block16;
using Words4 = std::array<uint32_t, 4>;

uint32_t bswap(uint32_t v) {
  return (v >> 24) | ((v >> 8) & 0xFF00) | ((v << 8) & 0xFF'0000) | (v << 24);
}

// The core's data registers hold the block little-endian: DATA_x_0[7:0] is byte 0
// (aes_core.sv aes_transpose; aes_ghash.sv "Details on the data formats").
Block to_block(const Words4& w) {
  Block b{};
  for (unsigned i = 0; i < 16; ++i) b[i] = static_cast<uint8_t>(w[i / 4] >> (8 * (i % 4)));
  return b;
}
Words4 to_words(const Block& b) {
  Words4 w{};
  for (unsigned i = 0; i < 16; ++i) w[i / 4] |= uint32_t{b[i]} << (8 * (i % 4));
  return w;
}
Block xor_blocks(const Block& a, const Block& b) {
  Block r;
  for (unsigned i = 0; i < 16; ++i) r[i] = a[i] ^ b[i];
  return r;
}

// aes_ctr.sv: the IV is a big-endian counter; GCM wraps the low 32 bits only (inc32).
Block increment(Block b, bool inc32) {
  for (int i = 15; i >= (inc32 ? 12 : 0); --i)
    if (++b[i] != 0) break;
  return b;
}

// aes_ghash.sv ghash_in_valid: bytes at or beyond num_valid_bytes do not enter GHASH.
Block mask_bytes(Block b, unsigned num_valid) {
  for (unsigned i = num_valid; i < 16; ++i) b[i] = 0;
  return b;
}

unsigned rounds_for(uint32_t key_len) { return key_len == Aes::k128 ? 10 : key_len == Aes::k192 ? 12 : 14; }
unsigned key_bytes_for(uint32_t key_len) { return key_len == Aes::k128 ? 16 : key_len == Aes::k192 ? 24 : 32; }

// aes_clp_wrapper.sv: "aes" and "1.0" (the name constant is 32'h0061657, seven digits).
constexpr uint32_t kName21 = 0x0006'1657, kVersion21 = 0x0031'2E30;

}  // namespace

// ---------------------------------------------------------------------------------------
// The Caliptra wrapper registers (aes_clp_reg.rdl) at +0x800.
// ---------------------------------------------------------------------------------------
class Aes::Clp : public bus::RegBlock {
 public:
  static constexpr uint32_t kSize = 0x800;
  // 2.0 has neither CTRL0 nor the key-vault write.
#define CALEMU_AES_CLP_REGS(X, v21)                                              \
  X(AES_NAME, 0x000, .count(2).ro())                                             \
  X(AES_VERSION, 0x008, .count(2).ro())                                          \
  X(ENTROPY_IF_SEED, 0x110, .count(9).wo().hook_write())                         \
  X(CTRL0, 0x134, .rw(0x1) v21)                                                  \
  X(AES_KV_RD_KEY_CTRL, 0x200, .hook_write())                                    \
  X(AES_KV_RD_KEY_STATUS, 0x204, .ro(0x3FF))                                     \
  X(AES_KV_WR_CTRL, 0x208, .hook_write() v21)                                    \
  X(AES_KV_WR_STATUS, 0x20C, .ro(0x3FF) v21)
#define CALEMU_AES_CLP_20(X) CALEMU_AES_CLP_REGS(X, .absent())
#define CALEMU_AES_CLP_21(X) CALEMU_AES_CLP_REGS(X, )
  CALEMU_REG_TABLE(CALEMU_AES_CLP_21)
  static constexpr bus::RegDef kRegs20[] = {CALEMU_AES_CLP_20(CALEMU_REG_ROW)};
#undef CALEMU_AES_CLP_20
#undef CALEMU_AES_CLP_21
#undef CALEMU_AES_CLP_REGS

  Clp(Aes& aes, BlockContext& ctx)
      : bus::RegBlock("aes_clp_reg", ctx.hw == HwGen::V2_0 ? std::span<const bus::RegDef>(kRegs20)
                                                            : std::span<const bus::RegDef>(kRegs),
                      kSize),
        aes_(aes),
        ctx_(ctx),
        // aes_clp_wrapper.sv ties error_intr/notif_intr to 0 and caliptra_top.sv leaves them
        // open: the block exists, but nothing sets its events and no line reaches the PIC.
        intr_({"error0", "error1", "error2", "error3"}, {"notif_cmd_done"}, nullptr),
        key_rd_(ctx.timeline, "aes.kv_rd_key", *this, AES_KV_RD_KEY_STATUS),
        kv_wr_(ctx.timeline, "aes.kv_wr", *this, AES_KV_WR_STATUS) {
    attach(0x400, intr_);
    init();
  }

  void reset(bus::ResetKind kind) override {
    bus::RegBlock::reset(kind);
    init();
  }
  void zeroize() {
    key_rd_.abort();
    if (v21()) kv_wr_.abort();
  }

  bool v21() const { return ctx_.hw == HwGen::V2_1; }
  bool endian_swap() const { return v21() && (reg(CTRL0) & 1); }
  kv::WriteCtrl write_ctrl() const { return kv::WriteCtrl::decode(v21() ? reg(AES_KV_WR_CTRL) : 0); }
  // The vault write of the captured output (kv_write_client: start on dest_data_avail &
  // write_en; KV_WRITE_SWAP_DWORDS = 0, so dword i is DATA_OUT word i % 4 of block i / 4).
  void start_kv_write(std::span<const uint32_t> data, const KvWriteSource& src, std::function<void()> done) {
    const kv::WriteCtrl wc = write_ctrl();
    if (!wc.write_en || !kv_wr_.ready()) return;
    const bool allowed = !ctx_.kv || ctx_.kv->write_allowed(wc.entry, src);
    std::vector<uint32_t> words(data.begin(), data.end());
    reg(AES_KV_WR_CTRL) &= ~1u;  // write_en hwclr = ~kv_write_ready
    if (!allowed) {
      kv_wr_.start(kv::kCyclesDeniedRead, kv::Error::WriteFail, std::move(done));
      return;
    }
    kv_wr_.start(words.size() + 2, kv::Error::Success, [this, wc, words, src, done = std::move(done)] {
      const bool ok = ctx_.kv && ctx_.kv->write(wc.entry, words, wc.dest_valid, src);
      kv_wr_.set_error(ok ? kv::Error::Success : kv::Error::WriteFail);
      done();
    });
  }

 protected:
  Verdict write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester&) override {
    switch (id) {
      case ENTROPY_IF_SEED:
        // Nine writes reseed the Trivium stream cipher feeding AES's EDN port, once per
        // reset (the ECO latch trivium_seeded); the model's PRNG does not use the seed.
        seed_written_ |= 1u << index;
        if (seed_written_ == 0x1FF) {
          seed_written_ = 0;
          trivium_seeded_ = true;
        }
        return Verdict::Store;
      case AES_KV_RD_KEY_CTRL: {
        // swwe: read_en and read_entry only while AES is idle (2.0: and the read client is
        // ready; 2.1: and no vault transfer runs and INPUT_READY); pcr_hash_extend never; rsvd
        // like read_en in 2.0, never in 2.1.
        const bool ok = aes_.status_bit(kIdle) && key_rd_.ready() && (!v21() || (kv_wr_.ready() && aes_.input_ready()));
        uint32_t writable = ok ? 0x3Fu : 0u;
        if (ok && !v21()) writable |= 0xFFFF'FF80u;
        next = (old & ~writable) | (next & writable);
        return Verdict::Store;
      }
      case AES_KV_WR_CTRL: {
        const bool ok = aes_.status_bit(kIdle) && key_rd_.ready() && kv_wr_.ready() && aes_.input_ready();
        const uint32_t writable = ok ? 0x7FFFu : 0;  // rsvd[31:15]: swwe = 0
        next = (old & ~writable) | (next & writable);
        return Verdict::Store;
      }
      default:
        return Verdict::Store;
    }
  }

  void after_write(unsigned id, unsigned, uint32_t, const bus::Requester&) override {
    if (id == AES_KV_RD_KEY_CTRL && (reg(id) & 1)) start_key_read();
  }

 private:
  void init() {
    key_rd_.reset();
    kv_wr_.reset();
    seed_written_ = 0;
    trivium_seeded_ = false;
    if (v21()) {
      reg(AES_NAME, 0) = kName21;
      reg(AES_VERSION, 0) = kVersion21;
    }
  }

  // kv_read_client with AES = 1: 8 dwords (or up to the slot's last dword); the wrapper
  // drops the sideloaded key as soon as a new read is requested or one fails.
  void start_key_read() {
    const kv::ReadCtrl rc = kv::ReadCtrl::decode(reg(AES_KV_RD_KEY_CTRL));
    reg(AES_KV_RD_KEY_CTRL) &= ~1u;  // read_en hwclr = ~kv_key_ready
    aes_.kv_key_slot_ = rc.entry;
    aes_.keymgr_valid_ = false;
    const KeyVault::ReadResult r = ctx_.kv ? ctx_.kv->read(rc.entry, KvClient::AesKey) : KeyVault::ReadResult{true};
    const kv::Error err = r.error ? kv::Error::ReadFail : kv::Error::Success;
    if (r.denied) {  // the 2.1 filter: IDLE -> DONE, nothing copied
      key_rd_.start(kv::kCyclesDeniedRead, err, [this] { aes_.evaluate(); });
      return;
    }
    const unsigned n = std::min(8u, r.last_dword + 1);
    key_rd_.start(n + 2 + (v21() ? 1 : 0), err, [this, r, n] {
      // On the first beat the upper dwords are zeroed; each dword is byte-swapped into the
      // core's little-endian key order (aes_clp_wrapper.sv kv_key_reg).
      for (unsigned i = 0; i < 8; ++i) aes_.keymgr_key_[i] = i < n ? bswap(r.words[i]) : 0;
      aes_.keymgr_valid_ = !r.error;
      aes_.evaluate();
      aes_.notify();
    });
  }

  Aes& aes_;
  BlockContext& ctx_;

 public:
  IntrBlock intr_;
  kv::Client key_rd_, kv_wr_;

 private:
  uint32_t seed_written_ = 0;
  bool trivium_seeded_ = false;
};

// ---------------------------------------------------------------------------------------
// Register status tracking (aes_reg_status.sv).
// ---------------------------------------------------------------------------------------
bool Aes::RegStatus::write(uint32_t bits) {
  if (!bits) return false;
  const bool was_new = is_new;
  written = armed ? bits : (written | bits);  // once armed, a new write restarts the tracking
  armed = false;
  is_new = written == all;
  clean = is_new ? true : (written == 0 ? clean : false);
  return is_new && !was_new;
}

// ---------------------------------------------------------------------------------------

Aes::Aes(BlockContext& ctx)
    : bus::RegBlock("aes", kRegs, kSize),
      ctx_(ctx),
      clp_(std::make_unique<Clp>(*this, ctx)),
      done_("aes.core", [this] { job_done(); }),
      ghash_done_("aes.ghash", [this] { on_ghash_free(); }),
      prng_state_(ctx.seed ^ 0x6165'735F'7072'6E67ull) {
  attach(kClpOffset, *clp_);
  reset(bus::ResetKind::Cold);
}

Aes::~Aes() = default;

IntrBlock& Aes::intr() { return clp_->intr_; }

// cptra_noncore_rst_b resets the whole unit; a firmware-update reset does not reach it.
void Aes::reset(bus::ResetKind kind) {
  if (kind == bus::ResetKind::FwUpdate) return;
  bus::RegBlock::reset(kind);
  ctx_.timeline.cancel(done_);
  ctx_.timeline.cancel(ghash_done_);
  ctrl_.reset();
  aux_.reset();
  gcm_.reset();
  key_init_ = {};
  iv_ = data_out_ = data_in_prev_ = {};
  trigger_ = kKeyIvDataInClear | kDataOutClear | kPrngReseed;  // TRIGGER resets to 0xE
  status_ = 0;
  key_status_ = RegStatus{0xFFFF};
  iv_status_ = RegStatus{0xF};
  data_in_written_ = data_out_read_ = 0;
  fsm_ = Fsm::Idle;
  pending_ = {};
  fatal_ = false;
  h_ = s_ = y_ = {};
  hash_subkey_ready_ = s_ready_ = false;
  first_block_ = false;
  ghash_free_at_ = 0;
  keymgr_key_ = {};
  keymgr_valid_ = false;
  kv_key_slot_ = 0;
  kv_intercept_ = kv_mask_data_out_ = false;
  kv_counter_ = 0;
  kv_data_ = {};
  kv_data_valid_ = false;
  // Out of reset the triggers reseed the PRNGs and clear every data register.
  evaluate();
}

void Aes::zeroize() {
  clp_->zeroize();
  keymgr_key_ = {};
  keymgr_valid_ = false;
  kv_data_ = {};
  kv_data_valid_ = false;
}

void Aes::inject_fatal_fault() {
  fatal_ = true;
  ctx_.timeline.cancel(done_);
  fsm_ = Fsm::Error;
  set_status(kAlertFatalFault, true);
  notify();
}

uint64_t Aes::prng_next() {
  uint64_t z = (prng_state_ += 0x9E37'79B9'7F4A'7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58'476D'1CE4'E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D0'49BB'1331'11EBull;
  return z ^ (z >> 31);
}

void Aes::set_status(uint32_t b, bool on) { status_ = on ? status_ | b : status_ & ~b; }

void Aes::notify() {
  if (status_observer_) status_observer_();
}

// ---------------------------------------------------------------------------------------
// Bus access: the AES core answers through caliptra_tlul_adapter_vh and its TL-UL register
// interface (8 address bits, so the 0x8C registers repeat every 0x100 below 0x800; word
// accesses only, the AHB side always sends size 2 with all byte strobes); +0x800 is the
// wrapper's PeakRDL block.
// ---------------------------------------------------------------------------------------
bus::BusResult Aes::read(uint32_t offset, unsigned size, uint32_t& value, const bus::Requester& who) {
  if (offset >= kClpOffset) return bus::RegBlock::read(offset, size, value, who);
  value = 0;
  const uint32_t reg_off = offset & 0xFF;
  if ((offset & 3) || reg_off > 0x88) {
    value = 0xFFFF'FFFF;  // tlul_adapter_reg returns all ones with d_error
    return bus::BusResult::BusError;
  }
  uint32_t v = 0;
  bus::RegBlock::read(reg_off, 4, v, who);
  if (clp_->endian_swap() && offset >= 0x64 && offset < 0x74) v = bswap(v);
  value = size == 4 ? v : v & ((1u << (8 * size)) - 1);
  return bus::BusResult::Ok;
}

bus::BusResult Aes::write(uint32_t offset, unsigned size, uint32_t value, const bus::Requester& who) {
  if (offset >= kClpOffset) return bus::RegBlock::write(offset, size, value, who);
  const uint32_t reg_off = offset & 0xFF;
  if ((offset & 3) || reg_off > 0x88) return bus::BusResult::BusError;
  if (size < 4) value &= (1u << (8 * size)) - 1;  // ahb_slv_sif: narrow data zero-extended
  if (clp_->endian_swap() && offset >= 0x54 && offset < 0x64) value = bswap(value);
  return bus::RegBlock::write(reg_off, 4, value, who);
}

bus::BusResult Aes::dma_write(uint32_t offset, uint32_t value) {
  return write(offset, 4, value, bus::Requester{bus::Requester::Kind::Dma, 0xFFFF'FFFF, 0});
}
bus::BusResult Aes::dma_read(uint32_t offset, uint32_t& value) {
  return read(offset, 4, value, bus::Requester{bus::Requester::Kind::Dma, 0xFFFF'FFFF, 0});
}
bus::BusResult Aes::push_block(const std::array<uint32_t, 4>& words) {
  for (unsigned i = 0; i < 4; ++i)
    if (auto r = dma_write(0x54 + 4 * i, words[i]); r != bus::BusResult::Ok) return r;
  return bus::BusResult::Ok;
}
bus::BusResult Aes::pull_block(std::array<uint32_t, 4>& words) {
  for (unsigned i = 0; i < 4; ++i)
    if (auto r = dma_read(0x64 + 4 * i, words[i]); r != bus::BusResult::Ok) return r;
  return bus::BusResult::Ok;
}
bus::BusResult Aes::set_gcm_text_bytes(unsigned n) {
  const uint32_t v = (std::min(n, 16u) << 6) | kText;
  for (int i = 0; i < 2; ++i)
    if (auto r = dma_write(0x88, v); r != bus::BusResult::Ok) return r;
  return bus::BusResult::Ok;
}

// ---------------------------------------------------------------------------------------
// Register hooks.
// ---------------------------------------------------------------------------------------
bool Aes::read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester&) {
  switch (id) {
    case IV: value = iv_[index]; break;
    case DATA_OUT:
      // 2.1: DATA_OUT reads zero while the output goes to the key vault or must not be released
      // (aes.sv hw2reg_data_out_mask_en).
      value = kv_mask_data_out_ ? 0 : data_out_[index];
      if (!kv_intercept_) read_data_out(index);
      break;
    case CTRL_SHADOWED: value = ctrl_.value(); ctrl_.read(); break;
    case CTRL_AUX_SHADOWED: value = aux_.value(); aux_.read(); break;
    case CTRL_GCM_SHADOWED: value = gcm_.value(); gcm_.read(); break;
    case STATUS: value = status_; break;
    default: break;
  }
  return true;
}

bus::RegBlock::Verdict Aes::write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old,
                                       const bus::Requester&) {
  switch (id) {
    case KEY_SHARE0: write_key(0, index, next); return Verdict::Ignore;
    case KEY_SHARE1: write_key(1, index, next); return Verdict::Ignore;
    case IV: write_iv(index, next); return Verdict::Ignore;
    case DATA_IN: return Verdict::Store;
    case CTRL_SHADOWED: write_ctrl(next); return Verdict::Ignore;
    case CTRL_AUX_SHADOWED: write_aux(next); return Verdict::Ignore;
    case CTRL_AUX_REGWEN: next &= old; return Verdict::Store;  // rw0c: only ever cleared
    case CTRL_GCM_SHADOWED: write_gcm(next); return Verdict::Ignore;
    case TRIGGER:
      trigger_ = next & 0xF;  // each write replaces all four trigger bits
      evaluate();
      notify();
      return Verdict::Ignore;
    default: return Verdict::Store;
  }
}

void Aes::after_write(unsigned id, unsigned index, uint32_t, const bus::Requester&) {
  if (id == DATA_IN) write_data_in(index);
}

// aes_ctrl_reg_shadowed.sv: invalid one-hot values are mapped (operation -> ENC, mode ->
// NONE, key length -> 256, reseed rate -> PER_1).
uint32_t Aes::normalize_ctrl(uint32_t v, bool aes192) {
  uint32_t op = v & 3, mode = v >> 2 & 0x3F, kl = v >> 8 & 7, rate = v >> 12 & 7;
  if (op != kEnc && op != kDec) op = kEnc;
  if (mode != kEcb && mode != kCbc && mode != kCfb && mode != kOfb && mode != kCtr && mode != kGcm) mode = kModeNone;
  if (kl == k192 && !aes192) kl = k256;
  if (kl != k128 && kl != k192 && kl != k256) kl = k256;
  if (rate != 1 && rate != 2 && rate != 4) rate = 1;
  return op | mode << 2 | kl << 8 | (v & (1u << 11)) | rate << 12 | (v & (1u << 15));
}

// aes_ctrl_gcm_reg_shadowed.sv: invalid phases map to INIT, and only these transitions are
// taken (otherwise the phase stays): INIT -> RESTORE/AAD/TEXT/TAG once H and S exist;
// RESTORE -> INIT/AAD/TEXT; AAD -> INIT/TEXT/TAG, or SAVE after the first block; TEXT ->
// INIT/TAG, or SAVE after the first block; SAVE and TAG -> INIT. num_valid_bytes 0 or > 16
// is 16.
uint32_t Aes::normalize_gcm(uint32_t v) const {
  uint32_t want = v & 0x3F;
  if (want != kInit && want != kRestore && want != kAad && want != kText && want != kSave && want != kTag) want = kInit;
  const uint32_t cur = gcm_phase();
  const bool init_done = hash_subkey_ready_ && s_ready_;
  bool ok = false;
  switch (cur) {
    case kInit: ok = init_done && (want == kRestore || want == kAad || want == kText || want == kTag); break;
    case kRestore: ok = want == kInit || want == kAad || want == kText; break;
    case kAad: ok = want == kInit || want == kText || (want == kSave && !first_block_) || want == kTag; break;
    case kText: ok = want == kInit || (want == kSave && !first_block_) || want == kTag; break;
    case kSave:
    case kTag: ok = want == kInit; break;
    default: break;
  }
  const uint32_t phase = ok ? want : cur;
  uint32_t nvb = v >> 6 & 0x1F;
  if (nvb == 0 || nvb > 16) nvb = 16;
  return phase | nvb << 6;
}

// The control register is written only while the FSM idles with nothing about to start and no
// storage error (aes_control_fsm.sv ctrl_we_o); every granted write clears the key and IV
// status, the GCM progress, OUTPUT_LOST, and (a cycle later) the input/output tracking.
void Aes::write_ctrl(uint32_t value) {
  if (fsm_ != Fsm::Idle || fatal_) return;
  const ShadowedReg::Write r = ctrl_.write(normalize_ctrl(value, true));
  key_status_.clear();
  iv_status_.clear();
  hash_subkey_ready_ = s_ready_ = false;
  set_status(kOutputLost, false);
  set_status(kAlertRecovCtrlUpdateErr, r == ShadowedReg::Write::UpdateError);
  clear_in_out_status();
  // key_sideload: after the second write, if the sideload key is valid at that moment.
  if (r != ShadowedReg::Write::Staged && sideload() && keymgr_valid_) sideload_key();
  evaluate();
  notify();
}

void Aes::write_gcm(uint32_t value) {
  if (fsm_ != Fsm::Idle || fatal_) return;
  const ShadowedReg::Write r = gcm_.write(normalize_gcm(value));
  if (r == ShadowedReg::Write::UpdateError) set_status(kAlertRecovCtrlUpdateErr, true);
  // gcm_clear: a completed write sequence that leaves the phase at INIT restarts GCM.
  if (r != ShadowedReg::Write::Staged && gcm_phase() == kInit) {
    hash_subkey_ready_ = s_ready_ = false;
    if (mode() == kGcm) iv_status_.clear();
  }
  evaluate();
  notify();
}

void Aes::write_aux(uint32_t value) {
  if (!(reg(CTRL_AUX_REGWEN) & 1)) return;
  if (aux_.write(value & 0x3) == ShadowedReg::Write::UpdateError) set_status(kAlertRecovCtrlUpdateErr, true);
}

void Aes::write_key(unsigned share, unsigned index, uint32_t value) {
  // Ignored unless idle, and always when the key comes from the sideload port.
  if (fsm_ != Fsm::Idle || sideload()) return;
  key_init_[share][index] = value;
  if (key_status_.write(1u << (8 * share + index))) new_key_pulse();
  evaluate();
  notify();
}

void Aes::write_iv(unsigned index, uint32_t value) {
  if (fsm_ != Fsm::Idle) return;
  iv_[index] = value;
  iv_status_.write(1u << index);
  evaluate();
  notify();
}

void Aes::write_data_in(unsigned index) {
  // 2.1: the first input word of an operation decides whether its output goes to the vault.
  if (ctx_.hw == HwGen::V2_1 && index == 0 && kv_counter_ == 0) {
    kv_intercept_ = clp_->write_ctrl().write_en;
    kv_mask_data_out_ = kv_intercept_ || block_reg_output();
  }
  data_in_written_ |= 1u << index;
  if (data_in_new()) set_status(kInputReady, false);
  evaluate();
  notify();
}

void Aes::read_data_out(unsigned index) {
  data_out_read_ |= 1u << index;
  if (data_out_read_ == 0xF) data_out_read();
}

// All four output words have been read (data_out_read): the output is consumed, and a job
// stalled on it finishes in the same cycle.
void Aes::data_out_read() {
  data_out_read_ = 0;
  if (fsm_ == Fsm::Stalled) {
    finish_job(true);
  } else {
    set_status(kOutputValid, false);
  }
  evaluate();
  notify();
}

// clear_in_out_status (a cycle after a granted control write).
void Aes::clear_in_out_status() {
  data_in_written_ = 0;
  data_out_read_ = 0;
  set_status(kInputReady, true);
  set_status(kOutputValid, false);
}

void Aes::sideload_key() {
  key_init_[0] = keymgr_key_;
  key_init_[1] = {};
  if (key_status_.write(0xFFFF)) new_key_pulse();
}

// A new key makes the PRNGs reseed if CTRL_AUX_SHADOWED.KEY_TOUCH_FORCES_RESEED is set.
void Aes::new_key_pulse() {
  if (key_touch_forces_reseed()) trigger_ |= kPrngReseed;
}

// ---------------------------------------------------------------------------------------
// Start conditions (aes_control_fsm.sv).
// ---------------------------------------------------------------------------------------
bool Aes::start_common_gcm() const { return key_status_.clean && (!sideload() || keymgr_valid_); }
bool Aes::start_common() const { return start_common_gcm() && data_in_new(); }

bool Aes::start_gcm_hsk_or_s() const {
  return gcm_in(kInit) && (!hash_subkey_ready_ || !s_ready_) && iv_status_.is_new && start_common_gcm();
}
bool Aes::start_gcm_restore() const {
  return gcm_in(kRestore) && cfg_valid() &&
         (manual() ? (trigger_ & kStart) != 0 : iv_status_.is_new && data_in_new() && start_common_gcm());
}
bool Aes::start_gcm_aad() const {
  return gcm_in(kAad) && cfg_valid() && (manual() ? (trigger_ & kStart) != 0 : iv_status_.is_new && start_common());
}
bool Aes::start_gcm_save() const {
  return gcm_in(kSave) && cfg_valid() && (manual() ? (trigger_ & kStart) != 0 : hash_subkey_ready_ && s_ready_);
}
bool Aes::start_gcm_tag() const {
  return gcm_in(kTag) && cfg_valid() &&
         (manual() ? (trigger_ & kStart) != 0 : hash_subkey_ready_ && s_ready_ && data_in_new());
}
bool Aes::start_cipher() const {
  if (!cfg_valid()) return false;
  if (manual()) return (trigger_ & kStart) != 0;
  const uint32_t m = mode();
  const bool needs_iv = m == kCbc || m == kCfb || m == kOfb || m == kCtr;
  if ((m == kEcb || (needs_iv && iv_status_.is_new)) && start_common()) return true;
  return start_gcm_hsk_or_s() || (gcm_in(kText) && iv_status_.is_new && start_common());
}

// ---------------------------------------------------------------------------------------
// The FSM.
// ---------------------------------------------------------------------------------------
void Aes::evaluate() {
  if (fsm_ != Fsm::Idle) return;
  // CTRL_IDLE start_we: the start trigger is dropped in automatic mode and with mode NONE.
  if ((trigger_ & kStart) && (mode() == kModeNone || !manual())) trigger_ &= ~kStart;
  if (trigger_ & kPrngReseed) {
    begin(Job::Reseed, kReseedCycles);
  } else if (trigger_ & (kKeyIvDataInClear | kDataOutClear)) {
    pending_.triggers = trigger_ & (kKeyIvDataInClear | kDataOutClear);
    begin(Job::Clear, after_ghash(kClearCycles));
  } else if (start_gcm_restore() || start_gcm_aad()) {
    begin_ghash_in();
  } else if (start_gcm_tag()) {
    begin_ghash_out(true);
  } else if (start_gcm_save()) {
    begin_ghash_out(false);
  } else if (start_cipher()) {
    begin_cipher();
  } else {
    update_idle();
  }
}

// Cycles until a job that must hand its input to GHASH (CTRL_GHASH_READY) is through, with
// `cycles` of its own after the handshake.
uint64_t Aes::after_ghash(uint64_t cycles) const {
  const uint64_t now = ctx_.timeline.now();
  return std::max(now + kLoadCycles, ghash_free_at_) + cycles - now;
}

void Aes::begin(Job job, uint64_t cycles) {
  pending_.job = job;
  fsm_ = Fsm::Busy;
  set_status(kIdle, false);
  ctx_.timeline.schedule_in(done_, std::max<uint64_t>(cycles, 1));
}

void Aes::update_idle() {
  const bool was = status_bit(kIdle);
  const bool idle = fsm_ == Fsm::Idle && !ghash_busy();
  set_status(kIdle, idle);
  if (idle && !was) kv_idle_rose();
}

crypto::AesBlockCipher Aes::cipher() const {
  crypto::Bytes key(32);
  for (unsigned i = 0; i < 32; ++i)
    key[i] = static_cast<uint8_t>((key_init_[0][i / 4] ^ key_init_[1][i / 4]) >> (8 * (i % 4)));
  key.resize(key_bytes_for(key_len()));
  return crypto::AesBlockCipher(key);
}

void Aes::begin_cipher() {
  const uint32_t m = mode();
  const bool dec = op() == kDec;
  const unsigned rounds = rounds_for(key_len());
  // ECB/CBC decryption with a new key: the cipher core first runs the key schedule to get the
  // decryption start key (the start trigger stays set meanwhile).
  if (dec && (m == kEcb || m == kCbc) && key_status_.is_new) {
    pending_ = {};
    key_status_.use();
    begin(Job::DecKeyGen, kLoadCycles + cipher_cycles(rounds));
    return;
  }
  Pending p;
  p.job = Job::Cipher;
  trigger_ &= ~kStart;
  key_status_.arm();
  // data_in_load: the input is taken.
  const Words4 in{reg(DATA_IN, 0), reg(DATA_IN, 1), reg(DATA_IN, 2), reg(DATA_IN, 3)};
  data_in_written_ = 0;
  set_status(kInputReady, true);

  const crypto::AesBlockCipher aes = cipher();
  const Block ib = to_block(in), ivb = to_block(iv_);
  bool uses_iv = true, counter = false, gcm = false;
  Block out{};
  switch (m) {
    case kEcb:
      out = dec ? aes.decrypt(ib) : aes.encrypt(ib);
      uses_iv = false;
      break;
    case kCbc:
      if (dec) {
        out = xor_blocks(aes.decrypt(ib), ivb);
        p.iv_at_end = in;
        data_in_prev_ = in;
      } else {
        out = aes.encrypt(xor_blocks(ib, ivb));
        p.iv_at_end = to_words(out);
      }
      break;
    case kCfb:
      out = xor_blocks(aes.encrypt(ivb), ib);
      p.iv_at_end = dec ? in : to_words(out);
      data_in_prev_ = in;
      break;
    case kOfb: {
      const Block ks = aes.encrypt(ivb);
      out = xor_blocks(ks, ib);
      p.iv_at_end = to_words(ks);
      data_in_prev_ = in;
      break;
    }
    case kCtr:
      out = xor_blocks(aes.encrypt(ivb), ib);
      counter = true;
      data_in_prev_ = in;
      break;
    case kGcm:
      gcm = counter = true;
      if (gcm_phase() == kText) {
        out = xor_blocks(aes.encrypt(ivb), ib);
        data_in_prev_ = in;
        p.ghash = Pending::Ghash::Text;
        // GHASH takes the ciphertext: the output when encrypting, the input when decrypting.
        p.ghash_in = mask_bytes(dec ? ib : out, num_valid_bytes());
      } else if (!hash_subkey_ready_) {
        p.cipher_out = aes.encrypt(Block{});  // H = E(K, 0^128)
        p.ghash = Pending::Ghash::HashSubkey;
      } else {
        p.cipher_out = aes.encrypt(ivb);      // S = E(K, J0)
        p.ghash = Pending::Ghash::S;
      }
      break;
    default:  // manual start with mode NONE cannot happen (cfg_valid)
      uses_iv = false;
      break;
  }
  if (uses_iv) {
    iv_status_.use();
    p.arm_iv = true;
  }
  if (counter) {  // the counter updates the IV registers while the block runs
    iv_ = to_words(increment(ivb, gcm));
    iv_status_.write(0xF);
  }
  p.write_output = p.ghash != Pending::Ghash::HashSubkey && p.ghash != Pending::Ghash::S;
  p.output = to_words(out);
  pending_ = p;
  const uint64_t cycles = kLoadCycles + cipher_cycles(rounds);
  begin(Job::Cipher, gcm ? std::max(cycles, after_ghash(1)) : cycles);
}

// GCM restore and AAD: the input goes (through the previous-input register) to GHASH; the
// control FSM is idle again once GHASH has taken it.
void Aes::begin_ghash_in() {
  Pending p;
  p.job = Job::GhashIn;
  trigger_ &= ~kStart;
  key_status_.arm();
  data_in_prev_ = {reg(DATA_IN, 0), reg(DATA_IN, 1), reg(DATA_IN, 2), reg(DATA_IN, 3)};
  data_in_written_ = 0;
  set_status(kInputReady, true);
  if (gcm_phase() == kRestore) {
    p.ghash = Pending::Ghash::Restore;
    p.ghash_in = to_block(data_in_prev_);
  } else {
    p.ghash = Pending::Ghash::Aad;
    p.ghash_in = mask_bytes(to_block(data_in_prev_), num_valid_bytes());
  }
  pending_ = p;
  begin(Job::GhashIn, after_ghash(1));
}

// GCM save and tag: GHASH's output (state + S) goes to DATA_OUT; the tag first folds in the
// length block from DATA_IN. GHASH then clears its hash subkey, S and state.
void Aes::begin_ghash_out(bool tag) {
  Pending p;
  p.job = Job::GhashOut;
  trigger_ &= ~kStart;
  uint64_t cycles = 3;
  if (tag) {
    key_status_.arm();
    data_in_prev_ = {reg(DATA_IN, 0), reg(DATA_IN, 1), reg(DATA_IN, 2), reg(DATA_IN, 3)};
    data_in_written_ = 0;
    set_status(kInputReady, true);
    p.ghash = Pending::Ghash::Tag;
    p.ghash_in = mask_bytes(to_block(data_in_prev_), num_valid_bytes());
    const Block y = crypto::gf128_mul(xor_blocks(y_, p.ghash_in), h_);
    p.output = to_words(xor_blocks(y, s_));
    cycles = kGhashCycles + 4;
  } else {
    p.ghash = Pending::Ghash::Save;
    p.output = to_words(xor_blocks(y_, s_));
  }
  p.write_output = true;
  pending_ = p;
  begin(Job::GhashOut, after_ghash(cycles));
}

void Aes::job_done() {
  switch (pending_.job) {
    case Job::Reseed:
      trigger_ &= ~kPrngReseed;
      fsm_ = Fsm::Idle;
      break;
    case Job::Clear:
      apply_clear(pending_.triggers);
      fsm_ = Fsm::Idle;
      break;
    case Job::DecKeyGen:
      fsm_ = Fsm::Idle;
      break;
    case Job::GhashIn:
      if (pending_.ghash == Pending::Ghash::Restore) {
        // The masked GHASH overwrites its state's first share with the saved value (state + S).
        y_ = xor_blocks(pending_.ghash_in, s_);
        ghash_free_at_ = ctx_.timeline.now() + 2;
      } else {
        y_ = crypto::gf128_mul(xor_blocks(y_, pending_.ghash_in), h_);
        ghash_free_at_ = ctx_.timeline.now() + kGhashCycles;
      }
      first_block_ = false;
      ctx_.timeline.schedule_at(ghash_done_, ghash_free_at_);
      fsm_ = Fsm::Idle;
      break;
    case Job::Cipher:
    case Job::GhashOut:
      // CTRL_FINISH: in automatic mode, unread output makes the core stall (even for the GCM
      // hash subkey and S, which do not write DATA_OUT).
      if (!manual() && status_bit(kOutputValid)) {
        fsm_ = Fsm::Stalled;
        set_status(kStall, true);
        notify();
        return;
      }
      finish_job(false);
      break;
    case Job::None:
      break;
  }
  pending_.job = Job::None;
  evaluate();
  notify();
}

void Aes::finish_job(bool output_read_now) {
  const Pending p = pending_;
  pending_ = {};
  set_status(kStall, false);
  if (p.write_output) {
    // OUTPUT_LOST: unread output is overwritten (manual mode).
    if (status_bit(kOutputValid) && !output_read_now) set_status(kOutputLost, true);
    data_out_ = p.output;
    set_status(kOutputValid, true);
    if (block_reg_output()) set_status(kOutputLost, true);
    if (kv_intercept_) kv_capture(p.output);
  }
  if (p.iv_at_end) {
    iv_ = *p.iv_at_end;
    iv_status_.write(0xF);
  }
  if (p.arm_iv) iv_status_.arm();
  const uint64_t now = ctx_.timeline.now();
  switch (p.ghash) {
    case Pending::Ghash::HashSubkey:
      h_ = p.cipher_out;
      hash_subkey_ready_ = true;
      break;
    case Pending::Ghash::S:
      // GHASH starts from S and subtracts it again; the masked core then computes its
      // correction terms.
      s_ = p.cipher_out;
      y_ = {};
      first_block_ = true;
      s_ready_ = true;
      ghash_free_at_ = now + kGhashClearCycles;
      break;
    case Pending::Ghash::Text:
      y_ = crypto::gf128_mul(xor_blocks(y_, p.ghash_in), h_);
      ghash_free_at_ = now + kGhashCycles + (first_block_ ? 32 : 0);
      first_block_ = false;
      break;
    case Pending::Ghash::Save:
    case Pending::Ghash::Tag:
      hash_subkey_ready_ = s_ready_ = false;
      ghash_clear();
      break;
    default:
      break;
  }
  if (ghash_free_at_ > now) ctx_.timeline.schedule_at(ghash_done_, ghash_free_at_);
  fsm_ = Fsm::Idle;
}

void Aes::on_ghash_free() {
  evaluate();
  notify();
}

// GHASH wipes its hash subkey, S and state with pseudo-random data (aes_ghash.sv clear_i and
// after its output handshake).
void Aes::ghash_clear() {
  for (auto* b : {&h_, &s_, &y_})
    for (auto& x : *b) x = static_cast<uint8_t>(prng_next());
  first_block_ = true;
  ghash_free_at_ = ctx_.timeline.now() + kGhashClearCycles;
}

// CTRL_CLEAR_I / CTRL_CLEAR_CO: registers take pseudo-random data.
void Aes::apply_clear(uint32_t triggers) {
  if (triggers & kKeyIvDataInClear) {
    for (auto& share : key_init_)
      for (auto& w : share) w = prd();
    key_status_.clear();
    for (auto& w : iv_) w = prd();
    iv_status_.clear();
    for (unsigned i = 0; i < 4; ++i) reg(DATA_IN, i) = prd();
    // INPUT_READY takes ~data_in_new of this cycle; the hardware write then resets the
    // tracking without updating the status bit again.
    set_status(kInputReady, !data_in_new());
    data_in_written_ = 0;
    for (auto& w : data_in_prev_) w = prd();
    ghash_clear();
    ctx_.timeline.schedule_at(ghash_done_, ghash_free_at_);
    trigger_ &= ~kKeyIvDataInClear;
  }
  if (triggers & kDataOutClear) {
    for (auto& w : data_out_) w = prd();
    set_status(kOutputValid, false);
    trigger_ &= ~kDataOutClear;
    kv_data_ = {};
    kv_data_valid_ = false;
  }
}

// ---------------------------------------------------------------------------------------
// 2.1: the output of an AES-ECB decryption to the key vault (OCP LOCK key release; aes.sv
// "Caliptra Control Intercept", aes_clp_wrapper.sv kv_write_client).
// ---------------------------------------------------------------------------------------
bool Aes::block_reg_output() const {
  if (ctx_.hw != HwGen::V2_1 || !ctx_.secrets || !ctx_.secrets->ocp_lock_in_progress()) return false;
  return sideload() && kv_key_slot_ == KeyVault::kOcpLockRtObfKeySlot && op() == kDec && mode() == kEcb;
}

uint32_t Aes::key_release_bytes() const { return ctx_.secrets ? ctx_.secrets->key_release_size() : 0; }

// Blocks captured for the vault: kv_data_counter indexes the 128-bit chunk and stops at
// kv_data_thresh = key size / 16 - 1 (2 bits).
void Aes::kv_capture(const Words4& out) {
  const unsigned thresh = (key_release_bytes() / 16 - 1) & 3;
  for (unsigned i = 0; i < 4; ++i) kv_data_[4 * kv_counter_ + i] = out[i];
  if (kv_counter_ != thresh) ++kv_counter_;
  // The intercept reads the output itself (data_out re), so the core never stalls on it.
  data_out_read_ = 0;
  set_status(kOutputValid, false);
}

// kv_data_intercept_end: the core goes idle with the counter at its threshold.
void Aes::kv_idle_rose() {
  if (!kv_intercept_ || kv_counter_ != ((key_release_bytes() / 16 - 1) & 3)) return;
  kv_intercept_ = false;
  kv_mask_data_out_ = false;
  kv_counter_ = 0;
  kv_data_valid_ = true;
  const unsigned n = std::min<uint32_t>(key_release_bytes() / 4, 16);
  KvWriteSource src{KvWriter::Aes};
  if (sideload()) src.data0 = kv_key_slot_;
  src.aes_decrypt_ecb = op() == kDec && mode() == kEcb;
  clp_->start_kv_write(std::span<const uint32_t>(kv_data_.data(), n), src, [this] {
    kv_data_ = {};
    kv_data_valid_ = false;
    notify();
  });
}

}  // namespace calemu::caliptra
