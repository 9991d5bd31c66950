#include "caliptra/csrng.h"

#include <algorithm>

#include "caliptra/entropy_src.h"
#include "crypto/aes.h"

namespace calemu::caliptra {

namespace {

// csrng_pkg.sv main state machine encodings shown in MAIN_SM_STATE.
constexpr uint32_t kSmIdle = 0x4E, kSmCmdCompWait = 0xBC;
// INTERRUPT_STATE bits.
constexpr uint32_t kIntrCmdReqDone = 1u << 0, kIntrEntropyReq = 1u << 1, kIntrFatalErr = 1u << 3;
// RECOV_ALERT_STS bits (1.x; 2.x inserts FIPS_FORCE_ENABLE at 3 and moves the rest).
constexpr uint32_t kEnableFieldAlert = 1u << 0, kSwAppEnableFieldAlert = 1u << 1, kReadIntStateFieldAlert = 1u << 2,
                   kAcmdFlag0FieldAlert = 1u << 3, kMainSmAlert = 1u << 13;
constexpr uint32_t kFipsForceEnableFieldAlert2x = 1u << 3, kAcmdFlag0FieldAlert2x = 1u << 4,
                   kInvalidAcmdAlert2x = 1u << 13, kInvalidCmdSeqAlert2x = 1u << 14, kReseedCntAlert2x = 1u << 15;

bool mubi_true(uint32_t v) { return (v & 0xF) == 0x6; }
bool mubi_valid(uint32_t v) { return (v & 0xF) == 0x6 || (v & 0xF) == 0x9; }

// csrng_ctr_drbg_upd.sv with CtrLen = 32: only the low 32 bits of V count.
void increment_v(std::array<uint8_t, 16>& v) {
  for (int i = 15; i >= 12; --i)
    if (++v[i] != 0) break;
}

}  // namespace

Csrng::Csrng(BlockContext& ctx)
    : bus::RegBlock("csrng", is_2x(ctx.hw) ? std::span<const bus::RegDef>(kRegs) : kRegs1x, kSize),
      ctx_(ctx),
      v2_(is_2x(ctx.hw)),
      step_("csrng.cmd", [this] { command_done(); }),
      genbits_("csrng.genbits", [this] { load_genbits(); }) {}

void Csrng::reset(bus::ResetKind kind) {
  if (kind == bus::ResetKind::FwUpdate) return;
  bus::RegBlock::reset(kind);
  disable();
}

bool Csrng::enabled() const { return mubi_true(reg(CTRL)); }

// Disabling CSRNG (or a reset) clears the instance states, the command path and the
// genbits FIFO (csrng_state_db.sv, csrng_core.sv cs_enable).
void Csrng::disable() {
  ctx_.timeline.cancel(step_);
  ctx_.timeline.cancel(genbits_);
  if (es_) es_->cancel_seed_request();
  drbg_ = State{};
  building_ = Command{};
  have_header_ = false;
  queue_.clear();
  busy_ = false;
  pending_blocks_.clear();
  genbits_read_ = 4;
  reg(GENBITS_VLD) = 0;
  reg(SW_CMD_STS) = v2_ ? 0 : 1;  // 2.x: CMD_RDY follows cs_enable
  reg(MAIN_SM_STATE) = kSmIdle;
  stage_instantiated_ = reseed_cnt_reached_ = false;
  if (v2_) reg(RESEED_COUNTER_2) = 0;
}

bool Csrng::fips_forced() const {
  return v2_ && mubi_true(reg(CTRL) >> 12) && (reg(FIPS_FORCE) >> kSwApp & 1);
}

bus::RegBlock::Verdict Csrng::write_hook(unsigned id, unsigned, uint32_t& next, uint32_t old,
                                         const bus::Requester&) {
  switch (id) {
    case REGWEN: case HW_EXC_STS: case RECOV_ALERT_STS: case INT_STATE_READ_ENABLE_REGWEN:
      next = old & next;  // rw0c in csrng.hjson / csrng_reg_top.sv (the RDL says woclr)
      return Verdict::Store;
    case CTRL: case ERR_CODE_TEST: case FIPS_FORCE:
      return (reg(REGWEN) & 1) ? Verdict::Store : Verdict::Ignore;
    case INT_STATE_READ_ENABLE:
      return (reg(INT_STATE_READ_ENABLE_REGWEN) & 1) ? Verdict::Store : Verdict::Ignore;
    default:
      return Verdict::Store;
  }
}

void Csrng::after_write(unsigned id, unsigned, uint32_t old, const bus::Requester&) {
  switch (id) {
    case CTRL: {
      const uint32_t v = reg(CTRL);
      if (!mubi_valid(v)) reg(RECOV_ALERT_STS) |= kEnableFieldAlert;
      if (!mubi_valid(v >> 4)) reg(RECOV_ALERT_STS) |= kSwAppEnableFieldAlert;
      if (!mubi_valid(v >> 8)) reg(RECOV_ALERT_STS) |= kReadIntStateFieldAlert;
      if (v2_ && !mubi_valid(v >> 12)) reg(RECOV_ALERT_STS) |= kFipsForceEnableFieldAlert2x;
      if (mubi_true(old) && !enabled()) disable();
      if (v2_ && enabled()) reg(SW_CMD_STS) |= kCmdRdy2x;  // sw_rdy_sts: the stage takes words
      break;
    }
    case CMD_REQ:
      if (!enabled()) break;
      if (v2_) reg(SW_CMD_STS) &= ~kCmdAck2x;  // a new word clears the acknowledgement
      on_cmd_word(reg(CMD_REQ));
      break;
    case INT_STATE_NUM: int_state_ptr_ = 0; break;
    case INTERRUPT_TEST:
      reg(INTERRUPT_STATE) |= reg(INTERRUPT_TEST);
      reg(INTERRUPT_TEST) = 0;
      break;
    case ALERT_TEST: reg(ALERT_TEST) = 0; break;
    case ERR_CODE_TEST: {
      const uint32_t bit = 1u << (reg(ERR_CODE_TEST) & 0x1F);
      if (bit & def(ERR_CODE).mask_) {
        reg(ERR_CODE) |= bit;
        reg(INTERRUPT_STATE) |= kIntrFatalErr;
      }
      break;
    }
    default: break;
  }
}

// CMD_REQ: a header (acmd[3:0] clen[7:4] flag0[11:8] glen[24:12]) then clen data words.
void Csrng::on_cmd_word(uint32_t w) {
  if (!have_header_) {
    building_ = Command{};
    building_.acmd = w & 0xF;
    building_.clen = std::min<uint32_t>((w >> 4) & 0xF, 12);  // MaxClen
    building_.flag0 = mubi_true(w >> 8);
    building_.glen = (w >> 12) & 0x1FFF;
    if ((building_.acmd == kInstantiate || building_.acmd == kReseed) && !mubi_valid(w >> 8))
      reg(RECOV_ALERT_STS) |= v2_ ? kAcmdFlag0FieldAlert2x : kAcmdFlag0FieldAlert;
    if (v2_) building_.glen &= 0xFFF;  // csrng_cmd_stage.sv GenBitsCntrWidth = 12
    have_header_ = building_.clen != 0;
  } else {
    building_.adata.push_back(w);
    have_header_ = building_.adata.size() < building_.clen;
  }
  if (have_header_) return;
  queue_.push_back(std::move(building_));
  if (!busy_) start_next();
}

void Csrng::start_next() {
  if (queue_.empty()) return;
  Command c = std::move(queue_.front());
  queue_.pop_front();
  if (v2_) {
    const CmdSts sts = sequence_check(c);
    if (sts != kStsSuccess) {
      acknowledge(sts);
      return start_next();
    }
    if (c.acmd == kInstantiate) stage_instantiated_ = true;
    if (c.acmd == kUninstantiate) stage_instantiated_ = false;
  } else if (c.acmd < kInstantiate || c.acmd > kUninstantiate) {
    reg(RECOV_ALERT_STS) |= kMainSmAlert;  // "command was not supported" (csrng_main_sm.sv)
    return start_next();
  }
  busy_ = true;
  reg(MAIN_SM_STATE) = kSmCmdCompWait;
  const bool needs_entropy = (c.acmd == kInstantiate || c.acmd == kReseed) && !c.flag0;
  if (!needs_entropy) return execute(c, nullptr, false);
  reg(INTERRUPT_STATE) |= kIntrEntropyReq;
  if (!es_) return;  // the request waits forever, as it would without a source
  es_->request_seed([this, c](const EntropySrc::Seed& seed, bool fips) {
    Seed bytes{};
    // es_bits is a 384-bit integer; its words as the source produced them, first word high.
    for (unsigned i = 0; i < 48; ++i) bytes[i] = static_cast<uint8_t>(seed[i / 4] >> (24 - 8 * (i % 4)));
    execute(c, &bytes, fips);
  });
}

// 2.x csrng_cmd_stage.sv Idle: the command sequence rules and the reseed limit, checked
// before the command reaches the DRBG; a refused command is acknowledged with an error
// status and a recoverable alert.
Csrng::CmdSts Csrng::sequence_check(const Command& c) const {
  switch (c.acmd & 7) {  // acmd = sfifo_cmd_rdata[2:0]
    case kInstantiate: return stage_instantiated_ ? kStsInvalidCmdSeq : kStsSuccess;
    case kReseed: case kUpdate: return stage_instantiated_ ? kStsSuccess : kStsInvalidCmdSeq;
    case kGenerate:
      if (!stage_instantiated_) return kStsInvalidCmdSeq;
      return reseed_cnt_reached_ ? kStsReseedCntExceeded : kStsSuccess;
    case kUninstantiate: return kStsSuccess;
    default: return kStsInvalidAcmd;
  }
}

// cmd_stage_ack: CMD_ACK with the status (2.x), or CMD_RDY with success (1.x); the
// cs_cmd_req_done interrupt either way.
void Csrng::acknowledge(CmdSts sts) {
  if (v2_) {
    reg(SW_CMD_STS) = kCmdRdy2x | kCmdAck2x | static_cast<uint32_t>(sts) << 3;
    if (sts == kStsInvalidAcmd) reg(RECOV_ALERT_STS) |= kInvalidAcmdAlert2x;
    if (sts == kStsInvalidCmdSeq) reg(RECOV_ALERT_STS) |= kInvalidCmdSeqAlert2x;
    if (sts == kStsReseedCntExceeded) reg(RECOV_ALERT_STS) |= kReseedCntAlert2x;
  } else {
    reg(SW_CMD_STS) = 1;  // CMD_RDY, CMD_STS = success
  }
  reg(INTERRUPT_STATE) |= kIntrCmdReqDone;
}

// The additional data as the 384-bit integer the packer FIFO forms (word k at bits
// [32k+31:32k]), as big-endian bytes.
Csrng::Seed Csrng::adata_seed(const Command& c) const {
  Seed s{};
  for (size_t k = 0; k < c.adata.size(); ++k)
    for (unsigned j = 0; j < 4; ++j) s[44 - 4 * k + j] = static_cast<uint8_t>(c.adata[k] >> (24 - 8 * j));
  return s;
}

// SP 800-90A §10.2.1.2 CTR_DRBG_Update.
void Csrng::update(const Seed& provided) {
  Seed temp;
  for (unsigned b = 0; b < 3; ++b) {
    const std::array<uint8_t, 16> out = next_block();
    std::copy(out.begin(), out.end(), temp.begin() + 16 * b);
  }
  for (unsigned i = 0; i < 48; ++i) temp[i] ^= provided[i];
  std::copy(temp.begin(), temp.begin() + 32, drbg_.key.begin());
  std::copy(temp.begin() + 32, temp.end(), drbg_.v.begin());
}

std::array<uint8_t, 16> Csrng::next_block() {
  increment_v(drbg_.v);
  const crypto::Bytes out = crypto::aes_ecb_encrypt(drbg_.key, drbg_.v);
  std::array<uint8_t, 16> block{};
  std::copy_n(out.begin(), std::min<size_t>(out.size(), 16), block.begin());
  return block;
}

void Csrng::execute(const Command& c, const Seed* entropy, bool fips) {
  const Seed adata = adata_seed(c);
  uint64_t blocks = 0;  // AES blocks the command costs
  switch (c.acmd) {
    case kInstantiate:
    case kReseed: {
      Seed seed = adata;
      if (entropy)
        for (unsigned i = 0; i < 48; ++i) seed[i] ^= (*entropy)[i];
      if (c.acmd == kInstantiate) {
        drbg_.key = {};
        drbg_.v = {};
      }
      update(seed);
      drbg_.reseed_counter = v2_ ? 0 : 1;
      drbg_.instantiated = true;
      drbg_.fips = fips_forced() || (entropy && fips);
      blocks = 3;
      break;
    }
    case kGenerate: {
      if (!c.adata.empty()) update(adata);  // skipped for null additional input
      for (uint32_t i = 0; i < c.glen; ++i) {
        const std::array<uint8_t, 16> b = next_block();
        std::array<uint32_t, 4> words;  // GENBITS order: the block's last word first
        for (unsigned w = 0; w < 4; ++w)
          words[w] = uint32_t{b[12 - 4 * w]} << 24 | uint32_t{b[13 - 4 * w]} << 16 | uint32_t{b[14 - 4 * w]} << 8 |
                     b[15 - 4 * w];
        pending_blocks_.push_back(words);
      }
      update(adata);
      ++drbg_.reseed_counter;
      genbits_fips_ = drbg_.fips;
      if (genbits_read_ >= 4 && !pending_blocks_.empty())
        ctx_.timeline.schedule_in(genbits_, kCyclesCommandOverhead + kCyclesPerAesBlock);
      blocks = (c.adata.empty() ? 0 : 3) + 3 + 1;
      break;
    }
    case kUpdate:
      update(adata);
      blocks = 3;
      break;
    case kUninstantiate:
      drbg_ = State{};
      break;
  }
  if (v2_) {  // the state database write: RESEED_COUNTER and reseed_cnt_reached
    reg(RESEED_COUNTER_2) = drbg_.reseed_counter;
    reseed_cnt_reached_ = drbg_.reseed_counter >= reg(RESEED_INTERVAL);
  }
  // A generate acknowledges once its blocks have gone out to the genbits FIFO.
  if (c.acmd == kGenerate && !pending_blocks_.empty()) return;
  ctx_.timeline.schedule_in(step_, kCyclesCommandOverhead + blocks * kCyclesPerAesBlock);
}

void Csrng::command_done() {
  busy_ = false;
  acknowledge(kStsSuccess);
  reg(MAIN_SM_STATE) = kSmIdle;
  start_next();
}

// The next generated block enters the software packer: GENBITS_VLD rises.
void Csrng::load_genbits() {
  if (pending_blocks_.empty() || genbits_read_ < 4) return;
  genbits_words_ = pending_blocks_.front();
  pending_blocks_.pop_front();
  genbits_read_ = 0;
  reg(GENBITS_VLD) = 1u | (genbits_fips_ ? 2u : 0u);
  if (pending_blocks_.empty() && busy_) ctx_.timeline.schedule_in(step_, kCyclesPerAesBlock);
}

bool Csrng::read_hook(unsigned id, unsigned, uint32_t& value, const bus::Requester&) {
  if (id == GENBITS) {
    value = 0;
    if (genbits_read_ < 4) {
      value = mubi_true(reg(CTRL) >> 4) ? genbits_words_[genbits_read_] : 0;  // SW_APP_ENABLE
      if (++genbits_read_ == 4) {
        reg(GENBITS_VLD) = 0;
        if (!pending_blocks_.empty()) ctx_.timeline.schedule_in(genbits_, kCyclesPerAesBlock);
      }
    }
  } else if (id == INT_STATE_VAL) {
    // csrng_state_db.sv: {30'b0, fips, inst_st, key, V, reseed counter}, 32 bits per read.
    value = 0;
    const bool dump = enabled() && mubi_true(reg(CTRL) >> 8);
    if (!dump) return true;
    const unsigned ptr = int_state_ptr_;
    int_state_ptr_ = (int_state_ptr_ + 1) % 14;
    if (reg(INT_STATE_NUM) != kSwApp) return true;
    if (v2_ && !(reg(INT_STATE_READ_ENABLE) >> kSwApp & 1)) return true;  // csrng_state_db.sv
    auto word_of = [](const uint8_t* be, unsigned n_words, unsigned k) {  // k-th least significant word
      const uint8_t* p = be + 4 * (n_words - 1 - k);
      return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
    };
    if (ptr == 0) value = drbg_.reseed_counter;
    else if (ptr <= 4) value = word_of(drbg_.v.data(), 4, ptr - 1);
    else if (ptr <= 12) value = word_of(drbg_.key.data(), 8, ptr - 5);
    else value = (drbg_.fips ? 2u : 0u) | (drbg_.instantiated ? 1u : 0u);
  }
  return true;
}

}  // namespace calemu::caliptra
