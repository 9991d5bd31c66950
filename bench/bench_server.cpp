// calemu-bench-server: round-trip latency of the socket servers over Unix sockets, with the
// server on its own thread as `calemu serve` runs it. CPTR APB reads with the core held in
// reset, back to back (the server polls its sockets for --poll-us after each request) and
// after 1 ms of silence (the server sleeps in epoll and must be woken); with the core busy
// (the echo test ROM polling the mailbox, so a request waits for the end of a core slice);
// MBOX round trips of a no-op command (the echo ROM's ECHO with 4 bytes). Prints median,
// p99 and mean. Issue 5's target: CPTR median <= 15 us.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "common/elf.h"
#include "server/client.h"
#include "server/server.h"

using namespace calemu;
using namespace calemu::server;
using Clock = std::chrono::steady_clock;

namespace {

constexpr uint32_t kHwRevId = 0x3003'00D4, kEcho = 0x4F48'4345;

struct Running {
  explicit Running(ServerConfig cfg) : server(std::move(cfg)), thread([this] { server.run(); }) {}
  ~Running() {
    server.stop();
    thread.join();
  }
  Server server;
  std::thread thread;
};

ServerConfig config(const std::string& rom, const std::string& dir, bool boot) {
  ServerConfig cfg;
  cfg.host.machine.rom = read_file(rom);
  cfg.cptr.push_back(parse_endpoint("unix:" + dir + "/cptr.sock"));
  cfg.mbox.push_back(parse_endpoint("unix:" + dir + "/mbox.sock"));
  if (boot) {
    cfg.firmware = std::vector<uint8_t>(64, 0);
    cfg.boot_target = BootTarget::FirmwareLoaded;
  }
  return cfg;
}

void report(const char* what, std::vector<double> us) {
  std::sort(us.begin(), us.end());
  double sum = 0;
  for (double v : us) sum += v;
  std::printf("%-44s %8zu %10.2f %10.2f %10.2f\n", what, us.size(), us[us.size() / 2],
              us[std::min(us.size() - 1, us.size() * 99 / 100)], sum / static_cast<double>(us.size()));
}

template <typename F>
std::vector<double> measure(int n, F&& round_trip, std::chrono::microseconds pause = {}) {
  for (int i = 0; i < n / 10; ++i) round_trip();  // warm up
  std::vector<double> us;
  us.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    if (pause.count()) std::this_thread::sleep_for(pause);
    const auto t0 = Clock::now();
    round_trip();
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  return us;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string rom = argc > 1 ? argv[1] : CALEMU_BENCH_ECHO_ROM;
  const int n = argc > 2 ? std::atoi(argv[2]) : 20'000;
  char tmpl[] = "/tmp/calemu-bench-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  std::printf("%-44s %8s %10s %10s %10s\n", "round trip (Unix socket)", "n", "median us", "p99 us", "mean us");
  {
    Running r(config(rom, dir, false));
    Client c("unix:" + dir + "/cptr.sock", Protocol::Cptr);
    report("CPTR APB read, core held", measure(n, [&] { (void)c.apb_read(kHwRevId); }));
    report("CPTR APB read, core held, after 1 ms idle", measure(n / 20, [&] {
             (void)c.apb_read(kHwRevId);
           }, std::chrono::milliseconds(1)));
  }
  {
    Running r(config(rom, dir, true));
    Client c("unix:" + dir + "/cptr.sock", Protocol::Cptr);
    Client m("unix:" + dir + "/mbox.sock", Protocol::Mbox);
    const std::vector<uint8_t> four = {1, 2, 3, 4};
    (void)m.mbox_execute(kEcho, four);  // waits for the built-in boot
    report("CPTR APB read, core busy (ROM polls mbox)", measure(n, [&] { (void)c.apb_read(kHwRevId); }));
    report("CPTR APB write, core busy", measure(n, [&] { c.apb_write(0x3003'0120, 1); }));
    report("MBOX ECHO 4 bytes (no-op command)", measure(n / 4, [&] { (void)m.mbox_execute(kEcho, four); }));
  }
  rmdir(dir.c_str());
  return 0;
}
