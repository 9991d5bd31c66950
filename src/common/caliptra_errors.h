// Names of Caliptra firmware error codes (the values ROM, FMC and runtime write to
// CPTRA_FW_ERROR_FATAL / CPTRA_FW_ERROR_NON_FATAL), for Caliptra 1.2 and 2.x.
// Source: ../shared/spec/caliptra-fw-error-codes.md (see caliptra_errors_table.inc).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/caliptra_generation.h"

namespace calemu {

// The CaliptraError name of `code` in that generation's firmware, nullopt if it has none.
// Some values changed meaning between 1.2 and 2.x (e.g. 0x000B002C), hence the generation.
std::optional<std::string_view> error_name(CaliptraGeneration gen, uint32_t code);

// "0x000B0001 IMAGE_VERIFIER_ERR_MANIFEST_MARKER_MISMATCH", or "0x12345678 (unknown error)".
std::string describe_error(CaliptraGeneration gen, uint32_t code);

// The code with that name in that generation's firmware, nullopt if there is none.
std::optional<uint32_t> error_code(CaliptraGeneration gen, std::string_view name);

}  // namespace calemu
