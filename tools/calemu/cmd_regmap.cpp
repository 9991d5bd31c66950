// calemu regmap: every block's base and register table, as text or JSON, so the map can be
// diffed against the RDL (tools/check_regmap.py does that given a caliptra-rtl checkout).
#include <cstdio>
#include <nlohmann/json.hpp>

#include "caliptra/machine.h"
#include "commands.h"

namespace calemu::cli {

namespace {

nlohmann::json pic_block() {
  // The VeeR PIC is part of the core (PRM "PIC Memory-Mapped Register Address Map").
  nlohmann::json b;
  b["name"] = "el2_pic_ctrl";
  b["base"] = "0x60000000";
  b["size"] = "0x00008000";
  auto reg = [](const char* n, const char* off, int count, const char* access) {
    nlohmann::json r;
    r["name"] = n;
    r["offset"] = off;
    if (count > 1) r["count"] = count;
    r["reset"] = "0x00000000";
    r["access"] = access;
    return r;
  };
  b["registers"] = {reg("meipl", "0x00000000", 256, "RW"), reg("meip", "0x00001000", 8, "RO"),
                    reg("meie", "0x00002000", 256, "RW"), reg("mpiccfg", "0x00003000", 1, "RW"),
                    reg("meigwctrl", "0x00004000", 256, "RW"), reg("meigwclr", "0x00005000", 256, "WO")};
  return b;
}

int regmap(const std::string& hw, bool json) {
  caliptra::MachineConfig mc;
  const auto gen = caliptra::parse_hw_gen(hw);
  if (!gen) {
    std::fprintf(stderr, "calemu regmap: unknown --hw '%s' (use 1.x, 2.0 or 2.1)\n", hw.c_str());
    return kUsage;
  }
  mc.hw = *gen;
  caliptra::Machine m(mc);
  nlohmann::json out;
  out["hw"] = hw;
  auto& blocks = out["blocks"] = nlohmann::json::array();
  for (const auto& b : m.blocks()) {
    nlohmann::json j;
    b.block->dump(j);
    char base[16];
    std::snprintf(base, sizeof base, "0x%08x", b.base);
    j["name"] = b.name;
    j["base"] = base;
    blocks.push_back(std::move(j));
  }
  blocks.push_back(pic_block());
  if (json) {
    std::printf("%s\n", out.dump(2).c_str());
    return kOk;
  }
  for (const auto& b : blocks) {
    std::printf("%s  base=%s size=%s\n", b["name"].get<std::string>().c_str(), b["base"].get<std::string>().c_str(),
                b["size"].get<std::string>().c_str());
    for (const auto& r : b["registers"]) {
      std::string name = r["name"];
      if (r.contains("count")) name += "[" + std::to_string(r["count"].get<int>()) + "]";
      std::printf("  %s %-48s %-5s reset=%s\n", r["offset"].get<std::string>().c_str(), name.c_str(),
                  r["access"].get<std::string>().c_str(), r["reset"].get<std::string>().c_str());
    }
  }
  return kOk;
}

}  // namespace

void add_regmap(CLI::App& app, int& exit_code) {
  auto hw = std::make_shared<std::string>("1.x");
  auto json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("regmap", "Print every block's base address and register table");
  cmd->footer("Each register: offset, name, array count, reset value, access (RW, RO, WO, W1C, W1S, or MIXED\n"
              "with the rw/w1c/w1s bit masks in --json). The tables are the model's own data: the same\n"
              "ones the emulated hardware uses and traces print.\n\n"
              "Example:\n  calemu regmap --hw 1.x --json > map.json");
  cmd->add_option("--hw", *hw, "Caliptra generation")->capture_default_str();
  cmd->add_flag("--json", *json, "JSON output");
  cmd->callback([hw, json, &exit_code] { exit_code = regmap(*hw, *json); });
}

}  // namespace calemu::cli
