#include "caliptra/doe.h"

#include "caliptra/keyvault.h"
#include "crypto/aes.h"

namespace calemu::caliptra {

namespace {

constexpr unsigned kFeWords = 8;    // CLP_OBF_FE_DWORDS
constexpr unsigned kHekWords = 8;   // OCP_LOCK_HEK_NUM_DWORDS (2.1)
// doe_fsm.sv write_dest_valid: HMAC key and HMAC block; the HEK seed only HMAC block
// (OCP_LOCK_HEK_SEED_DEST_VALID).
constexpr uint16_t kDestValid = 0x3, kHekDestValid = 0x2;

// A 128-bit value made of four dwords, the first one most significant (doe_cbc.sv
// core_key/core_block/core_IV), as AES bytes.
void put_words(uint8_t* out, const uint32_t* w, unsigned n) {
  for (unsigned i = 0; i < 4 * n; ++i) out[i] = static_cast<uint8_t>(w[i / 4] >> (24 - 8 * (i % 4)));
}

}  // namespace

Doe::Doe(BlockContext& ctx)
    : bus::RegBlock("doe", ctx.hw == HwGen::V2_1 ? std::span<const bus::RegDef>(kRegs21) : kRegs, kSize),
      ctx_(ctx),
      uds_words_(is_2x(ctx.hw) ? 16 : 12),
      intr_({"error0", "error1", "error2", "error3"}, {"notif_cmd_done"},
            [&ctx](bool err, bool notif) {
              if (ctx.set_irq) {
                ctx.set_irq(kIrqDoeError, err);
                ctx.set_irq(kIrqDoeNotif, notif);
              }
            }),
      done_("doe.flow", [this] { flow_done(); }) {
  attach(0x800, intr_);
  reg(DOE_STATUS) |= kReady;
}

// READY/VALID/ERROR are on cptra_rst_b; the flow-done and secrets-cleared bits on
// cptra_pwrgood.
void Doe::reset(bus::ResetKind kind) {
  if (kind == bus::ResetKind::FwUpdate) return;
  bus::RegBlock::reset(kind);
  ctx_.timeline.cancel(done_);
  running_ = kIdle;
  chained_ = false;
  chain_ = {};
  reg(DOE_STATUS) = (reg(DOE_STATUS) & ~(kReady | kValid | kError)) | kReady;  // the idle core sets READY
}

void Doe::after_write(unsigned id, unsigned, uint32_t, const bus::Requester&) {
  if (id == DOE_IV) chained_ = false;  // IV_updated: the next block starts from the IV registers
  if (id == DOE_CTRL) on_ctrl(reg(DOE_CTRL));
}

uint32_t Doe::flow_done_bit(Cmd cmd) {
  switch (cmd) {
    case kUds: return kUdsFlowDone;
    case kFe: return kFeFlowDone;
    case kHek: return kHekFlowDone;
    default: return 0;
  }
}

void Doe::on_ctrl(uint32_t v) {
  set_status(kValid | kError, false);  // VALID and ERROR hwclr = CMD.swmod | CMD_EXT.swmod
  // doe_cmd_reg.cmd = {CMD_EXT, CMD} (2.1; CMD_EXT reads 0 before).
  const Cmd cmd = static_cast<Cmd>((v & 3) | ((v >> 7) & 3) << 2);
  if (cmd == kClearObfSecrets) return clear_obf_secrets();  // acts even on a stalled flow
  if (running_ != kIdle) return;  // the FSM only looks at CMD when idle
  switch (cmd) {
    case kUds:
    case kFe:
    case kHek: {
      if (reg(DOE_STATUS) & flow_done_bit(cmd)) {  // a locked flow completes at once, leaving the vault alone
        reg(DOE_CTRL) &= ~(3u | 3u << 7);
        set_status(kValid, true);
        intr_.notif_event(0);
        return;
      }
      run_flow(cmd, (v >> 2) & 0x1F);
      return;
    }
    default: return;  // NOP and the invalid/reserved encodings run nothing
  }
}

// The obfuscated secret of a flow; caliptra_top.sv substitutes all ones for the UDS seed
// and field entropy in debug or scan mode (not for the HEK seed).
std::span<const uint32_t> Doe::obfuscated(Cmd cmd) const {
  static const std::array<uint32_t, 16> kOnes = [] {
    std::array<uint32_t, 16> a;
    a.fill(0xFFFF'FFFF);
    return a;
  }();
  const bool debug = !ctx_.secrets || ctx_.secrets->in_debug_scan_mode();
  switch (cmd) {
    case kUds: return debug ? std::span<const uint32_t>(kOnes.data(), uds_words_) : ctx_.secrets->uds_seed();
    case kFe: return debug ? std::span<const uint32_t>(kOnes.data(), kFeWords) : ctx_.secrets->field_entropy();
    case kHek: return ctx_.secrets ? ctx_.secrets->hek_seed() : std::span<const uint32_t>{};
    default: return {};
  }
}

void Doe::run_flow(Cmd cmd, unsigned dest) {
  running_ = cmd;
  set_status(kReady, false);
  // caliptra_top.sv substitutes an all-ones obfuscation key in debug or scan mode.
  const bool debug = !ctx_.secrets || ctx_.secrets->in_debug_scan_mode();
  const unsigned words = cmd == kUds ? uds_words_ : cmd == kHek ? kHekWords : kFeWords;
  std::array<uint32_t, 16> secret{};
  const auto src = obfuscated(cmd);
  for (unsigned i = 0; i < words; ++i) secret[i] = i < src.size() ? src[i] : 0;
  crypto::Bytes key(32, 0xFF);
  if (!debug) {
    const auto k = ctx_.secrets->obf_key();
    uint32_t kw[8] = {};
    for (unsigned i = 0; i < 8 && i < k.size(); ++i) kw[i] = k[i];
    put_words(key.data(), kw, 8);
  }
  std::array<uint8_t, 16> iv;
  uint32_t ivw[4];
  for (unsigned i = 0; i < 4; ++i) ivw[i] = reg(DOE_IV, i);
  put_words(iv.data(), ivw, 4);

  std::array<uint32_t, 16> plain{};
  for (unsigned b = 0; b < words / 4; ++b) {
    std::array<uint8_t, 16> ct;
    put_words(ct.data(), &secret[4 * b], 4);
    const std::array<uint8_t, 16> prev = chained_ ? chain_ : iv;
    crypto::Bytes pt = crypto::aes_ecb_decrypt(key, ct);
    for (unsigned i = 0; i < 16; ++i) pt[i] ^= prev[i];
    for (unsigned i = 0; i < 16; ++i) plain[4 * b + i / 4] |= uint32_t{pt[i]} << (24 - 8 * (i % 4));
    chain_ = ct;
    chained_ = true;
  }
  pending_ = plain;
  pending_words_ = words;
  dest_ = dest;
  ctx_.timeline.schedule_in(done_, kCyclesKeyExpansion + (words / 4) * kCyclesPerBlock);
}

void Doe::flow_done() {
  // 2.1 doe_fsm.sv: with the ss_ocp_lock_en strap the write rules judge the flow before it
  // writes; a refused flow flags ERROR and stays in DOE_WRITE.
  KvWriteSource src{KvWriter::Doe};
  src.ocp_lock_strap = true;
  if (ctx_.kv && !ctx_.kv->write_allowed(dest_, src)) {
    pending_ = {};
    set_status(kError, true);
    return;
  }
  // The DOE does not look at the vault's write response: a locked slot just stays as it is.
  if (ctx_.kv)
    ctx_.kv->write(dest_, std::span<const uint32_t>(pending_.data(), pending_words_),
                   running_ == kHek ? kHekDestValid : kDestValid, src);
  pending_ = {};
  set_status(flow_done_bit(running_), true);
  running_ = kIdle;
  reg(DOE_CTRL) &= ~(3u | 3u << 7);
  set_status(kValid, true);
  set_status(kReady, true);
  intr_.notif_event(0);
}

// clear_obf_secrets: soc_ifc zeroes UDS, FE and the obfuscation key; the DOE zeroizes its
// core and IV registers. Not a flow, so no cmd_done notification.
void Doe::clear_obf_secrets() {
  if (ctx_.secrets) ctx_.secrets->clear_obf_secrets();
  ctx_.timeline.cancel(done_);
  running_ = kIdle;
  pending_ = {};
  chained_ = false;
  chain_ = {};
  for (unsigned i = 0; i < 4; ++i) reg(DOE_IV, i) = 0;
  reg(DOE_CTRL) &= ~(3u | 3u << 7);
  set_status(kError, false);
  set_status(kSecretsCleared, true);
  set_status(kValid, true);
  set_status(kReady, true);
}

}  // namespace calemu::caliptra
