#include "server/endpoint.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace calemu::server {

namespace {

std::runtime_error sys_error(const std::string& what) { return std::runtime_error(what + ": " + std::strerror(errno)); }

sockaddr_un unix_address(const std::string& path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof a.sun_path)
    throw std::invalid_argument("Unix socket path '" + path + "' is empty or longer than " +
                                std::to_string(sizeof a.sun_path - 1) + " bytes");
  std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
  return a;
}

sockaddr_in tcp_address(const Endpoint& e) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(e.port);
  const std::string host = e.host == "localhost" ? "127.0.0.1" : e.host;
  if (inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1)
    throw std::invalid_argument("'" + e.host + "' is not an IPv4 address");
  if ((ntohl(a.sin_addr.s_addr) >> 24) != 127)
    throw std::invalid_argument("calemu serves loopback addresses only (127.0.0.0/8), not " + e.host);
  return a;
}

// A path that holds a socket nobody listens on is left over from a previous run.
void remove_stale_socket(const std::string& path) {
  struct stat st{};
  if (lstat(path.c_str(), &st) != 0) return;
  if (!S_ISSOCK(st.st_mode)) throw std::runtime_error(path + " exists and is not a socket");
  const int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (probe < 0) throw sys_error("socket");
  const sockaddr_un a = unix_address(path);
  const bool live = connect(probe, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0;
  close(probe);
  if (live) throw std::runtime_error("another server is listening on " + path);
  unlink(path.c_str());
}

}  // namespace

std::string Endpoint::to_string() const {
  return kind == Unix ? "unix:" + path : "tcp:" + host + ":" + std::to_string(port);
}

Endpoint parse_endpoint(const std::string& text) {
  Endpoint e;
  if (text.rfind("unix:", 0) == 0) {
    e.kind = Endpoint::Unix;
    e.path = text.substr(5);
    unix_address(e.path);  // validates the length
    return e;
  }
  if (text.rfind("tcp:", 0) == 0) {
    const std::string rest = text.substr(4);
    const size_t colon = rest.rfind(':');
    if (colon == std::string::npos) throw std::invalid_argument("'" + text + "': expected tcp:HOST:PORT");
    e.kind = Endpoint::Tcp;
    e.host = rest.substr(0, colon);
    const std::string port = rest.substr(colon + 1);
    char* end = nullptr;
    const unsigned long p = std::strtoul(port.c_str(), &end, 10);
    if (port.empty() || *end || p > 65535) throw std::invalid_argument("'" + port + "' is not a TCP port");
    e.port = static_cast<uint16_t>(p);
    tcp_address(e);  // validates the host
    return e;
  }
  if (!text.empty() && (text[0] == '/' || text[0] == '.')) {
    e.kind = Endpoint::Unix;
    e.path = text;
    unix_address(e.path);
    return e;
  }
  throw std::invalid_argument("'" + text + "': expected unix:PATH or tcp:127.0.0.1:PORT");
}

void set_low_latency(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // fails harmlessly on Unix sockets
}

int listen_on(const Endpoint& e, Endpoint& bound) {
  bound = e;
  int fd = -1;
  if (e.kind == Endpoint::Unix) {
    const sockaddr_un a = unix_address(e.path);
    remove_stale_socket(e.path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) throw sys_error("socket");
    if (bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
      const auto err = sys_error("bind " + e.path);
      close(fd);
      throw err;
    }
  } else {
    const sockaddr_in a = tcp_address(e);
    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) throw sys_error("socket");
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
      const auto err = sys_error("bind " + e.to_string());
      close(fd);
      throw err;
    }
    sockaddr_in got{};
    socklen_t len = sizeof got;
    getsockname(fd, reinterpret_cast<sockaddr*>(&got), &len);
    bound.port = ntohs(got.sin_port);
  }
  if (listen(fd, 16) != 0) {
    const auto err = sys_error("listen " + e.to_string());
    close(fd);
    throw err;
  }
  return fd;
}

int connect_to(const Endpoint& e) {
  int fd = -1;
  int rc = -1;
  if (e.kind == Endpoint::Unix) {
    const sockaddr_un a = unix_address(e.path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw sys_error("socket");
    rc = connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a);
  } else {
    const sockaddr_in a = tcp_address(e);
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw sys_error("socket");
    rc = connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a);
  }
  if (rc != 0) {
    const auto err = sys_error("connect to " + e.to_string());
    close(fd);
    throw err;
  }
  set_low_latency(fd);
  return fd;
}

}  // namespace calemu::server
