#include "server/mailbox_port.h"

#include <cstdio>

#include "common/caliptra_errors.h"

namespace calemu::server {

namespace {
// mbox_csr (caliptra-fw-protocol.md §3.1) at its SoC address.
constexpr uint32_t kLock = 0x3002'0000, kCmd = 0x3002'0008, kDlen = 0x3002'000C, kDatain = 0x3002'0010,
                   kDataout = 0x3002'0014, kExecute = 0x3002'0018, kStatus = 0x3002'001C;

std::string hex(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08x", v);
  return b;
}

MboxOutcome failure(ErrorCode code, std::string message) {
  MboxOutcome o;
  o.ok = false;
  o.status = 3;  // CMD_FAILURE is what a legacy client hears
  o.error = code;
  o.message = std::move(message);
  return o;
}
}  // namespace

MailboxPort::Start CaliptraMailboxPort::start(uint32_t cmd, std::span<const uint8_t> data, uint32_t axi_user,
                                              MboxOutcome& fail) {
  user_ = axi_user;
  uint32_t lock = 1;
  if (!read(kLock, lock)) {
    fail = failure(ErrorCode::BusError, "the mailbox refused AXI user " + hex(axi_user) +
                                            ": it is not a valid mailbox user (the SoC locks valid users into "
                                            "CPTRA_MBOX_VALID_PAUSER)");
    return Start::Failed;
  }
  if (lock & 1) return Start::LockBusy;
  bool ok = write(kCmd, cmd) && write(kDlen, static_cast<uint32_t>(data.size()));
  for (size_t i = 0; ok && i < data.size(); i += 4) {
    uint32_t w = 0;
    for (size_t k = 0; k < 4 && i + k < data.size(); ++k) w |= uint32_t{data[i + k]} << (8 * k);
    ok = write(kDatain, w);
  }
  if (!ok || !write(kExecute, 1)) {
    write(kExecute, 0);
    fail = failure(ErrorCode::BusError, "the mailbox refused the command's register writes");
    return Start::Failed;
  }
  return Start::Started;
}

bool CaliptraMailboxPort::poll(MboxOutcome& out) {
  uint32_t status = 0;
  if (!read(kStatus, status)) {
    out = failure(ErrorCode::BusError, "MBOX_STATUS read refused");
    write(kExecute, 0);
    return true;
  }
  if ((status & 0xF) == caliptra::Mailbox::kCmdBusy) return false;
  out = MboxOutcome{};
  out.ok = true;
  out.status = status & 0xF;
  if (out.status == caliptra::Mailbox::kDataReady) {
    uint32_t dlen = 0;
    read(kDlen, dlen);
    if (dlen > max_dlen()) {
      out.message = "Caliptra answered DLEN " + std::to_string(dlen) + ", more than the mailbox holds";
      dlen = max_dlen();
    }
    out.data.reserve(dlen);
    for (uint32_t i = 0; i < dlen; i += 4) {
      uint32_t w = 0;
      read(kDataout, w);
      for (uint32_t k = 0; k < 4 && i + k < dlen; ++k) out.data.push_back(static_cast<uint8_t>(w >> (8 * k)));
    }
  }
  write(kExecute, 0);
  return true;
}

void CaliptraMailboxPort::abort() { write(kExecute, 0); }

// ---------------------------------------------------------------------------------------

MailboxQueue::JobId MailboxQueue::submit(MboxJob job) {
  const JobId id = next_id_++;
  jobs_.push_back(Entry{id, std::move(job), false, m_.cycles(), std::chrono::steady_clock::now()});
  return id;
}

void MailboxQueue::forget(JobId id) {
  for (auto it = jobs_.begin(); it != jobs_.end(); ++it) {
    if (it->id != id) continue;
    if (it->started) it->job.done = nullptr;
    else jobs_.erase(it);
    return;
  }
}

bool MailboxQueue::fatal_reported() const {
  if (is_fatal) return is_fatal();
  return m_.soc_ifc().reg(caliptra::SocIfc::CPTRA_FW_ERROR_FATAL) != 0 || !m_.fatal_message().empty();
}

std::string MailboxQueue::fatal_reason() const {
  if (!m_.fatal_message().empty()) return "Caliptra's core stopped: " + m_.fatal_message();
  const uint32_t code = m_.soc_ifc().reg(caliptra::SocIfc::CPTRA_FW_ERROR_FATAL);
  const auto gen = m_.config().hw == caliptra::HwGen::V1 ? CaliptraGeneration::k1x : CaliptraGeneration::k2x;
  return "Caliptra reported a fatal error: " + describe_error(gen, code);
}

void MailboxQueue::finish_front(MboxOutcome&& out) {
  Entry e = std::move(jobs_.front());
  jobs_.pop_front();
  if (e.job.done) e.job.done(std::move(out));
}

bool MailboxQueue::service(bool core_stuck) {
  bool progressed = false;
  while (!jobs_.empty()) {
    Entry& e = jobs_.front();
    if (!e.started) {
      if (fatal_reported()) {
        finish_front(failure(ErrorCode::CaliptraFatal, fatal_reason()));
        continue;
      }
      MboxOutcome fail;
      const MailboxPort::Start s = port_.start(e.job.cmd, e.job.data, e.job.axi_user, fail);
      if (s == MailboxPort::Start::Failed) {
        finish_front(std::move(fail));
        progressed = true;
        continue;
      }
      if (s == MailboxPort::Start::LockBusy) {
        const bool cycles_out = m_.cycles() - e.since > limits_.lock_cycles;
        const bool wall_out = std::chrono::steady_clock::now() - e.wall_since > limits_.lock_wall;
        if (!cycles_out && !wall_out) return progressed;
        finish_front(failure(ErrorCode::MailboxBusy, std::string("the ") + port_.name() +
                                                         " stayed locked by another requester"));
        progressed = true;
        continue;
      }
      // The core needs time to see the command: look for the answer after the next slice.
      e.started = true;
      e.since = m_.cycles();
      return true;
    }
    MboxOutcome out;
    if (port_.poll(out)) {
      finish_front(std::move(out));
      progressed = true;
      continue;
    }
    std::optional<MboxOutcome> failed;
    if (fatal_reported()) failed = failure(ErrorCode::CaliptraFatal, fatal_reason());
    else if (core_stuck)
      failed = failure(ErrorCode::Timeout, "Caliptra's core sleeps with nothing to wake it; the command will not end");
    else if (m_.cycles() - e.since > limits_.execute_cycles)
      failed = failure(ErrorCode::Timeout, "no answer within " + std::to_string(limits_.execute_cycles) + " cycles");
    if (!failed) return progressed;
    port_.abort();
    finish_front(std::move(*failed));
    progressed = true;
  }
  return progressed;
}

void MailboxQueue::fail_all(ErrorCode code, const std::string& why) {
  if (!jobs_.empty() && jobs_.front().started) port_.abort();
  while (!jobs_.empty()) finish_front(failure(code, why));
}

}  // namespace calemu::server
