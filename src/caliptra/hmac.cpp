#include "caliptra/hmac.h"

#include <algorithm>

#include "caliptra/keyvault.h"
#include "crypto/sha.h"

namespace calemu::caliptra {

namespace {

// hmac_param_pkg.sv: HMAC_CORE_NAME 64'h61327368_6163686d ("hmacsha2"), VERSION "1.00".
constexpr uint32_t kName[2] = {0x6163686d, 0x61327368};
constexpr uint32_t kVersion[2] = {0x3030312e, 0x00000000};

constexpr uint64_t kSha384Iv[8] = {0xCBBB9D5DC1059ED8, 0x629A292A367CD507, 0x9159015A3070DD17,
                                   0x152FECD8F70E5939, 0x67332667FFC00B31, 0x8EB44A8768581511,
                                   0xDB0C2E0D64F98FA7, 0x47B5481DBEFA4FA4};

constexpr uint32_t kInit = 1u << 0, kNext = 1u << 1, kZeroize = 1u << 2;

using Words12 = std::array<uint32_t, 12>;
using Words32 = std::array<uint32_t, 32>;

void compress(std::array<uint64_t, 8>& h, const Words32& block) {
  uint8_t bytes[128];
  for (unsigned i = 0; i < 32; ++i)
    for (unsigned b = 0; b < 4; ++b) bytes[4 * i + b] = static_cast<uint8_t>(block[i] >> (24 - 8 * b));
  crypto::sha512_compress(h.data(), bytes);
}

// {key, 640'b0} ^ IPAD/OPAD (hmac_core.v)
Words32 padded_key(const Words12& key, uint32_t pad) {
  Words32 b;
  for (unsigned i = 0; i < 32; ++i) b[i] = (i < 12 ? key[i] : 0) ^ pad;
  return b;
}

// HMAC_padded = {H1_digest, FINAL_PAD}: the inner digest, then padding for 1408 bits.
Words32 outer_block(const std::array<uint64_t, 8>& inner) {
  Words32 b{};
  for (unsigned i = 0; i < 12; ++i) b[i] = static_cast<uint32_t>(inner[i / 2] >> (i % 2 ? 0 : 32));
  b[12] = 0x8000'0000;
  b[31] = 0x580;
  return b;
}

}  // namespace

Hmac::Hmac(BlockContext& ctx)
    : bus::RegBlock("hmac", kRegs, kSize),
      ctx_(ctx),
      intr_({"error0", "error1", "error2", "error3"}, {"notif_cmd_done"},
            [&ctx](bool err, bool notif) {
              if (ctx.set_irq) {
                ctx.set_irq(kIrqHmacError, err);
                ctx.set_irq(kIrqHmacNotif, notif);
              }
            }),
      key_rd_(ctx.timeline, "hmac.kv_rd_key", *this, HMAC384_KV_RD_KEY_STATUS),
      block_rd_(ctx.timeline, "hmac.kv_rd_block", *this, HMAC384_KV_RD_BLOCK_STATUS),
      kv_wr_(ctx.timeline, "hmac.kv_wr", *this, HMAC384_KV_WR_STATUS),
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
  tag_ = kv_reg_ = {};
  busy_ = valid_ = false;
  block_lock_ = 0;
  kv_key_data_present_ = kv_data_present_ = false;
  key_read_failed_ = block_read_failed_ = false;
  reg(HMAC384_STATUS) = 1;
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
  tag_ = kv_reg_ = {};
  busy_ = valid_ = false;
  block_lock_ = 0;
  kv_key_data_present_ = kv_data_present_ = false;
  key_read_failed_ = block_read_failed_ = false;
  for (unsigned i = 0; i < 12; ++i) reg(HMAC384_KEY, i) = reg(HMAC384_TAG, i) = 0;
  for (unsigned i = 0; i < 32; ++i) reg(HMAC384_BLOCK, i) = 0;
  reg(HMAC384_STATUS) = 1;
}

bool Hmac::read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester&) {
  if (id == HMAC384_NAME) value = kName[index];
  if (id == HMAC384_VERSION) value = kVersion[index];
  return true;
}

bus::RegBlock::Verdict Hmac::write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t,
                                        const bus::Requester&) {
  if (id == HMAC384_KEY) {
    if (kv_key_data_present_) return Verdict::Ignore;  // swwel
    if (key_read_failed_) next = 0;                  // hwclr wins every cycle
  } else if (id == HMAC384_BLOCK) {
    if (block_lock_ >> index & 1) return Verdict::Ignore;
    if (block_read_failed_) next = 0;
  }
  return Verdict::Store;
}

void Hmac::after_write(unsigned id, unsigned, uint32_t, const bus::Requester&) {
  switch (id) {
    case HMAC384_CTRL: on_ctrl(reg(HMAC384_CTRL)); break;
    case HMAC384_KV_RD_KEY_CTRL: on_key_read(reg(HMAC384_KV_RD_KEY_CTRL)); break;
    case HMAC384_KV_RD_BLOCK_CTRL: on_block_read(reg(HMAC384_KV_RD_BLOCK_CTRL)); break;
    default: break;
  }
}

