#include "server/client.h"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/endpoint.h"

namespace calemu::server {

namespace {
uint32_t max_reply_payload(Protocol p) { return p == Protocol::Cptr ? kQemuCptrMaxReply : kMboxMaxPayload; }
}  // namespace

ServerError::ServerError(ErrorReply e)
    : std::runtime_error(std::string(to_string(e.code)) + (e.message.empty() ? "" : ": " + e.message)),
      reply_(std::move(e)) {}

Client::Client(const std::string& endpoint, Protocol p) : protocol_(p), reader_(p, max_reply_payload(p)) {
  try {
    fd_ = connect_to(parse_endpoint(endpoint));
  } catch (const std::exception& e) {
    throw ClientError(e.what());
  }
}

Client::Client(int connected_fd, Protocol p) : fd_(connected_fd), protocol_(p), reader_(p, max_reply_payload(p)) {}

Client::~Client() { close_fd(); }

Client::Client(Client&& o) noexcept
    : fd_(o.fd_), protocol_(o.protocol_), reader_(std::move(o.reader_)), timeout_(o.timeout_),
      events_(std::move(o.events_)), ack_(std::move(o.ack_)) {
  o.fd_ = -1;
}

Client& Client::operator=(Client&& o) noexcept {
  if (this != &o) {
    close_fd();
    fd_ = o.fd_;
    protocol_ = o.protocol_;
    reader_ = std::move(o.reader_);
    timeout_ = o.timeout_;
    events_ = std::move(o.events_);
    ack_ = std::move(o.ack_);
    o.fd_ = -1;
  }
  return *this;
}

void Client::close_fd() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

void Client::send_frame(uint16_t command, std::span<const uint8_t> payload) {
  const std::vector<uint8_t> frame = encode_frame(protocol_, command, payload);
  size_t off = 0;
  while (off < frame.size()) {
    const ssize_t n = ::send(fd_, frame.data() + off, frame.size() - off, MSG_NOSIGNAL);
    if (n > 0) {
      off += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    throw ClientError(std::string("send: ") + (n < 0 ? std::strerror(errno) : "connection closed"));
  }
}

bool Client::receive_frame(Frame& f, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    switch (reader_.next(f)) {
      case FrameReader::Result::Frame: return true;
      case FrameReader::Result::Error: throw ClientError("bad frame from the server: " + reader_.error_message());
      case FrameReader::Result::NeedMore: break;
    }
    if (timeout.count() > 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      const int r = poll(&p, 1, static_cast<int>(left.count()));
      if (r == 0) return false;
      if (r < 0 && errno != EINTR) throw ClientError(std::string("poll: ") + std::strerror(errno));
      if (r < 0) continue;
    }
    uint8_t buf[65536];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n == 0) throw ClientError("the server closed the connection");
    if (n < 0) {
      if (errno == EINTR) continue;
      throw ClientError(std::string("recv: ") + std::strerror(errno));
    }
    reader_.feed(std::span<const uint8_t>(buf, static_cast<size_t>(n)));
  }
}

Frame Client::receive_reply() {
  for (;;) {
    Frame f;
    if (!receive_frame(f, timeout_)) throw ClientError("no reply from the server within " +
                                                       std::to_string(timeout_.count()) + " ms");
    if (f.command != cmd::kEvent) return f;
    Event e;
    std::string why;
    if (decode_event(f.payload, e, why)) events_.push_back(e);
  }
}

std::vector<uint8_t> Client::request(uint16_t command, std::span<const uint8_t> payload, uint16_t reply_command) {
  send_frame(command, payload);
  Frame f = receive_reply();
  if (f.command == cmd::kError) {
    ErrorReply e;
    std::string why;
    if (!decode_error(f.payload, e, why)) throw ClientError("malformed ERROR frame: " + why);
    throw ServerError(std::move(e));
  }
  if (f.command != reply_command)
    throw ClientError("the server answered " + command_name(protocol_, f.command) + " to " +
                      command_name(protocol_, command));
  return std::move(f.payload);
}

HelloAck Client::hello(uint32_t features, std::optional<uint32_t> axi_user) {
  Hello h;
  h.features = features;
  h.axi_user = axi_user;
  const auto p = request(cmd::kHello, encode_hello(h), cmd::kHelloAck);
  HelloAck a;
  std::string why;
  if (!decode_hello_ack(p, a, why)) throw ClientError(why);
  ack_ = a;
  return a;
}

uint32_t Client::apb_read(uint32_t addr) {
  const auto p = request(cmd::kApbRead, encode_apb_read({addr}), cmd::kApbRdata);
  if (p.size() < 4) throw ClientError("APB_RDATA shorter than 4 bytes");
  return load_le32(p.data());
}

void Client::apb_write(uint32_t addr, uint32_t value) {
  request(cmd::kApbWrite, encode_apb_write({addr, value}), cmd::kApbWack);
}

MboxResponse Client::mbox_execute(uint32_t command, std::span<const uint8_t> data) {
  const auto p = request(cmd::kMboxExecute, encode_mbox_execute(command, data), cmd::kMboxResponse);
  MboxResponse r;
  std::string why;
  if (!decode_mbox_response(p, r, why)) throw ClientError(why);
  return r;
}

StateInfo Client::get_state() {
  const auto p = request(cmd::kGetState, {}, cmd::kState);
  StateInfo s;
  std::string why;
  if (!decode_state(p, s, why)) throw ClientError(why);
  return s;
}

void Client::reset(ResetKind kind) { request(cmd::kReset, encode_u32(static_cast<uint32_t>(kind)), cmd::kResetAck); }

void Client::program_fuses(const std::string& text, uint32_t flags) {
  request(cmd::kFuses, encode_fuses({flags, text}), cmd::kFusesAck);
}

std::optional<Event> Client::next_event(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (events_.empty()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    Frame f;
    if (!receive_frame(f, std::max(left, std::chrono::milliseconds(1)))) return std::nullopt;
    Event e;
    std::string why;
    if (f.command == cmd::kEvent && decode_event(f.payload, e, why)) events_.push_back(e);
    else throw ClientError("unexpected " + command_name(protocol_, f.command) + " while waiting for an event");
    if (left.count() <= 0 && events_.empty()) return std::nullopt;
  }
  Event e = events_.front();
  events_.pop_front();
  return e;
}

bool Client::wait_for_state(BootState target, std::chrono::milliseconds timeout, Event* last) {
  const StateInfo now = get_state();
  const uint32_t code = now.boot_state == BootState::Fatal ? now.fw_error_fatal : 0;
  if (last) *last = Event{static_cast<uint32_t>(now.boot_state), code, now};
  if (now.boot_state == target) return true;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    const std::optional<Event> e = next_event(left);
    if (!e) return false;
    if (last) *last = *e;
    if (e->event == static_cast<uint32_t>(target)) return true;
    if (e->event == static_cast<uint32_t>(BootState::Fatal) || e->event == static_cast<uint32_t>(BootState::Exited))
      return false;
  }
}

}  // namespace calemu::server
