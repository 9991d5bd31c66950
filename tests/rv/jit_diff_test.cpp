// The translation tier (rv/jit.cpp) must be invisible: a program ends in the same state
// with it as with the interpreter alone (registers, pc, retired instructions, cycles,
// CSRs, console output), also when the run is cut into slices of any length, which
// stops both tiers in the middle of blocks. The reference is the interpreter, whose
// behaviour the ISA tests pin down against the specifications.
#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/elf.h"
#include "machine/bare_machine.h"
#include "rv/jit.h"

namespace calemu {
namespace {

const std::string kBin = CALEMU_BINARY_DIR;
const std::vector<std::string> kKernels = {"sha256", "crc32", "interp", "mul384"};

std::string kernel(const std::string& name) { return kBin + "/bench/" + name + "_check.elf"; }
std::string jit_program(const std::string& name) { return kBin + "/tests/rv/jit_" + name + ".elf"; }

// mstatus mie mtvec mepc mcause mtval mip mscause mcycle(h) minstret(h) mitcnt0
constexpr uint16_t kCsrs[] = {0x300, 0x304, 0x305, 0x341, 0x342, 0x343, 0x344,
                              0x7FF, 0xB00, 0xB80, 0xB02, 0xB82, 0x7D2};

struct State {
  RunOutcome outcome = RunOutcome::Limit;
  int exit_code = 0;
  std::string message, console;
  std::array<uint32_t, 32> x{};
  std::array<uint32_t, std::size(kCsrs)> csr{};
  uint32_t pc = 0;
  uint64_t retired = 0, cycles = 0;
};

struct Session {
  std::unique_ptr<BareMachine> m;
  std::string console;
  RunResult last;

  Session(const std::string& elf, bool jit) {
    BareMachineConfig cfg;
    cfg.ram.push_back({"ram", 0x8000'0000, 0x10'0000});
    cfg.jit = jit;
    m = std::make_unique<BareMachine>(cfg);
    m->set_console([this](char c) { console += c; });
    m->load(load_elf(elf));
  }
  bool finished() const { return last.outcome != RunOutcome::Limit || m->hart().stop_requested(); }
  State step(uint64_t n) {
    last = m->run(n);
    State s;
    s.outcome = last.outcome;
    s.exit_code = last.exit_code;
    s.message = last.message;
    s.console = console;
    rv::Hart& h = m->hart();
    for (unsigned i = 0; i < 32; ++i) s.x[i] = h.reg(i);
    for (size_t i = 0; i < std::size(kCsrs); ++i) h.peek_csr(kCsrs[i], s.csr[i]);
    s.pc = h.pc();
    s.retired = h.retired();
    s.cycles = h.cycles();
    return s;
  }
  const rv::Jit::Stats& stats() const { return m->hart().jit()->stats(); }
};

void expect_same(const State& ref, const State& jit, const std::string& where) {
  SCOPED_TRACE(where);
  EXPECT_EQ(ref.outcome, jit.outcome);
  EXPECT_EQ(ref.exit_code, jit.exit_code);
  EXPECT_EQ(ref.message, jit.message);
  EXPECT_EQ(ref.console, jit.console);
  EXPECT_EQ(ref.pc, jit.pc);
  EXPECT_EQ(ref.retired, jit.retired);
  EXPECT_EQ(ref.cycles, jit.cycles);
  for (unsigned i = 0; i < 32; ++i) EXPECT_EQ(ref.x[i], jit.x[i]) << "x" << i;
  for (size_t i = 0; i < std::size(kCsrs); ++i) EXPECT_EQ(ref.csr[i], jit.csr[i]) << "csr 0x" << std::hex << kCsrs[i];
}

// Runs elf to the end with and without the JIT and compares; returns the JIT run.
std::unique_ptr<Session> compare_whole(const std::string& elf, uint64_t max_instructions = 50'000'000) {
  Session ref(elf, false);
  auto jit = std::make_unique<Session>(elf, true);
  const State a = ref.step(max_instructions), b = jit->step(max_instructions);
  expect_same(a, b, elf);
  return jit;
}

bool jit_supported() {
  rv::HartConfig cfg;
  return rv::Jit::available(cfg);
}

class JitDiff : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!jit_supported()) GTEST_SKIP() << "no translation tier on this host (or CALEMU_NO_JIT is set)";
  }
};

