// `calemu serve --fw`: the built-in SoC boot (fuses, FUSE_WR_DONE/BOOTFSM_GO, FIRMWARE_LOAD,
// READY_FOR_RUNTIME) as a state machine the server's loop moves forward, so the socket
// servers keep serving while Caliptra boots. A reset starts it over.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "server/host.h"
#include "server/mailbox_port.h"
#include "soc/boot_driver.h"

namespace calemu::server {

// When the built-in boot counts as done.
enum class BootTarget { Runtime, Fmc, FirmwareLoaded };

class BootSequencer {
 public:
  BootSequencer(Host& host, MailboxQueue& mbox, soc::BootOptions opts, std::vector<uint8_t> firmware,
                BootTarget target = BootTarget::Runtime);

  enum class Phase { WaitFuses, WaitReadyForFw, Loading, WaitRuntime, Done, Failed };
  Phase phase() const { return phase_; }
  bool finished() const { return phase_ == Phase::Done || phase_ == Phase::Failed; }
  const std::string& error() const { return error_; }

  void service();   // after every slice and request
  void restart();   // after a reset
  std::function<void(const std::string&)> log;

 private:
  void fail(std::string why);

  Host& host_;
  MailboxQueue& mbox_;
  soc::BootOptions opts_;
  std::vector<uint8_t> fw_;
  BootTarget target_;
  Phase phase_ = Phase::WaitFuses;
  std::string error_;
  uint64_t generation_ = 0;  // a reset makes the answer of an older FIRMWARE_LOAD moot
};

}  // namespace calemu::server
