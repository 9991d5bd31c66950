#include "bus/regfile.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace calemu::bus {

std::string_view RegDef::access() const {
  if (has(kNoRead)) return "WO";
  if (rw_ == 0 && w1c_ == 0 && w1s_ == 0) return "RO";
  if (w1c_ && !rw_ && !w1s_) return "W1C";
  if (w1s_ && !rw_ && !w1c_) return "W1S";
  if (rw_ && !w1c_ && !w1s_ && !ro_bits()) return "RW";
  return "MIXED";
}

RegBlock::RegBlock(std::string name, std::span<const RegDef> defs, uint32_t size)
    : name_(std::move(name)), defs_(defs.begin(), defs.end()), size_(size), slots_(size / 4) {
  uint32_t total = 0;
  for (size_t i = 0; i < defs_.size(); ++i) {
    const RegDef& d = defs_[i];
    base_.push_back(total);
    total += d.count_;
    for (unsigned k = 0; k < d.count_; ++k) {
      const uint32_t word = d.offset / 4 + k;
      if (word >= slots_.size() || slots_[word].def >= 0)
        throw std::logic_error(name_ + ": register " + std::string(d.name) + " overlaps or is out of range");
      slots_[word] = Slot{static_cast<int16_t>(i), static_cast<uint16_t>(k)};
    }
  }
  values_.assign(total, 0);
  reset(ResetKind::Cold);
}

void RegBlock::reset(ResetKind kind) {
  for (size_t i = 0; i < defs_.size(); ++i) {
    const RegDef& d = defs_[i];
    if (kind == ResetKind::FwUpdate || (kind == ResetKind::Warm && d.has(RegDef::kSticky))) continue;
    for (unsigned k = 0; k < d.count_; ++k) values_[base_[i] + k] = d.reset_ & d.mask_;
  }
  for (auto& c : children_) c.block->reset(kind);
}

void RegBlock::attach(uint32_t offset, RegBlock& child) {
  for (uint32_t w = offset / 4; w < (offset + child.size()) / 4 && w < slots_.size(); ++w)
    if (slots_[w].def >= 0) throw std::logic_error(name_ + ": attached block overlaps a register");
  children_.push_back(Child{offset, &child});
}

void RegBlock::set_trace(RegTrace trace) {
  trace_ = trace;
  for (auto& c : children_) c.block->set_trace(trace);
}

const RegBlock::Slot* RegBlock::slot_at(uint32_t offset) const {
  const uint32_t word = offset / 4;
  if (word >= slots_.size() || slots_[word].def < 0) return nullptr;
  return &slots_[word];
}

RegBlock* RegBlock::child_at(uint32_t offset, uint32_t& child_offset) const {
  for (const auto& c : children_)
    if (offset - c.offset < c.block->size()) {
      child_offset = offset - c.offset;
      return c.block;
    }
  return nullptr;
}

std::string RegBlock::reg_name(unsigned id, unsigned index) const {
  std::string n(defs_[id].name);
  if (defs_[id].count_ > 1) n += "[" + std::to_string(index) + "]";
  return n;
}

// Sub-word accesses follow ahb_slv_sif: a narrow write at a word-aligned address writes the
// whole register with the data zero-extended; the byte lanes of a read are extracted here.
BusResult RegBlock::read(uint32_t offset, unsigned size, uint32_t& value, const Requester& who) {
  uint32_t child_off;
  if (RegBlock* c = child_at(offset, child_off)) return c->read(child_off, size, value, who);
  value = 0;
  const Slot* s = slot_at(offset);
  if (!s) return BusResult::Ok;  // unmapped offsets inside a block read 0 (PeakRDL decode miss)
  const RegDef& d = defs_[s->def];
  uint32_t v = 0;
  if (!d.has(RegDef::kNoRead) && !(who.is_soc() && d.has(RegDef::kCpuOnly))) {
    v = values_[base_[s->def] + s->index] & d.mask_;
    if (d.has(RegDef::kHookRead) && !read_hook(s->def, s->index, v, who)) return BusResult::BusError;
  }
  if (trace_) trace_(name_, reg_name(s->def, s->index), false, v, who);
  value = size == 4 ? v : (v >> (8 * (offset & 3))) & ((1u << (8 * size)) - 1);
  return BusResult::Ok;
}

BusResult RegBlock::write(uint32_t offset, unsigned size, uint32_t value, const Requester& who) {
  uint32_t child_off;
  if (RegBlock* c = child_at(offset, child_off)) return c->write(child_off, size, value, who);
  const Slot* s = slot_at(offset);
  if (!s || (offset & 3)) return BusResult::Ok;  // decode miss: dropped
  const RegDef& d = defs_[s->def];
  if (trace_) trace_(name_, reg_name(s->def, s->index), true, value, who);
  const bool soc = who.is_soc();
  if ((soc && (d.has(RegDef::kCpuWriteOnly) || d.has(RegDef::kCpuOnly))) ||
      (!soc && who.kind != Requester::Kind::Debug && d.has(RegDef::kSocWriteOnly)))
    return BusResult::Ok;
  if (size < 4) value &= (1u << (8 * size)) - 1;
  uint32_t& slot = values_[base_[s->def] + s->index];
  const uint32_t old = slot;
  uint32_t next = (old & ~d.rw_) | (value & d.rw_);
  next &= ~(value & d.w1c_);
  next |= value & d.w1s_;
  next &= d.mask_;
  if (d.has(RegDef::kHookWrite)) {
    switch (write_hook(s->def, s->index, next, old, who)) {
      case Verdict::Store: break;
      case Verdict::Ignore: return BusResult::Ok;
      case Verdict::Error: return BusResult::BusError;
    }
  }
  slot = next;
  if (d.has(RegDef::kHookWrite)) after_write(s->def, s->index, old, who);
  return BusResult::Ok;
}

std::string RegBlock::describe(uint32_t offset) const {
  uint32_t child_off;
  if (RegBlock* c = child_at(offset, child_off)) return std::string(c->name()) + "." + c->describe(child_off);
  const Slot* s = slot_at(offset);
  return s ? reg_name(s->def, s->index) : std::string();
}

void RegBlock::dump(nlohmann::json& out) const {
  auto hex = [](uint32_t v) {
    char b[16];
    std::snprintf(b, sizeof b, "0x%08x", v);
    return std::string(b);
  };
  out["name"] = name_;
  out["size"] = hex(size_);
  auto& regs = out["registers"] = nlohmann::json::array();
  for (const auto& d : defs_) {
    if (!d.exists()) continue;
    nlohmann::json r;
    r["name"] = std::string(d.name);
    r["offset"] = hex(d.offset);
    if (d.count_ > 1) r["count"] = d.count_;
    r["reset"] = hex(d.reset_ & d.mask_);
    r["access"] = std::string(d.access());
    r["rw"] = hex(d.rw_);
    if (d.w1c_) r["w1c"] = hex(d.w1c_);
    if (d.w1s_) r["w1s"] = hex(d.w1s_);
    r["mask"] = hex(d.mask_);
    regs.push_back(std::move(r));
  }
  for (const auto& c : children_) {
    nlohmann::json child;
    c.block->dump(child);
    for (auto& r : child["registers"]) {
      r["name"] = std::string(c.block->name()) + "." + r["name"].get<std::string>();
      r["offset"] = hex(c.offset + static_cast<uint32_t>(std::stoul(r["offset"].get<std::string>(), nullptr, 16)));
      regs.push_back(r);
    }
  }
}

}  // namespace calemu::bus
