// The AXI manager and DMA assist of the Caliptra 2.x core (caliptra-rtl src/axi/rtl/
// axi_dma_top.sv, axi_dma_ctrl.sv, axi_mgr_rd.sv, axi_mgr_wr.sv, axi_dma_reg.rdl) at
// 0x3002_2000. Firmware programs a source, a destination, a byte count and two routes: where
// the AXI read channel's data goes (mailbox, the AHB FIFO firmware reads through READ_DATA,
// or the AXI write channel) and where the AXI write channel's data comes from (mailbox, the
// AHB FIFO firmware fills through WRITE_DATA, the AXI read channel, or in 2.1 key vault slot
// 23 for the OCP LOCK key release). Everything passes through one 512-byte FIFO. In 2.1 an
// AXI-to-AXI transfer can also stream through the AES block (AES mode, optionally GCM).
//
// The model steps the control logic of axi_dma_ctrl.sv cycle by cycle while a transfer is
// active (its counters, credits, request sizing, FIFO, payload_available pacing and the AES
// feeder FSM follow the RTL's equations), lazily: nothing runs while the block is idle or
// waiting for firmware or for payload_available, and register accesses first bring it up to
// the current cycle. AXI subordinates live in the machine's bus::AxiSpace (ctx.axi).
#pragma once
#include <array>
#include <cstdint>
#include <deque>
#include <functional>

#include "bus/axi.h"
#include "bus/regfile.h"
#include "bus/timeline.h"
#include "caliptra/block_context.h"
#include "caliptra/intr_block.h"

namespace calemu::caliptra {

class AxiDma : public bus::RegBlock {
 public:
  static constexpr uint32_t kBase = 0x3002'2000;
  static constexpr uint32_t kSize = 0x1000;
  static constexpr uint32_t kId = 0x6776'8068;  // "CLPD"
  // axi_dma_ctrl.sv localparams (DW = 32).
  static constexpr unsigned kFifoWords = 128;        // FIFO_BC = 512 bytes
  static constexpr uint32_t kMaxBlock = 256;         // MAX_BLOCK_SIZE: half the FIFO
  static constexpr uint32_t kMaxFixedBlock = 64;     // MAX_FIXED_BLOCK_SIZE: 16-beat FIXED bursts
  static constexpr uint32_t kMaxTransfer = 0x10'0000;  // DMA_MAX_XFER_SIZE
  static constexpr unsigned kAesFifoWords = 4;       // AES_FIFO_BC = 16 bytes
  static constexpr unsigned kDefaultAddrWidth = 48;  // config_defines.svh CALIPTRA_AXI_DMA_ADDR_WIDTH
  // While a transfer runs the block is stepped at least every kQuantum cycles, so its
  // interrupts and AXI side effects trail the RTL by less than this.
  static constexpr uint64_t kQuantum = 8;

  // CTRL fields.
  static constexpr uint32_t kGo = 1u << 0, kFlush = 1u << 1, kAesModeEn = 1u << 2, kAesGcmMode = 1u << 3;
  static constexpr unsigned kRdRouteShift = 16, kRdFixedBit = 20, kWrRouteShift = 24, kWrFixedBit = 28;
  enum class RdRoute : uint8_t { Disable = 0, Mbox = 1, AhbFifo = 2, AxiWr = 3 };
  enum class WrRoute : uint8_t { Disable = 0, Mbox = 1, AhbFifo = 2, AxiRd = 3, KeyVault = 4 };
  // STATUS0 fields.
  static constexpr uint32_t kBusy = 1u << 0, kError = 1u << 1;
  static constexpr unsigned kFifoDepthShift = 4, kFsmShift = 16, kAesFsmShift = 20;
  static constexpr uint32_t kPayloadAvailable = 1u << 18, kImageActivated = 1u << 19;
  enum class Fsm : uint8_t { Idle = 0, WaitData = 1, Done = 2, Error = 3 };
  enum class AesFsm : uint8_t {
    Idle, WaitInputReady, WaitIdle, UpdateByteCount, WriteBlock, WaitOutputValid, ReadOutput, Done, Error
  };
  // Interrupt events (RDL bit order).
  enum ErrorEvent : unsigned {
    kErrCmdDec, kErrAxiRd, kErrAxiWr, kErrMboxLock, kErrShaLock, kErrFifoOflow, kErrFifoUflow,
    kErrAesCif, kErrKvRd, kErrKvRdLarge,  // 2.1
  };
  enum NotifEvent : unsigned { kNotifTxnDone, kNotifFifoEmpty, kNotifFifoNotEmpty, kNotifFifoFull, kNotifFifoNotFull };

