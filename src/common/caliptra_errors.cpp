#include "common/caliptra_errors.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <iterator>

namespace calemu {

namespace {

enum GenerationMask : uint8_t { kGen1x = 1, kGen2x = 2 };

struct ErrorEntry {
  uint32_t code;
  std::string_view name;
  uint8_t generations;
};

constexpr ErrorEntry kErrors[] = {
#include "common/caliptra_errors_table.inc"
};

uint8_t mask_of(CaliptraGeneration gen) { return gen == CaliptraGeneration::k1x ? kGen1x : kGen2x; }

}  // namespace

std::optional<std::string_view> error_name(CaliptraGeneration gen, uint32_t code) {
  auto it = std::lower_bound(std::begin(kErrors), std::end(kErrors), code,
                             [](const ErrorEntry& e, uint32_t c) { return e.code < c; });
  for (; it != std::end(kErrors) && it->code == code; ++it)
    if (it->generations & mask_of(gen)) return it->name;
  return std::nullopt;
}

std::string describe_error(CaliptraGeneration gen, uint32_t code) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%08X", code);
  const auto name = error_name(gen, code);
  return std::string(hex) + " " + (name ? std::string(*name) : std::string("(unknown error)"));
}

std::optional<uint32_t> error_code(CaliptraGeneration gen, std::string_view name) {
  for (const auto& e : kErrors)
    if (e.name == name && (e.generations & mask_of(gen))) return e.code;
  return std::nullopt;
}

}  // namespace calemu
