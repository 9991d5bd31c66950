// Register blocks as data. Each block declares one constexpr table of RegDef rows (name,
// offset, array length, reset, which bits are RW / W1C / W1S, who may access, which reset
// clears it) and overrides hooks only for registers with side effects. The generic path
// here handles storage, masks, arrays, sub-word accesses, traces and the register dump
// that `calemu regmap` prints and that is diffed against the RDL.
#pragma once
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "bus/device.h"

namespace calemu::bus {

enum class ResetKind : uint8_t {
  Cold,       // cptra_pwrgood: everything
  Warm,       // cptra_rst_b: all but the sticky (pwrgood-domain) registers
  FwUpdate,   // firmware-update reset: the core restarts, blocks mostly keep state
};

struct RegDef {
  enum Flags : uint16_t {
    kNoRead = 1 << 0,      // write-only: reads return 0
    kCpuWriteOnly = 1 << 1,  // the SoC's writes are dropped
    kSocWriteOnly = 1 << 2,  // the core's writes are dropped
    kCpuOnly = 1 << 3,       // invisible to the SoC (reads 0, writes dropped)
    kSticky = 1 << 4,        // kept across warm reset (pwrgood domain)
    kHookRead = 1 << 5,      // call RegBlock::read_hook
    kHookWrite = 1 << 6,     // call RegBlock::write_hook / after_write
  };
  std::string_view name;
  uint32_t offset = 0;
  uint16_t count_ = 1;
  uint16_t flags_ = 0;
  uint32_t reset_ = 0;
  uint32_t rw_ = 0xFFFF'FFFF;  // bits a write replaces
  uint32_t w1c_ = 0;           // bits cleared by writing 1
  uint32_t w1s_ = 0;           // bits set by writing 1
  uint32_t mask_ = 0xFFFF'FFFF;  // implemented bits; the rest read 0

  constexpr RegDef(std::string_view n, uint32_t off) : name(n), offset(off) {}
  constexpr RegDef count(uint16_t n) const { RegDef r = *this; r.count_ = n; return r; }
  constexpr RegDef reset(uint32_t v) const { RegDef r = *this; r.reset_ = v; return r; }
  constexpr RegDef rw(uint32_t m) const { RegDef r = *this; r.rw_ = m; r.mask_ = m | r.w1c_ | r.w1s_; return r; }
  constexpr RegDef ro(uint32_t m = 0xFFFF'FFFF) const { RegDef r = *this; r.rw_ = 0; r.w1c_ = 0; r.w1s_ = 0; r.mask_ = m; return r; }
  constexpr RegDef w1c(uint32_t m) const { RegDef r = *this; r.w1c_ = m; r.rw_ &= ~m; r.mask_ |= m; return r; }
  constexpr RegDef w1s(uint32_t m) const { RegDef r = *this; r.w1s_ = m; r.rw_ &= ~m; r.mask_ |= m; return r; }
  // Implemented bits; bits in m that no other rule makes writable are read-only.
  constexpr RegDef mask(uint32_t m) const { RegDef r = *this; r.mask_ = m; r.rw_ &= m; r.w1c_ &= m; r.w1s_ &= m; return r; }
  // A register this generation of the block does not have: no address, no storage.
  constexpr RegDef absent() const { RegDef r = *this; r.count_ = 0; return r; }
  constexpr bool exists() const { return count_ != 0; }
  constexpr RegDef wo() const { return with(kNoRead); }
  constexpr RegDef cpu_write_only() const { return with(kCpuWriteOnly); }
  constexpr RegDef soc_write_only() const { return with(kSocWriteOnly); }
  constexpr RegDef cpu_only() const { return with(kCpuOnly); }
  constexpr RegDef sticky() const { return with(kSticky); }
  constexpr RegDef hook_read() const { return with(kHookRead); }
  constexpr RegDef hook_write() const { return with(kHookWrite); }
  constexpr RegDef hooks() const { return with(kHookRead | kHookWrite); }
  constexpr RegDef with(uint16_t f) const { RegDef r = *this; r.flags_ |= f; return r; }
  constexpr bool has(uint16_t f) const { return (flags_ & f) != 0; }
  constexpr uint32_t ro_bits() const { return mask_ & ~(rw_ | w1c_ | w1s_); }
  // The access kind the RDL would print for the whole register.
  std::string_view access() const;
};

// Declares `enum Reg { ID... }` and `kRegs[]` from one list, so ids and rows never drift:
//   #define MY_REGS(X) X(CTRL, 0x10, .rw(0x3)) X(STATUS, 0x18, .ro(0x3))
//   CALEMU_REG_TABLE(MY_REGS)
#define CALEMU_REG_ENUM(id, off, ...) id,
#define CALEMU_REG_ROW(id, off, ...) ::calemu::bus::RegDef(#id, off) __VA_ARGS__,
#define CALEMU_REG_TABLE(LIST)                                    \
  enum Reg : unsigned { LIST(CALEMU_REG_ENUM) kNumRegs };         \
  static constexpr ::calemu::bus::RegDef kRegs[] = {LIST(CALEMU_REG_ROW)};

// Trace callback: block, register name with index, write?, value, requester.
using RegTrace = std::function<void(std::string_view block, const std::string& reg, bool write, uint32_t value,
                                    const Requester& who)>;

class RegBlock : public Device {
 public:
  RegBlock(std::string name, std::span<const RegDef> defs, uint32_t size);

