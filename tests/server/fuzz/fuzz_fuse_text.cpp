// libFuzzer target: the fuse text a client sends in a FUSES request (soc::parse_fuse_file,
// the format of `calemu boot --fuses`). Bad text must end in std::invalid_argument, which
// the server turns into a BAD_ARGUMENT reply.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "soc/fuses.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)calemu::soc::parse_fuse_file(text, calemu::soc::Fuses::defaults());
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
