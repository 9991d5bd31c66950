// Host-backed memory: ROM, SRAMs and RAM. Harts reach it through direct pointers;
// every other writer goes through write()/fill() so decoded code stays coherent.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace calemu::bus {

// Told when bytes that a hart has decoded as instructions change.
class CodeObserver {
 public:
  virtual ~CodeObserver() = default;
  virtual void code_written(uint32_t addr, uint32_t len) = 0;
};

class Memory {
 public:
  static constexpr unsigned kPageBits = 12;
  static constexpr uint32_t kPageSize = 1u << kPageBits;

  Memory(std::string name, uint32_t size, bool cpu_writable);
  ~Memory();
  Memory(const Memory&) = delete;
  Memory& operator=(const Memory&) = delete;

  const std::string& name() const { return name_; }
  uint32_t size() const { return size_; }
  bool cpu_writable() const { return cpu_writable_; }
  // E.g. the ICCM lock. Harts caching write pointers must flush them (Hart::flush_tlb).
  void set_cpu_writable(bool w) { cpu_writable_ = w; }
  // Called when an initiator's write is refused because the memory is not writable.
  std::function<void()> on_write_denied;
  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }

  // Address the memory is mapped at (for observer notifications in address terms).
  void set_base(uint32_t base) { base_ = base; }
  uint32_t base() const { return base_; }

  uint32_t read(uint32_t offset, unsigned size) const;
  void write(uint32_t offset, unsigned size, uint32_t value);
  void write_bytes(uint32_t offset, std::span<const uint8_t> bytes);
  void fill(uint8_t byte);

  // Code tracking: a hart marks pages it has decoded; writes to them notify it.
  void mark_code_page(uint32_t page_index, CodeObserver* obs);
  void notify_code_write(uint32_t offset, uint32_t len);
  // Write watches: a callback after any write overlapping [offset, offset + len).
  void add_write_watch(uint32_t offset, uint32_t len, std::function<void()> fn);
  // Pages whose writes must take the slow path (decoded code or watched bytes).
  bool fast_write_ok(uint32_t page_index) const { return page_flags_[page_index] == 0; }

 private:
  std::string name_;
  uint32_t size_;
  uint32_t base_ = 0;
  bool cpu_writable_;
  uint8_t* data_;
  void after_write(uint32_t offset, uint32_t len);

  enum : uint8_t { kCode = 1, kWatched = 2 };
  std::vector<uint8_t> page_flags_;
  std::vector<CodeObserver*> observers_;
  struct Watch { uint32_t offset, len; std::function<void()> fn; };
  std::vector<Watch> watches_;
};

}  // namespace calemu::bus
