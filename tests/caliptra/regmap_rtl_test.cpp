// The crypto blocks' register tables against caliptra-rtl itself, when CALEMU_RTL_DIR points
// to a caliptra-rtl checkout at tag v1.1 (and CALEMU_RTL20_DIR / CALEMU_RTL21_DIR at 2.0.x /
// 2.1.x checkouts for the 2.x blocks, CALEMU_ABR20_DIR / CALEMU_ABR21_DIR at the
// chipsalliance/adams-bridge commits those pin in submodules/adams-bridge; skipped otherwise):
// offsets, array lengths, reset values and writable bits against the PeakRDL-generated
// *_uvm.sv models, and for the OpenTitan blocks (CSRNG, ENTROPY_SRC, AES, KMAC) against their
// RDL plus the generated *_reg_pkg.sv / *_reg_top.sv for what the RDL leaves out. Nothing is
// copied from the RTL; it is only read here.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "caliptra/abr.h"
#include "caliptra/aes.h"
#include "caliptra/axi_dma.h"
#include "caliptra/engines.h"
#include "caliptra/sha3.h"
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
  struct Field { std::string name; unsigned lsb, width; };
  std::vector<Field> fields{};  // the RDL's fields
};
using Table = std::map<std::string, Expected>;  // lower-case register path

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
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
  // A PeakRDL "Mem" is a block holding only m_mem: N words with one access.
  struct Block {
    std::map<std::string, std::pair<std::string, unsigned>> decls;
    std::vector<std::pair<std::string, uint32_t>> regs, subs;
    unsigned mem_words = 0;
    bool mem_writable = false;
  };
  const std::regex mem_re(R"re(this\.m_mem\s*=\s*new\("m_mem",\s*(\d+),\s*32,\s*"(\w+)"\))re");
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
    std::smatch mm;
    if (std::regex_search(body, mm, mem_re)) {
      b.mem_words = static_cast<unsigned>(std::stoul(mm[1]));
      b.mem_writable = mm[2] != "RO";
    }
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
    for (const auto& [name, off] : b.subs) {
      const Block& sb = blocks[b.decls.at(name).first];
      if (sb.mem_words)
        out[lower(prefix + name)] = Expected{base + off, sb.mem_words, 0, sb.mem_writable ? 0xFFFF'FFFFu : 0u, 0};
      else
        flatten(b.decls.at(name).first, prefix + name + ".", base + off);
    }
  };
  flatten(block_class, "", 0);
  return out;
}

