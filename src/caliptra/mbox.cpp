#include "caliptra/mbox.h"

#include "caliptra/soc_ifc.h"

namespace calemu::caliptra {

using bus::BusResult;
using bus::Requester;

// 2.x (mbox_csr.rdl): a 16-bit read pointer for the 256 KiB SRAM, tap_has_lock (bit 26) and
// the tap_mode register.
std::vector<bus::RegDef> Mailbox::table(HwGen g) {
  std::vector<bus::RegDef> defs(std::begin(kRegs), std::end(kRegs));
  if (is_2x(g)) defs[mbox_status] = defs[mbox_status].mask(0x07FF'FFFF);
  else defs[tap_mode] = defs[tap_mode].absent();
  return defs;
}

Mailbox::Mailbox(BlockContext& ctx, bus::Memory& sram, SocIfc& soc, std::function<void(bool)> soc_data_avail)
    : bus::RegBlock("mbox_csr", table(ctx.hw), 0x1000),
      ctx_(ctx),
      sram_(sram),
      soc_(soc),
      soc_data_avail_(std::move(soc_data_avail)) {}

void Mailbox::reset(bus::ResetKind kind) {
  if (kind == bus::ResetKind::FwUpdate) return;
  bus::RegBlock::reset(kind);
  fsm_ = kIdle;
  soc_has_lock_ = false;
  wrptr_ = rdptr_ = valid_words_ = 0;
  wr_full_ = false;
  set_soc_data_avail();
}

bool Mailbox::valid_requester(const Requester& who) const {
  if (!locked()) return false;
  if (!who.is_soc()) return !soc_has_lock_ || fsm_ == kExecuteUc;
  return soc_has_lock_ && who.axi_user == reg(mbox_user);
}

bool Mailbox::valid_receiver(const Requester& who) const {
  if (!locked()) return false;
  if (!who.is_soc() && soc_has_lock_ && fsm_ == kExecuteUc) return true;
  if (who.is_soc() && !soc_has_lock_ && fsm_ == kExecuteSoc) return true;
  return valid_requester(who) &&
         ((soc_has_lock_ && fsm_ == kExecuteSoc) || (!soc_has_lock_ && fsm_ == kExecuteUc));
}

void Mailbox::set_soc_data_avail() {
  const bool avail = fsm_ == kExecuteSoc;
  if (avail != soc_avail_) {
    soc_avail_ = avail;
    if (soc_data_avail_) soc_data_avail_(avail);
  }
}

void Mailbox::goto_state(Fsm next) {
  const bool entering_uc = next == kExecuteUc && fsm_ != kExecuteUc;
  fsm_ = next;
  if (entering_uc) soc_.mbox_event_cmd_avail();  // uc_mbox_data_avail rising edge
  set_soc_data_avail();
}

void Mailbox::unlock() {
  reg(mbox_lock) = 0;
  reg(mbox_status) &= ~0xFu;
  reg(mbox_execute) = 0;
  soc_has_lock_ = false;
  goto_state(kIdle);
}

// Entering an execute state: the number of valid words is what was written, capped by
// DLEN; the read pointer rewinds and DATAOUT is preloaded with the first word.
void Mailbox::begin_execute() {
  const uint32_t dlen = reg(mbox_dlen);
  const uint32_t dlen_words = dlen >= sram_.size() ? capacity_words() : (dlen + 3) / 4;
  valid_words_ = (!wr_full_ && wrptr_ < dlen_words) ? wrptr_ : dlen_words;
  wrptr_ = 0;
  wr_full_ = false;
  rdptr_ = 0;
  advance_dataout();
}

void Mailbox::advance_dataout() {
  reg(mbox_dataout) = rdptr_ < valid_words_ ? sram_.read(rdptr_ * 4, 4) : 0;
  if (rdptr_ < valid_words_ && rdptr_ < capacity_words() - 1) ++rdptr_;
}

// mbox.sv protocol checks for SoC accesses by the lock holder (arc_*_MBOX_ERROR), the
// "access without lock" error in IDLE, and the invalid-user event. Returns false when the
// access must not take effect.
bool Mailbox::soc_protocol_check(uint32_t offset, bool write, const Requester& who) {
  const bool dataout_read = !write && offset == 0x14;
  if (!write && !dataout_read) return true;
  if (fsm_ == kIdle) {
    soc_.mbox_protocol_error(/*no_lock=*/true, false);
    return true;
  }
  const bool requester = valid_requester(who);
  if (!requester && !valid_receiver(who)) {
    soc_.mbox_event_inv_user();
    return true;
  }
  bool ooo = false;
  if (requester) {
    switch (fsm_) {
      case kRdyForCmd: ooo = write ? offset != 0x08 : true; break;
      case kRdyForDlen: ooo = write ? offset != 0x0C : true; break;
      case kRdyForData: ooo = write ? (offset != 0x10 && offset != 0x18) : true; break;
      case kExecuteUc: ooo = true; break;
      default: break;
    }
  }
  if (fsm_ == kExecuteSoc && write)
    ooo = (requester && offset != 0x18) || (!soc_has_lock_ && offset != 0x1C);
  if (ooo) {
    goto_state(kError);
    soc_.mbox_protocol_error(false, /*out_of_order=*/true);
    return false;
  }
  return true;
}

BusResult Mailbox::read(uint32_t offset, unsigned size, uint32_t& value, const Requester& who) {
  if (who.is_soc() && !soc_protocol_check(offset & ~3u, false, who)) {
    value = 0;
    return BusResult::Ok;
  }
  return bus::RegBlock::read(offset, size, value, who);
}

BusResult Mailbox::write(uint32_t offset, unsigned size, uint32_t value, const Requester& who) {
  if (who.is_soc() && !soc_protocol_check(offset & ~3u, true, who)) return BusResult::Ok;
  return bus::RegBlock::write(offset, size, value, who);
}

bool Mailbox::read_hook(unsigned id, unsigned, uint32_t& value, const Requester& who) {
  if (id == mbox_lock) {
    // A read of a free lock acquires it (RDL rset) and returns the old value 0.
    if (!locked()) {
      reg(mbox_lock) = 1;
      reg(mbox_user) = who.is_soc() ? who.axi_user : kCaliptraUser;
      soc_has_lock_ = who.is_soc();
      goto_state(kRdyForCmd);
      value = 0;
    } else if (who.is_soc() && !soc_has_lock_) {
      soc_.mbox_event_soc_req_lock();
    }
    return true;
  }
  if (id == mbox_dataout) {
    // Only the receiver sees the data; its read advances the pointer.
    if (!valid_receiver(who) && !(fsm_ == kExecuteUc && !who.is_soc())) {
      value = 0;
      return true;
    }
    if ((fsm_ == kExecuteUc && !who.is_soc()) || (fsm_ == kExecuteSoc && who.is_soc())) advance_dataout();
    return true;
  }
  if (id == mbox_status) {
    if (!who.is_soc()) ++core_status_polls_;
    const uint32_t rdptr_mask = is_2x(ctx_.hw) ? 0xFFFF : 0x7FFF;
    value = (value & 0x3Fu) | (fsm_ << 6) | (soc_has_lock_ ? 1u << 9 : 0) | ((rdptr_ & rdptr_mask) << 10);
  }
  return true;
}

bus::RegBlock::Verdict Mailbox::write_hook(unsigned id, unsigned, uint32_t& next, uint32_t old, const Requester& who) {
  switch (id) {
    case mbox_cmd: case mbox_dlen: case mbox_datain: case mbox_execute:
      return valid_requester(who) ? Verdict::Store : Verdict::Ignore;
    case mbox_status:
      if (!valid_receiver(who)) return Verdict::Ignore;
      next = (old & ~0xFu) | (next & 0xFu);
      return Verdict::Store;
    default:
      return Verdict::Store;
  }
}

void Mailbox::after_write(unsigned id, unsigned, uint32_t old, const Requester& who) {
  switch (id) {
    case mbox_cmd:
      if (fsm_ == kRdyForCmd) goto_state(kRdyForDlen);
      break;
    case mbox_dlen:
      if (fsm_ == kRdyForDlen) {
        wrptr_ = 0;
        wr_full_ = false;
        goto_state(kRdyForData);
      }
      break;
    case mbox_datain:
      if (fsm_ == kRdyForData || (fsm_ == kExecuteUc && !who.is_soc())) {
        if (!wr_full_) sram_.write(wrptr_ * 4, 4, reg(mbox_datain));
        if (wrptr_ < capacity_words() - 1) ++wrptr_;
        else wr_full_ = true;
      }
      break;
    case mbox_execute: {
      const bool exec = reg(mbox_execute) & 1;
      if (fsm_ == kRdyForData && exec) {
        begin_execute();
        // 2.x: in tap_mode the core's command goes to the debug TAP (not modelled: it
        // never answers) instead of the SoC.
        const bool to_tap = !soc_has_lock_ && def(tap_mode).exists() && (reg(tap_mode) & 1);
        goto_state(soc_has_lock_ ? kExecuteUc : to_tap ? kExecuteTap : kExecuteSoc);
      } else if ((fsm_ == kExecuteUc || fsm_ == kExecuteSoc || fsm_ == kExecuteTap) && !exec) {
        unlock();
      }
      break;
    }
    case mbox_status: {
      const bool not_busy = (reg(mbox_status) & 0xF) != kCmdBusy;
      if (fsm_ == kExecuteUc && soc_has_lock_ && not_busy) {  // the core answers the SoC
        begin_execute();
        goto_state(kExecuteSoc);
      } else if (fsm_ == kExecuteSoc && !soc_has_lock_ && not_busy) {  // the SoC answers the core
        begin_execute();
        goto_state(kExecuteUc);
      }
      break;
    }
    case mbox_unlock:
      if (reg(mbox_unlock) & 1) unlock();
      reg(mbox_unlock) = 0;  // singlepulse
      break;
    default:
      break;
  }
}

BusResult MailboxSramPort::read(uint32_t offset, unsigned size, uint32_t& value, const Requester&) {
  value = 0;
  if (offset + size > mbox_.sram().size()) return BusResult::Unmapped;
  if (mbox_.direct_access_allowed()) value = mbox_.sram().read(offset, size);
  return BusResult::Ok;
}

BusResult MailboxSramPort::write(uint32_t offset, unsigned size, uint32_t value, const Requester&) {
  if (offset + size > mbox_.sram().size()) return BusResult::Unmapped;
  if (mbox_.direct_access_allowed()) mbox_.sram().write(offset, size, value);
  return BusResult::Ok;
}

}  // namespace calemu::caliptra
