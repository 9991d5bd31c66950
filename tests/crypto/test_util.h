// Helpers shared by the crypto tests.
#pragma once
#include <fstream>
#include <sstream>
#include <string>

#include "crypto/bytes.h"

namespace calemu::crypto::test {

inline Bytes ascii(const std::string& s) { return Bytes(s.begin(), s.end()); }
inline Bytes hex(const std::string& s) { return from_hex(s); }

inline std::string data_path(const std::string& name) {
  return std::string(CALEMU_SOURCE_DIR) + "/tests/crypto/data/" + name;
}
inline std::string shared_key_path(const std::string& name) {
  return std::string(CALEMU_SHARED_DIR) + "/keys/caliptra-fake/" + name;
}
inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace calemu::crypto::test