  const char* name() const override { return name_.c_str(); }
  uint32_t size() const { return size_; }
  BusResult read(uint32_t offset, unsigned size, uint32_t& value, const Requester& who) override;
  BusResult write(uint32_t offset, unsigned size, uint32_t value, const Requester& who) override;
  std::string describe(uint32_t offset) const override;

  virtual void reset(ResetKind kind);

  // Register storage, by id and array index. Hardware-side updates go through these.
  uint32_t& reg(unsigned id, unsigned index = 0) { return values_[base_[id] + index]; }
  uint32_t reg(unsigned id, unsigned index = 0) const { return values_[base_[id] + index]; }
  std::span<const uint32_t> reg_array(unsigned id) const { return {&values_[base_[id]], defs_[id].count_}; }
  const RegDef& def(unsigned id) const { return defs_[id]; }

  // A block inside this one (e.g. the standard interrupt block at +0x800).
  void attach(uint32_t offset, RegBlock& child);

  void set_trace(RegTrace trace);
  // {"name", "size", "registers": [{"name","offset","count","reset","access","rw","w1c","w1s","mask"}]}
  void dump(nlohmann::json& out) const;

 protected:
  enum class Verdict : uint8_t { Store, Ignore, Error };
  // Called with the value the write would store (masks applied); may change it.
  virtual Verdict write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const Requester& who) {
    return Verdict::Store;
  }
  virtual void after_write(unsigned id, unsigned index, uint32_t old, const Requester& who) {}
  // Called with the stored value; may replace it. Returning false answers a bus error.
  virtual bool read_hook(unsigned id, unsigned index, uint32_t& value, const Requester& who) { return true; }

 private:
  struct Slot { int16_t def = -1; uint16_t index = 0; };
  const Slot* slot_at(uint32_t offset) const;
  RegBlock* child_at(uint32_t offset, uint32_t& child_offset) const;
  std::string reg_name(unsigned id, unsigned index) const;

  std::string name_;
  std::vector<RegDef> defs_;
  uint32_t size_;
  std::vector<uint32_t> values_;
  std::vector<uint32_t> base_;   // first storage index of each def
  std::vector<Slot> slots_;      // per word offset
  struct Child { uint32_t offset; RegBlock* block; };
  std::vector<Child> children_;
  RegTrace trace_;
};

}  // namespace calemu::bus
