#include "caliptra/hmac.h"

#include <algorithm>

#include "caliptra/keyvault.h"
#include "crypto/sha.h"

namespace calemu::caliptra {

namespace {

// hmac_param_pkg.sv: HMAC_CORE_NAME 64'h61327368_6163686d ("hmacsha2"), VERSION "1.00"
// (1.x) or "2.00" (2.x).
constexpr uint32_t kName[2] = {0x6163686d, 0x61327368};
constexpr uint32_t kVersion1x[2] = {0x3030312e, 0x00000000};
constexpr uint32_t kVersion2x[2] = {0x3030322e, 0x00000000};

// FIPS 180-4 §5.3.4 (SHA-384) and §5.3.5 (SHA-512).
constexpr uint64_t kSha384Iv[8] = {0xCBBB9D5DC1059ED8, 0x629A292A367CD507, 0x9159015A3070DD17,
                                   0x152FECD8F70E5939, 0x67332667FFC00B31, 0x8EB44A8768581511,
                                   0xDB0C2E0D64F98FA7, 0x47B5481DBEFA4FA4};
constexpr uint64_t kSha512Iv[8] = {0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B,
                                   0xA54FF53A5F1D36F1, 0x510E527FADE682D1, 0x9B05688C2B3E6C1F,
                                   0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179};

using Words16 = std::array<uint32_t, 16>;
using Words32 = std::array<uint32_t, 32>;
using State = std::array<uint64_t, 8>;

State iv(bool mode512) {
  State s;
  std::copy_n(mode512 ? kSha512Iv : kSha384Iv, 8, s.begin());
  return s;
}

void compress(State& h, const Words32& block) {
  uint8_t bytes[128];
  for (unsigned i = 0; i < 32; ++i)
    for (unsigned b = 0; b < 4; ++b) bytes[4 * i + b] = static_cast<uint8_t>(block[i] >> (24 - 8 * b));
  crypto::sha512_compress(h.data(), bytes);
}

uint32_t state_word(const State& h, unsigned i) { return static_cast<uint32_t>(h[i / 2] >> (i % 2 ? 0 : 32)); }

// {key, 512'b0} ^ IPAD/OPAD (hmac_core.v; a 1.x key is 384 bits, then 640 zero bits).
Words32 padded_key(const Words16& key, uint32_t pad) {
  Words32 b;
  for (unsigned i = 0; i < 32; ++i) b[i] = (i < 16 ? key[i] : 0) ^ pad;
  return b;
}

// HMAC_padded: the inner digest, then FINAL_PAD for 1408 (HMAC-384) or 1536 (HMAC-512) bits.
Words32 outer_block(const State& inner, bool mode512) {
  const unsigned n = mode512 ? 16 : 12;
  Words32 b{};
  for (unsigned i = 0; i < n; ++i) b[i] = state_word(inner, i);
  b[n] = 0x8000'0000;
  b[31] = mode512 ? 0x600 : 0x580;
  return b;
}

constexpr uint32_t kKvReadEnEntry = 0x3F;  // read_en/write_en and the 5-bit entry

}  // namespace

Hmac::Hmac(BlockContext& ctx)
    : bus::RegBlock("hmac", is_2x(ctx.hw) ? std::span<const bus::RegDef>(kRegs2x) : kRegs1x, kSize),
      ctx_(ctx),
      v2_(is_2x(ctx.hw)),
      key_words_(v2_ ? 16 : 12),
      intr_(v2_ ? std::vector<std::string>{"key_mode_error", "key_zero_error", "error2", "error3"}
                : std::vector<std::string>{"error0", "error1", "error2", "error3"},
            {"notif_cmd_done"},
            [&ctx](bool err, bool notif) {
              if (ctx.set_irq) {
                ctx.set_irq(kIrqHmacError, err);
                ctx.set_irq(kIrqHmacNotif, notif);
              }
            }),
      key_rd_(ctx.timeline, "hmac.kv_rd_key", *this, KV_RD_KEY_STATUS, ctx.hw == HwGen::V2_1),
      block_rd_(ctx.timeline, "hmac.kv_rd_block", *this, KV_RD_BLOCK_STATUS, ctx.hw == HwGen::V2_1),
      kv_wr_(ctx.timeline, "hmac.kv_wr", *this, KV_WR_STATUS),
      done_("hmac.core", [this] { core_done(); }) {
  attach(0x800, intr_);
  clear_state();
}

void Hmac::clear_state() {
  ctx_.timeline.cancel(done_);
  key_rd_.reset();
  block_rd_.reset();
  kv_wr_.reset();
  inner_ = {};
  kv_reg_ = {};
  busy_ = false;
  block_lock_ = 0;
  kv_key_data_present_ = kv_block_data_present_ = false;
  key_read_failed_ = block_read_failed_ = false;
  error_flag_ = false;
  reg(STATUS) = 1;
}

void Hmac::reset(bus::ResetKind kind) {
  if (kind == bus::ResetKind::FwUpdate) return;
  bus::RegBlock::reset(kind);
  clear_state();
}

void Hmac::zeroize() {
  ctx_.timeline.cancel(done_);
  key_rd_.abort();
  block_rd_.abort();
  kv_wr_.abort();
  inner_ = {};
  kv_reg_ = {};
  busy_ = false;
  block_lock_ = 0;
  kv_key_data_present_ = kv_block_data_present_ = false;
  key_read_failed_ = block_read_failed_ = false;
  error_flag_ = false;
  for (unsigned i = 0; i < key_words_; ++i) reg(KEY, i) = reg(TAG, i) = 0;
  for (unsigned i = 0; i < 32; ++i) reg(BLOCK, i) = 0;
  reg(STATUS) = 1;
}

bool Hmac::read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester&) {
  if (id == NAME) value = kName[index];
  if (id == VERSION) value = (v2_ ? kVersion2x : kVersion1x)[index];
  return true;
}

