#include "caliptra/sha512_acc.h"

#include "common/bits.h"
#include "crypto/sha.h"

namespace calemu::caliptra {

using bus::Requester;

Sha512Acc::Sha512Acc(BlockContext& ctx, bus::Memory& mbox_sram)
    : bus::RegBlock("sha512_acc_csr", kRegs, 0x1000),
      ctx_(ctx),
      sram_(mbox_sram),
      intr_({"error0", "error1", "error2", "error3"}, {"notif_cmd_done"},
            [&ctx](bool err, bool notif) {
              if (ctx.set_irq) {
                ctx.set_irq(kIrqSha512AccError, err);
                ctx.set_irq(kIrqSha512AccNotif, notif);
              }
            },
            /*cpu_write_only=*/true),
      done_("sha512_acc.done", [this] { finish(); }) {
  attach(0x800, intr_);
}

void Sha512Acc::reset(bus::ResetKind kind) {
  if (kind == bus::ResetKind::FwUpdate) return;
  bus::RegBlock::reset(kind);
  soc_has_lock_ = false;  // the core owns the accelerator out of reset (LOCK resets to 1)
  busy_ = valid_ = false;
  stream_.clear();
  ctx_.timeline.cancel(done_);
}

bool Sha512Acc::valid_user(const Requester& who) const {
  if (!(reg(LOCK) & 1)) return false;
  return who.is_soc() ? (soc_has_lock_ && who.axi_user == reg(USER)) : !soc_has_lock_;
}

void Sha512Acc::release() {
  // Lock cleared: the engine returns to idle and the digest is cleared (sha512_acc_top arc_IDLE).
  reg(EXECUTE) = 0;
  for (unsigned i = 0; i < 16; ++i) reg(DIGEST, i) = 0;
  busy_ = valid_ = false;
  stream_.clear();
  soc_has_lock_ = false;
  ctx_.timeline.cancel(done_);
}

bool Sha512Acc::read_hook(unsigned id, unsigned, uint32_t& value, const Requester& who) {
  if (id == LOCK) {
    if (!(reg(LOCK) & 1)) {  // rset: a read of a free lock takes it
      reg(LOCK) = 1;
      reg(USER) = who.is_soc() ? who.axi_user : 0xFFFF'FFFF;
      soc_has_lock_ = who.is_soc();
      value = 0;
    }
  } else if (id == STATUS) {
    value = (valid_ ? 1u : 0) | (soc_has_lock_ ? 2u : 0);
  }
  return true;
}

bus::RegBlock::Verdict Sha512Acc::write_hook(unsigned id, unsigned, uint32_t&, uint32_t, const Requester& who) {
  if (id == CONTROL) return Verdict::Store;
  return valid_user(who) ? Verdict::Store : Verdict::Ignore;
}

void Sha512Acc::after_write(unsigned id, unsigned, uint32_t old, const Requester&) {
  switch (id) {
    case LOCK:
      if ((old & 1) && !(reg(LOCK) & 1)) release();  // woclr by the owner
      break;
    case DATAIN: {
      uint8_t be[4];
      store_be32(be, reg(DATAIN));
      stream_.insert(stream_.end(), be, be + 4);
      if (reg(EXECUTE) & 1) try_start();
      break;
    }
    case EXECUTE:
      if (reg(EXECUTE) & 1) try_start();
      break;
    case CONTROL:
      if (reg(CONTROL) & 1) {
        for (unsigned i = 0; i < 16; ++i) reg(DIGEST, i) = 0;
        valid_ = false;
      }
      reg(CONTROL) = 0;  // singlepulse
      break;
    default:
      break;
  }
}

void Sha512Acc::try_start() {
  if (busy_ || valid_) return;
  const uint32_t mode = reg(MODE);
  const uint32_t len = reg(DLEN);
  // The SoC always streams; mailbox mode is the core's (streaming_mode = ~mode[1] | soc_has_lock).
  const bool mailbox = (mode & 2) && !soc_has_lock_;
  std::vector<uint8_t> msg;
  if (mailbox) {
    const uint32_t start = reg(START_ADDRESS) & ~3u;
    msg.resize(len);
    for (uint32_t i = 0; i < len; ++i) {
      const uint32_t a = start + i;
      const uint32_t word = a / 4 * 4 < sram_.size() ? sram_.read(a / 4 * 4, 4) : 0;
      // ENDIAN_TOGGLE = 0 swizzles each little-endian SRAM word to big-endian, so the
      // message is the SRAM bytes in address order; 1 feeds the word as-is.
      const unsigned lane = (mode & kEndianToggle) ? 3 - (a & 3) : (a & 3);
      msg[i] = static_cast<uint8_t>(word >> (8 * lane));
    }
  } else {
    if (stream_.size() < len) return;  // the engine waits for more data
    msg.assign(stream_.begin(), stream_.begin() + len);
  }
  const bool is512 = mode & 1;
  pending_digest_ = is512 ? crypto::sha512(msg) : crypto::sha384(msg);
  busy_ = true;
  const uint64_t blocks = (uint64_t{len} + 17 + 127) / 128;
  ctx_.timeline.schedule_in(done_, blocks * kCyclesPerBlock + 4);
}

void Sha512Acc::finish() {
  busy_ = false;
  valid_ = true;
  for (unsigned i = 0; i < 16; ++i)
    reg(DIGEST, i) = i * 4 < pending_digest_.size() ? load_be32(pending_digest_.data() + 4 * i) : 0;
  intr_.notif_event(0);
}

}  // namespace calemu::caliptra
