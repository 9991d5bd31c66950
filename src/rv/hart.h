// A VeeR EL2 hart: RV32IMC + Zicsr/Zifencei/Zba/Zbb/Zbc/Zbs, M and (optionally) U mode,
// PMP/Smepmp, the VeeR custom CSRs, internal timers and the PIC.
//
// Execution is a predecoded, threaded interpreter: every 4 KiB code page gets an array of
// decoded entries (one per halfword), filled lazily and invalidated by stores to it.
// Loads and stores to plain memory go through per-page host pointers; everything else
// (MMIO, misaligned, PMP-restricted) takes a slow path with the full VeeR rules.
// Time is the count of retired instructions plus cycles spent asleep (docs/hart.md).
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "bus/address_space.h"
#include "bus/timeline.h"
#include "rv/isa.h"
#include "rv/pic.h"
#include "rv/pmp.h"
#include "rv/trap.h"

namespace calemu::rv {

struct AddrRange {
  uint32_t base = 0, size = 0;
  bool contains(uint32_t a) const { return a - base < size; }
};

struct HartConfig {
  std::string name = "hart";
  uint32_t reset_vector = 0;
  uint32_t nmi_vector = 0;        // the nmi_vec input; SoCs may change it at run time
  uint32_t mhartid = 0;
  uint32_t pic_base = 0x6000'0000;
  unsigned pic_sources = 31;      // highest external interrupt source id
  bool fast_interrupt_redirect = true;
  unsigned pmp_entries = 64;      // 0, 16 or 64
  bool user_mode = true;
  bool smepmp = true;             // needs user_mode
  AddrRange dccm;                 // core-local data memory (size 0: none)
  AddrRange iccm;                 // core-local instruction memory (size 0: none)
  // Where instruction fetch can reach (empty: anything mapped). On Caliptra the IFU sees
  // only the ROM and the ICCM; fetching from the DCCM or the mailbox faults.
  std::vector<AddrRange> fetch_ranges;
  // D-bus errors are imprecise NMIs on VeeR (mcause 0xF000_0000/1). A generic machine
  // may prefer precise access faults, which say exactly which instruction failed.
  bool dbus_error_nmi = true;
  bool zba = true, zbb = true, zbc = true, zbs = true;
  // Translate hot code to host machine code (x86-64 hosts; CALEMU_NO_JIT=1 also turns it
  // off). Purely a speed choice: results, counts and timing are the same either way.
  bool jit = true;
};

enum class StopReason : uint8_t {
  Limit,  // the instruction budget ran out
  Idle,   // asleep (wfi / mpmc halt) with nothing scheduled that could wake it
  Stop,   // request_stop() was called (a device asked the machine to exit)
  Fatal,  // the core cannot continue: trap handler unreachable (double fault)
};

// One retired (or trapping) instruction, for --trace.
struct TraceRecord {
  uint32_t pc = 0;
  uint32_t raw = 0;
  uint8_t len = 4;
  int8_t rd = -1;            // register written, -1 for none
  uint32_t rd_value = 0;
  bool trapped = false;      // the instruction did not retire: a trap was taken
  uint32_t cause = 0, tval = 0;
};

class Jit;

class Hart final : public bus::CodeObserver {
 public:
  Hart(const HartConfig& config, bus::AddressSpace& bus, bus::Timeline& timeline);
  ~Hart() override;
  Hart(const Hart&) = delete;
  Hart& operator=(const Hart&) = delete;

  void reset();
  // Runs until max_instructions retire or the cycle count reaches cycle_limit.
  StopReason run(uint64_t max_instructions, uint64_t cycle_limit = ~0ull);
  // Time passed while the core was held in reset: move the hart's clock forward.
  void skip_to(uint64_t cycle);
  // Makes run() return StopReason::Stop at the next instruction boundary.
  void request_stop() { stop_requested_ = true; attention_ = true; }
  bool stop_requested() const { return stop_requested_; }
  const std::string& fatal_message() const { return fatal_; }