// 2.x hmac.sv field swwe: a read control takes writes while its data is absent and the
// engine idle, a write control while the engine is idle; pcr_hash_extend never; the
// reserved bits as read_en in 2.0 and never in 2.1.
uint32_t Hmac::kv_ctrl_writable(unsigned id) const {
  if (busy()) return 0;
  const bool v20 = ctx_.hw == HwGen::V2_0;
  if (id == KV_WR_CTRL) return v20 ? 0xFFFF'FFFF : 0x7FFF;
  const bool present = id == KV_RD_KEY_CTRL ? kv_key_data_present_ : kv_block_data_present_;
  if (present) return 0;
  return v20 ? ~(1u << 6) : kKvReadEnEntry;
}

bus::RegBlock::Verdict Hmac::write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old,
                                        const bus::Requester&) {
  switch (id) {
    case KEY:
      if (kv_key_data_present_) return Verdict::Ignore;  // swwel
      if (key_read_failed_) next = 0;                    // hwclr wins every cycle
      break;
    case BLOCK:
      if (block_lock_ >> index & 1) return Verdict::Ignore;
      if (block_read_failed_) next = 0;
      break;
    case CTRL:
      // 2.x: INIT, NEXT, MODE and CSR_MODE have swwe = ready_reg.
      if (v2_ && busy_) next = (next & ~(kInit | kNext | kMode512 | kCsrMode)) | (old & (kMode512 | kCsrMode));
      break;
    case KV_RD_KEY_CTRL:
    case KV_RD_BLOCK_CTRL:
    case KV_WR_CTRL:
      if (v2_) {
        const uint32_t w = kv_ctrl_writable(id);
        next = (next & w) | (old & ~w);
      }
      break;
    default: break;
  }
  return Verdict::Store;
}

void Hmac::after_write(unsigned id, unsigned, uint32_t, const bus::Requester&) {
  switch (id) {
    case CTRL: on_ctrl(reg(CTRL)); break;
    case KV_RD_KEY_CTRL: on_key_read(reg(KV_RD_KEY_CTRL)); break;
    case KV_RD_BLOCK_CTRL: on_block_read(reg(KV_RD_BLOCK_CTRL)); break;
    default: break;
  }
}

