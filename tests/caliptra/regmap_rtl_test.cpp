// The crypto blocks' register tables against caliptra-rtl itself, when CALEMU_RTL_DIR points
// to a caliptra-rtl checkout at tag v1.1 (skipped otherwise): offsets, array lengths, reset
// values and writable bits against the PeakRDL-generated *_uvm.sv models, and for the
// OpenTitan blocks (CSRNG, ENTROPY_SRC) against data/*.rdl. Nothing is copied from the RTL;
// it is only read here.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "caliptra/engines.h"
#include "ip_test_util.h"

using namespace calemu::caliptra;
using namespace calemu::caliptra::test;

namespace {

struct Expected {
  uint32_t offset = 0;
  unsigned count = 1;
  uint32_t reset = 0;
  uint32_t writable = 0;  // bits software can change (RW, WO, W1C, W1S)
  uint32_t w1c = 0;
};
using Table = std::map<std::string, Expected>;  // lower-case register path

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

uint32_t field_mask(unsigned width, unsigned lsb) {
  return static_cast<uint32_t>((width >= 32 ? 0xFFFF'FFFFull : (1ull << width) - 1) << lsb);
}

// PeakRDL-uvm: each uvm_reg class configures its fields (width, lsb, access, ..., reset);
// each uvm_reg_block declares registers (arrays of one or two dimensions) and maps them.
Table parse_uvm(const std::string& text, const std::string& block_class) {
  struct Field { unsigned width, lsb; std::string access; uint32_t reset; };
  std::map<std::string, std::vector<Field>> classes;
  const std::regex class_re(R"(class\s+(\w+)\s+extends\s+uvm_reg\b)");
  const std::regex field_re(R"(this\.\w+\.configure\(this,\s*(\d+),\s*(\d+),\s*\"(\w+)\",\s*\d+,\s*'h([0-9a-fA-F]+))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), class_re); it != std::sregex_iterator(); ++it) {
    const size_t start = static_cast<size_t>(it->position() + it->length());
    const std::string body = text.substr(start, text.find("endclass", start) - start);
    auto& fields = classes[(*it)[1]];
    for (auto f = std::sregex_iterator(body.begin(), body.end(), field_re); f != std::sregex_iterator(); ++f)
      fields.push_back({static_cast<unsigned>(std::stoul((*f)[1])), static_cast<unsigned>(std::stoul((*f)[2])), (*f)[3],
                        static_cast<uint32_t>(std::stoul((*f)[4], nullptr, 16))});
  }
  struct Block { std::map<std::string, std::pair<std::string, unsigned>> decls; std::vector<std::pair<std::string, uint32_t>> regs, subs; };
  std::map<std::string, Block> blocks;
  const std::regex block_re(R"(class\s+(\w+)\s+extends\s+uvm_reg_block\b)");
  const std::regex decl_re(R"(rand\s+(\w+)\s+(\w+)(?:\[(\d+)\])?(?:\[(\d+)\])?\s*;)");
  const std::regex add_re(R"(add_reg\(this\.(\w+)(?:\[i0\])?(?:\[i1\])?,\s*'h([0-9a-fA-F]+))");
  const std::regex sub_re(R"(add_submap\(this\.(\w+)\.default_map,\s*'h([0-9a-fA-F]+)\))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), block_re); it != std::sregex_iterator(); ++it) {
    const size_t start = static_cast<size_t>(it->position() + it->length());
    const std::string body = text.substr(start, text.find("endclass", start) - start);
    Block& b = blocks[(*it)[1]];
    for (auto d = std::sregex_iterator(body.begin(), body.end(), decl_re); d != std::sregex_iterator(); ++d) {
      const unsigned n = ((*d)[3].matched ? std::stoul((*d)[3]) : 1) * ((*d)[4].matched ? std::stoul((*d)[4]) : 1);
      b.decls[(*d)[2]] = {(*d)[1], n};
    }
    for (auto a = std::sregex_iterator(body.begin(), body.end(), add_re); a != std::sregex_iterator(); ++a)
      b.regs.push_back({(*a)[1], static_cast<uint32_t>(std::stoul((*a)[2], nullptr, 16))});
    for (auto s = std::sregex_iterator(body.begin(), body.end(), sub_re); s != std::sregex_iterator(); ++s)
      b.subs.push_back({(*s)[1], static_cast<uint32_t>(std::stoul((*s)[2], nullptr, 16))});
  }
  Table out;
  std::function<void(const std::string&, const std::string&, uint32_t)> flatten = [&](const std::string& cls,
                                                                                       const std::string& prefix,
                                                                                       uint32_t base) {
    const Block& b = blocks[cls];
    for (const auto& [name, off] : b.regs) {
      const auto& [rcls, count] = b.decls.at(name);
      Expected e{base + off, count, 0, 0, 0};
      for (const Field& f : classes[rcls]) {
        const uint32_t m = field_mask(f.width, f.lsb);
        e.reset |= (f.reset << f.lsb) & m;
        if (f.access != "RO") e.writable |= m;
        if (f.access == "W1C") e.w1c |= m;
      }
      out[lower(prefix + name)] = e;
    }
    for (const auto& [name, off] : b.subs) flatten(b.decls.at(name).first, prefix + name + ".", base + off);
  };
  flatten(block_class, "", 0);
  return out;
}

// The OpenTitan RDL (data/*.rdl): reg { field { sw = ..; onwrite = ..; } NAME[hi:lo] = reset; } NAME @ off;
Table parse_opentitan_rdl(std::string text) {
  text = std::regex_replace(text, std::regex(R"(desc\s*=\s*"(?:[^"\\]|\\.)*"\s*;)"), "");
  text = std::regex_replace(text, std::regex(R"(name\s*=\s*"(?:[^"\\]|\\.)*"\s*;)"), "");
  Table out;
  const std::regex reg_re(R"(reg\s*\{([\s\S]*?)\}\s*(\w+)\s*@\s*(0x[0-9A-Fa-f]+)\s*;)");
  const std::regex field_re(R"(field\s*\{([^}]*)\}\s*\w*\s*\[(\d+):(\d+)\]\s*(?:=\s*(0x[0-9A-Fa-f]+|\d+))?\s*;)");
  for (auto r = std::sregex_iterator(text.begin(), text.end(), reg_re); r != std::sregex_iterator(); ++r) {
    const std::string body = (*r)[1];
    Expected e;
    e.offset = static_cast<uint32_t>(std::stoul((*r)[3], nullptr, 16));
    for (auto f = std::sregex_iterator(body.begin(), body.end(), field_re); f != std::sregex_iterator(); ++f) {
      const unsigned hi = std::stoul((*f)[2]), lo = std::stoul((*f)[3]);
      const uint32_t m = field_mask(hi - lo + 1, lo);
      if ((*f)[4].matched) e.reset |= (static_cast<uint32_t>(std::stoul((*f)[4], nullptr, 0)) << lo) & m;
      const std::string props = (*f)[1];
      if (props.find("sw = r;") == std::string::npos) e.writable |= m;
      if (props.find("woclr") != std::string::npos) e.w1c |= m;
    }
    out[lower((*r)[2])] = e;
  }
  return out;
}

void compare(const nlohmann::json& dump, const Table& rtl, const std::set<std::string>& rw0c_in_rtl = {}) {
  const std::string block = dump["name"];
  std::set<std::string> seen;
  for (const auto& r : dump["registers"]) {
    std::string name = lower(r["name"].get<std::string>());
    seen.insert(name);
    auto it = rtl.find(name);
    if (it == rtl.end()) {
      ADD_FAILURE() << block << "." << name << ": not in the RTL";
      continue;
    }
    const Expected& e = it->second;
    const auto hex = [](const nlohmann::json& v) { return static_cast<uint32_t>(std::stoul(v.get<std::string>(), nullptr, 16)); };
    EXPECT_EQ(hex(r["offset"]), e.offset) << block << "." << name;
    EXPECT_EQ(r.value("count", 1u), e.count) << block << "." << name;
    EXPECT_EQ(hex(r["reset"]), e.reset) << block << "." << name;
    const uint32_t rw = hex(r["rw"]), w1c = r.contains("w1c") ? hex(r["w1c"]) : 0, w1s = r.contains("w1s") ? hex(r["w1s"]) : 0;
    // CMD_REQ's RDL fields describe the command header; csrng_reg_top.sv stores all 32 bits
    // (the same register takes the additional-data words).
    if (!(block == "csrng" && name == "cmd_req")) {
      EXPECT_EQ(rw | w1c | w1s, e.writable) << block << "." << name << " writable bits";
    }
    // csrng/entropy_src: the RDL renders OpenTitan's rw0c (and one rw) as woclr; the RTL
    // (reg_top) is followed and the write-0-to-clear rule is a hook.
    if (!rw0c_in_rtl.count(name)) {
      EXPECT_EQ(w1c, e.w1c) << block << "." << name << " W1C bits";
    }
  }
  for (const auto& [name, e] : rtl) {
    if (!seen.count(name)) ADD_FAILURE() << block << "." << name << ": in the RTL, missing here";
  }
}

}  // namespace

TEST(RegmapRtl, CryptoBlocksMatchCaliptraRtl11) {
  const char* dir = std::getenv("CALEMU_RTL_DIR");
  if (!dir || !*dir) GTEST_SKIP() << "set CALEMU_RTL_DIR to a caliptra-rtl v1.1 checkout";
  const std::string rtl = dir;
  Bench b;
  const std::vector<EngineBlock> engines = make_engines(b.ctx);
  const std::map<std::string, std::pair<std::string, std::string>> uvm = {
      {"doe_reg", {"src/doe/rtl/doe_reg_uvm.sv", "doe_reg"}},
      {"ecc_reg", {"src/ecc/rtl/ecc_reg_uvm.sv", "ecc_reg"}},
      {"hmac_reg", {"src/hmac/rtl/hmac_reg_uvm.sv", "hmac_reg"}},
      {"kv_reg", {"src/keyvault/rtl/kv_reg_uvm.sv", "kv_reg"}},
      {"pv_reg", {"src/pcrvault/rtl/pv_reg_uvm.sv", "pv_reg"}},
      {"dv_reg", {"src/datavault/rtl/dv_reg_uvm.sv", "dv_reg"}},
      {"sha512_reg", {"src/sha512/rtl/sha512_reg_uvm.sv", "sha512_reg"}},
      {"sha256_reg", {"src/sha256/rtl/sha256_reg_uvm.sv", "sha256_reg"}},
  };
  unsigned checked = 0;
  for (const EngineBlock& e : engines) {
    nlohmann::json dump;
    e.block->dump(dump);
    if (auto it = uvm.find(e.name); it != uvm.end()) {
      const std::string text = slurp(rtl + "/" + it->second.first);
      ASSERT_FALSE(text.empty()) << it->second.first;
      compare(dump, parse_uvm(text, it->second.second));
      ++checked;
    } else if (e.name == "csrng") {
      compare(dump, parse_opentitan_rdl(slurp(rtl + "/src/csrng/data/csrng.rdl")),
              {"interrupt_enable", "regwen", "hw_exc_sts", "recov_alert_sts"});
      ++checked;
    } else if (e.name == "entropy_src") {
      compare(dump, parse_opentitan_rdl(slurp(rtl + "/src/entropy_src/data/entropy_src.rdl")),
              {"interrupt_enable", "me_regwen", "sw_regupd", "recov_alert_sts"});
      ++checked;
    }
  }
  EXPECT_EQ(checked, 10u);
}
