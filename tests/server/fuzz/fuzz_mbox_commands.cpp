// libFuzzer target: `calemu mbox`'s response decoding (any bytes a server may send back, for
// every command of both generations) and request building from name=value arguments
// (src/server/mbox_commands.cpp). Byte 0 picks the generation, byte 1 the command; with
// byte 2 = 0xFF the rest are newline-separated arguments, else a response payload.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/mbox_commands.h"

namespace mb = calemu::server::mbox;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const mb::Gen gen = (data[0] & 1) ? mb::Gen::V2 : mb::Gen::V1;
  std::vector<const mb::Command*> cmds;
  for (const auto& c : mb::catalog())
    if (c.gen == gen) cmds.push_back(&c);
  // One index past the end stands for "a command we do not know".
  const size_t pick = data[1] % (cmds.size() + 1);
  const mb::Command* c = pick < cmds.size() ? cmds[pick] : nullptr;
  if (data[2] == 0xFF && c) {
    std::vector<std::string> args;
    std::string cur;
    for (size_t i = 3; i < size; ++i) {
      if (data[i] == '\n') {
        args.push_back(cur);
        cur.clear();
      } else {
        cur += static_cast<char>(data[i]);
      }
    }
    args.push_back(cur);
    // @FILE arguments read files; the fuzzer must not wander the file system.
    for (const auto& a : args)
      if (a.find('@') != std::string::npos) return 0;
    try {
      const auto req = mb::build_request(*c, args);
      if (c->checksum && mb::checksum(c->code, std::span<const uint8_t>(req).subspan(4)) !=
                             (uint32_t{req[0]} | uint32_t{req[1]} << 8 | uint32_t{req[2]} << 16 | uint32_t{req[3]} << 24))
        __builtin_trap();
    } catch (const std::invalid_argument&) {
    }
    return 0;
  }
  const mb::Decoded d = mb::decode_response(c, std::span<const uint8_t>(data + 2, size - 2));
  (void)mb::to_json(d).dump();
  (void)mb::to_text(d);
  return 0;
}
