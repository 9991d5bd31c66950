#include "server/server.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

#include "soc/fuses.h"

namespace calemu::server {

namespace {
constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kOutHighWater = 1u << 20;  // stop taking requests from a client this far behind
constexpr unsigned kLoggedErrorsPerClient = 8;
constexpr uint32_t kMboxLock = 0x3002'0000, kMboxExecute = 0x3002'0018;
constexpr const char* kServerName = "calemu " CALEMU_VERSION_STRING;

std::string hex(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08x", v);
  return b;
}
}  // namespace

struct Server::Connection {
  Connection(uint64_t id_, int fd_, Protocol p, uint32_t user)
      : id(id_), fd(fd_), proto(p), reader(p, max_request_payload(p)), axi_user(user) {}
  size_t pending_out() const { return out.size() - out_off; }

  uint64_t id;
  int fd;
  Protocol proto;
  FrameReader reader;
  std::vector<uint8_t> out;
  size_t out_off = 0;
  bool negotiated = false;
  uint32_t features = 0;
  uint32_t axi_user;
  bool busy = false;  // a mailbox command of this client is queued or running
  MailboxQueue::JobId job = 0;
  std::optional<Frame> held;  // a legacy request waiting for the built-in boot
  bool eof = false;           // the client will send nothing more
  bool closing = false;       // close once the output is flushed
  bool closed = false;
  bool holds_mbox_lock = false;
  unsigned logged_errors = 0;
};

Server::Server(ServerConfig cfg)
    : cfg_(std::move(cfg)),
      host_(cfg_.host),
      port_(host_.machine()),
      mbox_queue_(host_.machine(), port_, cfg_.mbox_limits) {
  host_.log = [this](const std::string& s) { log(s); };
  host_.on_event = [this](const Event& e) { broadcast(e); };
  mbox_queue_.is_fatal = [this] { return host_.fatal(); };
  if (cfg_.firmware) {
    boot_ = std::make_unique<BootSequencer>(host_, mbox_queue_, cfg_.boot, *cfg_.firmware, cfg_.boot_target);
    boot_->log = [this](const std::string& s) { log(s); };
  }
  listen_all();
}

Server::~Server() {
  for (auto& [id, c] : conns_) {
    loop_.remove(c->fd);
    close(c->fd);
  }
  for (int fd : listen_fds_) close(fd);
  for (const auto& list : {cptr_bound_, mbox_bound_})
    for (const auto& e : list)
      if (e.kind == Endpoint::Unix) unlink(e.path.c_str());
}

void Server::log(const std::string& line) const {
  if (cfg_.log) cfg_.log(line);
}

std::string Server::who(const Connection& c) const {
  return std::string(c.proto == Protocol::Cptr ? "cptr" : "mbox") + " client " + std::to_string(c.id);
}

void Server::listen_all() {
  auto add = [&](const Endpoint& e, Protocol p, std::vector<Endpoint>& bound) {
    Endpoint b;
    const int fd = listen_on(e, b);
    listen_fds_.push_back(fd);
    bound.push_back(b);
    loop_.add(fd, EPOLLIN, [this, fd, p](uint32_t) { accept_from(fd, p); });
  };
  for (const auto& e : cfg_.cptr) add(e, Protocol::Cptr, cptr_bound_);
  for (const auto& e : cfg_.mbox) add(e, Protocol::Mbox, mbox_bound_);
}

void Server::accept_from(int listen_fd, Protocol p) {
  for (;;) {
    const int fd = accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN, or a connection that went away before we took it
    set_low_latency(fd);
    auto c = std::make_shared<Connection>(next_conn_id_++, fd, p, cfg_.axi_user);
    ++stats_.connections;
    if (conns_.size() >= cfg_.max_clients) {
      const auto frame = encode_frame(p, cmd::kError,
                                      encode_error({0, ErrorCode::Internal, "too many clients; try again later"}));
      [[maybe_unused]] const ssize_t n = ::send(fd, frame.data(), frame.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      close(fd);
      log(who(*c) + " refused: " + std::to_string(conns_.size()) + " clients already");
      continue;
    }
    conns_[c->id] = c;
    std::weak_ptr<Connection> weak = c;
    loop_.add(fd, EPOLLIN | EPOLLRDHUP, [this, weak](uint32_t ev) {
      if (auto conn = weak.lock()) on_io(conn, ev);
    });
    log(who(*c) + " connected");
  }
}

// ---- I/O --------------------------------------------------------------------------------

void Server::on_io(const ConnPtr& c, uint32_t events) {
  if (events & EPOLLOUT) flush(c);
  if (c->closed) return;
  // Reading pumps the requests; after a flush, requests held back by a full output may go on.
  if (events & (EPOLLIN | EPOLLRDHUP)) read_from(c);
  else pump(c);
  if (c->closed) return;
  if (events & (EPOLLHUP | EPOLLERR)) {
    // Both directions are gone: nobody will read a reply.
    close_conn(c, c->reader.buffered() ? "disconnected in the middle of a frame" : "disconnected");
    return;
  }
  update_interest(c);
}

void Server::read_from(const ConnPtr& c) {
  const size_t limit = max_request_payload(c->proto) + kHeaderSize + kReadChunk;
  uint8_t buf[kReadChunk];
  while (!c->eof && c->reader.buffered() < limit) {
    const ssize_t n = recv(c->fd, buf, sizeof buf, 0);
    if (n > 0) {
      c->reader.feed(std::span<const uint8_t>(buf, static_cast<size_t>(n)));
      // A short read drained the socket: no second recv just to hear EAGAIN (epoll is
      // level-triggered and reports what arrives later).
      if (static_cast<size_t>(n) < sizeof buf) break;
      continue;
    }
    if (n == 0) {
      c->eof = true;
      break;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    if (errno == EINTR) continue;
    close_conn(c, std::string("read failed: ") + std::strerror(errno));
    return;
  }
  pump(c);
}

void Server::flush(const ConnPtr& c) {
  if (c->closed) return;
  while (c->pending_out() > 0) {
    const ssize_t n = ::send(c->fd, c->out.data() + c->out_off, c->pending_out(), MSG_NOSIGNAL);
    if (n > 0) {
      c->out_off += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n < 0 && errno == EINTR) continue;
    close_conn(c, c->eof ? "disconnected" : std::string("write failed: ") + std::strerror(errno));
    return;
  }
  if (c->pending_out() == 0) {
    c->out.clear();
    c->out_off = 0;
    if (c->closing) close_conn(c, "closed after an error reply");
  }
}

void Server::update_interest(const ConnPtr& c) {
  if (c->closed) return;
  uint32_t ev = 0;
  const size_t limit = max_request_payload(c->proto) + kHeaderSize;
  if (!c->eof && !c->closing && c->reader.buffered() < limit) ev |= EPOLLIN | EPOLLRDHUP;
  if (c->pending_out() > 0) ev |= EPOLLOUT;
  loop_.modify(c->fd, ev);
}

void Server::close_conn(const ConnPtr& c, const std::string& why) {
  if (c->closed) return;
  c->closed = true;
  loop_.remove(c->fd);
  close(c->fd);
  if (c->busy) mbox_queue_.forget(c->job);
  std::string note;
  if (c->holds_mbox_lock && host_.machine().mailbox().soc_has_lock())
    note = "; it left the mailbox locked (it read LOCK and never wrote EXECUTE=0)";
  log(who(*c) + " " + why + note);
  conns_.erase(c->id);
}

void Server::send(const ConnPtr& c, uint16_t command, std::span<const uint8_t> payload) {
  if (c->closed) return;
  append_header(c->out, Header{magic_of(c->proto), kWireVersion, command, static_cast<uint32_t>(payload.size())});
  c->out.insert(c->out.end(), payload.begin(), payload.end());
  if (c->pending_out() > cfg_.max_output_bytes) {
    ++stats_.dropped;
    close_conn(c, "dropped: it does not read its replies (" + std::to_string(c->pending_out()) + " bytes waiting)");
    return;
  }
  flush(c);
}

void Server::send_error(const ConnPtr& c, uint16_t command, ErrorCode code, const std::string& message) {
  ++stats_.errors;
  if (c->logged_errors++ < kLoggedErrorsPerClient)
    log(who(*c) + ": " + command_name(c->proto, command) + " failed: " + to_string(code) + ": " + message);
  send(c, cmd::kError, encode_error({command, code, message}));
}

void Server::broadcast(const Event& e) {
  log("event " + event_name(e.event) + (e.code ? " code " + hex(e.code) : std::string()));
  const auto payload = encode_event(e);
  std::vector<ConnPtr> targets;
  for (auto& [id, c] : conns_)
    if (c->negotiated && (c->features & kFeatureEvents)) targets.push_back(c);
  for (auto& c : targets) send(c, cmd::kEvent, payload);
}

// ---- requests ---------------------------------------------------------------------------

bool Server::held_by_boot(const Connection& c, const Frame& f) const {
  return boot_ && !boot_->finished() && !c.negotiated && f.command != cmd::kHello;
}

void Server::pump(const ConnPtr& c) {
  while (!c->closed && !c->closing && !c->busy && c->pending_out() < kOutHighWater) {
    Frame f;
    if (c->held) {
      if (held_by_boot(*c, *c->held)) break;
      f = std::move(*c->held);
      c->held.reset();
    } else {
      const FrameReader::Result r = c->reader.next(f);
      if (r == FrameReader::Result::NeedMore) break;
      if (r == FrameReader::Result::Error) {
        send_error(c, 0, c->reader.error(), c->reader.error_message());
        c->closing = true;  // the byte stream cannot be trusted any more
        flush(c);
        break;
      }
      if (held_by_boot(*c, f)) {
        c->held = std::move(f);
        break;
      }
    }
    ++stats_.requests;
    last_request_ = std::chrono::steady_clock::now();
    handle(c, std::move(f));
  }
  if (c->closed) return;
  if (c->eof && !c->busy && !c->held && !c->closing) {
    if (c->reader.buffered()) log(who(*c) + " closed its end in the middle of a frame");
    c->closing = true;
    flush(c);
    if (c->closed) return;
  }
  update_interest(c);
}

void Server::handle(const ConnPtr& c, Frame&& f) {
  switch (f.command) {
    case cmd::kHello: return handle_hello(c, f);
    case cmd::kGetState:
    case cmd::kReset:
    case cmd::kFuses:
      if (!c->negotiated) return send_error(c, f.command, ErrorCode::NotNegotiated, "send HELLO first");
      if (f.command == cmd::kGetState) return handle_get_state(c);
      if (f.command == cmd::kReset) return handle_reset(c, f);
      return handle_fuses(c, f);
    default: break;
  }
  if (c->proto == Protocol::Cptr && f.command == cmd::kApbRead) return handle_apb_read(c, f);
  if (c->proto == Protocol::Cptr && f.command == cmd::kApbWrite) return handle_apb_write(c, f);
  if (c->proto == Protocol::Mbox && f.command == cmd::kMboxExecute) return handle_mbox_execute(c, f);
  send_error(c, f.command, ErrorCode::UnknownCommand,
             std::string("the ") + to_string(c->proto) + " server does not take " + command_name(c->proto, f.command));
}

void Server::handle_hello(const ConnPtr& c, const Frame& f) {
  Hello h;
  std::string why;
  if (!decode_hello(f.payload, h, why)) return send_error(c, f.command, ErrorCode::BadLength, why);
  if (h.revision == 0) return send_error(c, f.command, ErrorCode::BadArgument, "extension revision 0 does not exist");
  c->negotiated = true;
  c->features = h.features & kAllFeatures;
  if (h.axi_user) c->axi_user = *h.axi_user;
  HelloAck a;
  a.features = c->features;
  a.hw_generation = hw_generation_code(host_.hw());
  a.axi_user = c->axi_user;
  a.state = host_.state();
  a.server = kServerName;
  send(c, cmd::kHelloAck, encode_hello_ack(a));
}

void Server::handle_get_state(const ConnPtr& c) { send(c, cmd::kState, encode_state(host_.state())); }

void Server::handle_reset(const ConnPtr& c, const Frame& f) {
  uint32_t kind = 0;
  std::string why;
  if (!decode_u32(f.payload, kind, why)) return send_error(c, f.command, ErrorCode::BadLength, why);
  if (kind != static_cast<uint32_t>(ResetKind::Cold) && kind != static_cast<uint32_t>(ResetKind::Warm))
    return send_error(c, f.command, ErrorCode::BadArgument, "reset kind " + std::to_string(kind) + " (1 cold, 2 warm)");
  log(who(*c) + " asked for a " + (kind == 1 ? "cold" : "warm") + " reset");
  mbox_queue_.fail_all(ErrorCode::Reset, "Caliptra was reset");
  host_.reset(static_cast<ResetKind>(kind));
  for (auto& [id, other] : conns_) other->holds_mbox_lock = false;
  if (boot_) {
    boot_->restart();
    boot_was_finished_ = false;
  }
  send(c, cmd::kResetAck, encode_u32(kind));
}

void Server::handle_fuses(const ConnPtr& c, const Frame& f) {
  FusesRequest req;
  std::string why;
  if (!decode_fuses(f.payload, req, why)) return send_error(c, f.command, ErrorCode::BadLength, why);
  soc::BootOptions opts = cfg_.boot;
  opts.soc_user = c->axi_user;
  try {
    opts.fuses = soc::parse_fuse_file(req.text, soc::Fuses::defaults());
  } catch (const std::exception& e) {
    return send_error(c, f.command, ErrorCode::BadArgument, e.what());
  }
  caliptra::Machine& m = host_.machine();
  if (!m.soc_ifc().ready_for_fuses())
    return send_error(c, f.command, ErrorCode::NotReady,
                      std::string("Caliptra does not take fuses now (boot state ") + to_string(host_.state().boot_state) +
                          "); fuses are written after a cold reset, before FUSE_WR_DONE");
  soc::BootDriver d(m, opts);
  const bool ok = d.program_fuses() && (!(req.flags & kFusesStart) || d.start());
  host_.poke();
  if (!ok) return send_error(c, f.command, ErrorCode::BusError, d.error().message);
  log(who(*c) + " programmed the fuses" + (req.flags & kFusesStart ? " and started the boot" : ""));
  send(c, cmd::kFusesAck, {});
}

void Server::handle_apb_read(const ConnPtr& c, const Frame& f) {
  ApbRead r;
  std::string why;
  if (!decode_apb_read(f.payload, r, why)) return send_error(c, f.command, ErrorCode::BadLength, why);
  uint32_t value = 0;
  const Host::Access a = host_.apb_read(r.addr, c->axi_user, value);
  if (a.ok) {
    if (r.addr == kMboxLock && !(value & 1)) c->holds_mbox_lock = true;
    return send(c, cmd::kApbRdata, encode_apb_rdata(value));
  }
  if (c->features & kFeatureErrors) return send_error(c, f.command, a.error, a.message);
  ++stats_.errors;
  if (c->logged_errors++ < kLoggedErrorsPerClient)
    log(who(*c) + ": APB read of " + hex(r.addr) + " failed (" + a.message + "); answered " + hex(kApbErrorData));
  send(c, cmd::kApbRdata, encode_apb_rdata(kApbErrorData));
}

void Server::handle_apb_write(const ConnPtr& c, const Frame& f) {
  ApbWrite w;
  std::string why;
  if (!decode_apb_write(f.payload, w, why)) return send_error(c, f.command, ErrorCode::BadLength, why);
  const Host::Access a = host_.apb_write(w.addr, w.data, c->axi_user);
  if (a.ok) {
    if (w.addr == kMboxExecute && w.data == 0) c->holds_mbox_lock = false;
    return send(c, cmd::kApbWack, {});
  }
  if (c->features & kFeatureErrors) return send_error(c, f.command, a.error, a.message);
  ++stats_.errors;
  if (c->logged_errors++ < kLoggedErrorsPerClient)
    log(who(*c) + ": APB write of " + hex(w.data) + " to " + hex(w.addr) + " failed (" + a.message + ")");
  send(c, cmd::kApbWack, {});
}

void Server::handle_mbox_execute(const ConnPtr& c, const Frame& f) {
  MboxExecute x;
  std::string why;
  if (!decode_mbox_execute(f.payload, x, why)) return send_error(c, f.command, ErrorCode::BadLength, why);
  if (x.dlen > port_.max_dlen())
    return fail_mbox(c, ErrorCode::TooLarge, "DLEN " + std::to_string(x.dlen) + " is larger than the " + port_.name() + " (" +
                                         std::to_string(port_.max_dlen()) + " bytes)");
  MboxJob job;
  job.cmd = x.cmd;
  job.data = std::move(x.data);
  job.axi_user = c->axi_user;
  job.requester = who(*c);
  std::weak_ptr<Connection> weak = c;
  job.done = [this, weak](MboxOutcome&& out) {
    auto conn = weak.lock();
    if (!conn || conn->closed) return;
    conn->busy = false;
    to_pump_.insert(conn->id);
    if (out.ok) return send(conn, cmd::kMboxResponse, encode_mbox_response(out.status, out.data));
    fail_mbox(conn, out.error, out.message);
  };
  c->busy = true;
  c->job = mbox_queue_.submit(std::move(job));
}

// A failed mailbox command: an ERROR frame for clients that asked for them, else the
// CMD_FAILURE response QEMU's frontend turns into the guest-visible status.
void Server::fail_mbox(const ConnPtr& c, ErrorCode code, const std::string& msg) {
  if (c->features & kFeatureErrors) return send_error(c, cmd::kMboxExecute, code, msg);
  ++stats_.errors;
  if (c->logged_errors++ < kLoggedErrorsPerClient)
    log(who(*c) + ": mailbox command failed (" + std::string(to_string(code)) + ": " + msg + "); answered CMD_FAILURE");
  send(c, cmd::kMboxResponse, encode_mbox_response(kMboxCmdFailure, {}));
}

// ---- the loop -----------------------------------------------------------------------------

void Server::service() {
  if (boot_) boot_->service();
  if (mbox_queue_.service(host_.stuck())) host_.poke();
  if (boot_) boot_->service();
  host_.check_state();
  if (boot_ && boot_->finished() && !boot_was_finished_) {
    boot_was_finished_ = true;
    log(boot_->phase() == BootSequencer::Phase::Done ? "boot done; serving every client"
                                                     : "boot failed; serving every client anyway");
    for (auto& [id, c] : conns_) to_pump_.insert(id);
  }
  std::set<uint64_t> pump_now;
  pump_now.swap(to_pump_);
  for (uint64_t id : pump_now) {
    auto it = conns_.find(id);
    if (it != conns_.end()) pump(ConnPtr(it->second));
  }
}

int Server::run() {
  for (const auto& e : cptr_bound_) log("CPTR server on " + e.to_string());
  for (const auto& e : mbox_bound_) log("MBOX server on " + e.to_string());
  while (!stop_.load(std::memory_order_relaxed)) {
    service();
    if (exit_on_boot_failure && boot_ && boot_->phase() == BootSequencer::Phase::Failed) return 1;
    int64_t budget = host_.wait_budget_us();
    if (!to_pump_.empty()) budget = 0;
    // Waiting for the mailbox lock is timed by the wall clock too: look again now and then.
    if (!mbox_queue_.empty() && (budget < 0 || budget > 50'000)) budget = 50'000;
    const auto t0 = std::chrono::steady_clock::now();
    wait_for_io(t0, budget);
    const auto blocked = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
    if (host_.activity() == Activity::Sleeping) host_.advance(blocked.count());
    loop_.dispatch();
    host_.set_interactive(std::chrono::steady_clock::now() - last_request_ <
                          std::chrono::milliseconds(cfg_.interactive_ms));
    if (host_.activity() == Activity::Running) host_.advance(0);
  }
  return 0;
}

// Blocks up to budget_us (-1: until I/O) in epoll, after polling without blocking for what is
// left of the poll window that follows each request.
void Server::wait_for_io(std::chrono::steady_clock::time_point now, int64_t budget_us) {
  using std::chrono::microseconds;
  const auto spin_end = last_request_ + microseconds(cfg_.poll_us);
  if (budget_us == 0 || cfg_.poll_us <= 0 || now >= spin_end) return loop_.wait(budget_us);
  const auto deadline = budget_us < 0 ? spin_end : std::min(spin_end, now + microseconds(budget_us));
  do {
    loop_.wait(0);
    if (loop_.has_ready()) return;
  } while (std::chrono::steady_clock::now() < deadline);
  if (budget_us < 0) return loop_.wait(-1);
  const auto left = std::chrono::duration_cast<microseconds>(now + microseconds(budget_us) -
                                                             std::chrono::steady_clock::now()).count();
  if (left > 0) loop_.wait(left);
}

void Server::stop() {
  stop_.store(true, std::memory_order_relaxed);
  loop_.wake();
}

}  // namespace calemu::server
