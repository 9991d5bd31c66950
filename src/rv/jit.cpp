// The translation tier (see jit.h for the model, docs/hart.md "Speed" for the story).
//
// Host register use inside translated code:
//   rbp  the guest register file (Hart::x_); other hart fields are reached relative to it
//   r15  cycles left in the budget (the interpreter's `left`)
//   r14  the hart's read_bias_ table (the load TLB)
//   rax, rcx, rdx   scratch
//   rbx, r12, r13, rsi, rdi, r8-r11   guest registers, chosen per translation unit
//
// Counting: every block starts with `sub r15, len; jb bail`, so it runs only when the
// whole block fits in the budget; the bail stub restores r15 and hands the remaining
// cycles to the interpreter, which stops exactly on the budget. A slow path that leaves
// in the middle of a block knows at compile time how many of the block's instructions
// have not run and puts them back into r15.
#include "rv/jit.h"

#include "common/bits.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <stdexcept>
#include <utility>

#include "rv/decode.h"
#include "rv/exec_internal.h"
#include "rv/hart.h"

#if defined(__x86_64__)
#include <sys/mman.h>
#include <unistd.h>

#include "rv/x86_emitter.h"
#endif

namespace calemu::rv {

#if defined(__x86_64__)

namespace {

using namespace x86;

constexpr size_t kCacheBytes = size_t{16} << 20;
constexpr unsigned kJumpCacheBits = 12;
constexpr uint32_t kJumpCacheMask = (1u << kJumpCacheBits) - 1;
constexpr unsigned kMaxBlockInsns = 64;   // also bounds what the interpreter runs at a bail
constexpr unsigned kMaxTuInsns = 512;
constexpr unsigned kMaxTuBlocks = 64;
constexpr uint64_t kInterpretChunk = 64;  // on pages the translator cannot take

// What the epilogue returns in rdx besides the budget left (rax).
constexpr uintptr_t kNoSite = 0;      // pc_ is set; nothing to patch
constexpr uintptr_t kBudgetSite = 1;  // pc_ is a block the budget is too short for

// Slow-path helpers return the loaded value in bits 31:0 and this bit when the
// translated code must leave (trap taken, or something needs the run loop).
constexpr uint64_t kExitBit = uint64_t{1} << 32;

// Guest registers live in these host registers when the translator assigns them.
constexpr Reg kGuestPool[] = {RBX, R12, R13, RSI, RDI, R8, R9, R10, R11};
constexpr unsigned kPoolSize = sizeof kGuestPool / sizeof kGuestPool[0];
bool caller_saved(Reg r) { return r == RSI || r == RDI || (r >= R8 && r <= R11); }

struct NativeExit {
  uint64_t left;
  uintptr_t site;
};
using EnterFn = NativeExit (*)(uint32_t* regs, const void* entry, uint64_t left);

// Bit manipulation without a single x86 instruction: called from translated code.
uint64_t helper_orc_b(uint32_t v, uint32_t) { return orc_b(v); }
uint64_t helper_clmul(uint32_t a, uint32_t b) { return clmul_lo(a, b); }
uint64_t helper_clmulh(uint32_t a, uint32_t b) { return clmul_hi(a, b); }
uint64_t helper_clmulr(uint32_t a, uint32_t b) { return clmul_rev(a, b); }
uint64_t helper_cpop(uint32_t v, uint32_t) { return static_cast<uint64_t>(std::popcount(v)); }

bool host_has_popcnt() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("popcnt");
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Executable memory: one mapping per hart, never writable and executable at once.

struct Jit::CodeCache {
  uint8_t* base = nullptr;
  size_t size = kCacheBytes;
  size_t start = 0;  // code after the entry trampoline
  size_t used = 0;
  EnterFn enter = nullptr;
  uintptr_t epilogue = 0;

  CodeCache() {
    void* p = mmap(nullptr, size, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    base = static_cast<uint8_t*>(p);
  }
  ~CodeCache() { munmap(base, size); }
  CodeCache(const CodeCache&) = delete;
  CodeCache& operator=(const CodeCache&) = delete;

  uintptr_t cursor() const { return reinterpret_cast<uintptr_t>(base + used); }
  size_t room() const { return size - used; }

  void write(uintptr_t at, const void* src, size_t n) {
    const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
    const uintptr_t lo = at & ~(page - 1), hi = (at + n + page - 1) & ~(page - 1);
    if (mprotect(reinterpret_cast<void*>(lo), hi - lo, PROT_READ | PROT_WRITE) != 0) throw std::bad_alloc();
    std::memcpy(reinterpret_cast<void*>(at), src, n);
    if (mprotect(reinterpret_cast<void*>(lo), hi - lo, PROT_READ | PROT_EXEC) != 0) throw std::bad_alloc();
  }
  uintptr_t append(const std::vector<uint8_t>& code) {
    const uintptr_t at = cursor();
    write(at, code.data(), code.size());
    used += (code.size() + 15) & ~size_t{15};
    return at;
  }
};

// Data that translated code reads directly: the jump cache for indirect jumps. Its keys
// carry an epoch, so everything in it goes stale at once when the TLB is flushed or a
// translation dies.
struct Jit::Runtime {
  uint64_t epoch_hi = uint64_t{1} << 32;  // epoch << 32, or-ed with a pc to form a key
  uint64_t pad = 0;
  struct Slot {
    uint64_t key;
    const void* host;
  } slots[1u << kJumpCacheBits];

  Runtime() { clear(); }
  void clear() {
    for (auto& s : slots) s = Slot{1, nullptr};  // an odd key never matches (pcs are even)
  }
  void new_epoch() {
    epoch_hi += uint64_t{1} << 32;
    if (epoch_hi == 0) {
      epoch_hi = uint64_t{1} << 32;
      clear();
    }
  }
  Slot& slot(uint32_t pc) { return slots[(pc >> 1) & kJumpCacheMask]; }
};

struct Jit::Tu {
  uint32_t page = 0;
  std::vector<std::pair<uint32_t, uint32_t>> ranges;  // guest bytes [lo, hi) it was made from
  std::vector<uint32_t> entry_pcs;                    // pcs in entries_ that lead here
  std::vector<uintptr_t> incoming;                    // patched jmps from other TUs
  bool valid = true;

  bool overlaps(uint64_t lo, uint64_t hi) const {
    for (const auto& r : ranges)
      if (r.first < hi && lo < r.second) return true;
    return false;
  }
};

// ---------------------------------------------------------------------------------------
// The translator: one translation unit from one entry pc.

class Jit::Compiler {
 public:
  struct Insn {
    Decoded d;
    uint32_t pc;
  };
  struct Block {
    // kSkip: ends in a branch that only jumps over `skipped`, a simple ALU instruction;
    // translated without a branch (a cmov), it continues at `next` either way.
    enum Kind : uint8_t { kBranch, kJump, kIndirect, kFall, kSkip } kind = kFall;
    uint32_t start = 0, end = 0;
    std::vector<Insn> insns;
    Insn skipped{};
    uint32_t taken = 0, next = 0;  // branch / jal target, fall-through pc
    int taken_blk = -1, next_blk = -1;
    bool in_loop = false;
    uint32_t defs = 0, dirty_in = 0, live_in = 0, upward = 0;
    Label internal, external, bail;

    // Cycles charged on entry: the longest path through the block.
    unsigned charge() const { return static_cast<unsigned>(insns.size()) + (kind == kSkip ? 1 : 0); }
    template <typename F>
    void for_each(F&& f) const {
      for (const auto& in : insns) f(in);
      if (kind == kSkip) f(skipped);
    }
  };

  Compiler(Jit& jit, Hart& hart, const Jit::Runtime& rt, uintptr_t epilogue, uint32_t entry)
      : jit_(jit), hart_(hart), rt_(rt), epilogue_(epilogue), entry_(entry), page_(entry >> kPageShift) {}

  // Forms the blocks; false when the entry instruction itself cannot be translated.
  bool discover(const uint8_t* page_bytes);
  // Emits machine code for a cache position; the result is in bytes().
  void compile(uintptr_t origin);

