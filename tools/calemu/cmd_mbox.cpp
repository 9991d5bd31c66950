// calemu mbox: send a Caliptra mailbox command by name to an MBOX server (calemu serve, or
// any peer of the QEMU AST1040 protocol) and print the decoded response.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "common/caliptra_errors.h"
#include "server/client.h"
#include "server/mbox_commands.h"

namespace calemu::cli {

namespace {

namespace mb = server::mbox;

struct MboxOptions {
  std::string connect, hw = "auto", out, command;
  std::vector<std::string> args;
  double timeout_s = 120;
  bool json = false, list = false, no_checksum = false, quiet = false;
};

constexpr int kCommandFailed = 1;  // Caliptra answered CMD_FAILURE or a bad response

std::string hex32(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08x", v);
  return b;
}

std::string ascii_code(uint32_t code) {
  std::string s;
  for (int i = 3; i >= 0; --i) {
    const char c = static_cast<char>((code >> (8 * i)) & 0xFF);
    s += (c >= 0x20 && c < 0x7F) ? c : '.';
  }
  return s;
}

void list_commands(mb::Gen gen) {
  std::printf("Mailbox commands for Caliptra %s firmware (name=value arguments; unnamed fields are zero):\n\n",
              mb::to_string(gen));
  for (const auto& c : mb::catalog()) {
    if (c.gen != gen) continue;
    std::string aliases;
    for (const auto& a : c.aliases) aliases += (aliases.empty() ? "" : ", ") + a;
    std::printf("  %-30s %s '%s'%s%s\n", c.name.c_str(), hex32(c.code).c_str(), ascii_code(c.code).c_str(),
                c.summary.empty() ? "" : "  ", c.summary.c_str());
    if (!aliases.empty()) std::printf("      also: %s\n", aliases.c_str());
    std::printf("      request:  %s\n      response: %s\n", mb::describe_fields(c.request).c_str(),
                mb::describe_fields(c.response).c_str());
  }
}

// The generation from HELLO when the server is calemu; otherwise 2.x (caliptra-server's
// MBOX peer drives the 2.x MCU mailbox). HELLO also asks for explicit error replies.
mb::Gen connect(const MboxOptions& o, std::unique_ptr<server::Client>& client, bool& negotiated) {
  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(o.timeout_s * 1000));
  client = std::make_unique<server::Client>(o.connect, server::Protocol::Mbox);
  client->set_timeout(timeout);
  negotiated = false;
  try {
    const auto ack = client->hello(server::kFeatureErrors);
    negotiated = true;
    if (o.hw == "auto") return ack.hw_generation == 0x10 ? mb::Gen::V1 : mb::Gen::V2;
  } catch (const std::exception&) {
    // Not a calemu server: it may have dropped the connection on the unknown HELLO.
    client = std::make_unique<server::Client>(o.connect, server::Protocol::Mbox);
    client->set_timeout(timeout);
  }
  if (o.hw == "1.x" || o.hw == "1") return mb::Gen::V1;
  return mb::Gen::V2;
}

int run_extension(const MboxOptions& o, server::Client& c, bool negotiated) {
  if (!negotiated) {
    std::fprintf(stderr, "calemu mbox: '%s' needs a calemu server (it did not answer HELLO)\n", o.command.c_str());
    return kFatal;
  }
  if (o.command == "reset") {
    const bool warm = !o.args.empty() && o.args[0] == "warm";
    c.reset(warm ? server::ResetKind::Warm : server::ResetKind::Cold);
    std::printf("%s reset done\n", warm ? "warm" : "cold");
    return kOk;
  }
  if (o.command == "wait") {
    c.hello(server::kFeatureErrors | server::kFeatureEvents);
    const std::string want = o.args.empty() ? "runtime" : o.args[0];
    const server::BootState target = want == "fw" || want == "ready-for-fw" ? server::BootState::ReadyForFw
                                     : want == "fmc"                        ? server::BootState::FirmwareBooting
                                                                            : server::BootState::ReadyForRuntime;
    server::Event last;
    const bool ok = c.wait_for_state(target, std::chrono::milliseconds(static_cast<int64_t>(o.timeout_s * 1000)), &last);
    std::printf("%s (boot status %s)\n", server::to_string(last.state.boot_state), hex32(last.state.boot_status).c_str());
    return ok ? kOk : kCommandFailed;
  }
  // state
  const server::StateInfo s = c.get_state();
  const auto gen = CaliptraGeneration::k1x;
  if (o.json) {
    nlohmann::json j{{"boot_state", server::to_string(s.boot_state)},
                     {"boot_status", hex32(s.boot_status)},
                     {"flow_status", hex32(s.flow_status)},
                     {"fw_error_fatal", hex32(s.fw_error_fatal)},
                     {"fw_error_non_fatal", hex32(s.fw_error_non_fatal)},
                     {"cycle", s.cycle}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("boot state: %s\nboot status: %s\nflow status: %s\nfatal error: %s\nnon-fatal error: %s\ncycle: %llu\n",
                server::to_string(s.boot_state), hex32(s.boot_status).c_str(), hex32(s.flow_status).c_str(),
                s.fw_error_fatal ? describe_error(gen, s.fw_error_fatal).c_str() : "-",
                s.fw_error_non_fatal ? describe_error(gen, s.fw_error_non_fatal).c_str() : "-",
                static_cast<unsigned long long>(s.cycle));
  }
  return kOk;
}

int run(const MboxOptions& o) {
  if (o.list) {
    list_commands(o.hw == "2.x" || o.hw == "2" || o.hw == "2.0" || o.hw == "2.1" ? mb::Gen::V2 : mb::Gen::V1);
    return kOk;
  }
  if (o.command.empty()) {
    std::fprintf(stderr, "calemu mbox: give a command (see --list)\n");
    return kUsage;
  }
  if (o.connect.empty()) {
    std::fprintf(stderr, "calemu mbox: --connect unix:PATH is required\n");
    return kUsage;
  }
  std::unique_ptr<server::Client> client;
  bool negotiated = false;
  mb::Gen gen = mb::Gen::V1;
  try {
    gen = connect(o, client, negotiated);
    if (o.command == "state" || o.command == "wait" || o.command == "reset") return run_extension(o, *client, negotiated);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "calemu mbox: %s\n", e.what());
    return kFatal;
  }

  // The request.
  const mb::Command* c = nullptr;
  uint32_t code = 0;
  std::vector<uint8_t> payload;
  try {
    if (o.command == "raw" || o.command == "RAW") {
      if (o.args.empty()) throw std::invalid_argument("raw needs a command code, e.g. raw 0x46505652 [HEX|@FILE]");
      size_t used = 0;
      const unsigned long long v = std::stoull(o.args[0], &used, 0);
      if (used != o.args[0].size() || v > 0xFFFF'FFFFull) throw std::invalid_argument("'" + o.args[0] + "' is not a code");
      code = static_cast<uint32_t>(v);
      if (o.args.size() > 1) {
        const std::string& d = o.args[1];
        if (!d.empty() && d[0] == '@') {
          std::ifstream f(d.substr(1), std::ios::binary);
          if (!f) throw std::invalid_argument("cannot read " + d.substr(1));
          payload.assign(std::istreambuf_iterator<char>(f), {});
        } else {
          auto b = mb::parse_hex(d);
          if (!b) throw std::invalid_argument("'" + d + "' is not hex");
          payload = *b;
        }
      }
      c = mb::find(code, gen);
      // Raw data is the whole request unless a checksum is wanted in front of it.
      if (!o.no_checksum && (!c || c->checksum)) {
        payload.insert(payload.begin(), 4, 0);
        mb::fill_checksum(code, payload);
      }
    } else {
      c = mb::find(o.command, gen);
      if (!c)
        throw std::invalid_argument("no command '" + o.command + "' for Caliptra " + mb::to_string(gen) +
                                    " firmware (see --list" + (gen == mb::Gen::V1 ? "" : " --hw 2.x") + ")");
      code = c->code;
      payload = mb::build_request(*c, o.args);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "calemu mbox: %s\n", e.what());
    return kUsage;
  }

  server::MboxResponse r;
  try {
    r = client->mbox_execute(code, payload);
  } catch (const server::ServerError& e) {
    std::fprintf(stderr, "calemu mbox: the server refused the command: %s\n", e.what());
    return kFatal;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "calemu mbox: %s\n", e.what());
    return kFatal;
  }

  const std::string name = c ? c->name : hex32(code);
  mb::Decoded d;
  if (r.status == server::kMboxDataReady) d = mb::decode_response(c, r.data);
  std::string failure;
  if (r.status == server::kMboxCmdFailure && negotiated) {
    try {
      const server::StateInfo s = client->get_state();
      const auto g = gen == mb::Gen::V1 ? CaliptraGeneration::k1x : CaliptraGeneration::k2x;
      if (s.fw_error_non_fatal) failure = describe_error(g, s.fw_error_non_fatal);
    } catch (const std::exception&) {
    }
  }
  if (!o.out.empty()) {
    for (const auto& v : d.fields) {
      if (v.kind != mb::Kind::Var && v.kind != mb::Kind::Rest) continue;
      std::ofstream f(o.out, std::ios::binary);
      f.write(reinterpret_cast<const char*>(v.bytes.data()), static_cast<std::streamsize>(v.bytes.size()));
      if (!f) std::fprintf(stderr, "calemu mbox: cannot write %s\n", o.out.c_str());
      break;
    }
  }
  if (o.json) {
    nlohmann::json j = mb::to_json(d);
    j["command"] = name;
    j["code"] = hex32(code);
    j["status"] = server::mbox_status_name(r.status);
    j["dlen"] = r.dlen;
    if (!failure.empty()) j["fw_error_non_fatal"] = failure;
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("%s (%s '%s') -> %s", name.c_str(), hex32(code).c_str(), ascii_code(code).c_str(),
                server::mbox_status_name(r.status));
    if (r.status == server::kMboxDataReady) std::printf(", %u bytes", r.dlen);
    std::printf("\n%s", mb::to_text(d).c_str());
    if (!failure.empty()) std::printf("  fw_error_non_fatal: %s\n", failure.c_str());
  }
  const bool ok = (r.status == server::kMboxComplete || r.status == server::kMboxDataReady) && d.problems.empty();
  return ok ? kOk : kCommandFailed;
}

}  // namespace

