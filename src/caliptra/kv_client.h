// The engine side of the key vault: the kv_read_ctrl_reg / kv_write_ctrl_reg / kv_status_reg
// registers every crypto engine carries (caliptra-rtl src/keyvault/rtl/kv_def.rdl) and the
// little FSM behind each of them (kv_read_client.sv, kv_write_client.sv, kv_fsm.sv): while a
// copy runs the status reads READY=0, the engine's INIT/NEXT are masked, and when it ends
// VALID is set. ERROR is latched from the vault's answer when the copy starts.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "bus/regfile.h"
#include "bus/timeline.h"

namespace calemu::caliptra::kv {

// kv_status_reg fields.
inline constexpr uint32_t kStatusReady = 1u << 0;
inline constexpr uint32_t kStatusValid = 1u << 1;
inline constexpr unsigned kStatusErrorShift = 2;
inline constexpr uint32_t kStatusMask = 0x3FF;

// kv_error_e.
enum class Error : uint8_t { Success = 0x00, ReadFail = 0x01, WriteFail = 0x02 };

// kv_read_ctrl_reg: read_en[0] read_entry[5:1] pcr_hash_extend[6] rsvd[31:7] (all sw=rw).
struct ReadCtrl {
  bool read_en;
  unsigned entry;
  bool pcr_hash_extend;
  static ReadCtrl decode(uint32_t v) { return {(v & 1) != 0, (v >> 1) & 0x1F, ((v >> 6) & 1) != 0}; }
};

// kv_write_ctrl_reg: write_en[0] write_entry[5:1], then the destination-valid bits from
// [6]: hmac_key, hmac_block, sha_block (1.x) / mldsa_seed (2.x), ecc_pkey, ecc_seed,
// aes_key (2.x), mlkem_seed, mlkem_msg, dma_data (2.1). Bits beyond the generation's
// KV_NUM_READ are reserved; KeyVault::write drops them.
struct WriteCtrl {
  bool write_en;
  unsigned entry;
  uint16_t dest_valid;  // bit i = read client i of the vault (KvClient)
  static WriteCtrl decode(uint32_t v) {
    return {(v & 1) != 0, (v >> 1) & 0x1F, static_cast<uint16_t>((v >> 6) & 0x1FF)};
  }
};

// kv_fsm.sv timing: one cycle to leave IDLE, one per dword moved, one in DONE.
inline constexpr uint64_t kCyclesKeyCopy = 12 + 2;     // a 384-bit key or result
inline constexpr uint64_t kCyclesKey512Copy = 16 + 2;  // a 512-bit key or result (2.x)
// 2.1 kv_read_rule_check.sv: a read the OCP LOCK filter refuses goes IDLE -> DONE after the
// registered rule check.
inline constexpr uint64_t kCyclesDeniedRead = 1 + 2;
inline constexpr uint64_t kCyclesPaddedBlock = 32 + 2; // a 1024-bit block (data, pad, length)

// One copy engine (a read or a write client) bound to its status register. The caller
// performs the data movement in `on_done`, which runs when the copy completes.
class Client {
 public:
  // hold_ready_on_error: a 2.1 read client (other than AES's) keeps READY low after a failed
  // read until a zeroize (kv_read_client.sv kv_ready = fsm ready & error == SUCCESS), which
  // also keeps its engine busy.
  Client(bus::Timeline& tl, std::string name, bus::RegBlock& block, unsigned status_reg, bool hold_ready_on_error = false)
      : tl_(tl), block_(block), status_(status_reg), hold_on_error_(hold_ready_on_error),
        done_(std::move(name), [this] { finish(); }) {}

  bool ready() const { return !busy_ && !(hold_on_error_ && failed_); }
  // Starts a copy: READY=0, VALID=0, ERROR=err now; after `cycles`, on_done() then READY=1,
  // VALID=1.
  void start(uint64_t cycles, Error err, std::function<void()> on_done) {
    busy_ = true;
    on_done_ = std::move(on_done);
    set_status(false, false, err);
    tl_.schedule_in(done_, cycles);
  }
  // A copy whose end never comes (a port the RTL leaves unconnected): busy until abort().
  void hang(Error err) {
    tl_.cancel(done_);
    busy_ = true;
    on_done_ = nullptr;
    set_status(false, false, err);
  }
  // Zeroize or reset: the FSM returns to IDLE and the error code to SUCCESS; VALID keeps
  // its value (it has no zeroize term in the RTL).
  void abort() {
    tl_.cancel(done_);
    busy_ = false;
    failed_ = false;
    on_done_ = nullptr;
    set_status(true, (block_.reg(status_) & kStatusValid) != 0, Error::Success);
  }
  // The status after a block reset: READY=1 (the FSM idles in IDLE), VALID=0, SUCCESS.
  void reset() {
    tl_.cancel(done_);
    busy_ = false;
    failed_ = false;
    on_done_ = nullptr;
    set_status(true, false, Error::Success);
  }
  void set_error(Error err) {
    block_.reg(status_) = (block_.reg(status_) & 0x3) | static_cast<uint32_t>(err) << kStatusErrorShift;
  }
  Error error() const { return static_cast<Error>(block_.reg(status_) >> kStatusErrorShift & 0xFF); }

 private:
  void finish() {
    busy_ = false;
    auto fn = std::move(on_done_);
    on_done_ = nullptr;
    const Error err = error();
    failed_ = err != Error::Success;
    set_status(!(hold_on_error_ && failed_), true, err);
    if (fn) fn();
  }
  void set_status(bool ready, bool valid, Error err) {
    block_.reg(status_) = (ready ? kStatusReady : 0) | (valid ? kStatusValid : 0) |
                          static_cast<uint32_t>(err) << kStatusErrorShift;
  }

  bus::Timeline& tl_;
  bus::RegBlock& block_;
  unsigned status_;
  bool hold_on_error_;
  bool busy_ = false;
  bool failed_ = false;
  std::function<void()> on_done_;
  bus::Event done_;
};

}  // namespace calemu::caliptra::kv