void Hmac::on_ctrl(uint32_t v) {
  if (v & kZeroize) {
    zeroize();
    return;
  }
  // INIT/NEXT are masked while a vault read runs (hmac.sv init_reg) or the core is busy.
  if (!(v & (kInit | kNext)) || !kv_clients_ready() || busy_) return;
  op_.init = (v & kInit) != 0;
  for (unsigned i = 0; i < 12; ++i) op_.key[i] = reg(HMAC384_KEY, i);
  for (unsigned i = 0; i < 32; ++i) op_.block[i] = reg(HMAC384_BLOCK, i);
  busy_ = true;
  valid_ = false;
  block_lock_ = 0;  // released by INIT/NEXT
  reg(HMAC384_STATUS) = 0;
  ctx_.timeline.schedule_in(done_, op_.init ? kCyclesInit : kCyclesNext);
}

void Hmac::core_done() {
  if (op_.init) {
    std::copy(std::begin(kSha384Iv), std::end(kSha384Iv), inner_.begin());
    compress(inner_, padded_key(op_.key, 0x3636'3636));
  }
  compress(inner_, op_.block);
  std::array<uint64_t, 8> outer;
  std::copy(std::begin(kSha384Iv), std::end(kSha384Iv), outer.begin());
  compress(outer, padded_key(op_.key, 0x5C5C'5C5C));
  compress(outer, outer_block(inner_));
  Words12 tag;
  for (unsigned i = 0; i < 12; ++i) tag[i] = static_cast<uint32_t>(outer[i / 2] >> (i % 2 ? 0 : 32));
  busy_ = false;
  valid_ = true;
  reg(HMAC384_STATUS) = 0x3;

  const kv::WriteCtrl wc = kv::WriteCtrl::decode(reg(HMAC384_KV_WR_CTRL));
  if (wc.write_en || kv_data_present_)
    kv_reg_ = tag;
  else
    for (unsigned i = 0; i < 12; ++i) reg(HMAC384_TAG, i) = tag[i];
  // kv_data_present_reset: vault-sourced key and block are cleared with the tag.
  if (kv_data_present_) {
    kv_data_present_ = kv_key_data_present_ = false;
    for (unsigned i = 0; i < 12; ++i) reg(HMAC384_KEY, i) = 0;
    for (unsigned i = 0; i < 32; ++i) reg(HMAC384_BLOCK, i) = 0;
  }
  intr_.notif_event(0);

  // Every tag is a write opportunity (there is no LAST in the HMAC engine).
  if (wc.write_en && kv_wr_.ready()) {
    reg(HMAC384_KV_WR_CTRL) &= ~1u;
    kv_wr_.start(kv::kCyclesKeyCopy, kv::Error::Success, [this, wc] {
      const bool ok = ctx_.kv && ctx_.kv->write(wc.entry, kv_reg_, wc.dest_valid);
      kv_wr_.set_error(ok ? kv::Error::Success : kv::Error::WriteFail);
    });
  }
}

void Hmac::on_key_read(uint32_t v) {
  const kv::ReadCtrl rc = kv::ReadCtrl::decode(v);
  reg(HMAC384_KV_RD_KEY_CTRL) &= ~1u;
  if (!rc.read_en || !key_rd_.ready()) return;
  kv_key_data_present_ = kv_data_present_ = true;
  const KeyVault::ReadResult r = ctx_.kv ? ctx_.kv->read(rc.entry, KvClient::HmacKey) : KeyVault::ReadResult{true};
  key_read_failed_ = r.error;
  key_rd_.start(kv::kCyclesKeyCopy, r.error ? kv::Error::ReadFail : kv::Error::Success, [this, r] {
    for (unsigned i = 0; i < 12; ++i) reg(HMAC384_KEY, i) = r.error ? 0 : r.words[i];
  });
}

// kv_read_client with PAD and HMAC: the slot's dwords up to last_dword, then 0x8000_0000,
// zeros, and the bit length plus the 1024-bit key block in dword 31.
void Hmac::on_block_read(uint32_t v) {
  const kv::ReadCtrl rc = kv::ReadCtrl::decode(v);
  reg(HMAC384_KV_RD_BLOCK_CTRL) &= ~1u;
  if (!rc.read_en || !block_rd_.ready()) return;
  kv_data_present_ = true;
  const KeyVault::ReadResult r = ctx_.kv ? ctx_.kv->read(rc.entry, KvClient::HmacBlock) : KeyVault::ReadResult{true};
  block_read_failed_ = r.error;
  block_rd_.start(kv::kCyclesPaddedBlock, r.error ? kv::Error::ReadFail : kv::Error::Success, [this, r] {
    const unsigned n = std::min(r.last_dword + 1, 28u);
    Words32 b{};
    if (!r.error)
      for (unsigned i = 0; i < n && i < 12; ++i) b[i] = r.words[i];
    b[n] = 0x8000'0000;
    b[31] = n * 32 + 1024;
    for (unsigned i = 0; i < 32; ++i) reg(HMAC384_BLOCK, i) = r.error ? 0 : b[i];
    block_lock_ = 0xFFFF'FFFF;
  });
}

}  // namespace calemu::caliptra
