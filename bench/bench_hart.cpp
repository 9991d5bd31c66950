// calemu-bench-hart: runs the four bench kernels on the hart and prints guest MIPS
// (exact retired-instruction counts / wall time, median of 3 runs) and the geometric mean.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "common/elf.h"
#include "machine/bare_machine.h"

int main(int argc, char** argv) {
  std::vector<std::string> elfs;
  for (int i = 1; i < argc; ++i) elfs.push_back(argv[i]);
  if (elfs.empty()) {
    std::stringstream ss(CALEMU_BENCH_ELFS);
    for (std::string s; std::getline(ss, s, ',');) elfs.push_back(s);
  }
  std::printf("%-10s %14s %10s %10s\n", "kernel", "instructions", "wall (s)", "MIPS");
  double log_sum = 0;
  for (const auto& path : elfs) {
    std::vector<double> mips;
    uint64_t n = 0;
    double best_wall = 0;
    for (int run = 0; run < 3; ++run) {
      calemu::BareMachineConfig cfg;
      cfg.ram.push_back({"ram", 0x8000'0000, 0x10'0000});
      calemu::BareMachine m(cfg);
      m.set_console([](char) {});
      m.load(calemu::load_elf(path));
      const auto t0 = std::chrono::steady_clock::now();
      const auto res = m.run(~0ull);
      const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (res.outcome != calemu::RunOutcome::Exited || res.exit_code != 0) {
        std::fprintf(stderr, "%s did not exit cleanly\n", path.c_str());
        return 1;
      }
      n = m.hart().retired();
      mips.push_back(n / wall / 1e6);
      best_wall = wall;
    }
    std::sort(mips.begin(), mips.end());
    const double med = mips[1];
    std::string name = path.substr(path.find_last_of('/') + 1);
    name = name.substr(0, name.find('_'));
    std::printf("%-10s %14llu %10.2f %10.0f\n", name.c_str(), static_cast<unsigned long long>(n), best_wall, med);
    log_sum += std::log(med);
  }
  std::printf("%-10s %14s %10s %10.0f\n", "geomean", "", "", std::exp(log_sum / elfs.size()));
  return 0;
}
