// The SoC side of a mailbox, split into steps so that the server's loop can keep the core
// running and other clients served while a command executes. MailboxPort is the target
// (Caliptra's own mailbox now; the MCU mailbox of the 2.x subsystem later); MailboxQueue
// runs commands from several requesters one at a time, in arrival order.
#pragma once
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "caliptra/machine.h"
#include "server/frame.h"

namespace calemu::server {

struct MboxOutcome {
  bool ok = false;                 // the mailbox handshake completed (status below is valid)
  uint32_t status = 0;             // MBOX_STATUS[3:0] as the target left it
  std::vector<uint8_t> data;       // DATA_READY response bytes
  ErrorCode error = ErrorCode::Internal;  // when !ok
  std::string message;             // when !ok, or a note for people
};

class MailboxPort {
 public:
  virtual ~MailboxPort() = default;
  virtual const char* name() const = 0;
  virtual uint32_t max_dlen() const = 0;  // the mailbox SRAM size

  enum class Start { Started, LockBusy, Failed };
  // Tries to take the lock as `axi_user` and hand the command over (CMD, DLEN, data,
  // EXECUTE). Failed fills `fail`.
  virtual Start start(uint32_t cmd, std::span<const uint8_t> data, uint32_t axi_user, MboxOutcome& fail) = 0;
  // After Started: true once the target answered; `out` then holds the answer and the
  // mailbox is released.
  virtual bool poll(MboxOutcome& out) = 0;
  // Gives up on the command in progress and releases the mailbox.
  virtual void abort() = 0;
};

// Caliptra's mailbox over the SoC interface (caliptra-fw-protocol.md §3.2).
class CaliptraMailboxPort final : public MailboxPort {
 public:
  explicit CaliptraMailboxPort(caliptra::Machine& m) : m_(m) {}
  const char* name() const override { return "Caliptra mailbox"; }
  uint32_t max_dlen() const override { return m_.map().mbox_sram_size; }
  Start start(uint32_t cmd, std::span<const uint8_t> data, uint32_t axi_user, MboxOutcome& fail) override;
  bool poll(MboxOutcome& out) override;
  void abort() override;

 private:
  bool read(uint32_t addr, uint32_t& v) { return m_.soc_read(addr, v, user_) == bus::BusResult::Ok; }
  bool write(uint32_t addr, uint32_t v) { return m_.soc_write(addr, v, user_) == bus::BusResult::Ok; }

  caliptra::Machine& m_;
  uint32_t user_ = 0;
};

// One command waiting for or using the mailbox.
struct MboxJob {
  uint32_t cmd = 0;
  std::vector<uint8_t> data;
  uint32_t axi_user = 1;
  std::function<void(MboxOutcome&&)> done;  // null once the requester went away
  std::string requester;                     // for the log
};

class MailboxQueue {
 public:
  struct Limits {
    uint64_t lock_cycles = 100'000'000;       // waiting for the lock...
    std::chrono::milliseconds lock_wall{10'000};  // ...or this long while the core sleeps
    uint64_t execute_cycles = 2'000'000'000;  // waiting for the answer
  };
  MailboxQueue(caliptra::Machine& m, MailboxPort& port, Limits limits) : m_(m), port_(port), limits_(limits) {}

  using JobId = uint64_t;
  JobId submit(MboxJob job);
  // Drops a job that has not started; a started one runs to its end with no one to tell.
  void forget(JobId id);
  // Moves the queue forward; call after every slice of core time and every request.
  // core_stuck: the core sleeps with nothing to wake it, so a busy command will never end.
  // True when a command was handed over or ended (the core may have something to do).
  bool service(bool core_stuck);
  // Fails every job (e.g. on reset): started ones are aborted first.
  void fail_all(ErrorCode code, const std::string& why);
  bool empty() const { return jobs_.empty(); }
  // Whether Caliptra reports a fatal error now; by default CPTRA_FW_ERROR_FATAL != 0.
  std::function<bool()> is_fatal;
  size_t size() const { return jobs_.size(); }

 private:
  struct Entry {
    JobId id;
    MboxJob job;
    bool started = false;
    uint64_t since = 0;  // cycle of submission / start
    std::chrono::steady_clock::time_point wall_since;
  };
  void finish_front(MboxOutcome&& out);
  bool fatal_reported() const;
  std::string fatal_reason() const;

  caliptra::Machine& m_;
  MailboxPort& port_;
  Limits limits_;
  std::deque<Entry> jobs_;
  JobId next_id_ = 1;
};

}  // namespace calemu::server
