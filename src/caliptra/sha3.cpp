#include "caliptra/sha3.h"

#include "crypto/keccak.h"

namespace calemu::caliptra {

namespace {

uint32_t bswap(uint32_t v) {
  return (v >> 24) | ((v >> 8) & 0xFF00) | ((v << 8) & 0xFF'0000) | (v << 24);
}

// sha3_param_pkg.sv: SHA3_CORE_NAME "sha3", SHA3_CORE_VERSION "2.00".
constexpr uint32_t kName[2] = {0x6133'7368, 0}, kVersion[2] = {0x3030'312E, 0};

// kmac_reg_pkg.sv KMAC_PERMIT: the byte lanes a write must cover.
uint32_t permit(unsigned id) {
  switch (id) {
    case Sha3::CFG_SHADOWED: case Sha3::CMD: return 0x3;
    case Sha3::STATUS: return 0x7;
    case Sha3::INTR_STATE: case Sha3::INTR_ENABLE: case Sha3::INTR_TEST: case Sha3::ALERT_TEST:
    case Sha3::CFG_REGWEN: return 0x1;
    default: return 0xF;
  }
}

// kmac_app.sv: the values ErrSwPushedMsgFifo reports while software does not own the engine
// (8'(StIdle) and SelNone).
constexpr uint32_t kAppStIdleLow8 = 0xBE, kSelNone = 0x14;

}  // namespace

// ---------------------------------------------------------------------------------------
// The Caliptra registers at +0x1000 (sha3_reg.rdl). sha3_ctrl.sv drives the copies of the
// KMAC registers with constants: they read 0 (CFG_REGWEN and STATUS after their first clock),
// CMD is a plain write-one-to-clear field that never holds a 1.
// ---------------------------------------------------------------------------------------
class Sha3::CaliptraRegs : public bus::RegBlock {
 public:
#define CALEMU_SHA3_REGS(X)                                     \
  X(SHA3_NAME, 0x000, .count(2).ro().hook_read())               \
  X(SHA3_VERSION, 0x008, .count(2).ro().hook_read())            \
  X(ALERT_TEST, 0x01C, .rw(0x3).wo())                           \
  X(CFG_REGWEN, 0x020, .reset(0x1).ro(0x1).hook_read())         \
  X(CFG_SHADOWED, 0x024, .rw(0x33E).hooks())                    \
  X(CMD, 0x028, .ro(0x43F).w1c(0x43F))                          \
  X(STATUS, 0x02C, .reset(0x4001).ro(0x3DF07).hook_read())      \
  X(ERR_CODE, 0x0D0, .ro())
  CALEMU_REG_TABLE(CALEMU_SHA3_REGS)
#undef CALEMU_SHA3_REGS

  explicit CaliptraRegs(BlockContext& ctx)
      : bus::RegBlock("sha3_reg", kRegs, 0x1000),
        intr_({"sha3_error", "error1", "error2", "error3"}, {"notif_cmd_done", "notif_msg_fifo_empty"},
              [&ctx](bool err, bool notif) {
                if (ctx.set_irq) {
                  ctx.set_irq(kIrqSha3Error, err);
                  ctx.set_irq(kIrqSha3Notif, notif);
                }
              },
              false, 1) {
    attach(0x400, intr_);
  }

  IntrBlock intr_;

