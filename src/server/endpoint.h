// Socket addresses of the servers: "unix:PATH" or "tcp:127.0.0.1:PORT" (loopback only: a
// Root-of-Trust model has no business on a network).
#pragma once
#include <cstdint>
#include <string>

namespace calemu::server {

struct Endpoint {
  enum Kind { Unix, Tcp } kind = Unix;
  std::string path;              // Unix
  std::string host = "127.0.0.1";  // Tcp
  uint16_t port = 0;             // Tcp; 0 when listening picks a free port
  std::string to_string() const;
};

// Throws std::invalid_argument with a message for people.
Endpoint parse_endpoint(const std::string& text);

// A non-blocking listening socket. A stale Unix socket file (nobody listening) is replaced;
// a live one is an error. For TCP port 0, `bound` gets the port the kernel chose.
// Throws std::runtime_error.
int listen_on(const Endpoint& e, Endpoint& bound);
// A blocking connected socket (TCP_NODELAY for TCP). Throws std::runtime_error.
int connect_to(const Endpoint& e);
// Lower latency for small frames on TCP; a no-op on Unix sockets.
void set_low_latency(int fd);

}  // namespace calemu::server