  // Inputs from the SoC.
  Pic& pic() { return pic_; }
  void set_nmi_vector(uint32_t v) { nmi_vector_ = v; }
  void raise_nmi(uint32_t mcause = kNmiPin);
  void set_timer_irq(bool level) { set_mip_bit(7, level); }
  void set_soft_irq(bool level) { set_mip_bit(3, level); }
  // Invalidate cached translations, e.g. after a memory's write permission changed.
  void flush_tlb();

  // Architectural state.
  uint32_t pc() const { return pc_; }
  void set_pc(uint32_t pc) { pc_ = pc & ~1u; }
  uint32_t reg(unsigned i) const { return i < 32 ? x_[i] : 0; }
  void set_reg(unsigned i, uint32_t v) { if (i && i < 32) x_[i] = v; }
  bool user_mode() const { return user_; }
  bool sleeping() const { return wfi_ || halted_ || paused_; }
  uint64_t retired() const { return retired_; }  // instructions retired since construction
  uint64_t cycles() const { return retired_ + stall_cycles_; }
  // CSR access with M-mode rights and no side effects on other state (debuggers, tests).
  bool peek_csr(uint16_t num, uint32_t& value);

  void set_trace(std::function<void(const TraceRecord&)> sink) { trace_ = std::move(sink); }
  // Called when execution reaches a 4 KiB code page it has no translation for (first
  // entry, or after a TLB flush): lets a machine notice e.g. a jump into the ICCM.
  std::function<void(uint32_t page_base)> on_code_page;
  const HartConfig& config() const { return cfg_; }
  const Jit* jit() const { return jit_.get(); }  // null when the interpreter runs alone
  bus::AddressSpace& bus() { return bus_; }

  // bus::CodeObserver
  void code_written(uint32_t addr, uint32_t len) override;

  struct Insn;
  struct CodePage;

 private:
  friend class Jit;  // the translation tier (jit.cpp) shares the interpreter's state

  // Interpreter (exec.cpp).
  void init_handlers();
  uint64_t execute(uint64_t budget);
  void trace_step();
  bool extension_enabled(Ext e) const;
  void build_entry(Insn& e, uint32_t raw, uint32_t pc, bool cacheable_page);
  void mark_code_page(uint32_t addr);
  CodePage* code_page_for(uint32_t pc);
  CodePage* scratch_page_for(uint32_t pc, Trap& trap);
  bool fetch_raw(uint32_t pc, uint32_t& raw, Trap& trap);
  bool fetchable(uint32_t addr, unsigned size, Trap& trap, uint32_t fault_tval);

  // Memory slow paths: false means a precise trap was raised into `trap`.
  bool load_slow(uint32_t addr, unsigned size, uint32_t& value, Trap& trap);
  bool store_slow(uint32_t addr, unsigned size, uint32_t value, Trap& trap);
  bool data_rules(uint32_t addr, unsigned size, bool store, Trap& trap);
  bool bus_failed(uint32_t addr, bool store, Trap& trap);
  void map_data_page(uint32_t addr, bool store);
  bool in_pic_region(uint32_t addr) const;
  bool in_dccm_region(uint32_t addr) const;
  bool data_user() const;  // effective privilege for loads/stores is U

  // CSRs and traps (csr.cpp).
  bool csr_access(uint32_t op, uint16_t num, uint32_t src, bool do_write, uint32_t& old);
  bool csr_read(uint16_t num, uint32_t& value);
  bool csr_write(uint16_t num, uint32_t value);
  bool csr_exists(uint16_t num) const;
  uint64_t mcycle_value() const;
  uint64_t minstret_value() const;
  bool correctable_error_pending() const;
  void enter_trap(uint32_t cause, uint32_t tval, uint8_t mscause, uint32_t epc);
  void enter_nmi(uint32_t cause);
  void do_mret();
  bool take_interrupt();
  void set_mip_bit(unsigned bit, bool level);
  uint32_t mip() const;
  bool interrupts_enabled() const { return user_ || (mstatus_ & kMstatusMie); }
  bool wake_from_halt() const;
  void set_privilege(bool user);

