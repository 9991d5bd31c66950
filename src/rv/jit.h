// The hart's translation tier: RV32 code translated into x86-64 machine code.
//
// A translation unit (TU) is a set of basic blocks reachable by direct control flow from
// one entry pc, all inside one 4 KiB guest page. Blocks of a TU jump to each other
// directly and share one assignment of guest registers to host registers; anything else
// leaves the TU through an exit stub that writes dirty registers back and either chains
// straight into another TU (a patched jmp) or returns to the dispatcher in execute().
//
// It is invisible except for speed: every block charges its length against the budget
// before it runs and falls back to the interpreter when the budget is shorter, slow
// memory accesses call the interpreter's own slow paths with the exact retired count,
// and everything rare (CSRs, ecall, mret, wfi, illegal encodings) is left to the
// interpreter. See docs/hart.md "Speed".
//
// Only x86-64 hosts translate; elsewhere Jit::available() is false and the hart runs the
// interpreter alone, as it does with HartConfig::jit = false or CALEMU_NO_JIT=1.
#pragma once
#include <cstdint>
#include <exception>
#include <memory>
#include <unordered_map>
#include <vector>

namespace calemu::rv {

class Hart;
struct HartConfig;
struct Trap;

class Jit {
 public:
  // Whether a hart with this configuration translates (host, config and environment).
  static bool available(const HartConfig& config);

  explicit Jit(Hart& hart);
  ~Jit();
  Jit(const Jit&) = delete;
  Jit& operator=(const Jit&) = delete;

  // Runs like Hart::execute(budget): until the budget is spent, attention is needed or
  // the hart sleeps. Translated and interpreted instructions mix freely.
  void execute(uint64_t budget);

  // From the hart: its TLB was flushed (privilege, PMP, MPRV changed); bytes that some
  // translation may cover were written.
  void tlb_flushed();
  void code_written(uint32_t addr, uint32_t len);

  struct Stats {
    uint64_t translations = 0, invalidations = 0, flushes = 0, links = 0;
    uint64_t native_entries = 0, interpreted_steps = 0;
    size_t code_bytes = 0;
  };
  const Stats& stats() const { return stats_; }

  struct Tu;
  struct CodeCache;
  struct Runtime;
  struct Entry {
    const void* host = nullptr;  // null: the instruction at this pc cannot be translated
    Tu* tu = nullptr;
  };

 private:
  class Compiler;
  struct PageInfo {
    std::vector<Tu*> tus;
    std::vector<uint32_t> untranslatable;  // pcs with a negative Entry
  };

  void make_cache();
  const void* lookup(uint32_t pc, bool& page_ok);
  const void* translate(uint32_t pc);
  void link(uintptr_t site, uint32_t pc);
  void invalidate(Tu& tu);
  void flush_all();
  uint64_t interpret(uint64_t budget);
  void dump(uint32_t pc, uintptr_t at, const std::vector<uint8_t>& code) const;
  void sync_time(uint64_t left_before);
  void take_trap(const Trap& trap, uint32_t epc, uint64_t left_before);

  uint64_t load(uint32_t addr, uint32_t pc, uint32_t meta, uint64_t left_before);
  uint64_t store(uint32_t addr, uint32_t value, uint32_t pc, uint32_t meta, uint64_t left_before);
  // Called from translated code. Bit 32 of the result says "leave now".
  static uint64_t load_helper(Jit* jit, uint32_t addr, uint32_t pc, uint32_t meta, uint64_t left_before);
  static uint64_t store_helper(Jit* jit, uint32_t addr, uint32_t value, uint32_t pc, uint32_t meta,
                               uint64_t left_before);

  Hart& hart_;
  std::unique_ptr<CodeCache> cache_;
  std::unique_ptr<Runtime> rt_;  // data translated code reads directly (jump cache)
  std::unordered_map<uint32_t, Entry> entries_;  // block pc -> host entry
  std::unordered_map<uint32_t, PageInfo> pages_;  // guest page -> what was made from it
  std::vector<std::unique_ptr<Tu>> tus_;          // dead ones too, until the cache is flushed
  uint64_t flush_generation_ = 0;
  const char* dump_dir_ = nullptr;  // CALEMU_JIT_DUMP
  Stats stats_;

  // The current native run, for exact time in the slow paths.
  uint64_t run_left_ = 0, run_retired_ = 0, run_stall_ = 0, run_traps_ = 0;
  bool in_native_ = false;
  bool must_exit_ = false;  // translated code running now was invalidated
  std::exception_ptr pending_exception_;  // thrown in a slow path, rethrown by execute()
};

}  // namespace calemu::rv