TEST_F(JitDiff, BenchKernelsEndInTheSameState) {
  for (const auto& k : kKernels) {
    auto run = compare_whole(kernel(k));
    EXPECT_EQ(run->last.outcome, RunOutcome::Exited) << k;
    EXPECT_EQ(run->last.exit_code, 0) << k;
    EXPECT_GT(run->stats().translations, 0u) << k;
    EXPECT_GT(run->stats().native_entries, 0u) << k;
  }
}

TEST_F(JitDiff, DemoFirmwareEndsInTheSameState) {
  auto run = compare_whole(kBin + "/firmware/hello.elf");
  EXPECT_EQ(run->last.outcome, RunOutcome::Exited);
  EXPECT_NE(run->console.find("calemu demo"), std::string::npos);
}

TEST_F(JitDiff, IsaTestsEndInTheSameState) {
  const std::filesystem::path dir = kBin + "/firmware/tests/isa";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no ISA test firmware built";
  unsigned n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".elf") continue;
    compare_whole(e.path().string(), 5'000'000);
    ++n;
  }
  EXPECT_GT(n, 0u);
}

TEST_F(JitDiff, SelfModifyingCodeSeesItsOwnStores) {
  auto run = compare_whole(jit_program("smc"));
  EXPECT_EQ(run->last.outcome, RunOutcome::Exited);
  EXPECT_EQ(run->last.exit_code, 0) << "failing check number";
  EXPECT_GT(run->stats().invalidations, 0u);
}

TEST_F(JitDiff, InterruptsFaultsAndDeviceReadsHappenAtTheSameCycles) {
  auto run = compare_whole(jit_program("events"));
  EXPECT_EQ(run->last.outcome, RunOutcome::Exited);
  EXPECT_EQ(run->last.exit_code, 0);
  EXPECT_GE(run->m->hart().reg(9), 300u) << "interrupts taken (s1)";
}

TEST_F(JitDiff, BranchesOverOneInstructionBecomeConditionalMoves) {
  auto run = compare_whole(jit_program("branches"));
  EXPECT_EQ(run->last.outcome, RunOutcome::Exited);
  EXPECT_EQ(run->last.exit_code, 0);
}

// Slice lengths that fall everywhere inside blocks; the state must match after each.
TEST_F(JitDiff, SlicedRunsStopAtTheSameInstruction) {
  for (const std::string& elf : {kernel("crc32"), kernel("interp"), kernel("sha256"), jit_program("events"),
                                jit_program("smc"), jit_program("branches")}) {
    Session ref(elf, false), jit(elf, true);
    uint64_t slice = 1;
    for (unsigned i = 0; i < 100'000 && !ref.finished(); ++i) {
      const State a = ref.step(slice), b = jit.step(slice);
      expect_same(a, b, elf + " slice " + std::to_string(i));
      if (::testing::Test::HasFailure()) return;
      slice = slice * 7 % 997 + 1;  // 1 .. 997, in no particular order
    }
    EXPECT_TRUE(ref.finished()) << elf;
  }
}

// Translations belong to their hart: machines running side by side do not interfere.
TEST_F(JitDiff, HartsInterleavedKeepTheirOwnTranslations) {
  Session ref(kernel("crc32"), false), a(kernel("crc32"), true), b(kernel("mul384"), true), b_ref(kernel("mul384"), false);
  for (unsigned i = 0; i < 10'000 && !(ref.finished() && b_ref.finished()); ++i) {
    expect_same(ref.step(5000), a.step(5000), "crc32");
    expect_same(b_ref.step(3001), b.step(3001), "mul384");
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_TRUE(ref.finished());
  EXPECT_TRUE(b_ref.finished());
}

TEST(JitSwitch, ConfigAndEnvironmentTurnItOff) {
  if (!jit_supported()) GTEST_SKIP() << "no translation tier on this host";
  BareMachineConfig cfg;
  cfg.ram.push_back({"ram", 0x8000'0000, 0x1000});
  EXPECT_NE(BareMachine(cfg).hart().jit(), nullptr);
  cfg.jit = false;
  EXPECT_EQ(BareMachine(cfg).hart().jit(), nullptr);
  cfg.jit = true;
  setenv("CALEMU_NO_JIT", "1", 1);
  EXPECT_EQ(BareMachine(cfg).hart().jit(), nullptr);
  unsetenv("CALEMU_NO_JIT");
}

}  // namespace
}  // namespace calemu