  // Internal timers (timers.cpp).
  struct Timer {
    uint32_t base_value = 0;   // value at base_cycle
    uint64_t base_cycle = 0;
    uint32_t bound = 0xFFFF'FFFF;
    uint32_t ctl = 1;
    bool running = false;      // counting, given enable/halt state at base_cycle
    uint32_t prev_value = 0;   // value before base_cycle (cascaded timer 1 only)
  };
  uint32_t timer_value(unsigned t, uint64_t at) const;
  void timer_settle(unsigned t, uint64_t at);
  void end_pause();
  void timer_write(unsigned t, uint16_t which, uint32_t value);
  void timers_reschedule();
  void timer_fire(unsigned t);
  bool timer_counting(unsigned t) const;
  uint64_t timer_next_match(unsigned t) const;

  void note_interrupt_change() { attention_ = true; }
  uint64_t now() const { return retired_ + stall_cycles_; }
  void sync_time() { timeline_.advance_to(now()); }

  static constexpr uint32_t kMstatusMie = 1u << 3, kMstatusMpie = 1u << 7, kMstatusMpp = 3u << 11,
                            kMstatusMprv = 1u << 17;

  HartConfig cfg_;
  bus::AddressSpace& bus_;
  bus::Timeline& timeline_;
  Pic pic_;
  Pmp pmp_;

  // Registers: x_[32] is where writes to x0 land, so x_[0] stays zero without a branch.
  uint32_t x_[33] = {};
  uint32_t pc_ = 0;
  bool user_ = false;

  // CSR state.
  uint32_t mstatus_ = 0, mie_ = 0, mtvec_ = 0, mscratch_ = 0, mepc_ = 0, mcause_ = 0, mtval_ = 0;
  uint32_t mip_ext_ = 0;           // level inputs: MTIP, MSIP
  uint32_t mcounteren_ = 0, mcountinhibit_ = 0;
  uint32_t mrac_ = 0, mpmc_ = 2, mcgc_ = 0x200, mfdc_ = 0, mscause_ = 0, mfdht_ = 0, mfdhs_ = 0;
  uint32_t micect_ = 0, miccmect_ = 0, mdccmect_ = 0, mdseac_ = 0, meivt_ = 0;
  bool mdseac_locked_ = false;
  bool csr_priv_fault_ = false;    // the last failed CSR access was a U-mode privilege fault
  uint32_t tselect_ = 0, tdata1_[4] = {}, tdata2_[4] = {};
  uint32_t mhpmevent_[4] = {};
  uint64_t mhpmcounter_[4] = {};
  // mcycle/minstret are offsets from the internal counters, so counting costs nothing.
  int64_t mcycle_delta_ = 0, minstret_delta_ = 0;
  uint64_t mcycle_frozen_ = 0, minstret_frozen_ = 0;
  uint32_t nmi_vector_ = 0;
  bool nmi_pending_ = false;
  uint32_t nmi_cause_ = 0;

  Timer timers_[2];
  bus::Event timer_event_[2];
  uint32_t timer_pulse_ = 0;       // MITIP bits pulsing this cycle
  uint32_t timer_hold_ = 0;        // pulses held until the interrupt can be taken

  // Run state.
  uint64_t retired_ = 0;
  uint64_t stall_cycles_ = 0;      // cycles not spent retiring instructions (sleep, traps)
  bool wfi_ = false, halted_ = false, paused_ = false;
  uint64_t pause_until_ = 0;
  bool attention_ = false;         // leave the inner loop at the next boundary
  bool stop_requested_ = false;
  std::string fatal_;
  std::function<void(const TraceRecord&)> trace_;

  // Translation caches ("TLB"): per 4 KiB guest page, host bias (host = bias + addr) for
  // loads and stores, and the decoded page for fetch. Zero means "take the slow path".
  uintptr_t* read_bias_ = nullptr;
  uintptr_t* write_bias_ = nullptr;
  CodePage** exec_page_ = nullptr;
  std::vector<uint32_t> mapped_pages_;  // pages with any TLB entry, for flushing
  std::unordered_map<uint32_t, std::unique_ptr<CodePage>> code_pages_;
  std::unique_ptr<CodePage> scratch_;
  std::unique_ptr<Jit> jit_;
};

}  // namespace calemu::rv
