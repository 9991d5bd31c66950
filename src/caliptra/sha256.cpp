#include "caliptra/sha256.h"

#include <algorithm>

#include "crypto/sha.h"

namespace calemu::caliptra {

namespace {

// sha256_params_pkg.sv
constexpr uint32_t kName[2] = {0x61327368, 0x35362d32};     // "sha2-256"
constexpr uint32_t kVersion[2] = {0x3830312e, 0x00000000};  // "1.80"

// FIPS 180-4 §5.3.2 / §5.3.3.
constexpr uint32_t kIv224[8] = {0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939,
                                0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4};
constexpr uint32_t kIv256[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

// CTRL fields.
constexpr uint32_t kInit = 1u << 0, kNext = 1u << 1, kMode = 1u << 2, kZeroize = 1u << 3, kWntzMode = 1u << 4;
constexpr unsigned kWntzWShift = 5;
constexpr uint32_t kWntzNMode = 1u << 9;

// STATUS fields.
constexpr uint32_t kReady = 1u << 0, kValid = 1u << 1, kWntzBusy = 1u << 2;

// sha256.sv wntz_iter: 2^w - 2, the last j of the chain; 0 for an invalid w.
unsigned wntz_iterations(unsigned w) {
  switch (w) {
    case 1: return 0;
    case 2: return 2;
    case 4: return 14;
    case 8: return 254;
    default: return 0;
  }
}

}  // namespace

Sha256::Sha256(BlockContext& ctx)
    : bus::RegBlock("sha256", kRegs, kSize),
      ctx_(ctx),
      intr_({"error0", "error1", "error2", "error3"}, {"notif_cmd_done"},
            [&ctx](bool err, bool notif) {
              if (ctx.set_irq) {
                ctx.set_irq(kIrqSha256Error, err);
                ctx.set_irq(kIrqSha256Notif, notif);
              }
            }),
      done_("sha256.core", [this] { block_done(); }) {
  attach(0x800, intr_);
  clear_state();
}

void Sha256::clear_state() {
  ctx_.timeline.cancel(done_);
  h_ = {};
  digest_ = {};
  busy_ = valid_ = false;
  mode256_ = true;
  wntz_w_ = 4;
  wntz_n32_ = false;
  wntz_busy_ = false;
  wntz_j_ = wntz_iter_ = 0;
  update_status();
}

void Sha256::reset(bus::ResetKind kind) {
  if (kind == bus::ResetKind::FwUpdate) return;
  bus::RegBlock::reset(kind);
  clear_state();
}

void Sha256::zeroize() {
  ctx_.timeline.cancel(done_);
  h_ = {};
  digest_ = {};
  // 1.x: wntz_busy_ stays: the chain FSM has no zeroize and waits for a digest that never
  // comes. 2.x sha256.sv returns the chain FSM and its registers to idle.
  if (is_2x(ctx_.hw)) {
    wntz_busy_ = false;
    wntz_j_ = wntz_iter_ = 0;
    wntz_chain_n32_ = false;
    wntz_prefix_ = {};
  }
  busy_ = valid_ = false;
  for (unsigned i = 0; i < 16; ++i) reg(SHA256_BLOCK, i) = 0;
  for (unsigned i = 0; i < 8; ++i) reg(SHA256_DIGEST, i) = 0;
  update_status();
}

bool Sha256::read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester&) {
  if (id == SHA256_NAME) value = kName[index];
  if (id == SHA256_VERSION) value = kVersion[index];
  return true;
}

void Sha256::after_write(unsigned id, unsigned, uint32_t, const bus::Requester&) {
  if (id == SHA256_CTRL) on_ctrl(reg(SHA256_CTRL));
}

void Sha256::on_ctrl(uint32_t v) {
  const bool was_ready = ready();
  const bool init = v & kInit, next = v & kNext;
  bool wntz = false;
  if (was_ready) {  // swwe = sha256_ready
    mode256_ = v & kMode;
    wntz_w_ = (v >> kWntzWShift) & 0xF;
    wntz_n32_ = v & kWntzNMode;
    wntz = v & kWntzMode;
  }
  if (v & kZeroize) {
    zeroize();
    return;
  }
  if (is_2x(ctx_.hw) && !was_ready) return;  // 2.x: INIT and NEXT have swwe = sha256_ready too
  if (init && next) intr_.error_event(1);  // invalid_sha_op
  const unsigned iter = wntz_iterations(wntz_w_);
  std::array<uint32_t, 16> block;
  for (unsigned i = 0; i < 16; ++i) block[i] = reg(SHA256_BLOCK, i);
  const unsigned j = (block[5] >> 8) & 0xFF;
  if (wntz && j > iter) intr_.error_event(0);  // wntz_j_invalid; the block still hashes normally
  if (!was_ready || !(init || next)) return;

  if (wntz && init && j <= iter) {
    wntz_busy_ = true;
    wntz_j_ = j;
    wntz_iter_ = iter;
    wntz_chain_n32_ = wntz_n32_;
    for (unsigned i = 0; i < 22; ++i) wntz_prefix_[i] = static_cast<uint8_t>(block[i / 4] >> (24 - 8 * (i % 4)));
    if (!(wntz_w_ == 1 || wntz_w_ == 2 || wntz_w_ == 4 || wntz_w_ == 8)) intr_.error_event(0);  // wntz_w_invalid
    if (!mode256_) intr_.error_event(0);                                                      // wntz_mode_invalid
  }
  // The first block runs in the firmware's mode, even for a chain (the FSM is still idle).
  start(init, mode256_, block, kCyclesPerBlock);
}

void Sha256::start(bool init, bool sha256, const std::array<uint32_t, 16>& block, uint64_t cycles) {
  if (init) std::copy(std::begin(sha256 ? kIv256 : kIv224), std::end(sha256 ? kIv256 : kIv224), h_.begin());
  core_block_ = block;
  busy_ = true;
  valid_ = false;
  update_status();
  ctx_.timeline.schedule_in(done_, cycles);
}

// The chain block (sha256.sv core_block while wntz_busy): prefix, j, the truncated
// previous digest, then SHA-256 padding for 47 (n = 24) or 55 (n = 32) bytes.
std::array<uint32_t, 16> Sha256::wntz_block() const {
  uint8_t b[64] = {};
  std::copy(wntz_prefix_.begin(), wntz_prefix_.end(), b);
  b[22] = static_cast<uint8_t>(wntz_j_);
  const unsigned n = wntz_chain_n32_ ? 32 : 24;
  for (unsigned i = 0; i < n; ++i) b[23 + i] = static_cast<uint8_t>(digest_[i / 4] >> (24 - 8 * (i % 4)));
  b[23 + n] = 0x80;
  const unsigned bits = (23 + n) * 8;
  b[62] = static_cast<uint8_t>(bits >> 8);
  b[63] = static_cast<uint8_t>(bits);
  std::array<uint32_t, 16> w;
  for (unsigned i = 0; i < 16; ++i)
    w[i] = uint32_t{b[4 * i]} << 24 | uint32_t{b[4 * i + 1]} << 16 | uint32_t{b[4 * i + 2]} << 8 | b[4 * i + 3];
  return w;
}

void Sha256::block_done() {
  uint8_t bytes[64];
  for (unsigned i = 0; i < 16; ++i)
    for (unsigned b = 0; b < 4; ++b) bytes[4 * i + b] = static_cast<uint8_t>(core_block_[i] >> (24 - 8 * b));
  uint32_t state[8];
  std::copy(h_.begin(), h_.end(), state);
  crypto::sha256_compress(state, bytes);
  std::copy(state, state + 8, h_.begin());
  busy_ = false;

  // get_mask: a chain keeps 6 or 8 words; otherwise SHA-224 keeps 7.
  const unsigned words = wntz_busy_ ? (wntz_chain_n32_ ? 8 : 6) : (mode256_ ? 8 : 7);
  digest_ = {};
  std::copy(h_.begin(), h_.begin() + words, digest_.begin());

  if (wntz_busy_ && wntz_j_ < wntz_iter_) {
    ++wntz_j_;
    start(true, true, wntz_block(), kCyclesWntzStep);  // each step is a fresh SHA-256 (init)
    return;
  }
  wntz_busy_ = false;
  valid_ = true;
  for (unsigned i = 0; i < 8; ++i) reg(SHA256_DIGEST, i) = digest_[i];
  update_status();
  intr_.notif_event(0);
}

void Sha256::update_status() {
  reg(SHA256_STATUS) = (ready() ? kReady : 0) | (valid_ ? kValid : 0) | (wntz_busy_ ? kWntzBusy : 0);
}

}  // namespace calemu::caliptra
