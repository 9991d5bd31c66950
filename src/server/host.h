// One Caliptra instance behind the socket servers: it runs the core in short slices between
// socket requests, lets time pass with the wall clock while the core sleeps, applies SoC
// accesses atomically between instructions, and reports boot-state changes.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "caliptra/machine.h"
#include "server/messages.h"

namespace calemu::server {

struct HostConfig {
  caliptra::MachineConfig machine;
  // While the core sleeps (wfi/halt) or is held with an event pending, emulated time follows
  // the wall clock at this rate. 0: jump straight to the next event.
  double idle_clock_mhz = 400;
  // Wall time of one slice of core execution: how long a request may wait while the core runs.
  double slice_us = 4;
  // The slice while no client has sent anything for a while (Host::set_interactive(false)):
  // fewer looks at the sockets, so a boot nobody talks to runs faster.
  double quiet_slice_us = 50;
};

// What the core does, so the loop knows how long it may block on sockets.
enum class Activity { Running, Sleeping, Idle };

class Host {
 public:
  explicit Host(HostConfig cfg);  // throws std::invalid_argument for a bad ROM

  caliptra::Machine& machine() { return *m_; }
  const caliptra::Machine& machine() const { return *m_; }
  caliptra::HwGen hw() const { return m_->config().hw; }

  // ---- SoC-side accesses, applied between two instructions ----
  struct Access {
    bool ok = true;
    ErrorCode error = ErrorCode::BusError;
    std::string message;
  };
  Access apb_read(uint32_t addr, uint32_t axi_user, uint32_t& value);
  Access apb_write(uint32_t addr, uint32_t value, uint32_t axi_user);
  void reset(ResetKind kind);

  // ---- time ----
  Activity activity() const { return activity_; }
  // Microseconds the loop may block on sockets: 0 (run again at once) or -1 (until I/O).
  int64_t wait_budget_us() const;
  // Runs one slice of core time (Running) or lets `blocked_us` of wall time pass on a
  // sleeping core. Afterwards activity() says what comes next.
  void advance(int64_t blocked_us);
  // Something arrived that may wake the core (a request was applied): look again.
  // Clients are talking (short slices) or not (quiet_slice_us).
  void set_interactive(bool on) { interactive_ = on; }
  void poke() { if (activity_ == Activity::Idle) activity_ = Activity::Running; stuck_ = false; }
  // The core sleeps with nothing scheduled, and no request came since.
  bool stuck() const { return stuck_; }

  // ---- boot state ----
  StateInfo state() const;
  // Caliptra reports a fatal error now (not a code left from before the last reset).
  bool fatal() const;
  // Compares with the last report and calls on_event for each change.
  void check_state();
  std::function<void(const Event&)> on_event;
  std::function<void(const std::string&)> log;

 private:
  void run_slice();
  void run_held();
  void classify(caliptra::RunStop stop);
  BootState boot_state() const;

  HostConfig cfg_;
  std::unique_ptr<caliptra::Machine> m_;
  Activity activity_ = Activity::Running;
  bool stuck_ = false;
  bool attention_ = false;
  double cycles_per_us_ = 200;  // adapts to the measured speed
  uint64_t slice_cycles_ = 800;
  bool interactive_ = true;
  StateInfo reported_;
  bool reported_once_ = false;
  // CPTRA_FW_ERROR_FATAL is sticky (cptra_pwrgood): a warm reset keeps its code but clears
  // the cptra_error_fatal pin. Fatal is a code written since the last reset, or a new one.
  uint32_t fatal_at_reset_ = 0;
  bool fatal_written_ = false;
};

uint32_t hw_generation_code(caliptra::HwGen g);  // HELLO_ACK.hw_generation

}  // namespace calemu::server