// The key the core sees: KEY or, in 2.x CSR mode, the SoC's CSR HMAC key (caliptra_top.sv
// cptra_csr_hmac_key_dbg: all ones in debug or scan mode).
Hmac::Words16 Hmac::core_key() const {
  Words16 k{};
  if (v2_ && (reg(CTRL) & kCsrMode)) {
    if (ctx_.secrets && ctx_.secrets->in_debug_scan_mode()) {
      k.fill(0xFFFF'FFFF);
    } else if (ctx_.secrets) {
      const auto csr = ctx_.secrets->csr_hmac_key();
      for (unsigned i = 0; i < 16 && i < csr.size(); ++i) k[i] = csr[i];
    }
  } else {
    for (unsigned i = 0; i < key_words_; ++i) k[i] = reg(KEY, i);
  }
  return k;
}

void Hmac::on_ctrl(uint32_t v) {
  reg(CTRL) &= ~(kInit | kNext | kZeroize);  // single pulses
  if (v & kZeroize) {
    zeroize();
    return;
  }
  // INIT/NEXT are masked while a vault read runs (hmac.sv init_reg) or the core is busy.
  if (!(v & (kInit | kNext)) || !kv_clients_ready() || busy_) return;
  op_.init = (v & kInit) != 0;
  op_.mode512 = v2_ && (v & kMode512);
  op_.key = core_key();
  if (v2_ && kv_key_data_present_) {
    // hmac.sv key_zero_error / key_mode_error, on the unmasked key.
    const bool zero = std::all_of(op_.key.begin(), op_.key.end(), [](uint32_t w) { return w == 0; });
    const bool short_key = op_.mode512 && !(op_.key[12] | op_.key[13] | op_.key[14] | op_.key[15]);
    if (short_key) intr_.error_event(0);
    if (zero) intr_.error_event(1);
    error_flag_ = error_flag_ || zero || short_key;
  }
  if (!op_.mode512) std::fill(op_.key.begin() + 12, op_.key.end(), 0);  // get_mask
  for (unsigned i = 0; i < 32; ++i) op_.block[i] = reg(BLOCK, i);
  busy_ = true;
  block_lock_ = 0;  // released by INIT/NEXT
  reg(STATUS) = 0;
  ctx_.timeline.schedule_in(done_, op_.init ? kCyclesInit : kCyclesNext);
}

void Hmac::core_done() {
  if (op_.init) {
    inner_ = iv(op_.mode512);
    compress(inner_, padded_key(op_.key, 0x3636'3636));
  }
  compress(inner_, op_.block);
  State outer = iv(op_.mode512);
  compress(outer, padded_key(op_.key, 0x5C5C'5C5C));
  compress(outer, outer_block(inner_, op_.mode512));
  Words16 tag{};
  for (unsigned i = 0; i < (op_.mode512 ? 16u : 12u); ++i) tag[i] = state_word(outer, i);
  busy_ = false;
  // 2.x error_flag_reg: the core ran, but no tag is taken and VALID stays low.
  reg(STATUS) = error_flag_ ? 0x1 : 0x3;
  if (error_flag_) return;

  const kv::WriteCtrl wc = kv::WriteCtrl::decode(reg(KV_WR_CTRL));
  const bool kv_data_present = kv_key_data_present_ || kv_block_data_present_;
  if (wc.write_en || kv_data_present)
    kv_reg_ = tag;
  else
    for (unsigned i = 0; i < key_words_; ++i) reg(TAG, i) = tag[i];
  intr_.notif_event(0);

  // Every tag is a write opportunity (there is no LAST in the HMAC engine).
  if (wc.write_en && kv_wr_.ready()) write_tag_to_vault(wc);
  // kv_data_present_reset: vault-sourced key and block are cleared with the tag.
  if (kv_data_present) {
    kv_key_data_present_ = kv_block_data_present_ = false;
    for (unsigned i = 0; i < key_words_; ++i) reg(KEY, i) = 0;
    for (unsigned i = 0; i < 32; ++i) reg(BLOCK, i) = 0;
  }
}

void Hmac::write_tag_to_vault(const kv::WriteCtrl& wc) {
  KvWriteSource src{KvWriter::Hmac};
  if (kv_key_data_present_) src.data0 = kv_key_entry_;
  if (kv_block_data_present_) src.data1 = kv_block_entry_;
  const unsigned n = op_.mode512 ? 16 : 12;
  reg(KV_WR_CTRL) &= ~1u;
  kv_wr_.start(n == 16 ? kv::kCyclesKey512Copy : kv::kCyclesKeyCopy, kv::Error::Success, [this, wc, src, n] {
    const bool ok = ctx_.kv && ctx_.kv->write(wc.entry, std::span<const uint32_t>(kv_reg_.data(), n), wc.dest_valid, src);
    kv_wr_.set_error(ok ? kv::Error::Success : kv::Error::WriteFail);
  });
}

void Hmac::on_key_read(uint32_t v) {
  const kv::ReadCtrl rc = kv::ReadCtrl::decode(v);
  reg(KV_RD_KEY_CTRL) &= ~1u;
  if (!rc.read_en || !key_rd_.ready()) return;
  kv_key_data_present_ = true;
  kv_key_entry_ = rc.entry;
  const KeyVault::ReadResult r = ctx_.kv ? ctx_.kv->read(rc.entry, KvClient::HmacKey) : KeyVault::ReadResult{true};
  const unsigned n = ctx_.kv ? ctx_.kv->copy_length(r, key_words_) : 0;
  key_read_failed_ = r.error;
  key_rd_.start(r.denied ? kv::kCyclesDeniedRead : kv::kCyclesKeyCopy + (key_words_ - 12), r.error ? kv::Error::ReadFail : kv::Error::Success,
                [this, r, n] {
                  if (r.error) {
                    for (unsigned i = 0; i < key_words_; ++i) reg(KEY, i) = 0;
                    return;
                  }
                  for (unsigned i = 0; i < n; ++i) reg(KEY, i) = r.words[i];
                });
}

// kv_read_client with PAD and HMAC: the slot's dwords up to last_dword, then 0x8000_0000,
// zeros, and the bit length plus the 1024-bit key block in dword 31.
void Hmac::on_block_read(uint32_t v) {
  const kv::ReadCtrl rc = kv::ReadCtrl::decode(v);
  reg(KV_RD_BLOCK_CTRL) &= ~1u;
  if (!rc.read_en || !block_rd_.ready()) return;
  kv_block_data_present_ = true;
  kv_block_entry_ = rc.entry;
  const KeyVault::ReadResult r = ctx_.kv ? ctx_.kv->read(rc.entry, KvClient::HmacBlock) : KeyVault::ReadResult{true};
  block_read_failed_ = r.error;
  const kv::Error err = r.error ? kv::Error::ReadFail : kv::Error::Success;
  if (KeyVault::never_last(r) && !r.denied) {  // an entry beyond the vault: the client waits forever
    block_rd_.hang(err);
    return;
  }
  block_rd_.start(r.denied ? kv::kCyclesDeniedRead : kv::kCyclesPaddedBlock, err, [this, r] {
    if (r.error) {  // hwclr while KV_READ_FAIL; dwords the client wrote are locked
      for (unsigned i = 0; i < 32; ++i) reg(BLOCK, i) = 0;
      if (!r.denied) block_lock_ = 0xFFFF'FFFF;
      return;
    }
    const unsigned n = std::min(r.last_dword + 1, 28u);
    Words32 b{};
    for (unsigned i = 0; i < n; ++i) b[i] = r.words[i];
    b[n] = 0x8000'0000;
    b[31] = n * 32 + 1024;
    for (unsigned i = 0; i < 32; ++i) reg(BLOCK, i) = b[i];
    block_lock_ = 0xFFFF'FFFF;
  });
}

}  // namespace calemu::caliptra