  // One list per generation: 2.1 adds CTRL.aes_mode_en/aes_gcm_mode, a third wr_route bit
  // and STATUS0.axi_dma_aes_fsm_ps. All writable fields are swwel = soc_req; those but
  // flush are also locked while the FSM is not idle (dma_swwel).
#define CALEMU_AXI_DMA_REGS(X, ctrl_rw, status0_mask)          \
  X(id, 0x00, .ro().reset(kId))                               \
  X(cap, 0x04, .ro(0xFFF).hook_read())                        \
  X(ctrl, 0x08, .rw(ctrl_rw).w1s(kGo | kFlush).hooks())       \
  X(status0, 0x0C, .ro(status0_mask).hook_read())             \
  X(status1, 0x10, .ro().hook_read())                         \
  X(src_addr_l, 0x14, .hook_write())                          \
  X(src_addr_h, 0x18, .hook_write())                          \
  X(dst_addr_l, 0x1C, .hook_write())                          \
  X(dst_addr_h, 0x20, .hook_write())                          \
  X(byte_count, 0x24, .hook_write())                          \
  X(block_size, 0x28, .rw(0xFFF).hook_write())                \
  X(write_data, 0x2C, .wo().hook_write())                     \
  X(read_data, 0x30, .ro().hook_read())
#define CALEMU_AXI_DMA_REGS_20(X) CALEMU_AXI_DMA_REGS(X, 0x1313'0000u, 0x000F'FFF3u)
#define CALEMU_AXI_DMA_REGS_21(X) CALEMU_AXI_DMA_REGS(X, 0x1713'000Cu, 0x00FF'FFF3u)
  CALEMU_REG_TABLE(CALEMU_AXI_DMA_REGS_20)
  static constexpr bus::RegDef kRegs21[] = {CALEMU_AXI_DMA_REGS_21(CALEMU_REG_ROW)};
#undef CALEMU_AXI_DMA_REGS_20
#undef CALEMU_AXI_DMA_REGS_21
#undef CALEMU_AXI_DMA_REGS

  // What the block reaches through ctx: the AXI fabric (ctx.axi; without it every beat
  // answers DECERR), the mailbox SRAM and whether the core holds the mailbox lock
  // (ctx.mbox_sram, ctx.uc_mbox_lock), the key vault (ctx.kv, 2.1 key release) and soc_ifc's
  // SS_CALIPTRA_DMA_AXI_USER, SS_KEY_RELEASE_BASE_ADDR/SIZE and OCP LOCK state (ctx.secrets).
  explicit AxiDma(BlockContext& ctx, unsigned addr_width = kDefaultAddrWidth);

  // 2.1 AES mode: the AES block's registers as the core sees them at 0x1001_1000
  // (aes_clp_wrapper.sv muxes the DMA's requests onto the same register interface).
  void set_aes(bus::Device* aes) { aes_ = aes; }
  // Inputs from the subsystem's recovery interface (I3C): recovery_data_avail and
  // recovery_image_activated.
  void set_payload_available(bool level);
  void set_image_activated(bool level);
  bool payload_available() const { return payload_available_; }

  // debugUnlock_or_scan_mode_switch: the key vault read in progress is zeroized.
  void debug_unlock_or_scan_switch();

  void reset(bus::ResetKind kind) override;
  bus::BusResult read(uint32_t offset, unsigned size, uint32_t& value, const bus::Requester& who) override;
  bus::BusResult write(uint32_t offset, unsigned size, uint32_t value, const bus::Requester& who) override;
  IntrBlock& intr() { return intr_; }
  Fsm fsm() { sync(); return st_.fsm; }
  // Brings the control logic up to the current cycle (register accesses do this themselves).
  void sync();

 protected:
  Verdict write_hook(unsigned reg_id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester& who) override;
  void after_write(unsigned reg_id, unsigned index, uint32_t old, const bus::Requester& who) override;
  bool read_hook(unsigned reg_id, unsigned index, uint32_t& value, const bus::Requester& who) override;

