// A small epoll wrapper: file descriptors with handlers, a wait that returns the ready set
// (so the caller can do work between waking and dispatching), and a thread-safe wake-up.
#pragma once
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

#include <sys/epoll.h>

namespace calemu::server {

class EventLoop {
 public:
  using Handler = std::function<void(uint32_t events)>;

  EventLoop();  // throws std::runtime_error
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  void add(int fd, uint32_t events, Handler handler);
  void modify(int fd, uint32_t events);
  void remove(int fd);  // does not close it

  // Blocks up to timeout_us (-1: no limit, 0: just look) and collects ready descriptors.
  void wait(int64_t timeout_us);
  // Something is ready (wait() collected descriptors not yet dispatched).
  bool has_ready() const { return ready_count_ > 0; }
  // Runs the handlers of what wait() collected; a handler removed meanwhile is skipped.
  void dispatch();
  // From any thread: makes a wait() in progress (or the next one) return.
  void wake();

 private:
  struct Entry {
    uint64_t generation;
    uint32_t events;
    Handler handler;
  };
  int epfd_ = -1;
  int wake_fd_ = -1;
  uint64_t next_generation_ = 1;
  std::unordered_map<int, Entry> entries_;
  std::vector<epoll_event> ready_;
  int ready_count_ = 0;
};

}  // namespace calemu::server
