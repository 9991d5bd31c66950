#include "server/event_loop.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <sys/eventfd.h>
#include <unistd.h>

namespace calemu::server {

namespace {
uint64_t pack(uint64_t generation, int fd) { return generation << 32 | static_cast<uint32_t>(fd); }
}  // namespace

EventLoop::EventLoop() : ready_(64) {
  epfd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epfd_ < 0 || wake_fd_ < 0) throw std::runtime_error(std::string("epoll/eventfd: ") + std::strerror(errno));
  add(wake_fd_, EPOLLIN, [this](uint32_t) {
    uint64_t n = 0;
    while (read(wake_fd_, &n, sizeof n) == sizeof n) {}
  });
}

EventLoop::~EventLoop() {
  if (wake_fd_ >= 0) close(wake_fd_);
  if (epfd_ >= 0) close(epfd_);
}

void EventLoop::add(int fd, uint32_t events, Handler handler) {
  const uint64_t gen = next_generation_++;
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = pack(gen, fd);
  if (epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) != 0)
    throw std::runtime_error(std::string("epoll_ctl add: ") + std::strerror(errno));
  entries_[fd] = Entry{gen, events, std::move(handler)};
}

void EventLoop::modify(int fd, uint32_t events) {
  auto it = entries_.find(fd);
  if (it == entries_.end() || it->second.events == events) return;
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = pack(it->second.generation, fd);
  if (epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &ev) == 0) it->second.events = events;
}

void EventLoop::remove(int fd) {
  if (entries_.erase(fd)) epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr);
}

void EventLoop::wait(int64_t timeout_us) {
  int timeout_ms = -1;
  if (timeout_us >= 0) timeout_ms = static_cast<int>(std::min<int64_t>((timeout_us + 999) / 1000, 60'000));
  ready_count_ = epoll_wait(epfd_, ready_.data(), static_cast<int>(ready_.size()), timeout_ms);
  if (ready_count_ < 0) ready_count_ = 0;  // EINTR: the caller loops anyway
}

void EventLoop::dispatch() {
  const int n = ready_count_;
  ready_count_ = 0;
  for (int i = 0; i < n; ++i) {
    const int fd = static_cast<int>(ready_[i].data.u64 & 0xFFFF'FFFF);
    const uint64_t gen = ready_[i].data.u64 >> 32;
    auto it = entries_.find(fd);
    if (it == entries_.end() || it->second.generation != gen) continue;
    // The handler may remove its own entry: keep it alive for the call.
    Handler h = it->second.handler;
    h(ready_[i].events);
  }
}

void EventLoop::wake() {
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = write(wake_fd_, &one, sizeof one);
}

}  // namespace calemu::server