void add_mbox(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<MboxOptions>();
  auto* cmd = app.add_subcommand("mbox", "Send a Caliptra mailbox command to an MBOX server and decode the answer");
  cmd->footer(
      "Commands by name (see --list): the request checksum is computed, the response checksum\n"
      "and FIPS status checked, and the fields printed (--json for JSON). Arguments are\n"
      "name=value: numbers for u32 fields, hex or @FILE for byte fields; unnamed fields are 0.\n"
      "  raw CODE [HEX|@FILE]   any command; a checksum is put in front unless --no-checksum\n"
      "  state                  Caliptra's boot state (calemu servers)\n"
      "  wait fw|fmc|runtime    wait for that boot state (calemu servers)\n"
      "  reset [cold|warm]      reset Caliptra (calemu servers)\n\n"
      "--hw auto asks a calemu server for the generation; other servers are taken as 2.x.\n"
      "Exit status: 0 success, 1 Caliptra answered CMD_FAILURE (or a malformed response),\n"
      "2 bad arguments, 5 connection or server error.\n\n"
      "Examples:\n"
      "  calemu mbox --connect unix:/tmp/caliptra-mbox.sock FW_INFO\n"
      "  calemu mbox --connect unix:/tmp/caliptra-mbox.sock GET_LDEV_CERT --out ldev.der\n"
      "  calemu mbox --connect unix:/tmp/caliptra-mbox.sock STASH_MEASUREMENT measurement=@m.bin svn=1");
  cmd->add_option("--connect", o->connect, "MBOX server: unix:PATH or tcp:127.0.0.1:PORT");
  cmd->add_option("--hw", o->hw, "Firmware generation of the layouts: auto, 1.x or 2.x")->capture_default_str();
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->add_option("--out", o->out, "Write the response's variable-size data (a certificate, a CSR) to this file");
  cmd->add_option("--timeout", o->timeout_s, "Seconds to wait for the answer")->capture_default_str();
  cmd->add_flag("--no-checksum", o->no_checksum, "raw: send the data as given");
  cmd->add_flag("--list", o->list, "List the commands of --hw (1.x unless 2.x)");
  cmd->add_option("command", o->command, "Command name, raw, state, wait or reset");
  cmd->add_option("args", o->args, "name=value fields");
  cmd->callback([o, &exit_code] { exit_code = run(*o); });
}

}  // namespace calemu::cli
