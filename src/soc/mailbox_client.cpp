#include "soc/mailbox_client.h"

#include <cstdio>

namespace calemu::soc {

namespace {
constexpr uint32_t kLock = 0x3002'0000, kCmd = 0x3002'0008, kDlen = 0x3002'000C, kDatain = 0x3002'0010,
                   kDataout = 0x3002'0014, kExecute = 0x3002'0018, kStatus = 0x3002'001C;
std::string hex(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08x", v);
  return b;
}
}  // namespace

const char* to_string(MboxResult::Status s) {
  switch (s) {
    case MboxResult::Complete: return "CMD_COMPLETE";
    case MboxResult::DataReady: return "DATA_READY";
    case MboxResult::Failure: return "CMD_FAILURE";
    case MboxResult::LockBusy: return "mailbox busy";
    case MboxResult::Timeout: return "timeout";
    case MboxResult::BusError: return "bus error";
    case MboxResult::BadResponse: return "bad response";
  }
  return "?";
}

bool MailboxClient::read(uint32_t addr, uint32_t& v) { return m_.soc_read(addr, v, user_) == bus::BusResult::Ok; }
bool MailboxClient::write(uint32_t addr, uint32_t v) { return m_.soc_write(addr, v, user_) == bus::BusResult::Ok; }

uint32_t MailboxClient::checksum(uint32_t cmd, std::span<const uint8_t> data) {
  uint32_t sum = 0;
  for (unsigned i = 0; i < 4; ++i) sum += (cmd >> (8 * i)) & 0xFF;
  for (uint8_t b : data) sum += b;
  return 0u - sum;
}

MboxResult MailboxClient::execute(uint32_t cmd, std::span<const uint8_t> payload, uint64_t timeout_cycles) {
  MboxResult res;
  auto fail = [&](MboxResult::Status s, std::string msg) {
    res.status = s;
    res.message = std::move(msg);
    return res;
  };
  uint32_t lock = 1;
  const uint64_t deadline = m_.cycles() + timeout_cycles;
  // Reading LOCK acquires it when free; retry while Caliptra holds it.
  while (true) {
    if (!read(kLock, lock)) return fail(MboxResult::BusError, "mailbox LOCK read refused (AXI user " + hex(user_) + " not a valid mailbox user?)");
    if (!(lock & 1)) break;
    if (m_.cycles() >= deadline) return fail(MboxResult::LockBusy, "mailbox stayed locked");
    m_.run(10'000);
  }
  bool ok = write(kCmd, cmd) && write(kDlen, static_cast<uint32_t>(payload.size()));
  for (size_t i = 0; ok && i < payload.size(); i += 4) {
    uint32_t w = 0;
    for (size_t k = 0; k < 4 && i + k < payload.size(); ++k) w |= uint32_t{payload[i + k]} << (8 * k);
    ok = write(kDatain, w);
  }
  ok = ok && write(kExecute, 1);
  if (!ok) return fail(MboxResult::BusError, "mailbox write refused");
  uint32_t status = 0;
  auto not_busy = [&] {
    read(kStatus, status);
    return (status & 0xF) != caliptra::Mailbox::kCmdBusy;
  };
  m_.run(timeout_cycles, not_busy);
  if (!not_busy()) {
    write(kExecute, 0);
    return fail(MboxResult::Timeout, "no response within " + std::to_string(timeout_cycles) + " cycles");
  }
  switch (status & 0xF) {
    case caliptra::Mailbox::kDataReady: {
      res.status = MboxResult::DataReady;
      uint32_t dlen = 0;
      read(kDlen, dlen);
      res.data.reserve(dlen);
      for (uint32_t i = 0; i < dlen; i += 4) {
        uint32_t w = 0;
        read(kDataout, w);
        for (uint32_t k = 0; k < 4 && i + k < dlen; ++k) res.data.push_back(static_cast<uint8_t>(w >> (8 * k)));
      }
      break;
    }
    case caliptra::Mailbox::kCmdComplete: res.status = MboxResult::Complete; break;
    default: res.status = MboxResult::Failure; res.message = "Caliptra answered CMD_FAILURE"; break;
  }
  write(kExecute, 0);
  return res;
}

MboxResult MailboxClient::execute_checked(uint32_t cmd, std::vector<uint8_t> payload, uint64_t timeout_cycles) {
  if (payload.size() < 4) payload.resize(4, 0);
  const uint32_t sum = checksum(cmd, std::span<const uint8_t>(payload).subspan(4));
  for (unsigned i = 0; i < 4; ++i) payload[i] = static_cast<uint8_t>(sum >> (8 * i));
  MboxResult r = execute(cmd, payload, timeout_cycles);
  if (r.status != MboxResult::DataReady) return r;
  // MailboxRespHeader: chksum, fips_status.
  if (r.data.size() < 8) {
    r.status = MboxResult::BadResponse;
    r.message = "response shorter than its 8-byte header";
    return r;
  }
  uint32_t got = 0;
  for (unsigned i = 0; i < 4; ++i) got |= uint32_t{r.data[i]} << (8 * i);
  const uint32_t want = checksum(0, std::span<const uint8_t>(r.data).subspan(4));
  if (got != want) {
    r.status = MboxResult::BadResponse;
    r.message = "response checksum " + hex(got) + " should be " + hex(want);
  }
  return r;
}

}  // namespace calemu::soc
