#pragma once
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace calemu::crypto {
using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;
struct CryptoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
std::string to_hex(ByteView b);
Bytes from_hex(const std::string& hex);  // throws CryptoError on bad input
}  // namespace calemu::crypto