 protected:
  bool read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester&) override {
    if (id == SHA3_NAME) value = kName[index];
    else if (id == SHA3_VERSION) value = kVersion[index];
    else value = 0;  // hwif_in tied to 0
    return true;
  }
  Verdict write_hook(unsigned, unsigned, uint32_t&, uint32_t, const bus::Requester&) override {
    return Verdict::Ignore;  // CFG_SHADOWED is external and its hwif is tied off
  }
};

// ---------------------------------------------------------------------------------------

Sha3::Sha3(BlockContext& ctx)
    : bus::RegBlock("kmac_reg", kRegs, kSize),
      ctx_(ctx),
      clp_(std::make_unique<CaliptraRegs>(ctx)),
      busy_("sha3.keccak", [this] { permute_done(); }) {
  attach(kCaliptraRegs, *clp_);
}

Sha3::~Sha3() = default;

IntrBlock& Sha3::intr() { return clp_->intr_; }

void Sha3::reset(bus::ResetKind kind) {
  if (kind == bus::ResetKind::FwUpdate) return;
  bus::RegBlock::reset(kind);
  ctx_.timeline.cancel(busy_);
  cfg_.reset();
  core_ = Core::Idle;
  seq_ = Seq::Idle;
  app_ = App::Idle;
  fatal_ = recov_alert_ = false;
  mode_ = kSha3;
  strength_ = kL256;
  for (auto& l : lanes_) l = 0;
  block_pos_ = 0;
  fifo_empty_test_ = 0;
  intr_out_ = 0;
}

void Sha3::inject_fatal_fault() {
  fatal_ = true;
  ctx_.timeline.cancel(busy_);
  core_ = Core::Error;
}

// ot_sha3_pkg.sv KeccakRate, in bytes.
unsigned Sha3::rate_bytes() const {
  switch (strength_) {
    case kL128: return 168;
    case kL224: return 144;
    case kL256: return 136;
    case kL384: return 104;
    default: return 72;
  }
}

// ---------------------------------------------------------------------------------------
// Bus access. kmac_reg_top.sv steers 0x400-0x5FF to the state reader and 0x800-0xFFF to the
// message FIFO; everything else below 0x1000 is a register (tlul_adapter_reg: unmapped
// addresses and writes that miss a register's permitted byte lanes answer an error).
// ---------------------------------------------------------------------------------------
bus::BusResult Sha3::read(uint32_t offset, unsigned size, uint32_t& value, const bus::Requester& who) {
  if (offset >= kCaliptraRegs) return bus::RegBlock::read(offset, size, value, who);
  value = 0;
  if (offset & (size - 1)) return bus::BusResult::BusError;  // TL-UL: misaligned
  if (offset - kMsgFifoWindow < kMsgFifoWindowSize) return bus::BusResult::BusError;  // ErrOnRead
  if (offset - kStateWindow < kStateWindowSize) {
    const uint32_t word = (offset - kStateWindow) / 4;
    uint32_t v = core_ == Core::Squeeze ? state_word(word) : 0;  // state_valid only while squeezing
    if (cfg_.value() >> 9 & 1) v = bswap(v);                     // state_endianness
    value = (v >> (8 * (offset & 3))) & (size == 4 ? 0xFFFF'FFFFu : (1u << (8 * size)) - 1);
    return bus::BusResult::Ok;
  }
  if (describe(offset & ~3u).empty()) return bus::BusResult::BusError;  // addrmiss
  return bus::RegBlock::read(offset, size, value, who);
}

bus::BusResult Sha3::write(uint32_t offset, unsigned size, uint32_t value, const bus::Requester& who) {
  if (offset >= kCaliptraRegs) return bus::RegBlock::write(offset, size, value, who);
  if (offset & (size - 1)) return bus::BusResult::BusError;
  if (size < 4) value &= (1u << (8 * size)) - 1;  // ahb_slv_sif: narrow data in the low lanes
  if (offset - kMsgFifoWindow < kMsgFifoWindowSize) {
    push_message(offset, size, value);
    return bus::BusResult::Ok;
  }
  if (offset - kStateWindow < kStateWindowSize) return bus::BusResult::BusError;  // ErrOnWrite
  const uint32_t word = offset & ~3u;
  if (describe(word).empty()) return bus::BusResult::BusError;
  const uint32_t strobes = ((1u << size) - 1) << (offset & 3);
  for (unsigned id = 0; id < kNumRegs; ++id)
    if (def(id).offset == word && (permit(id) & ~strobes)) return bus::BusResult::BusError;
  return bus::RegBlock::write(word, 4, value, who);
}

uint32_t Sha3::state_word(unsigned index) const {
  if (index >= 50) return 0;  // 1600 bits; the second share does not exist (EnMasking = 0)
  return static_cast<uint32_t>(lanes_[index / 2] >> (32 * (index % 2)));
}

// ---------------------------------------------------------------------------------------
// Registers.
// ---------------------------------------------------------------------------------------
bool Sha3::read_hook(unsigned id, unsigned, uint32_t& value, const bus::Requester&) {
  switch (id) {
    case INTR_STATE:
      // FIFO_EMPTY is a status interrupt: the message FIFO drains as soon as it is written in
      // this model, so only the test bit can raise it.
      value = (value & ~kIntrFifoEmpty) | (fifo_empty_test_ & kIntrFifoEmpty);
      break;
    case CFG_REGWEN: value = core_ == Core::Idle ? 1 : 0; break;
    case CFG_SHADOWED: value = cfg_.value(); cfg_.read(); break;
    case STATUS:
      value = (core_ == Core::Idle ? kSha3Idle : 0) | (core_ == Core::Absorb ? kSha3Absorb : 0) |
              (core_ == Core::Squeeze ? kSha3Squeeze : 0) | kFifoEmpty | (fatal_ ? kAlertFatalFault : 0) |
              (recov_alert_ ? kAlertRecovCtrlUpdateErr : 0);
      break;
    default: break;
  }
  return true;
}

bus::RegBlock::Verdict Sha3::write_hook(unsigned id, unsigned, uint32_t& next, uint32_t, const bus::Requester&) {
  switch (id) {
    case CFG_SHADOWED:
      // Protected by CFG_REGWEN (the engine idles); an unequal second write is an update error.
      if (core_ == Core::Idle && cfg_.write(next & 0x33E) == ShadowedReg::Write::UpdateError) recov_alert_ = true;
      return Verdict::Ignore;
    case CMD:
      if (next & (1u << 10)) recov_alert_ = false;  // err_processed
      command(next & 0x3F);
      return Verdict::Ignore;
    case INTR_TEST:
      // Event interrupts take the test bits into INTR_STATE; the status interrupt keeps it.
      reg(INTR_STATE) |= next & (kIntrKmacDone | kIntrKmacErr);
      fifo_empty_test_ = next & kIntrFifoEmpty;
      update_interrupts();
      return Verdict::Ignore;
    default:
      return Verdict::Store;
  }
}

void Sha3::after_write(unsigned id, unsigned, uint32_t, const bus::Requester&) {
  if (id == INTR_STATE || id == INTR_ENABLE) update_interrupts();
}

// sha3_ctrl.sv: the Caliptra interrupt events are the rising edges of KMAC's interrupt
// outputs (INTR_STATE & INTR_ENABLE): kmac_err -> sha3_error, kmac_done -> notif_cmd_done,
// fifo_empty -> notif_msg_fifo_empty.
void Sha3::update_interrupts() {
  const uint32_t state = (reg(INTR_STATE) & ~kIntrFifoEmpty) | (fifo_empty_test_ & kIntrFifoEmpty);
  const uint32_t out = state & reg(INTR_ENABLE) & 0x7;
  const uint32_t rose = out & ~intr_out_;
  intr_out_ = out;
  if (rose & kIntrKmacErr) clp_->intr_.error_event(0);
  if (rose & kIntrKmacDone) clp_->intr_.notif_event(0);
  if (rose & kIntrFifoEmpty) clp_->intr_.notif_event(1);
}

void Sha3::report_error(uint32_t code, uint32_t info) {
  reg(ERR_CODE) = code << 24 | (info & 0xFF'FFFF);
  reg(INTR_STATE) |= kIntrKmacErr;
  update_interrupts();
}

// ---------------------------------------------------------------------------------------
// Commands: kmac_errchk.sv lets through only what the sequence allows (anything else,
// including undefined codes, is ErrSwCmdSequence and never reaches the core).
// ---------------------------------------------------------------------------------------
void Sha3::command(uint32_t cmd) {
  if (cmd == kCmdNone || fatal_) return;
  bool ok = false;
  switch (seq_) {
    case Seq::Idle: ok = cmd == kCmdStart; break;
    case Seq::MsgFeed: ok = cmd == kCmdProcess; break;
    case Seq::Absorbed: ok = cmd == kCmdRun || cmd == kCmdDone; break;
    case Seq::Processing:
    case Seq::Squeezing: break;
  }
  if (!ok) {
    // info: {5'h0, {err_swsequence, err_modestrength, err_prefix}, {5'h0, st}, {2'b0, cmd}}
    report_error(kErrSwCmdSequence, 0x4u << 16 | static_cast<uint32_t>(seq_) << 8 | cmd);
    return;
  }
  switch (cmd) {
    case kCmdStart: start(); break;
    case kCmdProcess: process(); break;
    case kCmdRun:
      seq_ = Seq::Squeezing;
      core_ = Core::ManualRun;
      crypto::detail::keccak_f1600(lanes_);
      ctx_.timeline.schedule_in(busy_, kCmdCycles + kPermutationCycles);
      break;
    case kCmdDone: done(); break;
    default: break;
  }
}

void Sha3::start() {
  const uint32_t mode = cfg_.value() >> 4 & 3, strength = cfg_.value() >> 1 & 7;
  const bool valid = (mode == kSha3 && strength >= kL224 && strength <= kL512) ||
                     ((mode == kShake || mode == kCShake) && (strength == kL128 || strength == kL256));
  if (!valid) {
    // info: {5'h0, 3'b010, 8'h0, {2'b00, mode}, {1'b0, strength}}
    report_error(kErrUnexpectedModeStrength, 0x2u << 16 | mode << 4 | strength);
    return;
  }
  mode_ = mode;
  strength_ = strength;
  seq_ = Seq::MsgFeed;
  app_ = App::Sw;
  core_ = Core::Absorb;
  for (auto& l : lanes_) l = 0;
  block_pos_ = 0;
  if (mode_ == kCShake) absorb_prefix_block();
}

// ot_sha3pad.sv StPrefix: one rate-sized block of bytepad(encode_string(N) ||
// encode_string(S), rate): left_encode(rate) (encode_bytepad_len: 01 A8 or 01 88), then the
// 44 bytes of PREFIX_0..10 as software encoded them, then zeros.
void Sha3::absorb_prefix_block() {
  uint8_t block[168] = {};
  block[0] = 0x01;
  block[1] = static_cast<uint8_t>(rate_bytes());
  for (unsigned i = 0; i < 44; ++i) block[2 + i] = static_cast<uint8_t>(reg(PREFIX_0 + i / 4) >> (8 * (i % 4)));
  for (unsigned i = 0; i < rate_bytes(); ++i) absorb_byte(block[i]);
}

void Sha3::absorb_byte(uint8_t b) {
  lanes_[block_pos_ / 8] ^= uint64_t{b} << (8 * (block_pos_ % 8));
  if (++block_pos_ == rate_bytes()) {
    crypto::detail::keccak_f1600(lanes_);
    block_pos_ = 0;
  }
}

// MSG_FIFO: each write's enabled byte lanes join the message in lane order, after the
// optional byte swap of data and strobes (msg_endianness). The AHB bridge puts narrow write
// data in the low lanes whatever the address, so a byte written at offset 1..3 in a word
// arrives as a zero byte (ahb_slv_sif.sv). Writes while software does not own the engine are
// dropped with ErrSwPushedMsgFifo.
void Sha3::push_message(uint32_t offset, unsigned size, uint32_t value) {
  if (app_ != App::Sw) {
    report_error(kErrSwPushedMsgFifo, kAppStIdleLow8 << 8 | kSelNone);
    return;
  }
  if (seq_ != Seq::MsgFeed) return;  // after PROCESS the FIFO no longer drains (see docs)
  uint32_t strobes = ((1u << size) - 1) << (offset & 3);
  if (cfg_.value() >> 8 & 1) {
    value = bswap(value);
    strobes = (strobes >> 3 & 1) | (strobes >> 1 & 2) | (strobes << 1 & 4) | (strobes << 3 & 8);
  }
  for (unsigned lane = 0; lane < 4; ++lane)
    if (strobes >> lane & 1) absorb_byte(static_cast<uint8_t>(value >> (8 * lane)));
}

// PROCESS: FIPS 202 padding with the mode's domain bits (ot_sha3pad.sv funcpad: SHA3 0x06,
// SHAKE 0x1F, cSHAKE 0x04) and the final permutation; then the state can be read.
void Sha3::process() {
  seq_ = Seq::Processing;
  const uint8_t suffix = mode_ == kSha3 ? 0x06 : mode_ == kShake ? 0x1F : 0x04;
  lanes_[block_pos_ / 8] ^= uint64_t{suffix} << (8 * (block_pos_ % 8));
  const unsigned last = rate_bytes() - 1;
  lanes_[last / 8] ^= uint64_t{0x80} << (8 * (last % 8));
  crypto::detail::keccak_f1600(lanes_);
  block_pos_ = 0;
  ctx_.timeline.schedule_in(busy_, kCmdCycles + kPermutationCycles + 2);
}

// The permutation started by PROCESS (absorbed: the done interrupt) or RUN has finished.
void Sha3::permute_done() {
  if (core_ == Core::Absorb) {
    reg(INTR_STATE) |= kIntrKmacDone;  // event_absorbed
    update_interrupts();
  }
  core_ = Core::Squeeze;
  seq_ = Seq::Absorbed;
}

// DONE: StFlush wipes the state and the FIFO; everything returns to idle.
void Sha3::done() {
  ctx_.timeline.cancel(busy_);
  core_ = Core::Idle;
  seq_ = Seq::Idle;
  app_ = App::Idle;
  for (auto& l : lanes_) l = 0;
  block_pos_ = 0;
}

}  // namespace calemu::caliptra
