// The client side of the CPTR and MBOX protocols: blocking calls that send one request
// and return its reply. Events that arrive meanwhile are kept for next_event(). Used by
// `calemu mbox`, the tests and benchmarks; include/calemu_client.h is its C face.
#pragma once
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "server/frame.h"
#include "server/messages.h"

namespace calemu::server {

// The connection failed or the server said something this client does not understand.
class ClientError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The server answered with an ERROR frame.
class ServerError : public std::runtime_error {
 public:
  explicit ServerError(ErrorReply e);
  ErrorCode code() const { return reply_.code; }
  const ErrorReply& reply() const { return reply_; }

 private:
  ErrorReply reply_;
};

class Client {
 public:
  Client(const std::string& endpoint, Protocol p);  // "unix:PATH" or "tcp:127.0.0.1:PORT"
  Client(int connected_fd, Protocol p);             // takes ownership
  ~Client();
  Client(Client&& o) noexcept;
  Client& operator=(Client&& o) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  Protocol protocol() const { return protocol_; }
  int fd() const { return fd_; }
  // How long to wait for each reply (0: forever).
  void set_timeout(std::chrono::milliseconds t) { timeout_ = t; }

  HelloAck hello(uint32_t features = kFeatureEvents | kFeatureErrors, std::optional<uint32_t> axi_user = {});
  const std::optional<HelloAck>& hello_ack() const { return ack_; }

  // CPTR
  uint32_t apb_read(uint32_t addr);
  void apb_write(uint32_t addr, uint32_t value);
  // MBOX: the raw mailbox transaction (no checksum handling; see mbox_commands.h).
  MboxResponse mbox_execute(uint32_t cmd, std::span<const uint8_t> data);

  // Extensions (after hello()).
  StateInfo get_state();
  void reset(ResetKind kind);
  void program_fuses(const std::string& text, uint32_t flags = 0);

  // The next event, waiting up to `timeout` (0: only what already arrived).
  std::optional<Event> next_event(std::chrono::milliseconds timeout);
  // Waits for an event whose state is `target` (true), Fatal or Exited (false; `last` says).
  bool wait_for_state(BootState target, std::chrono::milliseconds timeout, Event* last = nullptr);

  // One request and its reply (any command; EVENT frames are queued, ERROR throws).
  std::vector<uint8_t> request(uint16_t command, std::span<const uint8_t> payload, uint16_t reply_command);
  void send_frame(uint16_t command, std::span<const uint8_t> payload);
  // The next frame that is not an EVENT.
  Frame receive_reply();

 private:
  bool receive_frame(Frame& f, std::chrono::milliseconds timeout);  // false: timed out
  void close_fd();

  int fd_ = -1;
  Protocol protocol_;
  FrameReader reader_;
  std::chrono::milliseconds timeout_{0};
  std::deque<Event> events_;
  std::optional<HelloAck> ack_;
};

}  // namespace calemu::server
