// The SoC side of the Caliptra mailbox protocol (caliptra-fw-protocol.md §3.2): lock,
// command, length, data, execute, wait for the status, collect the response, release.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "caliptra/machine.h"

namespace calemu::soc {

struct MboxResult {
  enum Status { Complete, DataReady, Failure, LockBusy, Timeout, BusError, BadResponse } status = Complete;
  std::vector<uint8_t> data;   // response bytes (DataReady)
  std::string message;         // what went wrong, for people
  bool ok() const { return status == Complete || status == DataReady; }
};
const char* to_string(MboxResult::Status s);

class MailboxClient {
 public:
  MailboxClient(caliptra::Machine& m, uint32_t axi_user) : m_(m), user_(axi_user) {}

  // Raw command: the payload goes through DATAIN as little-endian words.
  MboxResult execute(uint32_t cmd, std::span<const uint8_t> payload, uint64_t timeout_cycles = 400'000'000);
  // A Caliptra request: fills the 4-byte checksum at payload[0..3] and checks the
  // response checksum and FIPS status (MailboxRespHeader).
  MboxResult execute_checked(uint32_t cmd, std::vector<uint8_t> payload, uint64_t timeout_cycles = 400'000'000);

  // chksum = 0 - (sum of the bytes of cmd (little-endian) and of data) (§3.3).
  static uint32_t checksum(uint32_t cmd, std::span<const uint8_t> data);

 private:
  bool read(uint32_t addr, uint32_t& v);
  bool write(uint32_t addr, uint32_t v);

  caliptra::Machine& m_;
  uint32_t user_;
};

}  // namespace calemu::soc
