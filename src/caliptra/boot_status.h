// Names of the values Caliptra's ROM, FMC and runtime write to CPTRA_BOOT_STATUS
// (../shared/spec/caliptra-fw-protocol.md §2.3 "Boot status codes").
#pragma once
#include <cstdint>
#include <string>

#include "caliptra/block_context.h"

namespace calemu::caliptra {

// "IdevIdDecryptUds", or "" when the value has no name in that generation.
std::string boot_status_name(HwGen gen, uint32_t status);

}  // namespace calemu::caliptra
