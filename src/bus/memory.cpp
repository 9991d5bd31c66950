#include "bus/memory.h"

#include <algorithm>
#include <stdexcept>

namespace calemu::bus {

Memory::Memory(std::string name, uint32_t size, bool cpu_writable)
    : name_(std::move(name)), size_(size), cpu_writable_(cpu_writable),
      page_flags_((size + kPageSize - 1) / kPageSize + 1, 0) {
  // Pad by 8 bytes so a misaligned access at the very end never reads past the buffer.
  data_ = static_cast<uint8_t*>(std::calloc(size_t{size} + 8, 1));
  if (!data_) throw std::bad_alloc();
}

Memory::~Memory() { std::free(data_); }

uint32_t Memory::read(uint32_t offset, unsigned size) const {
  uint32_t v = 0;
  std::memcpy(&v, data_ + offset, size);
  return v;
}

void Memory::write(uint32_t offset, unsigned size, uint32_t value) {
  std::memcpy(data_ + offset, &value, size);
  if (page_flags_[offset >> kPageBits] | page_flags_[(offset + size - 1) >> kPageBits]) after_write(offset, size);
}

void Memory::write_bytes(uint32_t offset, std::span<const uint8_t> bytes) {
  if (bytes.empty()) return;
  std::memcpy(data_ + offset, bytes.data(), bytes.size());
  after_write(offset, static_cast<uint32_t>(bytes.size()));
}

void Memory::fill(uint8_t byte) {
  std::memset(data_, byte, size_);
  after_write(0, size_);
}

void Memory::after_write(uint32_t offset, uint32_t len) {
  notify_code_write(offset, len);
  for (const auto& w : watches_)
    if (offset < w.offset + w.len && w.offset < offset + len) w.fn();
}

void Memory::add_write_watch(uint32_t offset, uint32_t len, std::function<void()> fn) {
  for (uint32_t p = offset >> kPageBits; p <= (offset + len - 1) >> kPageBits; ++p) page_flags_[p] |= kWatched;
  watches_.push_back(Watch{offset, len, std::move(fn)});
}

void Memory::mark_code_page(uint32_t page_index, CodeObserver* obs) {
  page_flags_[page_index] |= kCode;
  if (std::find(observers_.begin(), observers_.end(), obs) == observers_.end())
    observers_.push_back(obs);
}

void Memory::notify_code_write(uint32_t offset, uint32_t len) {
  if (observers_.empty()) return;
  uint32_t first = offset >> kPageBits, last = (offset + len - 1) >> kPageBits;
  bool any = false;
  for (uint32_t p = first; p <= last && !any; ++p) any = (page_flags_[p] & kCode) != 0;
  if (!any) return;
  for (auto* o : observers_) o->code_written(base_ + offset, len);
}

}  // namespace calemu::bus
