// The cryptographic engines and vaults (one file per block in src/caliptra), constructed
// for a hardware generation and mapped by the machine at their RDL base addresses.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "bus/regfile.h"
#include "caliptra/block_context.h"

namespace calemu::caliptra {

struct EngineBlock {
  std::string name;
  uint32_t base;
  std::unique_ptr<bus::RegBlock> block;
};

// Also sets ctx.kv / ctx.pv for blocks created later.
std::vector<EngineBlock> make_engines(BlockContext& ctx);

}  // namespace calemu::caliptra