  const std::vector<uint8_t>& bytes() const { return as_->bytes(); }
  const std::vector<Block>& blocks() const { return blocks_; }
  size_t external_offset(const Block& b) const { return static_cast<size_t>(b.external.pos()); }

 private:
  // ---- analysis ----
  bool translatable(const Decoded& d) const;
  static bool skippable(const Decoded& d);
  bool fetch(uint32_t pc, Decoded& d) const;
  void scan_block(Block& b, unsigned budget);
  void split_overlaps();
  void connect();
  void find_loops();
  void allocate_registers();
  void compute_dirty_and_liveness();
  static uint32_t uses(const Decoded& d);
  static uint32_t def(const Decoded& d);

  // ---- emission ----
  int32_t hart_disp(const void* field) const {
    return static_cast<int32_t>(reinterpret_cast<const char*>(field) - reinterpret_cast<const char*>(hart_.x_));
  }
  static Mem greg(unsigned g) { return Mem{RBP, static_cast<int32_t>(4 * g)}; }
  bool in_host(unsigned g) const { return g != 0 && host_of_[g] != NOREG; }
  Reg host(unsigned g) const { return host_of_[g]; }
  Operand src(unsigned g) const {
    if (g == 0) return Operand::i(0);
    if (in_host(g)) return Operand::r(host(g));
    return Operand::m(greg(g));
  }
  Reg dest(unsigned rd) const { return in_host(rd) ? host(rd) : RAX; }
  void load_guest(Reg dst, unsigned g);
  Reg read_reg(unsigned g, Reg scratch);
  void store_guest(unsigned g, Reg src);
  void set_const(unsigned rd, uint32_t value);
  void write_back(uint32_t regs);
  void reload_caller_saved();
  Label& new_label() { return labels_.emplace_back(); }
  Label& target(uint32_t pc, uint32_t dirty);
  Label& helper_exit(unsigned remaining);

  void emit_block(Block& b, int next_in_layout);
  void emit_insn(const Insn& in, unsigned remaining);
  void emit_alu_rr(Alu op, bool commutative, const Decoded& d);
  void emit_alu_ri(Alu op, const Decoded& d);
  void emit_shift_imm(Shift op, const Decoded& d);
  void emit_shift_reg(Shift op, const Decoded& d);
  void emit_set(Cond c, const Decoded& d, bool imm_form);
  void emit_mulh(const Decoded& d, bool signed1, bool signed2);
  void emit_div(const Decoded& d);
  void emit_minmax(Cond take_rs2, const Decoded& d);
  void emit_bitcount(const Decoded& d);
  void emit_pure_call(uint64_t (*fn)(uint32_t, uint32_t), const Decoded& d);
  void emit_load(const Insn& in, unsigned remaining);
  void emit_store(const Insn& in, unsigned remaining);
  void emit_address(const Decoded& d);
  Cond emit_compare(const Decoded& d);
  void emit_branch(const Insn& in, Label& taken);
  void emit_skip(const Block& b);
  void emit_value(const Decoded& d, Reg out);
  void emit_indirect_exit();

  Jit& jit_;
  Hart& hart_;
  const Jit::Runtime& rt_;
  uintptr_t epilogue_;
  uint32_t entry_, page_;
  const uint8_t* page_bytes_ = nullptr;
  std::vector<Block> blocks_;
  Reg host_of_[32];
  uint32_t alloc_mask_ = 0;
  bool popcnt_ = false;