 private:
  // One AXI burst in a manager: up to two are in flight (the active one and the one in
  // axi_mgr's skid buffer, whose address phase has already gone out).
  struct Burst {
    uint64_t addr = 0;
    uint64_t data_at = 0;  // first cycle a data beat can move
    uint16_t beats = 0, done = 0;
    bool fixed = false;
    uint8_t resp = 0;  // write bursts: the subordinate's worst answer so far
    bool operator==(const Burst&) const = default;
  };
  struct BResp {
    uint64_t at;
    bool error;
  };

  // Everything the control logic registers each cycle; a step that leaves it unchanged
  // (with no burst in flight) means the block is waiting on something outside itself.
  struct State {
    Fsm fsm = Fsm::Idle;
    uint32_t ctrl = 0;
    uint32_t rd_requested = 0, wr_requested = 0;  // rd/wr_bytes_requested
    uint32_t rd_credits = kFifoWords, wr_credits = 0;
    uint32_t bytes_remaining = 0, rd_fifo_bytes_remaining = 0;
    uint8_t wr_resp_pending = 0;  // 4 bits
    bool axi_error = false, mb_lock_error = false;
    uint16_t payload_requests = 0;  // rd_req_count_for_payload (11 bits)
    bool rd_req_stall = false;
    bool fifo_empty_r = true, fifo_full_r = false;
    bool mb_rd_phase = false;
    bool rd_resp_valid = false, rd_resp_error = false;
    uint8_t rd_resp_acc = 0;
    std::array<Burst, 2> rq{}, wq{};
    uint8_t rq_n = 0, wq_n = 0;
    uint64_t fifo_ops = 0, b_issued = 0;
    bool txn_pulse = false;  // notif_txn_done_intr_count_incr_r.pulse
    // 2.1 key vault read client.
    bool kv_read_en = false, kv_read_once = false, kv_error = false;
    uint8_t kv_phase = 0;  // 0 idle, 1 rule check, 2 moving dwords, 3 done
    uint8_t kv_offset = 0;
    // 2.1 AES feeder.
    AesFsm aes = AesFsm::Idle;
    bool aes_init_done = false, aes_last = false, aes_error = false;
    uint8_t aes_write_cnt = 0, aes_read_cnt = 0;
    uint32_t aes_fifo_bytes_written = 0;
    bool operator==(const State&) const = default;
  };

  struct Cmd;
  Cmd decode() const;
  bool parse_error(const Cmd& c) const;
  uint64_t addr_mask(uint64_t a) const { return addr_width_ >= 64 ? a : a & ((uint64_t{1} << addr_width_) - 1); }
  uint32_t request_bytes(const Cmd& c, uint64_t addr, bool fixed, uint32_t requested, bool aes) const;
  uint32_t mbox_offset(uint64_t addr) const;
  bool uc_mbox_lock() const { return ctx_.uc_mbox_lock && ctx_.uc_mbox_lock(); }
  uint32_t axi_user() const { return ctx_.secrets ? ctx_.secrets->dma_axi_user() : 0; }

  void step();
  void step_kv(const Cmd& c, bool perr);
  void step_aes(const Cmd& c, bool perr, bool fifo_r_valid, bool aes_fifo_full, bool& pop, bool& push,
                uint32_t& push_data, bool& cif_error);
  uint32_t aes_status();
  void account_quiet_cycles(uint64_t n);
  void txn_done_cycle();
  void kick();
  void fifo_push(uint32_t v);
  uint32_t fifo_pop();
  void fifo_clear();
  void on_read_data(uint32_t& value);
  void on_write_data(uint32_t value);
  uint32_t status0_value() const;

  BlockContext& ctx_;
  unsigned addr_width_;
  IntrBlock intr_;
  bus::Device* aes_ = nullptr;
  bus::Event tick_;

  State st_;
  std::array<uint32_t, kFifoWords> fifo_{};
  unsigned fifo_head_ = 0, fifo_size_ = 0;
  std::deque<uint32_t> aes_fifo_;
  std::deque<BResp> bq_;  // write responses on their way back
  uint64_t last_b_at_ = 0;
  uint32_t mb_read_word_ = 0;  // the mailbox word fetched in the read phase
  std::array<uint32_t, 16> kv_words_{};  // the key release slot, as the vault answered
  bool kv_slot_error_ = false;
  unsigned kv_last_dword_ = 0;

  uint64_t cycle_ = 0;  // the control logic is up to date for every cycle before this one
  bool quiet_ = true;   // nothing moves until an input changes
  bool stepping_ = false;
  bool payload_available_ = false, image_activated_ = false;
};

}  // namespace calemu::caliptra
