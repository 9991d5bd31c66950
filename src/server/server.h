// `calemu serve`: one Caliptra instance behind CPTR (APB register level, QEMU RFC v2) and
// MBOX (mailbox command level, QEMU AST1040) socket servers, with the calemu extensions
// (HELLO, boot-state events, reset, fuses, explicit errors). docs/protocol.md has the wire
// format; docs/qemu.md how QEMU uses it.
//
// A single thread runs everything: the core executes in short slices, and between slices
// the server accepts connections and applies requests, each atomically between two
// instructions. When the core sleeps the thread blocks in epoll.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "server/boot_sequencer.h"
#include "server/endpoint.h"
#include "server/event_loop.h"
#include "server/frame.h"
#include "server/host.h"
#include "server/mailbox_port.h"
#include "server/messages.h"
#include "soc/boot_driver.h"

namespace calemu::server {

struct ServerConfig {
  HostConfig host;
  std::vector<Endpoint> cptr, mbox;
  // --fw: the server owns the SoC side of the boot; clients that did not say HELLO are
  // served once it is done (as QEMU RFC v2 expects a booted Caliptra).
  std::optional<std::vector<uint8_t>> firmware;
  soc::BootOptions boot;
  BootTarget boot_target = BootTarget::Runtime;
  uint32_t axi_user = 1;  // AXI user of client accesses unless a HELLO names another
  MailboxQueue::Limits mbox_limits;
  size_t max_clients = 64;
  size_t max_output_bytes = 16u << 20;  // a client that reads nothing is dropped beyond this
  // After a request, look at the sockets without blocking for this long before sleeping in
  // epoll: a client's next request (a guest's next register access) usually follows within
  // microseconds, and waking a blocked thread costs more than serving it. 0: never spin.
  int64_t poll_us = 50;
  // A client that sent a request within this long keeps the core in short slices
  // (HostConfig::slice_us); after it, slices grow to HostConfig::quiet_slice_us.
  int64_t interactive_ms = 20;
  std::function<void(const std::string&)> log;  // one line per call, no newline
};

class Server {
 public:
  explicit Server(ServerConfig cfg);  // binds every endpoint; throws on failure
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Serves until stop(). Returns 0, or nonzero when the built-in boot failed and
  // exit_on_boot_failure was set.
  int run();
  void stop();  // from any thread or a signal-safe context (writes an eventfd)

  // Where the servers listen (TCP port 0 resolved to the real port).
  const std::vector<Endpoint>& cptr_endpoints() const { return cptr_bound_; }
  const std::vector<Endpoint>& mbox_endpoints() const { return mbox_bound_; }
  Host& host() { return host_; }
  const BootSequencer* boot() const { return boot_.get(); }
  bool exit_on_boot_failure = false;

  struct Stats {
    uint64_t connections = 0, requests = 0, errors = 0, dropped = 0;
  };
  const Stats& stats() const { return stats_; }

 private:
  struct Connection;
  using ConnPtr = std::shared_ptr<Connection>;

  void listen_all();
  void accept_from(int listen_fd, Protocol p);
  void on_io(const ConnPtr& c, uint32_t events);
  void read_from(const ConnPtr& c);
  void flush(const ConnPtr& c);
  void update_interest(const ConnPtr& c);
  void close_conn(const ConnPtr& c, const std::string& why);
  void pump(const ConnPtr& c);
  bool held_by_boot(const Connection& c, const Frame& f) const;
  void handle(const ConnPtr& c, Frame&& f);
  void handle_hello(const ConnPtr& c, const Frame& f);
  void handle_get_state(const ConnPtr& c);
  void handle_reset(const ConnPtr& c, const Frame& f);
  void handle_fuses(const ConnPtr& c, const Frame& f);
  void handle_apb_read(const ConnPtr& c, const Frame& f);
  void handle_apb_write(const ConnPtr& c, const Frame& f);
  void handle_mbox_execute(const ConnPtr& c, const Frame& f);
  void fail_mbox(const ConnPtr& c, ErrorCode code, const std::string& msg);
  void send(const ConnPtr& c, uint16_t command, std::span<const uint8_t> payload);
  void send_error(const ConnPtr& c, uint16_t command, ErrorCode code, const std::string& message);
  void broadcast(const Event& e);
  void service();
  void wait_for_io(std::chrono::steady_clock::time_point now, int64_t budget_us);
  void log(const std::string& line) const;
  std::string who(const Connection& c) const;

  ServerConfig cfg_;
  Host host_;
  CaliptraMailboxPort port_;
  MailboxQueue mbox_queue_;
  std::unique_ptr<BootSequencer> boot_;
  bool boot_was_finished_ = false;
  EventLoop loop_;
  std::vector<int> listen_fds_;
  std::vector<Endpoint> cptr_bound_, mbox_bound_;
  std::map<uint64_t, ConnPtr> conns_;
  std::set<uint64_t> to_pump_;
  uint64_t next_conn_id_ = 1;
  std::chrono::steady_clock::time_point last_request_{};
  std::atomic<bool> stop_{false};
  Stats stats_;
};

}  // namespace calemu::server