  std::unique_ptr<Assembler> as_;
  std::deque<Label> labels_;
  std::vector<std::function<void()>> cold_;  // stubs emitted after all blocks
  std::unordered_map<uint64_t, Label*> exits_;
  std::unordered_map<unsigned, Label*> helper_exits_;
  Label* indirect_miss_ = nullptr;
  uint32_t dirty_ = 0;  // allocated registers written since the TU was entered
  int32_t d_pc_ = 0, d_wbias_ = 0, d_exec_ = 0;
};

bool Jit::Compiler::translatable(const Decoded& d) const {
  if (d.op == Op::ILLEGAL || !hart_.extension_enabled(info(d.op).ext)) return false;
  switch (d.op) {
    case Op::CSRRW: case Op::CSRRS: case Op::CSRRC: case Op::CSRRWI: case Op::CSRRSI: case Op::CSRRCI:
    case Op::ECALL: case Op::EBREAK: case Op::MRET: case Op::WFI:
      return false;
    default:
      return true;
  }
}

bool Jit::Compiler::fetch(uint32_t pc, Decoded& d) const {
  const uint32_t off = pc & (kPageBytes - 1);
  uint16_t lo, hi;
  std::memcpy(&lo, page_bytes_ + off, 2);
  if (is_compressed(lo)) {
    d = decode(lo);
    return true;
  }
  if (off + 4 > kPageBytes) return false;  // straddles the page: the interpreter takes it
  std::memcpy(&hi, page_bytes_ + off + 2, 2);
  d = decode(lo | (uint32_t{hi} << 16));
  return true;
}

void Jit::Compiler::scan_block(Block& b, unsigned budget) {
  uint32_t pc = b.start;
  const uint32_t page_end = (page_ + 1) << kPageShift;
  b.kind = Block::kFall;
  for (;;) {
    b.next = pc;
    if (b.insns.size() >= std::min(kMaxBlockInsns, budget) || pc >= page_end || pc < b.start) break;
    Decoded d;
    if (!fetch(pc, d) || !translatable(d)) break;
    b.insns.push_back(Insn{d, pc});
    pc += d.len;
    b.next = pc;
    const Fmt f = info(d.op).fmt;
    if (f == Fmt::Branch) {
      b.kind = Block::kBranch;
      b.taken = b.insns.back().pc + static_cast<uint32_t>(d.imm);
      Decoded x;
      if ((d.rs1 || d.rs2) && pc < page_end && fetch(pc, x) && skippable(x) && b.taken == pc + x.len &&
          b.taken < page_end) {
        b.kind = Block::kSkip;
        b.skipped = Insn{x, pc};
        pc = b.taken;
        b.next = pc;
      }
      break;
    }
    if (d.op == Op::JAL) {
      b.kind = Block::kJump;
      b.taken = b.insns.back().pc + static_cast<uint32_t>(d.imm);
      break;
    }
    if (d.op == Op::JALR) {
      b.kind = Block::kIndirect;
      break;
    }
  }
  b.end = pc;
}

bool Jit::Compiler::discover(const uint8_t* page_bytes) {
  page_bytes_ = page_bytes;
  std::vector<uint32_t> work{entry_};
  std::unordered_map<uint32_t, bool> seen;
  unsigned total = 0;
  while (!work.empty() && blocks_.size() < kMaxTuBlocks && total < kMaxTuInsns) {
    const uint32_t s = work.back();
    work.pop_back();
    if (seen[s]) continue;
    seen[s] = true;
    Block b;
    b.start = s;
    scan_block(b, kMaxTuInsns - total);
    if (b.insns.empty()) continue;
    total += static_cast<unsigned>(b.insns.size());
    auto push = [&](uint32_t t) {
      if ((t >> kPageShift) == page_ && !seen.count(t)) work.push_back(t);
    };
    // Taken targets first, so the fall-through path is scanned next and laid out inline.
    if (b.kind == Block::kBranch || b.kind == Block::kJump) push(b.taken);
    if (b.kind == Block::kBranch || b.kind == Block::kFall || b.kind == Block::kSkip) push(b.next);
    total += b.kind == Block::kSkip ? 1 : 0;
    blocks_.push_back(std::move(b));
  }
  if (blocks_.empty() || blocks_[0].start != entry_) return false;
  split_overlaps();
  connect();
  find_loops();
  allocate_registers();
  compute_dirty_and_liveness();
  return true;
}

// A block that runs into the start of another one stops there and falls through to it,
// so each instruction is translated once per TU.
void Jit::Compiler::split_overlaps() {
  std::unordered_map<uint32_t, bool> starts;
  for (const auto& b : blocks_) starts[b.start] = true;
  for (auto& b : blocks_) {
    for (size_t i = 1; i < b.insns.size(); ++i) {
      if (!starts.count(b.insns[i].pc)) continue;
      b.kind = Block::kFall;
      b.next = b.end = b.insns[i].pc;
      b.insns.resize(i);
      break;
    }
  }
}

void Jit::Compiler::connect() {
  std::unordered_map<uint32_t, int> index;
  for (size_t i = 0; i < blocks_.size(); ++i) index[blocks_[i].start] = static_cast<int>(i);
  auto find = [&](uint32_t pc) {
    auto it = index.find(pc);
    return it == index.end() ? -1 : it->second;
  };
  for (auto& b : blocks_) {
    if (b.kind == Block::kBranch || b.kind == Block::kJump) b.taken_blk = find(b.taken);
    if (b.kind == Block::kBranch || b.kind == Block::kFall || b.kind == Block::kSkip) b.next_blk = find(b.next);
  }
}

void Jit::Compiler::find_loops() {
  const size_t n = blocks_.size();
  for (size_t s = 0; s < n; ++s) {
    std::vector<bool> seen(n, false);
    std::vector<int> work;
    auto push = [&](int i) {
      if (i >= 0 && !seen[i]) {
        seen[i] = true;
        work.push_back(i);
      }
    };
    push(blocks_[s].taken_blk);
    push(blocks_[s].next_blk);
    while (!work.empty() && !seen[s]) {
      const Block& b = blocks_[work.back()];
      work.pop_back();
      push(b.taken_blk);
      push(b.next_blk);
    }
    blocks_[s].in_loop = seen[s];
  }
}

uint32_t Jit::Compiler::uses(const Decoded& d) {
  uint32_t m = 0;
  switch (info(d.op).fmt) {
    case Fmt::R: case Fmt::Store: case Fmt::Branch: m = (1u << d.rs1) | (1u << d.rs2); break;
    case Fmt::R1: case Fmt::I: case Fmt::Shift: case Fmt::Load: case Fmt::Jalr: m = 1u << d.rs1; break;
    default: break;
  }
  return m & ~1u;
}

uint32_t Jit::Compiler::def(const Decoded& d) {
  switch (info(d.op).fmt) {
    case Fmt::Store: case Fmt::Branch: case Fmt::Fence: case Fmt::None: return 0;
    default: return (1u << d.rd) & ~1u;
  }
}

// The most used guest registers (loop bodies count eight times) get host registers.
void Jit::Compiler::allocate_registers() {
  uint32_t weight[32] = {};
  for (const auto& b : blocks_) {
    const uint32_t w = b.in_loop ? 8 : 1;
    b.for_each([&](const Insn& in) {
      for (uint32_t m = uses(in.d) | def(in.d); m; m &= m - 1) weight[std::countr_zero(m)] += w;
    });
  }
  unsigned order[32];
  for (unsigned i = 0; i < 32; ++i) order[i] = i;
  std::stable_sort(order, order + 32, [&](unsigned a, unsigned b) { return weight[a] > weight[b]; });
  std::fill(std::begin(host_of_), std::end(host_of_), NOREG);
  unsigned next = 0;
  for (unsigned i = 0; i < 32 && next < kPoolSize; ++i) {
    const unsigned g = order[i];
    if (g == 0 || weight[g] == 0) continue;
    host_of_[g] = kGuestPool[next++];
    alloc_mask_ |= 1u << g;
  }
}

// Dirty: allocated registers that may have been written since the TU was entered (they
// are stored back at every exit). Live: registers an external entry must load, which
// includes every register some later exit stores back without writing it first.
void Jit::Compiler::compute_dirty_and_liveness() {
  for (auto& b : blocks_) {
    b.defs = 0;
    uint32_t defd = 0, upward = 0;
    b.for_each([&](const Insn& in) {
      upward |= uses(in.d) & alloc_mask_ & ~defd;
      // A skipped instruction writes its rd only when the branch is not taken: the old
      // value flows through otherwise, so it is read as well.
      if (b.kind == Block::kSkip && &in == &b.skipped) upward |= def(in.d) & alloc_mask_ & ~defd;
      defd |= def(in.d) & alloc_mask_;
    });
    b.defs = defd;
    b.upward = upward;
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& p : blocks_) {
      const uint32_t out = p.dirty_in | p.defs;
      for (int s : {p.taken_blk, p.next_blk}) {
        if (s < 0 || (blocks_[s].dirty_in | out) == blocks_[s].dirty_in) continue;
        blocks_[s].dirty_in |= out;
        changed = true;
      }
    }
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (auto it = blocks_.rbegin(); it != blocks_.rend(); ++it) {
      uint32_t live_out = 0;
      for (int s : {it->taken_blk, it->next_blk})
        if (s >= 0) live_out |= blocks_[s].live_in;
      const uint32_t in = it->upward | it->dirty_in | (live_out & ~it->defs);
      if (in != it->live_in) {
        it->live_in = in;
        changed = true;
      }
    }
  }
}

// ---- emission helpers ----

void Jit::Compiler::load_guest(Reg dst, unsigned g) {
  if (g == 0) as_->mov32(dst, 0u);
  else if (in_host(g)) {
    if (host(g) != dst) as_->mov32(dst, host(g));
  } else {
    as_->mov32(dst, greg(g));
  }
}

Reg Jit::Compiler::read_reg(unsigned g, Reg scratch) {
  if (in_host(g)) return host(g);
  load_guest(scratch, g);
  return scratch;
}

void Jit::Compiler::store_guest(unsigned g, Reg src) {
  if (g == 0) return;
  if (in_host(g)) {
    if (host(g) != src) as_->mov32(host(g), src);
    dirty_ |= 1u << g;
  } else {
    as_->mov32(greg(g), src);
  }
}

void Jit::Compiler::set_const(unsigned rd, uint32_t value) {
  if (rd == 0) return;
  if (in_host(rd)) {
    as_->mov32(host(rd), value);
    dirty_ |= 1u << rd;
  } else {
    as_->mov32(greg(rd), static_cast<int32_t>(value));
  }
}

void Jit::Compiler::write_back(uint32_t regs) {
  for (uint32_t m = regs & alloc_mask_; m; m &= m - 1) {
    const unsigned g = static_cast<unsigned>(std::countr_zero(m));
    as_->mov32(greg(g), host(g));
  }
}

void Jit::Compiler::reload_caller_saved() {
  for (uint32_t m = alloc_mask_; m; m &= m - 1) {
    const unsigned g = static_cast<unsigned>(std::countr_zero(m));
    if (caller_saved(host(g))) as_->mov32(host(g), greg(g));
  }
}

// Where control goes for pc: the block's code if it is in this TU, else an exit stub
// that stores the dirty registers and chains (once linked) into the TU for pc.
Label& Jit::Compiler::target(uint32_t pc, uint32_t dirty) {
  for (auto& b : blocks_)
    if (b.start == pc) return b.internal;
  const uint64_t key = (uint64_t{dirty} << 32) | pc;
  if (auto it = exits_.find(key); it != exits_.end()) return *it->second;
  Label& stub = new_label();
  exits_[key] = &stub;
  cold_.push_back([this, &stub, pc, dirty] {
    Label& site = new_label();
    Label& no_link = new_label();
    as_->bind(stub);
    write_back(dirty);
    if ((pc >> kPageShift) != page_) {
      // Another page may have lost its execute permission since this was linked.
      as_->mov64(RAX, Mem{RBP, d_exec_});
      as_->alu64(kCmp, Mem{RAX, static_cast<int32_t>((pc >> kPageShift) * sizeof(void*))}, 0);
      as_->jcc(kE, no_link);
    }
    as_->bind(site);
    as_->jmp(no_link);  // rel32 = 0 until Jit::link points it at the target's entry
    as_->bind(no_link);
    as_->mov32(Mem{RBP, d_pc_}, static_cast<int32_t>(pc));
    as_->lea_rip(RDX, site);
    as_->jmp_abs(epilogue_);
  });
  return stub;
}

// After a slow path asked to leave: the instruction at hand retired or trapped, either
// way one cycle; `remaining` counts it and the rest of the block, all pre-charged.
Label& Jit::Compiler::helper_exit(unsigned remaining) {
  if (auto it = helper_exits_.find(remaining); it != helper_exits_.end()) return *it->second;
  Label& l = new_label();
  helper_exits_[remaining] = &l;
  cold_.push_back([this, &l, remaining] {
    as_->bind(l);
    if (remaining > 1) as_->lea64(R15, Mem{R15, static_cast<int32_t>(remaining - 1)});
    as_->alu32(kXor, RDX, RDX);
    as_->jmp_abs(epilogue_);
  });
  return l;
}

void Jit::Compiler::compile(uintptr_t origin) {
  as_ = std::make_unique<Assembler>(origin);
  labels_.clear();
  cold_.clear();
  exits_.clear();
  helper_exits_.clear();
  indirect_miss_ = nullptr;
  for (auto& b : blocks_) {
    b.internal = Label();
    b.external = Label();
    b.bail = Label();
  }
  d_pc_ = hart_disp(&hart_.pc_);
  d_wbias_ = hart_disp(&hart_.write_bias_);
  d_exec_ = hart_disp(&hart_.exec_page_);
  popcnt_ = host_has_popcnt();

  // Layout: follow fall-through chains so a block's successor usually comes next.
  std::vector<int> layout;
  std::vector<bool> placed(blocks_.size(), false);
  for (size_t i = 0; i < blocks_.size(); ++i) {
    for (int b = static_cast<int>(i); b >= 0 && !placed[b];
         b = blocks_[b].kind == Block::kJump ? blocks_[b].taken_blk : blocks_[b].next_blk) {
      placed[b] = true;
      layout.push_back(b);
    }
  }
  for (size_t i = 0; i < layout.size(); ++i)
    emit_block(blocks_[layout[i]], i + 1 < layout.size() ? layout[i + 1] : -1);

  for (auto& b : blocks_) {
    as_->bind(b.external);
    for (uint32_t m = b.live_in & alloc_mask_; m; m &= m - 1) {
      const unsigned g = static_cast<unsigned>(std::countr_zero(m));
      as_->mov32(host(g), greg(g));
    }
    as_->jmp(b.internal);
  }
  // Stubs may create more stubs (an exit stub never does, but keep it general).
  for (size_t i = 0; i < cold_.size(); ++i) cold_[i]();
}

void Jit::Compiler::emit_block(Block& b, int next_in_layout) {
  const unsigned n = static_cast<unsigned>(b.insns.size()), charge = b.charge();
  as_->bind(b.internal);
  as_->alu64(kSub, R15, static_cast<int32_t>(charge));
  as_->jcc(kB, b.bail);
  cold_.push_back([this, &b, charge] {
    as_->bind(b.bail);
    as_->alu64(kAdd, R15, static_cast<int32_t>(charge));
    write_back(b.dirty_in);
    as_->mov32(Mem{RBP, d_pc_}, static_cast<int32_t>(b.start));
    as_->mov32(RDX, static_cast<uint32_t>(kBudgetSite));
    as_->jmp_abs(epilogue_);
  });
  dirty_ = b.dirty_in;
  for (unsigned i = 0; i + 1 < n; ++i) emit_insn(b.insns[i], charge - i);
  const Insn& last = b.insns[n - 1];
  const bool falls_next = b.next_blk >= 0 && b.next_blk == next_in_layout;
  switch (b.kind) {
    case Block::kBranch:
      emit_branch(last, target(b.taken, dirty_));
      if (!falls_next) as_->jmp(target(b.next, dirty_));
      break;
    case Block::kJump:
      set_const(last.d.rd, last.pc + last.d.len);
      if (b.taken_blk < 0 || b.taken_blk != next_in_layout) as_->jmp(target(b.taken, dirty_));
      break;
    case Block::kSkip:
      emit_skip(b);
      if (!falls_next) as_->jmp(target(b.next, dirty_));
      break;
    case Block::kIndirect: {
      const Decoded& d = last.d;
      if (d.rs1 == 0) {
        as_->mov32(RAX, static_cast<uint32_t>(d.imm));
      } else if (in_host(d.rs1)) {
        as_->lea32(RAX, Mem{host(d.rs1), d.imm});
      } else {
        as_->mov32(RAX, greg(d.rs1));
        if (d.imm) as_->alu32(kAdd, RAX, d.imm);
      }
      as_->alu32(kAnd, RAX, -2);
      set_const(d.rd, last.pc + d.len);
      write_back(dirty_);
      emit_indirect_exit();
      break;
    }
    case Block::kFall:
      emit_insn(last, charge - (n - 1));
      if (!falls_next) as_->jmp(target(b.next, dirty_));
      break;
  }
}

// jalr: look the target up in the jump cache and jump straight to its entry, or return
// to the dispatcher (which fills the cache). pc_ is stored either way.
void Jit::Compiler::emit_indirect_exit() {
  if (!indirect_miss_) {
    Label& miss = new_label();
    indirect_miss_ = &miss;
    cold_.push_back([this, &miss] {
      as_->bind(miss);
      as_->alu32(kXor, RDX, RDX);
      as_->jmp_abs(epilogue_);
    });
  }
  as_->mov32(Mem{RBP, d_pc_}, RAX);
  as_->mov64(RDX, reinterpret_cast<uint64_t>(&rt_.slots[0]));
  as_->mov32(RCX, RAX);
  as_->alu32(kAnd, RCX, static_cast<int32_t>(kJumpCacheMask << 1));
  as_->alu64(kOr, RAX, Mem{RDX, -16});  // Runtime::epoch_hi
  as_->alu64(kCmp, RAX, Mem{RDX, 0, RCX, 3});
  as_->jcc(kNE, *indirect_miss_);
  as_->jmp(Mem{RDX, 8, RCX, 3});
}

void Jit::Compiler::emit_alu_rr(Alu op, bool commutative, const Decoded& d) {
  unsigned a = d.rs1, b = d.rs2;
  const unsigned rd = d.rd;
  if (rd == 0) return;
  if (commutative && rd == b && rd != a) std::swap(a, b);
  const Reg r = (in_host(rd) && (rd != b || rd == a)) ? host(rd) : RAX;
  load_guest(r, a);
  as_->alu32(op, r, src(b));
  store_guest(rd, r);
}

void Jit::Compiler::emit_alu_ri(Alu op, const Decoded& d) {
  if (d.rd == 0) return;
  if (d.rs1 == 0 && op != kAnd) return set_const(d.rd, static_cast<uint32_t>(d.imm));  // li
  const Reg r = dest(d.rd);
  if (op == kAdd && in_host(d.rs1)) {
    as_->lea32(r, Mem{host(d.rs1), d.imm});
  } else {
    load_guest(r, d.rs1);
    as_->alu32(op, r, d.imm);
  }
  store_guest(d.rd, r);
}

void Jit::Compiler::emit_shift_imm(Shift op, const Decoded& d) {
  if (d.rd == 0) return;
  const Reg r = dest(d.rd);
  load_guest(r, d.rs1);
  if (d.imm & 31) as_->shift32(op, r, static_cast<uint8_t>(d.imm));
  store_guest(d.rd, r);
}

void Jit::Compiler::emit_shift_reg(Shift op, const Decoded& d) {
  if (d.rd == 0) return;
  load_guest(RCX, d.rs2);  // first: rd may be rs2
  const Reg r = dest(d.rd);
  load_guest(r, d.rs1);
  as_->shift32_cl(op, r);
  store_guest(d.rd, r);
}

void Jit::Compiler::emit_set(Cond c, const Decoded& d, bool imm_form) {
  if (d.rd == 0) return;
  const Reg a = read_reg(d.rs1, RAX);
  if (imm_form) as_->alu32(kCmp, a, d.imm);
  else as_->alu32(kCmp, a, src(d.rs2));
  as_->setcc(c, RAX);
  const Reg r = dest(d.rd);
  as_->movzx8(r, RAX);
  store_guest(d.rd, r);
}

void Jit::Compiler::emit_mulh(const Decoded& d, bool signed1, bool signed2) {
  if (d.rd == 0) return;
  load_guest(RAX, d.rs1);
  if (signed1) as_->movsxd(RAX, RAX);
  load_guest(RCX, d.rs2);
  if (signed2) as_->movsxd(RCX, RCX);
  as_->imul64(RAX, RCX);  // the low 64 bits of the product are right for every signedness
  as_->shift64(kShr, RAX, 32);
  store_guest(d.rd, RAX);
}

// RISC-V division never traps: x/0 = -1 (all ones), x%0 = x, INT_MIN/-1 = INT_MIN with
// remainder 0. Signed division is done in 64 bits, where INT_MIN/-1 cannot overflow.
void Jit::Compiler::emit_div(const Decoded& d) {
  if (d.rd == 0) return;
  const bool is_signed = d.op == Op::DIV || d.op == Op::REM;
  const bool quotient = d.op == Op::DIV || d.op == Op::DIVU;
  Label& by_zero = new_label();
  Label& done = new_label();
  load_guest(RCX, d.rs2);
  load_guest(RAX, d.rs1);
  as_->test32(RCX, RCX);
  as_->jcc(kE, by_zero);
  if (is_signed) {
    as_->movsxd(RAX, RAX);
    as_->movsxd(RCX, RCX);
    as_->cqo();
    as_->idiv64(RCX);
  } else {
    as_->alu32(kXor, RDX, RDX);
    as_->div32(RCX);
  }
  as_->jmp(done);
  as_->bind(by_zero);
  if (quotient) as_->mov32(RAX, 0xFFFF'FFFFu);
  else as_->mov32(RDX, RAX);
  as_->bind(done);
  store_guest(d.rd, quotient ? RAX : RDX);
}

void Jit::Compiler::emit_minmax(Cond take_rs2, const Decoded& d) {
  if (d.rd == 0) return;
  const Reg b = read_reg(d.rs2, RCX);
  load_guest(RAX, d.rs1);
  as_->alu32(kCmp, RAX, b);
  as_->cmov32(take_rs2, RAX, b);
  store_guest(d.rd, RAX);
}

void Jit::Compiler::emit_bitcount(const Decoded& d) {
  if (d.rd == 0) return;
  const Reg s = read_reg(d.rs1, RCX);
  switch (d.op) {
    case Op::CLZ:  // bsr gives the index of the top set bit; 63 ^ 31 = 32 for zero
      as_->bsr32(RAX, s);
      as_->mov32(RCX, 63u);
      as_->cmov32(kE, RAX, RCX);
      as_->alu32(kXor, RAX, 31);
      break;
    case Op::CTZ:
      as_->bsf32(RAX, s);
      as_->mov32(RCX, 32u);
      as_->cmov32(kE, RAX, RCX);
      break;
    default:
      as_->popcnt32(RAX, s);
      break;
  }
  store_guest(d.rd, RAX);
}

// rd = fn(rs1, rs2) through a C call: dirty registers go to memory first, the call may
// clobber the caller-saved ones, which are reloaded from memory after it.
void Jit::Compiler::emit_pure_call(uint64_t (*fn)(uint32_t, uint32_t), const Decoded& d) {
  if (d.rd == 0) return;
  write_back(dirty_);
  if (d.rs1) as_->mov32(RDI, greg(d.rs1));
  else as_->mov32(RDI, 0u);
  if (d.rs2) as_->mov32(RSI, greg(d.rs2));
  else as_->mov32(RSI, 0u);
  as_->mov64(RAX, reinterpret_cast<uint64_t>(fn));
  as_->call(RAX);
  reload_caller_saved();
  store_guest(d.rd, RAX);
}

void Jit::Compiler::emit_address(const Decoded& d) {
  if (d.rs1 == 0) {
    as_->mov32(RAX, static_cast<uint32_t>(d.imm));
  } else if (in_host(d.rs1)) {
    as_->lea32(RAX, Mem{host(d.rs1), d.imm});
  } else {
    as_->mov32(RAX, greg(d.rs1));
    if (d.imm) as_->alu32(kAdd, RAX, d.imm);
  }
}

// The interpreter's fast path, inline: a page bias from read_bias_ and an alignment check.
void Jit::Compiler::emit_load(const Insn& in, unsigned remaining) {
  const Decoded& d = in.d;
  unsigned size = 4;
  bool sign = false;
  switch (d.op) {
    case Op::LB: size = 1; sign = true; break;
    case Op::LBU: size = 1; break;
    case Op::LH: size = 2; sign = true; break;
    case Op::LHU: size = 2; break;
    default: break;
  }
  const uint32_t dirty_before = dirty_;
  Label& slow = new_label();
  Label& done = new_label();
  emit_address(d);
  as_->mov32(RCX, RAX);
  as_->shift32(kShr, RCX, kPageShift);
  as_->mov64(RCX, Mem{R14, 0, RCX, 3});
  as_->test64(RCX, RCX);
  as_->jcc(kE, slow);
  if (size > 1) {
    as_->test8(RAX, static_cast<uint8_t>(size - 1));
    as_->jcc(kNE, slow);
  }
  const Reg r = d.rd == 0 ? NOREG : (in_host(d.rd) ? host(d.rd) : RDX);
  const Mem at{RCX, 0, RAX, 0};
  if (r != NOREG) {
    if (size == 4) as_->mov32(r, at);
    else if (size == 2) sign ? as_->movsx16(r, at) : as_->movzx16(r, at);
    else sign ? as_->movsx8(r, at) : as_->movzx8(r, at);
  }
  as_->bind(done);
  if (r == RDX) as_->mov32(greg(d.rd), RDX);
  if (r != NOREG && r != RDX) dirty_ |= 1u << d.rd;

  const uint32_t meta = size | (sign ? 8u : 0u) | (uint32_t{d.len} << 8) | (uint32_t{d.rd} << 16);
  Label& exit = helper_exit(remaining);
  cold_.push_back([this, &slow, &done, &exit, r, dirty_before, meta, pc = in.pc, remaining] {
    as_->bind(slow);
    write_back(dirty_before);
    as_->mov32(RSI, RAX);
    as_->mov64(RDI, reinterpret_cast<uint64_t>(&jit_));
    as_->mov32(RDX, pc);
    as_->mov32(RCX, meta);
    as_->lea64(R8, Mem{R15, static_cast<int32_t>(remaining)});
    as_->mov64(RAX, reinterpret_cast<uint64_t>(&Jit::load_helper));
    as_->call(RAX);
    as_->bt64(RAX, 32);
    as_->jcc(kB, exit);
    reload_caller_saved();
    if (r != NOREG) as_->mov32(r, RAX);
    as_->jmp(done);
  });
}

void Jit::Compiler::emit_store(const Insn& in, unsigned remaining) {
  const Decoded& d = in.d;
  const unsigned size = d.op == Op::SB ? 1 : d.op == Op::SH ? 2 : 4;
  Label& slow = new_label();
  Label& done = new_label();
  emit_address(d);
  as_->mov32(RDX, RAX);
  as_->shift32(kShr, RDX, kPageShift);
  as_->mov64(RCX, Mem{RBP, d_wbias_});
  as_->mov64(RCX, Mem{RCX, 0, RDX, 3});
  as_->test64(RCX, RCX);
  as_->jcc(kE, slow);
  if (size > 1) {
    as_->test8(RAX, static_cast<uint8_t>(size - 1));
    as_->jcc(kNE, slow);
  }
  const Mem at{RCX, 0, RAX, 0};
  if (d.rs2 == 0) {
    if (size == 4) as_->mov32(at, 0);
    else if (size == 2) as_->mov16(at, int16_t{0});
    else as_->mov8(at, int8_t{0});
  } else {
    const Reg v = read_reg(d.rs2, RDX);
    if (size == 4) as_->mov32(at, v);
    else if (size == 2) as_->mov16(at, v);
    else as_->mov8(at, v);
  }
  as_->bind(done);

  const uint32_t meta = size | (uint32_t{d.len} << 8);
  Label& exit = helper_exit(remaining);
  cold_.push_back([this, &slow, &done, &exit, rs2 = d.rs2, dirty_before = dirty_, meta, pc = in.pc, remaining] {
    as_->bind(slow);
    write_back(dirty_before);
    as_->mov32(RSI, RAX);
    if (rs2) as_->mov32(RDX, greg(rs2));
    else as_->mov32(RDX, 0u);
    as_->mov64(RDI, reinterpret_cast<uint64_t>(&jit_));
    as_->mov32(RCX, pc);
    as_->mov32(R8, meta);
    as_->lea64(R9, Mem{R15, static_cast<int32_t>(remaining)});
    as_->mov64(RAX, reinterpret_cast<uint64_t>(&Jit::store_helper));
    as_->call(RAX);
    as_->bt64(RAX, 32);
    as_->jcc(kB, exit);
    reload_caller_saved();
    as_->jmp(done);
  });
}

// Sets the flags for a branch and returns the condition under which it is taken.
// Both operands x0 is left to the caller (the condition is a constant).
Cond Jit::Compiler::emit_compare(const Decoded& d) {
  Cond c;
  switch (d.op) {
    case Op::BEQ: c = kE; break;
    case Op::BNE: c = kNE; break;
    case Op::BLT: c = kL; break;
    case Op::BGE: c = kGE; break;
    case Op::BLTU: c = kB; break;
    default: c = kAE; break;
  }
  unsigned a = d.rs1, b = d.rs2;
  if (a == 0) {  // compare b with zero, the other way round
    std::swap(a, b);
    switch (c) {
      case kL: c = kG; break;
      case kGE: c = kLE; break;
      case kB: c = kA; break;
      case kAE: c = kBE; break;
      default: break;
    }
  }
  if (b == 0) {
    if (in_host(a)) as_->test32(host(a), host(a));
    else as_->alu32(kCmp, greg(a), 0);
  } else if (in_host(a)) {
    as_->alu32(kCmp, host(a), src(b));
  } else if (in_host(b)) {
    as_->alu32(kCmp, greg(a), host(b));
  } else {
    as_->mov32(RAX, greg(a));
    as_->alu32(kCmp, RAX, greg(b));
  }
  return c;
}

void Jit::Compiler::emit_branch(const Insn& in, Label& taken) {
  const Decoded& d = in.d;
  if (d.rs1 == 0 && d.rs2 == 0) {
    if (d.op == Op::BEQ || d.op == Op::BGE || d.op == Op::BGEU) as_->jmp(taken);
    return;
  }
  as_->jcc(emit_compare(d), taken);
}

bool Jit::Compiler::skippable(const Decoded& d) {
  switch (d.op) {
    case Op::LUI: case Op::ADDI: case Op::XORI: case Op::ORI: case Op::ANDI: case Op::SLLI: case Op::SRLI:
    case Op::SRAI: case Op::ADD: case Op::SUB: case Op::XOR: case Op::OR: case Op::AND:
      return true;
    default:
      return false;
  }
}

// The value a skippable instruction would write, into `out`, without writing it.
void Jit::Compiler::emit_value(const Decoded& d, Reg out) {
  switch (d.op) {
    case Op::LUI: return as_->mov32(out, static_cast<uint32_t>(d.imm));
    case Op::SLLI: case Op::SRLI: case Op::SRAI:
      load_guest(out, d.rs1);
      if (d.imm & 31) as_->shift32(d.op == Op::SLLI ? kShl : d.op == Op::SRLI ? kShr : kSar, out, static_cast<uint8_t>(d.imm));
      return;
    case Op::ADDI: case Op::XORI: case Op::ORI: case Op::ANDI:
      load_guest(out, d.rs1);
      as_->alu32(d.op == Op::ADDI ? kAdd : d.op == Op::XORI ? kXor : d.op == Op::ORI ? kOr : kAnd, out, d.imm);
      return;
    default: {
      const Alu op = d.op == Op::ADD ? kAdd : d.op == Op::SUB ? kSub : d.op == Op::XOR ? kXor : d.op == Op::OR ? kOr : kAnd;
      load_guest(out, d.rs1);
      as_->alu32(op, out, src(d.rs2));
      return;
    }
  }
}

// A branch over one instruction, without branching: the instruction's value is computed
// anyway and committed with a cmov when the branch is not taken. The block charged the
// long path; a taken branch gives the skipped instruction's cycle back.
void Jit::Compiler::emit_skip(const Block& b) {
  const Decoded& x = b.skipped.d;
  if (x.rd) emit_value(x, RDX);
  const Cond taken = emit_compare(b.insns.back().d);
  const Cond not_taken = static_cast<Cond>(taken ^ 1);
  if (x.rd && in_host(x.rd)) {
    as_->cmov32(not_taken, host(x.rd), RDX);
    dirty_ |= 1u << x.rd;
  } else if (x.rd) {
    as_->mov32(RCX, greg(x.rd));
    as_->cmov32(not_taken, RCX, RDX);
    as_->mov32(greg(x.rd), RCX);
  }
  as_->setcc(taken, RCX);
  as_->movzx8(RCX, RCX);
  as_->alu64(kAdd, R15, RCX);
}

void Jit::Compiler::emit_insn(const Insn& in, unsigned remaining) {
  const Decoded& d = in.d;
  switch (d.op) {
    case Op::LUI: return set_const(d.rd, static_cast<uint32_t>(d.imm));
    case Op::AUIPC: return set_const(d.rd, in.pc + static_cast<uint32_t>(d.imm));
    case Op::ADDI: return emit_alu_ri(kAdd, d);
    case Op::XORI: return emit_alu_ri(kXor, d);
    case Op::ORI: return emit_alu_ri(kOr, d);
    case Op::ANDI: return emit_alu_ri(kAnd, d);
    case Op::SLTI: return emit_set(kL, d, true);
    case Op::SLTIU: return emit_set(kB, d, true);
    case Op::SLLI: return emit_shift_imm(kShl, d);
    case Op::SRLI: return emit_shift_imm(kShr, d);
    case Op::SRAI: return emit_shift_imm(kSar, d);
    case Op::RORI: return emit_shift_imm(kRor, d);
    case Op::ADD: return emit_alu_rr(kAdd, true, d);
    case Op::SUB: return emit_alu_rr(kSub, false, d);
    case Op::XOR: return emit_alu_rr(kXor, true, d);
    case Op::OR: return emit_alu_rr(kOr, true, d);
    case Op::AND: return emit_alu_rr(kAnd, true, d);
    case Op::SLL: return emit_shift_reg(kShl, d);
    case Op::SRL: return emit_shift_reg(kShr, d);
    case Op::SRA: return emit_shift_reg(kSar, d);
    case Op::ROL: return emit_shift_reg(kRol, d);
    case Op::ROR: return emit_shift_reg(kRor, d);
    case Op::SLT: return emit_set(kL, d, false);
    case Op::SLTU: return emit_set(kB, d, false);
    case Op::FENCE: case Op::FENCE_I: return;  // stores to code invalidate eagerly
    case Op::LB: case Op::LH: case Op::LW: case Op::LBU: case Op::LHU: return emit_load(in, remaining);
    case Op::SB: case Op::SH: case Op::SW: return emit_store(in, remaining);
    case Op::MUL: {
      if (d.rd == 0) return;
      unsigned a = d.rs1, b = d.rs2;
      if (d.rd == b && d.rd != a) std::swap(a, b);
      const Reg r = (in_host(d.rd) && (d.rd != b || d.rd == a)) ? host(d.rd) : RAX;
      load_guest(r, a);
      as_->imul32(r, src(b));
      return store_guest(d.rd, r);
    }
    case Op::MULH: return emit_mulh(d, true, true);
    case Op::MULHSU: return emit_mulh(d, true, false);
    case Op::MULHU: return emit_mulh(d, false, false);
    case Op::DIV: case Op::DIVU: case Op::REM: case Op::REMU: return emit_div(d);
    case Op::SH1ADD: case Op::SH2ADD: case Op::SH3ADD: {
      if (d.rd == 0) return;
      const uint8_t scale = d.op == Op::SH1ADD ? 1 : d.op == Op::SH2ADD ? 2 : 3;
      const Reg a = read_reg(d.rs1, RAX), b = read_reg(d.rs2, RCX);
      const Reg r = dest(d.rd);
      as_->lea32(r, Mem{b, 0, a, scale});
      return store_guest(d.rd, r);
    }
    case Op::ANDN: case Op::ORN: {
      if (d.rd == 0) return;
      load_guest(RAX, d.rs2);
      as_->not32(RAX);
      as_->alu32(d.op == Op::ANDN ? kAnd : kOr, RAX, src(d.rs1));
      return store_guest(d.rd, RAX);
    }
    case Op::XNOR: {
      if (d.rd == 0) return;
      load_guest(RAX, d.rs1);
      as_->alu32(kXor, RAX, src(d.rs2));
      as_->not32(RAX);
      return store_guest(d.rd, RAX);
    }
    case Op::CLZ: case Op::CTZ: return emit_bitcount(d);
    case Op::CPOP: return popcnt_ ? emit_bitcount(d) : emit_pure_call(helper_cpop, d);
    case Op::MAX: return emit_minmax(kL, d);
    case Op::MIN: return emit_minmax(kG, d);
    case Op::MAXU: return emit_minmax(kB, d);
    case Op::MINU: return emit_minmax(kA, d);
    case Op::SEXT_B: case Op::SEXT_H: case Op::ZEXT_H: {
      if (d.rd == 0) return;
      const Reg s = read_reg(d.rs1, RAX);
      const Reg r = dest(d.rd);
      if (d.op == Op::SEXT_B) as_->movsx8(r, s);
      else if (d.op == Op::SEXT_H) as_->movsx16(r, s);
      else as_->movzx16(r, s);
      return store_guest(d.rd, r);
    }
    case Op::REV8: {
      if (d.rd == 0) return;
      const Reg r = dest(d.rd);
      load_guest(r, d.rs1);
      as_->bswap32(r);
      return store_guest(d.rd, r);
    }
    case Op::ORC_B: return emit_pure_call(helper_orc_b, d);
    case Op::CLMUL: return emit_pure_call(helper_clmul, d);
    case Op::CLMULH: return emit_pure_call(helper_clmulh, d);
    case Op::CLMULR: return emit_pure_call(helper_clmulr, d);
    case Op::BCLR: case Op::BSET: case Op::BINV: case Op::BEXT: {
      if (d.rd == 0) return;
      load_guest(RCX, d.rs2);
      const Reg r = dest(d.rd);
      load_guest(r, d.rs1);
      if (d.op == Op::BCLR) as_->btr32(r, RCX);
      else if (d.op == Op::BSET) as_->bts32(r, RCX);
      else if (d.op == Op::BINV) as_->btc32(r, RCX);
      else {
        as_->shift32_cl(kShr, r);
        as_->alu32(kAnd, r, 1);
      }
      return store_guest(d.rd, r);
    }
    case Op::BCLRI: case Op::BSETI: case Op::BINVI: case Op::BEXTI: {
      if (d.rd == 0) return;
      const uint32_t bitmask = 1u << (d.imm & 31);
      const Reg r = dest(d.rd);
      load_guest(r, d.rs1);
      if (d.op == Op::BCLRI) as_->alu32(kAnd, r, static_cast<int32_t>(~bitmask));
      else if (d.op == Op::BSETI) as_->alu32(kOr, r, static_cast<int32_t>(bitmask));
      else if (d.op == Op::BINVI) as_->alu32(kXor, r, static_cast<int32_t>(bitmask));
      else {
        if (d.imm & 31) as_->shift32(kShr, r, static_cast<uint8_t>(d.imm));
        as_->alu32(kAnd, r, 1);
      }
      return store_guest(d.rd, r);
    }
    default:
      // Control transfers are block terminators (emit_block); nothing else gets here.
      as_->int3();
      return;
  }
}

// ---------------------------------------------------------------------------------------
// The tier.

bool Jit::available(const HartConfig& config) {
  if (!config.jit) return false;
  const char* off = std::getenv("CALEMU_NO_JIT");
  return !(off && *off && std::strcmp(off, "0") != 0);
}

Jit::Jit(Hart& hart) : hart_(hart), rt_(std::make_unique<Runtime>()), dump_dir_(std::getenv("CALEMU_JIT_DUMP")) {}

// CALEMU_JIT_DUMP=<dir>: each translation's machine code goes to <dir>/tu_<pc>_<host>.bin,
// to read with objdump -D -b binary -mi386:x86-64 --adjust-vma=0x<host>.
void Jit::dump(uint32_t pc, uintptr_t at, const std::vector<uint8_t>& code) const {
  char name[512];
  std::snprintf(name, sizeof name, "%s/tu_%08x_%llx.bin", dump_dir_, pc, static_cast<unsigned long long>(at));
  if (FILE* f = std::fopen(name, "wb")) {
    std::fwrite(code.data(), 1, code.size(), f);
    std::fclose(f);
  }
}

Jit::~Jit() = default;

namespace {

// enter(regs, entry, left): saves the callee-saved registers, sets up rbp/r14/r15 and
// jumps into translated code; translated code leaves through the epilogue, which
// returns {r15, rdx}.
void emit_trampoline(Assembler& a, int32_t d_read_bias, Label& epilogue) {
  for (Reg r : {RBX, RBP, R12, R13, R14, R15}) a.push(r);
  a.alu64(kSub, RSP, 8);  // keeps rsp 16-byte aligned at the helpers' call sites
  a.mov64(RBP, RDI);
  a.mov64(R15, RDX);
  a.mov64(R14, Mem{RBP, d_read_bias});
  a.jmp(RSI);
  a.bind(epilogue);
  a.mov64(RAX, R15);
  a.alu64(kAdd, RSP, 8);
  for (Reg r : {R15, R14, R13, R12, RBP, RBX}) a.pop(r);
  a.ret();
}

}  // namespace

void Jit::make_cache() {
  cache_ = std::make_unique<CodeCache>();
  Assembler a(cache_->cursor());
  Label epilogue;
  emit_trampoline(a,
                  static_cast<int32_t>(reinterpret_cast<const char*>(&hart_.read_bias_) -
                                       reinterpret_cast<const char*>(hart_.x_)),
                  epilogue);
  cache_->append(a.bytes());
  cache_->enter = reinterpret_cast<EnterFn>(a.origin());
  cache_->epilogue = a.origin() + static_cast<uintptr_t>(epilogue.pos());
  cache_->start = cache_->used;
}

void Jit::execute(uint64_t budget) {
  Hart& h = hart_;
  uint64_t left = budget;
  while (left != 0 && !h.attention_) {
    bool page_ok = false;
    const void* entry = lookup(h.pc_, page_ok);
    if (!entry) {
      left -= interpret(page_ok ? 1 : std::min(left, kInterpretChunk));
      if (h.sleeping()) return;
      continue;
    }
    run_left_ = left;
    run_retired_ = h.retired_;
    run_stall_ = h.stall_cycles_;
    run_traps_ = 0;
    in_native_ = true;
    must_exit_ = false;
    ++stats_.native_entries;
    const NativeExit r = cache_->enter(h.x_, entry, left);
    in_native_ = false;
    left = r.left;
    h.retired_ = run_retired_ + (run_left_ - left) - run_traps_;
    h.stall_cycles_ = run_stall_ + run_traps_;
    h.sync_time();
    if (pending_exception_) std::rethrow_exception(std::exchange(pending_exception_, nullptr));
    if (r.site == kBudgetSite) {
      if (left != 0) left -= interpret(left);  // fewer cycles than the block has instructions
    } else if (r.site != kNoSite) {
      link(r.site, h.pc_);
    }
  }
}

uint64_t Jit::interpret(uint64_t budget) {
  stats_.interpreted_steps += 1;
  return hart_.execute(budget);
}

// The host entry for pc, translating on a miss; null when the interpreter must run it.
// page_ok says whether the page itself is fine (so only this instruction is not).
const void* Jit::lookup(uint32_t pc, bool& page_ok) {
  Runtime::Slot& slot = rt_->slot(pc);
  page_ok = true;
  if (slot.key == (rt_->epoch_hi | pc)) return slot.host;
  if (!hart_.exec_page_[pc >> kPageShift] && !hart_.code_page_for(pc)) {
    page_ok = false;
    return nullptr;
  }
  auto it = entries_.find(pc);
  const void* host = it != entries_.end() ? it->second.host : translate(pc);
  if (host) {
    Runtime::Slot& s = rt_->slot(pc);  // translate() may have flushed everything
    s.key = rt_->epoch_hi | pc;
    s.host = host;
  }
  return host;
}

const void* Jit::translate(uint32_t pc) {
  const uint32_t page = pc >> kPageShift;
  const bus::Region* region = hart_.bus_.find(pc);
  const uint8_t* bytes = region->memory->data() + ((page << kPageShift) - region->base);
  if (!cache_) make_cache();
  Compiler code(*this, hart_, *rt_, cache_->epilogue, pc);
  if (!code.discover(bytes)) {
    entries_[pc] = Entry{};
    pages_[page].untranslatable.push_back(pc);
    return nullptr;
  }
  code.compile(cache_->cursor());
  if (code.bytes().size() + 16 > cache_->room()) {
    flush_all();
    code.compile(cache_->cursor());
  }
  const uintptr_t at = cache_->append(code.bytes());
  if (dump_dir_) dump(pc, at, code.bytes());
  stats_.code_bytes = cache_->used;
  ++stats_.translations;

  auto tu = std::make_unique<Tu>();
  tu->page = page;
  for (const auto& b : code.blocks()) {
    tu->ranges.emplace_back(b.start, b.end);
    const void* host = reinterpret_cast<const void*>(at + code.external_offset(b));
    if (entries_.try_emplace(b.start, Entry{host, tu.get()}).second) tu->entry_pcs.push_back(b.start);
  }
  pages_[page].tus.push_back(tu.get());
  tus_.push_back(std::move(tu));
  return entries_[pc].host;
}

// A direct exit at `site` went to pc: point its jmp at pc's entry, so next time it
// goes there without the dispatcher.
void Jit::link(uintptr_t site, uint32_t pc) {
  const uint64_t generation = flush_generation_;
  bool page_ok;
  const void* host = lookup(pc, page_ok);
  if (!host || generation != flush_generation_) return;
  int32_t rel;
  std::memcpy(&rel, reinterpret_cast<const void*>(site + 1), 4);
  if (rel != 0) return;  // already linked
  const intptr_t target = reinterpret_cast<intptr_t>(host) - static_cast<intptr_t>(site + 5);
  rel = static_cast<int32_t>(target);
  cache_->write(site + 1, &rel, 4);
  entries_[pc].tu->incoming.push_back(site);
  ++stats_.links;
}

void Jit::invalidate(Tu& tu) {
  tu.valid = false;
  for (uint32_t pc : tu.entry_pcs) {
    auto it = entries_.find(pc);
    if (it != entries_.end() && it->second.tu == &tu) entries_.erase(it);
  }
  const int32_t unlinked = 0;
  for (uintptr_t site : tu.incoming) cache_->write(site + 1, &unlinked, 4);
  tu.incoming.clear();
  ++stats_.invalidations;
}

void Jit::flush_all() {
  entries_.clear();
  pages_.clear();
  tus_.clear();
  if (cache_) cache_->used = cache_->start;
  rt_->new_epoch();
  ++flush_generation_;
  ++stats_.flushes;
}

void Jit::tlb_flushed() { rt_->new_epoch(); }

void Jit::code_written(uint32_t addr, uint32_t len) {
  if (pages_.empty() || len == 0) return;
  const uint64_t lo = addr, hi = uint64_t{addr} + len;
  bool killed = false;
  for (uint64_t page = lo >> kPageShift; page <= (hi - 1) >> kPageShift; ++page) {
    auto it = pages_.find(static_cast<uint32_t>(page));
    if (it == pages_.end()) continue;
    PageInfo& p = it->second;
    for (Tu* tu : p.tus) {
      if (tu->valid && tu->overlaps(lo, hi)) {
        invalidate(*tu);
        killed = true;
      }
    }
    std::erase_if(p.tus, [](const Tu* tu) { return !tu->valid; });
    for (uint32_t pc : p.untranslatable) {
      auto e = entries_.find(pc);
      if (e != entries_.end() && !e->second.host) entries_.erase(e);
    }
    p.untranslatable.clear();
  }
  if (!killed) return;
  rt_->new_epoch();
  if (in_native_) must_exit_ = true;
}

// ---- called from translated code ----

void Jit::sync_time(uint64_t left_before) {
  hart_.retired_ = run_retired_ + (run_left_ - left_before) - run_traps_;
  hart_.stall_cycles_ = run_stall_ + run_traps_;
  hart_.sync_time();
}

void Jit::take_trap(const Trap& trap, uint32_t epc, uint64_t left_before) {
  // As the interpreter's take_trap: the instruction did not retire; the trap costs a cycle.
  ++run_traps_;
  sync_time(left_before - 1);
  hart_.enter_trap(trap.cause, trap.tval, trap.mscause, epc);
}

uint64_t Jit::load(uint32_t addr, uint32_t pc, uint32_t meta, uint64_t left_before) {
  Hart& h = hart_;
  const unsigned size = meta & 7, rd = meta >> 16;
  sync_time(left_before);
  h.pc_ = pc;
  uint32_t v = 0;
  Trap trap;
  if (!h.load_slow(addr, size, v, trap)) {
    take_trap(trap, pc, left_before);
    return kExitBit;
  }
  if (meta & 8) v = size == 1 ? static_cast<uint32_t>(static_cast<int8_t>(v)) : static_cast<uint32_t>(static_cast<int16_t>(v));
  else if (size < 4) v &= size == 1 ? 0xFFu : 0xFFFFu;
  if (h.attention_ || must_exit_) {
    if (rd) h.x_[rd] = v;
    h.pc_ = pc + ((meta >> 8) & 7);
    return kExitBit | v;
  }
  return v;
}

uint64_t Jit::store(uint32_t addr, uint32_t value, uint32_t pc, uint32_t meta, uint64_t left_before) {
  Hart& h = hart_;
  sync_time(left_before);
  h.pc_ = pc;
  Trap trap;
  if (!h.store_slow(addr, meta & 7, value, trap)) {
    take_trap(trap, pc, left_before);
    return kExitBit;
  }
  if (h.attention_ || must_exit_) {
    h.pc_ = pc + ((meta >> 8) & 7);
    return kExitBit;
  }
  return 0;
}

// Exceptions must not unwind through translated code (it has no unwind tables): a device
// that throws makes the translated code leave, and execute() rethrows.
uint64_t Jit::load_helper(Jit* jit, uint32_t addr, uint32_t pc, uint32_t meta, uint64_t left_before) {
  try {
    return jit->load(addr, pc, meta, left_before);
  } catch (...) {
    jit->pending_exception_ = std::current_exception();
    return kExitBit;
  }
}

uint64_t Jit::store_helper(Jit* jit, uint32_t addr, uint32_t value, uint32_t pc, uint32_t meta,
                           uint64_t left_before) {
  try {
    return jit->store(addr, value, pc, meta, left_before);
  } catch (...) {
    jit->pending_exception_ = std::current_exception();
    return kExitBit;
  }
}

#else  // not x86-64: the interpreter runs alone

struct Jit::CodeCache {};
struct Jit::Runtime {};
struct Jit::Tu {};
bool Jit::available(const HartConfig&) { return false; }
Jit::Jit(Hart& hart) : hart_(hart) {}
Jit::~Jit() = default;
void Jit::execute(uint64_t budget) { hart_.execute(budget); }
void Jit::tlb_flushed() {}
void Jit::code_written(uint32_t, uint32_t) {}

#endif

}  // namespace calemu::rv