// The OpenTitan RDL (data/*.rdl and the 2.x kmac_reg.rdl): reg { field { sw = ..; onwrite = ..;
// [reset = ..;] } NAME[hi:lo] | NAME[width] [= reset]; } [external] NAME[[count]] @ off;
Table parse_opentitan_rdl(std::string text) {
  text = std::regex_replace(text, std::regex(R"(desc\s*=\s*"(?:[^"\\]|\\.)*"\s*;)"), "");
  text = std::regex_replace(text, std::regex(R"(name\s*=\s*"(?:[^"\\]|\\.)*"\s*;)"), "");
  text = std::regex_replace(text, std::regex(R"(//[^\n]*)"), "");
  text = std::regex_replace(text, std::regex(R"(enum\s+\w+\s*\{[^}]*\}\s*;)"), "");
  Table out;
  const std::regex reg_re(R"(reg\s*\{([\s\S]*?)\}\s*(?:external\s+)?(\w+)\s*(?:\[(\d+)\])?\s*@\s*(0x[0-9A-Fa-f]+)\s*;)");
  const std::regex field_re(
      R"(field\s*\{([^}]*)\}\s*(\w*)\s*\[(\d+)(?::(\d+))?\]\s*(?:=\s*(0x[0-9A-Fa-f]+|\d+))?\s*;)");
  const std::regex reset_re(R"(reset\s*=\s*(0x[0-9A-Fa-f]+|\d+)\s*;)"), read_only_re(R"(sw\s*=\s*r\s*;)");
  for (auto r = std::sregex_iterator(text.begin(), text.end(), reg_re); r != std::sregex_iterator(); ++r) {
    const std::string body = (*r)[1];
    Expected e;
    e.offset = static_cast<uint32_t>(std::stoul((*r)[4], nullptr, 16));
    if ((*r)[3].matched) e.count = static_cast<unsigned>(std::stoul((*r)[3]));
    for (auto f = std::sregex_iterator(body.begin(), body.end(), field_re); f != std::sregex_iterator(); ++f) {
      const unsigned a = std::stoul((*f)[3]);
      const unsigned hi = (*f)[4].matched ? a : a - 1, lo = (*f)[4].matched ? std::stoul((*f)[4]) : 0;
      const uint32_t m = field_mask(hi - lo + 1, lo);
      const std::string props = (*f)[1];
      std::smatch rm;
      if ((*f)[5].matched) e.reset |= (static_cast<uint32_t>(std::stoul((*f)[5], nullptr, 0)) << lo) & m;
      else if (std::regex_search(props, rm, reset_re)) e.reset |= (static_cast<uint32_t>(std::stoul(rm[1], nullptr, 0)) << lo) & m;
      if (!std::regex_search(props, read_only_re)) e.writable |= m;
      if (props.find("woclr") != std::string::npos) e.w1c |= m;
      e.fields.push_back({(*f)[2], lo, hi - lo + 1});
    }
    out[lower((*r)[2])] = e;
  }
  return out;
}

// What the generated reg_pkg / reg_top of an OpenTitan block say beyond its RDL: reset values
// (<BLOCK>_<REG>_RESVAL for hwext registers, else the RESVAL of each field's subregister
// u_<reg>_<field>), and registers the RDL does not list (<BLOCK>_<REG>_OFFSET; their
// writable bits are the RESVAL's width). Multiregs NAME_0..n are the RDL's arrays.
void apply_ot_rtl(Table& t, const std::string& pkg, const std::string& top, const std::string& block) {
  const auto hexval = [](const std::string& s) { return static_cast<uint32_t>(std::stoul(s, nullptr, 16)); };
  for (auto& [name, e] : t) {
    std::smatch m;
    if (std::regex_search(pkg, m, std::regex(block + "_" + upper(name) + R"(_RESVAL\s*=\s*\d+'h\s*([0-9a-fA-F]+))"))) {
      e.reset = hexval(m[1]);
      continue;
    }
    for (const auto& f : e.fields) {
      const std::string inst = ") u_" + name + (e.fields.size() > 1 ? "_" + lower(f.name) : "") + " (";
      const size_t at = top.find(inst);
      if (at == std::string::npos) continue;
      const size_t rv = top.rfind(".RESVAL", at);
      if (rv == std::string::npos ||
          !std::regex_search(top.cbegin() + static_cast<long>(rv), top.cbegin() + static_cast<long>(at), m,
                             std::regex(R"(\d+'h\s*([0-9a-fA-F]+))")))
        continue;
      const uint32_t fm = field_mask(f.width, f.lsb);
      e.reset = (e.reset & ~fm) | ((hexval(m[1]) << f.lsb) & fm);
    }
  }
  const std::regex off_re("parameter\\s+logic\\s*\\[[^\\]]*\\]\\s*" + block + R"(_(\w+)_OFFSET\s*=\s*\d+'h\s*([0-9a-fA-F]+))");
  for (auto o = std::sregex_iterator(pkg.begin(), pkg.end(), off_re); o != std::sregex_iterator(); ++o) {
    const std::string name = (*o)[1];
    const uint32_t off = hexval((*o)[2]);
    if (pkg.find(block + "_" + name + "_SIZE") != std::string::npos) continue;  // a window
    if (auto it = t.find(lower(name)); it != t.end()) {
      EXPECT_EQ(it->second.offset, off) << block << " " << name << ": the RDL and reg_pkg disagree";
      continue;
    }
    std::smatch mm;
    if (std::regex_match(name, mm, std::regex(R"((\w+)_(\d+))")) && t.count(lower(mm[1]))) {
      const Expected& arr = t.at(lower(mm[1]));
      EXPECT_LT(std::stoul(mm[2]), arr.count) << block << " " << name;
      EXPECT_EQ(arr.offset + 4 * std::stoul(mm[2]), off) << block << " " << name;
      continue;
    }
    Expected e;
    e.offset = off;
    std::smatch rv;
    if (std::regex_search(pkg, rv, std::regex(R"(logic\s*\[(\d+):0\]\s*)" + block + "_" + name + R"(_RESVAL\s*=\s*\d+'h\s*([0-9a-fA-F]+))"))) {
      e.writable = field_mask(static_cast<unsigned>(std::stoul(rv[1])) + 1, 0);
      e.reset = hexval(rv[2]);
    }
    t[lower(name)] = e;
  }
}

// The registers of a dump below a child block (e.g. "aes_clp_reg.*" at +0x800), renamed and
// rebased, or (inside = false) the rest.
nlohmann::json part(const nlohmann::json& dump, const std::string& child, uint32_t base, bool inside) {
  nlohmann::json out;
  out["name"] = inside ? child : dump["name"].get<std::string>();
  out["registers"] = nlohmann::json::array();
  const std::string prefix = child + ".";
  for (auto r : dump["registers"]) {
    const std::string name = r["name"];
    if ((name.rfind(prefix, 0) == 0) != inside) continue;
    if (inside) {
      char off[16];
      std::snprintf(off, sizeof off, "0x%08x", static_cast<uint32_t>(std::stoul(r["offset"].get<std::string>(), nullptr, 16)) - base);
      r["name"] = name.substr(prefix.size());
      r["offset"] = off;
    }
    out["registers"].push_back(r);
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
    if (!rw0c_in_rtl.count(name) && !rw0c_in_rtl.count("*")) {
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

// 2.x: AES (OpenTitan core + the Caliptra wrapper registers) in 2.0 and 2.1, SHA3/KMAC in 2.1.
TEST(RegmapRtl, Aes2xAndSha3MatchCaliptraRtl) {
  unsigned checked = 0;
  for (HwGen hw : {HwGen::V2_0, HwGen::V2_1}) {
    const char* dir = std::getenv(hw == HwGen::V2_0 ? "CALEMU_RTL20_DIR" : "CALEMU_RTL21_DIR");
    if (!dir || !*dir) continue;
    const std::string rtl = dir;
    SCOPED_TRACE(rtl);
    calemu::bus::Timeline tl;
    FakeSecrets secrets;
    BlockContext ctx{.hw = hw, .timeline = tl, .set_irq = {}, .kv = nullptr, .pv = nullptr, .secrets = &secrets,
                     .mbox_sram = nullptr, .seed = 1};
    Aes aes(ctx);
    nlohmann::json dump;
    aes.dump(dump);
    const std::string aes_rdl = slurp(rtl + "/src/aes/data/aes.rdl");
    ASSERT_FALSE(aes_rdl.empty());
    Table core = parse_opentitan_rdl(aes_rdl);
    apply_ot_rtl(core, slurp(rtl + "/src/aes/rtl/aes_reg_pkg.sv"), slurp(rtl + "/src/aes/rtl/aes_reg_top.sv"), "AES");
    // aes.rdl marks every field woclr (the hjson's hwqe); aes_reg_top.sv has no W1C field and
    // CTRL_AUX_REGWEN is rw0c.
    compare(part(dump, "aes_clp_reg", Aes::kClpOffset, false), core, {"*"});
    compare(part(dump, "aes_clp_reg", Aes::kClpOffset, true),
            parse_uvm(slurp(rtl + "/src/aes/rtl/aes_clp_reg_uvm.sv"), "aes_clp_reg"));
    ++checked;
    if (hw != HwGen::V2_1) continue;
    Sha3 sha3(ctx);
    nlohmann::json sdump;
    sha3.dump(sdump);
    Table kmac = parse_opentitan_rdl(slurp(rtl + "/src/sha3/rtl/kmac_reg.rdl"));
    ASSERT_FALSE(kmac.empty());
    apply_ot_rtl(kmac, slurp(rtl + "/src/sha3/rtl/kmac_reg_pkg.sv"), slurp(rtl + "/src/sha3/rtl/kmac_reg_top.sv"), "KMAC");
    // CMD's fields are pulses in kmac_reg_top.sv (reads 0), which the RDL renders as woclr.
    compare(part(sdump, "sha3_reg", Sha3::kCaliptraRegs, false), kmac, {"cmd"});
    // sha3_ctrl.sv ties sha3_reg's copies of STATE and MSG_FIFO off (hwif_in = '0: no access
    // ever completes); the real windows are the KMAC ones, outside the register table.
    Table sha3_clp = parse_uvm(slurp(rtl + "/src/sha3/rtl/sha3_reg_uvm.sv"), "sha3_reg");
    EXPECT_EQ(sha3_clp.erase("state") + sha3_clp.erase("msg_fifo"), 2u);
    compare(part(sdump, "sha3_reg", Sha3::kCaliptraRegs, true), sha3_clp);
    ++checked;
  }
  if (!checked) GTEST_SKIP() << "set CALEMU_RTL20_DIR / CALEMU_RTL21_DIR to caliptra-rtl 2.0.x / 2.1.x checkouts";
}

// 2.x: the PeakRDL blocks make_engines builds (2.x RDL), CSRNG and ENTROPY_SRC (OpenTitan RDL),
// the AXI DMA, and Adams Bridge against the adams-bridge tree's mldsa_reg (2.0) / abr_reg (2.1)
// UVM model.
TEST(RegmapRtl, Blocks2xMatchCaliptraRtl) {
  unsigned checked = 0;
  for (HwGen hw : {HwGen::V2_0, HwGen::V2_1}) {
    const bool v21 = hw == HwGen::V2_1;
    const char* dir = std::getenv(v21 ? "CALEMU_RTL21_DIR" : "CALEMU_RTL20_DIR");
    if (!dir || !*dir) continue;
    const std::string rtl = dir;
    SCOPED_TRACE(rtl);
    Bench b(hw);
    unsigned engines_checked = 0;
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
    for (const EngineBlock& e : make_engines(b.ctx)) {
      nlohmann::json dump;
      e.block->dump(dump);
      if (auto it = uvm.find(e.name); it != uvm.end()) {
        const std::string text = slurp(rtl + "/" + it->second.first);
        ASSERT_FALSE(text.empty()) << it->second.first;
        compare(dump, parse_uvm(text, it->second.second));
        ++engines_checked;
      } else if (e.name == "csrng") {
        // 2.x adds INT_STATE_READ_ENABLE_REGWEN, rw0c in csrng.hjson like REGWEN.
        compare(dump, parse_opentitan_rdl(slurp(rtl + "/src/csrng/data/csrng.rdl")),
                {"interrupt_enable", "regwen", "int_state_read_enable_regwen", "hw_exc_sts", "recov_alert_sts"});
        ++engines_checked;
      } else if (e.name == "entropy_src") {
        compare(dump, parse_opentitan_rdl(slurp(rtl + "/src/entropy_src/data/entropy_src.rdl")),
                {"interrupt_enable", "me_regwen", "sw_regupd", "recov_alert_sts"});
        ++engines_checked;
      }
    }
    EXPECT_EQ(engines_checked, 10u) << "the PeakRDL engines, CSRNG and ENTROPY_SRC of make_engines";
    checked += engines_checked;
    AxiDma dma(b.ctx);
    nlohmann::json ddump;
    dma.dump(ddump);
    compare(ddump, parse_uvm(slurp(rtl + "/src/axi/rtl/axi_dma_reg_uvm.sv"), "axi_dma_reg"));
    ++checked;

    const char* abr_dir = std::getenv(v21 ? "CALEMU_ABR21_DIR" : "CALEMU_ABR20_DIR");
    if (!abr_dir || !*abr_dir) continue;
    Abr abr(b.ctx);
    nlohmann::json adump;
    abr.dump(adump);
    const std::string abr_uvm = std::string(abr_dir) + (v21 ? "/src/abr_top/rtl/abr_reg_uvm.sv" : "/src/mldsa_top/rtl/mldsa_reg_uvm.sv");
    const std::string text = slurp(abr_uvm);
    ASSERT_FALSE(text.empty()) << abr_uvm;
    compare(adump, parse_uvm(text, v21 ? "abr_reg" : "mldsa_reg"));
    ++checked;
  }
  if (!checked) GTEST_SKIP() << "set CALEMU_RTL20_DIR / CALEMU_RTL21_DIR to caliptra-rtl 2.0.x / 2.1.x checkouts";
}
