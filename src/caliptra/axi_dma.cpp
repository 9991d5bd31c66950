#include "caliptra/axi_dma.h"

#include <algorithm>

#include "caliptra/keyvault.h"

namespace calemu::caliptra {

using bus::AxiResp;
using bus::Requester;

namespace {

std::vector<std::string> error_events(HwGen hw) {
  std::vector<std::string> e = {"error_cmd_dec",   "error_axi_rd",     "error_axi_wr",    "error_mbox_lock",
                                "error_sha_lock",  "error_fifo_oflow", "error_fifo_uflow"};
  if (hw == HwGen::V2_1) e.insert(e.end(), {"error_aes_cif", "error_kv_rd", "error_kv_rd_large"});
  return e;
}

const std::vector<std::string> kNotifEvents = {"notif_txn_done", "notif_fifo_empty", "notif_fifo_not_empty",
                                               "notif_fifo_full", "notif_fifo_not_full"};

// AES register offsets and fields (caliptra_reg_field_defines.svh AES_REG_*).
constexpr uint32_t kAesDataIn0 = 0x54, kAesDataOut0 = 0x64, kAesStatus = 0x84, kAesCtrlGcmShadowed = 0x88;
constexpr uint32_t kAesIdle = 1u << 0, kAesOutputValid = 1u << 3, kAesInputReady = 1u << 4;
constexpr uint32_t kGcmPhaseText = 0x08;  // aes_pkg GCM_TEXT
constexpr unsigned kGcmNumValidBytesShift = 6;
constexpr uint32_t kGcmNumValidBytesMask = 0x7C0, kGcmPhaseMask = 0x3F;

// kv_defines_pkg.sv: the key release slot and the size of the DMA's key vault read client.
constexpr unsigned kKeyReleaseSlot = 23;
constexpr unsigned kKvReadWords = 16;  // OCP_LOCK_MEK_NUM_DWORDS

// $clog2(MAX_FIXED_BLOCK_SIZE): payload_available queues block_size / 64 requests.
constexpr unsigned kPayloadRequestShift = 6;

constexpr Requester kDmaRequester{Requester::Kind::Dma, 0xFFFF'FFFF, 0};

}  // namespace

struct AxiDma::Cmd {
  bool go, flush, aes, gcm, rd_fixed, wr_fixed;
  RdRoute rd;
  unsigned wr_raw;
  WrRoute wr;
  uint32_t src_l, src_h, dst_l, dst_h;
  uint64_t src, dst;
  uint32_t count, block_size;
};

AxiDma::AxiDma(BlockContext& ctx, unsigned addr_width)
    : bus::RegBlock("axi_dma_reg",
                    ctx.hw == HwGen::V2_1 ? std::span<const bus::RegDef>(kRegs21) : std::span<const bus::RegDef>(kRegs),
                    kSize),
      ctx_(ctx),
      addr_width_(std::clamp(addr_width, 33u, 64u)),
      intr_(error_events(ctx.hw), kNotifEvents,
            [&ctx](bool err, bool notif) {
              if (ctx.set_irq) {
                ctx.set_irq(kIrqAxiDmaError, err);
                ctx.set_irq(kIrqAxiDmaNotif, notif);
              }
            },
            /*cpu_write_only=*/true),
      tick_("axi_dma.tick", [this] { sync(); }) {
  attach(0x800, intr_);
  // notif_txn_done_sts is set by hardware every cycle the FSM sits in DONE or ERROR, with
  // precedence over firmware's write-1-to-clear.
  intr_.set_status_observer([this](bool error, uint32_t cleared) {
    if (!error && (cleared & (1u << kNotifTxnDone)) && (st_.fsm == Fsm::Done || st_.fsm == Fsm::Error))
      intr_.reg(IntrBlock::notif_internal_intr_r) |= 1u << kNotifTxnDone;
  });
  cycle_ = ctx.timeline.now();
}

void AxiDma::reset(bus::ResetKind kind) {
  if (kind == bus::ResetKind::FwUpdate) return;  // the block is on cptra_noncore_rst_b
  bus::RegBlock::reset(kind);
  st_ = State{};
  fifo_head_ = fifo_size_ = 0;
  aes_fifo_.clear();
  bq_.clear();
  last_b_at_ = 0;
  ctx_.timeline.cancel(tick_);
  cycle_ = ctx_.timeline.now();
  quiet_ = true;
}

// ---------------------------------------------------------------------------------------
// Register interface

bus::BusResult AxiDma::read(uint32_t offset, unsigned size, uint32_t& value, const Requester& who) {
  sync();
  return bus::RegBlock::read(offset, size, value, who);
}

bus::BusResult AxiDma::write(uint32_t offset, unsigned size, uint32_t value, const Requester& who) {
  sync();
  return bus::RegBlock::write(offset, size, value, who);
}

bool AxiDma::read_hook(unsigned reg_id, unsigned, uint32_t& value, const Requester& who) {
  switch (reg_id) {
    case cap: value = kFifoWords; break;
    case ctrl: value = reg(ctrl); break;
    case status0: value = status0_value(); break;
    case status1: value = st_.bytes_remaining; break;
    case read_data:
      if (who.kind == Requester::Kind::Debug) {
        value = decode().rd == RdRoute::AhbFifo && fifo_size_ ? fifo_[fifo_head_] : 0;
      } else {
        on_read_data(value);
      }
      break;
    default: break;
  }
  return true;
}

bus::RegBlock::Verdict AxiDma::write_hook(unsigned reg_id, unsigned, uint32_t& next, uint32_t old, const Requester& who) {
  if (who.is_soc()) return Verdict::Ignore;  // swwel = soc_req on every field
  const bool locked = st_.fsm != Fsm::Idle;  // dma_swwel
  switch (reg_id) {
    case ctrl:
      if (locked) next = old | (next & kFlush);  // flush alone stays writable
      return Verdict::Store;
    case src_addr_l:
    case src_addr_h:
    case dst_addr_l:
    case dst_addr_h:
    case byte_count:
    case block_size:
      return locked ? Verdict::Ignore : Verdict::Store;
    default:
      return Verdict::Store;
  }
}

void AxiDma::after_write(unsigned reg_id, unsigned, uint32_t, const Requester&) {
  if (reg_id == write_data) on_write_data(reg(write_data));
  if (reg_id == ctrl) kick();
}

uint32_t AxiDma::status0_value() const {
  uint32_t v = (st_.fsm != Fsm::Idle ? kBusy : 0) | (st_.fsm == Fsm::Error ? kError : 0) |
               fifo_size_ << kFifoDepthShift | static_cast<uint32_t>(st_.fsm) << kFsmShift |
               (payload_available_ ? kPayloadAvailable : 0) | (image_activated_ ? kImageActivated : 0);
  if (ctx_.hw == HwGen::V2_1) v |= static_cast<uint32_t>(st_.aes) << kAesFsmShift;
  return v;
}

// READ_DATA (swacc): the FIFO's head word when the read route is the AHB FIFO. Reading an
// empty FIFO returns 0 (OutputZeroIfEmpty) and is an underflow.
void AxiDma::on_read_data(uint32_t& value) {
  const bool ahb = decode().rd == RdRoute::AhbFifo;
  value = ahb && fifo_size_ ? fifo_[fifo_head_] : 0;
  if (!ahb) return;
  if (fifo_size_) {
    fifo_pop();
    st_.bytes_remaining -= 4;
    if (st_.fsm != Fsm::Idle) st_.rd_credits = (st_.rd_credits + 1) & 0xFF;
  } else {
    intr_.error_event(kErrFifoUflow);
  }
  if (ctx_.hw == HwGen::V2_1) st_.wr_requested += 4;  // 2.1 counts firmware's reads as the "write" side
  kick();
}

// WRITE_DATA (swmod): pushes into the FIFO when the write route is the AHB FIFO; a full
// FIFO drops the word (overflow).
void AxiDma::on_write_data(uint32_t value) {
  if (decode().wr != WrRoute::AhbFifo) return;
  if (fifo_size_ == kFifoWords) {
    intr_.error_event(kErrFifoOflow);
    return;
  }
  kick();
  // 2.1 holds the FIFO in clear while idle (clr_i = DMA_IDLE); 2.0 keeps what is written.
  if (ctx_.hw == HwGen::V2_1 && st_.fsm == Fsm::Idle) return;
  fifo_push(value);
  if (st_.fsm != Fsm::Idle) st_.wr_credits = (st_.wr_credits + 1) & 0xFF;
  st_.rd_fifo_bytes_remaining -= 4;
}

void AxiDma::set_payload_available(bool level) {
  sync();
  if (payload_available_ == level) return;
  payload_available_ = level;
  kick();
}

void AxiDma::set_image_activated(bool level) {
  sync();
  image_activated_ = level;
}

void AxiDma::debug_unlock_or_scan_switch() {
  sync();
  st_.kv_phase = 0;
  st_.kv_offset = 0;
  st_.kv_error = false;
  kick();
}

// ---------------------------------------------------------------------------------------
// Time

void AxiDma::kick() {
  quiet_ = false;
  if (!tick_.armed()) ctx_.timeline.schedule_in(tick_, 1);
}

void AxiDma::sync() {
  const uint64_t now = ctx_.timeline.now();
  if (stepping_) return;  // e.g. the DMA reading its own registers over AXI
  stepping_ = true;
  while (cycle_ < now) {
    if (quiet_) {
      account_quiet_cycles(now - cycle_);
      cycle_ = now;
      break;
    }
    const State before = st_;
    step();
    ++cycle_;
    const bool aes_busy = st_.aes != AesFsm::Idle && st_.aes != AesFsm::Error;
    quiet_ = st_ == before && st_.rq_n == 0 && st_.wq_n == 0 && bq_.empty() && !aes_busy && st_.kv_phase == 0;
  }
  stepping_ = false;
  if (!quiet_ && !tick_.armed()) ctx_.timeline.schedule_at(tick_, std::max(now, cycle_) + kQuantum);
}

// A quiet block only changes in ERROR, where notif_txn_done's counter keeps counting.
void AxiDma::account_quiet_cycles(uint64_t n) {
  if (st_.fsm != Fsm::Error || n == 0) return;
  const uint64_t pulses = st_.txn_pulse ? n / 2 : (n + 1) / 2;
  if (n & 1) st_.txn_pulse = !st_.txn_pulse;
  const unsigned counter = IntrBlock::kFixedRegs + static_cast<unsigned>(error_events(ctx_.hw).size()) + kNotifTxnDone;
  uint32_t& cnt = intr_.reg(counter);
  cnt = static_cast<uint32_t>(std::min<uint64_t>(uint64_t{cnt} + pulses, 0xFFFF'FFFFu));
  intr_.reg(IntrBlock::notif_internal_intr_r) |= 1u << kNotifTxnDone;
}

// notif_txn_done's hwset is the level "FSM in DONE or ERROR". Its count-increment pulse
// register (an RDL counter with hwset and decr) toggles while the level holds, so the event
// counter advances every other cycle.
void AxiDma::txn_done_cycle() {
  if (!st_.txn_pulse) {
    intr_.notif_event(kNotifTxnDone);
    st_.txn_pulse = true;
  } else {
    st_.txn_pulse = false;
    if (!(intr_.reg(IntrBlock::notif_internal_intr_r) & (1u << kNotifTxnDone))) intr_.notif_event(kNotifTxnDone);
  }
}

// ---------------------------------------------------------------------------------------
// FIFO

void AxiDma::fifo_push(uint32_t v) {
  fifo_[(fifo_head_ + fifo_size_) % kFifoWords] = v;
  ++fifo_size_;
  ++st_.fifo_ops;
}

uint32_t AxiDma::fifo_pop() {
  const uint32_t v = fifo_[fifo_head_];
  fifo_head_ = (fifo_head_ + 1) % kFifoWords;
  --fifo_size_;
  ++st_.fifo_ops;
  return v;
}

void AxiDma::fifo_clear() {
  if (fifo_size_) ++st_.fifo_ops;
  fifo_head_ = fifo_size_ = 0;
}

// ---------------------------------------------------------------------------------------
// Command decode (axi_dma_ctrl.sv "Command Decode")

AxiDma::Cmd AxiDma::decode() const {
  const uint32_t c = reg(ctrl);
  Cmd d{};
  d.go = c & kGo;
  d.flush = c & kFlush;
  d.aes = ctx_.hw == HwGen::V2_1 && (c & kAesModeEn);
  d.gcm = ctx_.hw == HwGen::V2_1 && (c & kAesGcmMode);
  d.rd = static_cast<RdRoute>((c >> kRdRouteShift) & 3);
  d.rd_fixed = (c >> kRdFixedBit) & 1;
  d.wr_raw = (c >> kWrRouteShift) & 7;
  d.wr = d.wr_raw <= 4 ? static_cast<WrRoute>(d.wr_raw) : WrRoute::Disable;
  d.wr_fixed = (c >> kWrFixedBit) & 1;
  d.src_l = reg(src_addr_l);
  d.src_h = reg(src_addr_h);
  d.dst_l = reg(dst_addr_l);
  d.dst_h = reg(dst_addr_h);
  d.src = addr_mask(uint64_t{d.src_h} << 32 | d.src_l);
  d.dst = addr_mask(uint64_t{d.dst_h} << 32 | d.dst_l);
  d.count = reg(byte_count);
  d.block_size = reg(block_size) & 0xFFF;
  return d;
}

bool AxiDma::parse_error(const Cmd& c) const {
  const bool v21 = ctx_.hw == HwGen::V2_1;
  const bool kv = v21 && c.wr == WrRoute::KeyVault && c.wr_raw == 4;
  const bool ocp_lock = ctx_.secrets && ctx_.secrets->ocp_lock_in_progress();
  const bool inv_wr_route = v21 && (c.wr_raw > 4 || (kv && !ocp_lock));

  // The legal route pairs; everything else (including both disabled) is refused.
  const RdRoute r = c.rd;
  const unsigned w = c.wr_raw;
  const bool combo_ok = (r == RdRoute::Disable && (w == 1 || w == 2 || (v21 && w == 4))) ||
                        ((r == RdRoute::Mbox || r == RdRoute::AhbFifo) && w == 0) || (r == RdRoute::AxiWr && w == 3);
  const bool inv_aes = c.aes && (!(r == RdRoute::AxiWr && w == 3) || c.block_size != 0 || c.rd_fixed || c.wr_fixed);

  const bool mbox = r == RdRoute::Mbox || c.wr == WrRoute::Mbox;
  const uint32_t mbox_bytes = ctx_.mbox_sram ? ctx_.mbox_sram->size() : 256 * 1024;
  const uint32_t key_size = ctx_.secrets ? ctx_.secrets->key_release_size() & 0xFFFF : 0;
  const bool inv_count = (c.count & 3) || c.count == 0 || c.count > kMaxTransfer || (c.count > mbox_bytes && mbox) ||
                         (kv && (c.count != key_size || c.count > kKvReadWords * 4));
  const uint32_t bs = c.block_size;
  const bool inv_block_size = (bs & (bs - 1)) || (bs & 3);
  const bool inv_rd_fixed = c.rd_fixed && r == RdRoute::Disable;
  const bool inv_wr_fixed = c.wr_fixed && (w == 0 || kv);
  const bool inv_mbox_lock = mbox && !uc_mbox_lock();

  // An address is invalid if unaligned or beyond the AXI address width; a key release goes
  // exactly to the strapped key release address.
  const auto high_bits = [this](uint32_t h) { return addr_width_ < 64 && (h >> (addr_width_ - 32)) != 0; };
  const uint64_t key_addr = ctx_.secrets ? ctx_.secrets->key_release_addr() : 0;
  const bool inv_src = (c.src_l & 3) || high_bits(c.src_h);
  const bool inv_dst = (c.dst_l & 3) || high_bits(c.dst_h) || (kv && c.dst != key_addr);

  return inv_wr_route || !combo_ok || inv_aes || inv_count || inv_block_size || inv_rd_fixed || inv_wr_fixed ||
         inv_mbox_lock || inv_src || inv_dst;
}

// The size of the next AXI request: up to a 256-byte boundary (64 bytes for FIXED bursts),
// or block_size when set, and never past the byte count (AES mode: one AES block).
uint32_t AxiDma::request_bytes(const Cmd& c, uint64_t addr, bool fixed, uint32_t requested, bool aes) const {
  const uint32_t bs = c.block_size;
  const uint32_t low = static_cast<uint32_t>(addr) & (kMaxBlock - 1);
  uint32_t align;
  if (fixed)
    align = (bs == 0 || bs > kMaxFixedBlock) ? kMaxFixedBlock : bs;
  else if (bs == 0 || bs > kMaxBlock)
    align = kMaxBlock - low;
  else
    align = bs - (low & (bs - 1));
  const uint32_t remaining = c.count - requested;
  const uint32_t final_bytes =
      aes ? (remaining > kAesFifoWords * 4 ? kAesFifoWords * 4 : remaining & 0xFFF) : (remaining >> 12 ? 0xFFF : remaining);
  return std::min(final_bytes, align) & 0xFFF;
}

// mbox.sv takes the word address from dma_sram_req_addr[MBOX_DEPTH_LOG2+1:2].
uint32_t AxiDma::mbox_offset(uint64_t addr) const {
  return static_cast<uint32_t>(addr) & (ctx_.mbox_sram->size() - 1) & ~3u;
}

uint32_t AxiDma::aes_status() {
  uint32_t v = 0;
  if (aes_) aes_->read(kAesStatus, 4, v, kDmaRequester);
  return v;
}

// ---------------------------------------------------------------------------------------
// One clock of axi_dma_ctrl.sv and the two AXI managers. Every decision uses the values
// registered at the start of the cycle; the updates land at its end.

void AxiDma::step() {
  const Cmd c = decode();
  const bool v21 = ctx_.hw == HwGen::V2_1;
  const State s = st_;  // start-of-cycle values
  const bool idle = s.fsm == Fsm::Idle, waiting = s.fsm == Fsm::WaitData;
  const bool aes = c.aes;
  const bool perr = idle && c.go && parse_error(c);

  const bool fifo_r_valid = fifo_size_ > 0, fifo_w_ready = fifo_size_ < kFifoWords;
  const bool fifo_empty = fifo_size_ == 0, fifo_full = fifo_size_ == kFifoWords;
  const bool aes_fifo_valid = !aes_fifo_.empty();
  const bool aes_fifo_full = aes_fifo_.size() >= kAesFifoWords;

  // Responses arriving this cycle: read status registered after the last beat, write
  // responses (bvalid) straight from the subordinate.
  const bool rd_resp_valid = s.rd_resp_valid, rd_resp_error = s.rd_resp_error;
  bool wr_resp_valid = false, wr_resp_error = false;
  if (!bq_.empty() && bq_.front().at <= cycle_) {
    wr_resp_valid = true;
    wr_resp_error = bq_.front().error;
    bq_.pop_front();
  }

  // Request handshakes.
  const bool rd_bypass = c.rd == RdRoute::Disable, wr_bypass = c.wr_raw == 0;
  const uint64_t rd_addr = addr_mask(c.src + (c.rd_fixed ? 0 : s.rd_requested));
  const uint64_t wr_addr = addr_mask(c.dst + (c.wr_fixed ? 0 : s.wr_requested));
  const uint32_t rd_len = request_bytes(c, rd_addr, c.rd_fixed, s.rd_requested, false);
  const uint32_t wr_len = request_bytes(c, wr_addr, c.wr_fixed, s.wr_requested, aes);
  const bool rd_hshake = waiting && !rd_bypass && s.rd_requested < c.count && s.rd_credits >= rd_len / 4 &&
                         !s.rd_req_stall && s.rq_n < 2;
  const bool wr_hshake =
      waiting && !wr_bypass && s.wr_requested < c.count && s.wr_credits >= wr_len / 4 && s.wq_n < 2;

  // AXI read channel: the active burst's next beat, once its data is back and the FIFO has
  // room (rready = fifo_w_ready).
  bool r_beat = false, r_last = false;
  uint32_t r_data = 0;
  if (s.rq_n && cycle_ >= s.rq[0].data_at && fifo_w_ready) {
    Burst& b = st_.rq[0];
    const uint64_t a = addr_mask(b.addr + (b.fixed ? 0 : 4ull * b.done));
    const AxiResp resp = ctx_.axi ? ctx_.axi->read(a, r_data, axi_user()) : AxiResp::DecErr;
    st_.rd_resp_acc |= static_cast<uint8_t>(resp);  // axi_mgr_rd ORs rresp across back-to-back bursts
    r_beat = true;
    r_last = ++b.done == b.beats;
  } else if (rd_hshake && s.rq_n == 0) {
    st_.rd_resp_acc = 0;
  }
  st_.rd_resp_valid = r_last;
  st_.rd_resp_error = r_last && (st_.rd_resp_acc & 2);

  // AXI write channel: the active burst's next beat, from the FIFO (the AES FIFO in AES mode).
  const bool w_ready = s.wq_n && cycle_ >= s.wq[0].data_at;
  const bool w_beat = w_ready && (aes ? aes_fifo_valid : fifo_r_valid);

  // Mailbox SRAM port (mbox.sv dma_sram_*): writes take a cycle, reads two.
  const bool mb_write = c.rd == RdRoute::Mbox;
  const bool mb_route = c.rd == RdRoute::Mbox || c.wr == WrRoute::Mbox;
  const bool rd_route_valid = aes ? aes_fifo_valid : fifo_r_valid;
  const bool mb_dv = waiting && ((mb_write && s.wr_requested < c.count && rd_route_valid) ||
                                 (c.wr == WrRoute::Mbox && s.rd_requested < c.count && fifo_w_ready));
  const bool lock = (waiting && mb_route) ? uc_mbox_lock() : false;
  const bool mb_dv_q = mb_dv && lock && !s.mb_rd_phase;
  const bool mb_hold = mb_dv_q && !mb_write;
  const bool mb_take = mb_dv && !mb_hold;
  if (mb_hold) mb_read_word_ = ctx_.mbox_sram->read(mbox_offset(rd_addr), 4);
  st_.mb_rd_phase = mb_dv_q && !mb_write;

  // Key vault read client (2.1 KEYVAULT write route).
  bool kv_push = false, kv_read_error = false, kv_premature = false;
  uint32_t kv_data = 0;
  if (v21) {
    const bool kv_done = s.kv_phase == 3;
    const bool write_en = s.kv_phase == 2;
    if (write_en) {
      kv_data = kv_words_[s.kv_offset];
      kv_push = s.rd_fifo_bytes_remaining != 0 && fifo_w_ready;
    }
    kv_read_error = s.kv_read_en && s.kv_error && waiting;
    kv_premature = kv_done && waiting && s.rd_fifo_bytes_remaining != 0;
    step_kv(c, perr);
  }

  // AES feeder (2.1 AES mode): consumes the FIFO, fills the AES FIFO.
  bool aes_pop = false, aes_push = false, aes_cif_error = false;
  uint32_t aes_push_data = 0;
  if (v21) step_aes(c, perr, fifo_r_valid, aes_fifo_full, aes_pop, aes_push, aes_push_data, aes_cif_error);

  // FIFO read side.
  bool pop = false;
  if (aes) pop = aes_pop;
  else if (c.rd == RdRoute::Mbox) pop = fifo_r_valid && !mb_hold;
  else if (c.rd == RdRoute::AhbFifo) pop = false;  // firmware reads READ_DATA
  else pop = w_beat;
  const uint32_t popped = pop ? fifo_pop() : 0;
  if (pop && mb_write && mb_dv_q) ctx_.mbox_sram->write(mbox_offset(wr_addr), 4, popped);

  // FIFO write side, by write route.
  bool push = false;
  uint32_t push_data = 0;
  switch (c.wr) {
    case WrRoute::AhbFifo: break;  // firmware writes WRITE_DATA
    case WrRoute::Mbox:
      push = mb_take;
      push_data = s.mb_rd_phase ? mb_read_word_ : 0;
      break;
    case WrRoute::KeyVault:
      push = kv_push;
      push_data = kv_data;
      break;
    default:
      push = r_beat;
      push_data = r_data;
      break;
  }
  if (push) fifo_push(push_data);

  // The write beat leaves after the FIFO moved: its data is the popped word.
  if (w_beat) {
    uint32_t data = popped;
    if (aes) {
      data = aes_fifo_.front();
      aes_fifo_.pop_front();
      ++st_.fifo_ops;
    }
    Burst& b = st_.wq[0];
    const uint64_t a = addr_mask(b.addr + (b.fixed ? 0 : 4ull * b.done));
    const AxiResp resp = ctx_.axi ? ctx_.axi->write(a, data, axi_user()) : AxiResp::DecErr;
    b.resp |= static_cast<uint8_t>(resp);
    if (++b.done == b.beats) {
      const uint32_t lat = ctx_.axi ? ctx_.axi->latency(b.addr) : bus::AxiSpace::kDefaultLatency;
      const uint64_t at = std::max(cycle_ + 1 + lat, last_b_at_ + 1);
      bq_.push_back(BResp{at, (b.resp & 2) != 0});
      last_b_at_ = at;
      ++st_.b_issued;
      st_.wq[0] = st_.wq[1];
      st_.wq[1] = Burst{};
      --st_.wq_n;
    }
  }
  if (aes_push) {
    aes_fifo_.push_back(aes_push_data);
    ++st_.fifo_ops;
  }

  // Bursts retire and new requests enter the managers.
  if (r_last) {
    st_.rq[0] = st_.rq[1];
    st_.rq[1] = Burst{};
    --st_.rq_n;
  }
  if (rd_hshake) {
    const uint32_t lat = ctx_.axi ? ctx_.axi->latency(rd_addr) : bus::AxiSpace::kDefaultLatency;
    st_.rq[st_.rq_n++] = Burst{rd_addr, cycle_ + 1 + lat, static_cast<uint16_t>(rd_len / 4), 0, c.rd_fixed, 0};
  }
  if (wr_hshake) st_.wq[st_.wq_n++] = Burst{wr_addr, cycle_ + 1, static_cast<uint16_t>(wr_len / 4), 0, c.wr_fixed, 0};

  // Byte counters and FIFO credits.
  if (rd_hshake) st_.rd_requested = s.rd_requested + rd_len;
  else if (mb_dv && !mb_write && !mb_hold) st_.rd_requested = s.rd_requested + 4;
  else if (idle) st_.rd_requested = 0;
  if (wr_hshake) st_.wr_requested = s.wr_requested + wr_len;
  else if (mb_dv && mb_write && !mb_hold) st_.wr_requested = s.wr_requested + 4;
  else if (idle) st_.wr_requested = 0;

  if (idle || rd_bypass) st_.rd_credits = kFifoWords;
  else st_.rd_credits = (st_.rd_credits + (pop ? 1 : 0) - (rd_hshake ? rd_len / 4 : 0)) & 0xFF;
  const bool credit_push = aes ? aes_push : push;
  if (idle || wr_bypass) st_.wr_credits = 0;
  else st_.wr_credits = (st_.wr_credits + (credit_push ? 1 : 0) - (wr_hshake ? wr_len / 4 : 0)) & 0xFF;

  if (idle && c.go) st_.bytes_remaining = c.count;
  else if (pop) st_.bytes_remaining -= 4;
  if (idle && c.go) st_.rd_fifo_bytes_remaining = c.count;
  else if (push) st_.rd_fifo_bytes_remaining -= 4;

  if (idle) st_.wr_resp_pending = 0;
  else st_.wr_resp_pending = (s.wr_resp_pending + (wr_hshake ? 1 : 0) - (wr_resp_valid ? 1 : 0)) & 0xF;

  // Errors that end the transfer once every byte has moved.
  if (idle || c.flush) st_.axi_error = false;
  else if (rd_resp_valid) st_.axi_error = s.axi_error || rd_resp_error;
  else if (wr_resp_valid) st_.axi_error = s.axi_error || wr_resp_error;
  const bool mb_lock_dropped = waiting && mb_route && !lock;
  if (idle || c.flush) st_.mb_lock_error = false;
  else if (mb_lock_dropped) st_.mb_lock_error = true;

  // payload_available pacing (the level-sensitive variant; RTL default): with a block size
  // set, each time the FIFO has drained and payload_available is high, block_size / 64
  // requests are queued and issued one at a time.
  if (c.block_size == 0) {
    st_.payload_requests = 0;
    st_.rd_req_stall = false;
  } else if (idle) {
    st_.payload_requests = 0;
    st_.rd_req_stall = true;
  } else {
    const bool wait = s.payload_requests != 0 || s.rd_credits < kFifoWords;
    uint32_t next = s.payload_requests;
    if (!wait && payload_available_) next = rd_hshake ? 0 : next + std::max(c.block_size >> kPayloadRequestShift, 1u);
    else if (rd_hshake) next = next - 1;
    st_.payload_requests = static_cast<uint16_t>(next & 0x7FF);
    st_.rd_req_stall = st_.payload_requests == 0 || rd_hshake || s.rd_credits < kFifoWords;
  }

  // Interrupt events.
  if (perr) intr_.error_event(kErrCmdDec);
  if (rd_resp_valid && rd_resp_error) intr_.error_event(kErrAxiRd);
  if (wr_resp_valid && wr_resp_error) intr_.error_event(kErrAxiWr);
  if (mb_lock_dropped && !s.mb_lock_error) intr_.error_event(kErrMboxLock);
  if (aes_cif_error) intr_.error_event(kErrAesCif);
  if (kv_read_error) intr_.error_event(kErrKvRd);
  if (kv_premature) intr_.error_event(kErrKvRdLarge);
  if (fifo_empty && !s.fifo_empty_r) intr_.notif_event(kNotifFifoEmpty);
  if (!fifo_empty && s.fifo_empty_r) intr_.notif_event(kNotifFifoNotEmpty);
  if (fifo_full && !s.fifo_full_r) intr_.notif_event(kNotifFifoFull);
  if (!fifo_full && s.fifo_full_r) intr_.notif_event(kNotifFifoNotFull);
  st_.fifo_empty_r = fifo_empty;
  st_.fifo_full_r = fifo_full;
  if (s.fsm == Fsm::Done || s.fsm == Fsm::Error) txn_done_cycle();
  else st_.txn_pulse = false;

  // Control FSM.
  Fsm next = s.fsm;
  switch (s.fsm) {
    case Fsm::Idle:
      if (c.go) next = perr ? Fsm::Error : Fsm::WaitData;
      break;
    case Fsm::WaitData: {
      bool all = s.bytes_remaining == 0 && s.wr_resp_pending == 0;
      // 2.1 also waits for the write side's count and for the AES feeder to finish.
      if (v21)
        all = all && s.wr_requested == c.count &&
              (s.aes == AesFsm::Idle || s.aes == AesFsm::Done || s.aes == AesFsm::Error);
      const bool err = s.axi_error || s.mb_lock_error || (v21 && s.aes_error);
      if ((all && err) || kv_read_error || kv_premature) next = Fsm::Error;
      else if (all) next = Fsm::Done;
      break;
    }
    case Fsm::Done: next = Fsm::Idle; break;
    case Fsm::Error:
      if (c.flush) next = Fsm::Idle;
      break;
  }
  st_.fsm = next;
  uint32_t ctl = reg(ctrl);
  if (s.fsm == Fsm::Done || (s.fsm == Fsm::Error && c.flush)) ctl &= ~kGo;
  if (s.fsm == Fsm::Idle) ctl &= ~kFlush;
  reg(ctrl) = ctl;
  st_.ctrl = ctl;

  // The FIFOs' synchronous clear: 2.0 on a flush while idle, 2.1 whenever idle.
  if (v21 ? idle : (idle && c.flush)) fifo_clear();
  if (v21 && idle && !aes_fifo_.empty()) {
    aes_fifo_.clear();
    ++st_.fifo_ops;
  }
}

// kv_read_client.sv + kv_fsm.sv for the DMA's read of the key release slot: the read is
// armed with go, passes the (always permissive for the DMA) rule check a cycle later, then
// moves one dword per cycle up to the slot's last dword, and signals done.
void AxiDma::step_kv(const Cmd& c, bool perr) {
  const State s = st_;
  const bool idle = s.fsm == Fsm::Idle;
  if (!s.kv_read_once && c.go && c.wr == WrRoute::KeyVault && c.wr_raw == 4 && !perr) st_.kv_read_en = true;
  else if (s.kv_phase == 3) st_.kv_read_en = false;
  if (s.kv_read_en) st_.kv_read_once = true;
  else if (idle) st_.kv_read_once = false;

  if (idle || c.flush) {  // zeroize
    st_.kv_phase = 0;
    st_.kv_offset = 0;
    st_.kv_error = false;
    return;
  }
  switch (s.kv_phase) {
    case 0:
      if (s.kv_read_en && !s.kv_error) st_.kv_phase = 1;
      break;
    case 1: {
      KeyVault::ReadResult r;
      if (ctx_.kv) r = ctx_.kv->read(kKeyReleaseSlot, KvClient::DmaData);
      else r.error = true;
      kv_words_ = {};
      std::copy_n(r.words.begin(), std::min<size_t>(kKvReadWords, r.words.size()), kv_words_.begin());
      kv_slot_error_ = r.error;
      kv_last_dword_ = r.last_dword;
      st_.kv_phase = 2;
      break;
    }
    case 2: {
      if (s.kv_offset == 0) st_.kv_error = kv_slot_error_;
      const bool last = s.kv_offset == kKvReadWords - 1 || s.kv_offset == kv_last_dword_;
      if (last) {
        st_.kv_phase = 3;
        st_.kv_offset = 0;
      } else {
        st_.kv_offset = s.kv_offset + 1;
      }
      break;
    }
    default:
      st_.kv_phase = 0;
      break;
  }
}

// The AES feeder FSM of axi_dma_ctrl.sv: writes four FIFO words into AES DATA_IN (first
// programming the GCM byte count when GCM needs it), waits for the output, reads DATA_OUT
// into the AES FIFO that feeds the AXI write channel. One register access per cycle.
void AxiDma::step_aes(const Cmd& c, bool perr, bool fifo_r_valid, bool aes_fifo_full, bool& pop, bool& push,
                      uint32_t& push_data, bool& cif_error) {
  const State s = st_;
  const uint32_t br = s.bytes_remaining;
  const AesFsm ps = s.aes;

  bool dv = false, write = false;
  uint32_t addr = 0, wdata = 0;
  switch (ps) {
    case AesFsm::WriteBlock:
      dv = br > 0 ? fifo_r_valid : true;
      write = true;
      addr = kAesDataIn0 + 4u * s.aes_write_cnt;
      wdata = br > 0 && fifo_size_ ? fifo_[fifo_head_] : 0;
      break;
    case AesFsm::UpdateByteCount:
      dv = true;
      write = true;
      addr = kAesCtrlGcmShadowed;
      wdata = ((std::min<uint32_t>(br, 16) << kGcmNumValidBytesShift) & kGcmNumValidBytesMask) |
              (kGcmPhaseText & kGcmPhaseMask);
      break;
    case AesFsm::ReadOutput:
      dv = !aes_fifo_full;
      addr = kAesDataOut0 + 4u * s.aes_read_cnt;
      break;
    default: break;
  }
  bool err = false;
  uint32_t rdata = 0;
  if (dv && aes_) {
    const bus::BusResult r = write ? aes_->write(addr, 4, wdata, kDmaRequester) : aes_->read(addr, 4, rdata, kDmaRequester);
    err = r != bus::BusResult::Ok;
  }
  const bool write_incr = dv && write, read_incr = dv && !write;
  pop = fifo_r_valid && dv && ps == AesFsm::WriteBlock;
  push = read_incr && s.aes_fifo_bytes_written < c.count;
  push_data = rdata;
  cif_error = err && dv;

  if (s.fsm == Fsm::Idle || c.flush) st_.aes_error = false;
  else if (cif_error) st_.aes_error = true;

  const bool update_done = s.aes_write_cnt == 1 && write_incr;
  const bool block_done = s.aes_write_cnt == 3 && write_incr;
  const bool read_done = s.aes_read_cnt == 3 && read_incr;
  AesFsm ns = ps;
  switch (ps) {
    case AesFsm::Idle:
      if (s.fsm == Fsm::Idle && c.go && !perr && c.aes) ns = AesFsm::WaitInputReady;
      st_.aes_init_done = false;
      st_.aes_last = false;
      break;
    case AesFsm::WaitInputReady:
      if (aes_status() & kAesInputReady)
        ns = ((!s.aes_init_done || br < 16) && c.gcm) ? AesFsm::WaitIdle : AesFsm::WriteBlock;
      break;
    case AesFsm::WaitIdle:
      if (aes_status() & kAesIdle) ns = AesFsm::UpdateByteCount;
      break;
    case AesFsm::UpdateByteCount:
      if (update_done) ns = AesFsm::WriteBlock;
      break;
    case AesFsm::WriteBlock:
      if (block_done) {
        st_.aes_init_done = true;
        if (!s.aes_init_done && br > 0) {
          ns = AesFsm::WaitInputReady;
        } else {
          if (!s.aes_init_done && br == 0) st_.aes_last = true;
          ns = AesFsm::WaitOutputValid;
        }
      }
      break;
    case AesFsm::WaitOutputValid:
      if (aes_status() & kAesOutputValid) ns = AesFsm::ReadOutput;
      break;
    case AesFsm::ReadOutput:
      if (read_done) {
        if (s.aes_last) {
          ns = s.aes_error ? AesFsm::Error : AesFsm::Done;
        } else if (br == 0) {
          st_.aes_last = true;
          ns = AesFsm::WaitOutputValid;
        } else if (br < 16 && c.gcm) {
          ns = AesFsm::WaitIdle;
        } else {
          ns = AesFsm::WriteBlock;
        }
      }
      break;
    case AesFsm::Done: ns = AesFsm::Idle; break;
    case AesFsm::Error:
      if (c.flush) ns = AesFsm::Idle;
      break;
  }
  st_.aes = ns;

  const bool write_cnt_reset = ps != ns || (ps != AesFsm::WriteBlock && ps != AesFsm::UpdateByteCount);
  if (write_cnt_reset) st_.aes_write_cnt = 0;
  else if (write_incr) st_.aes_write_cnt = (s.aes_write_cnt + 1) & 3;
  if (read_incr) st_.aes_read_cnt = (s.aes_read_cnt + 1) & 3;
  else if (ps != AesFsm::ReadOutput) st_.aes_read_cnt = 0;
  if (read_incr) st_.aes_fifo_bytes_written = s.aes_fifo_bytes_written + 4;
  else if (ps == AesFsm::Idle) st_.aes_fifo_bytes_written = 0;
}

}  // namespace calemu::caliptra
