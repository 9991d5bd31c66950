// The cryptographic engines and vaults (one file per block in src/caliptra), constructed
// for a hardware generation and mapped by the machine at their RDL base addresses.
#pragma once
#include <memory>
#include <span>
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

// Also sets ctx.kv / ctx.pv for blocks created later. The blocks are wired to each other
// as caliptra_top.sv wires them (SHA-512's gen_pcr_hash digest to ECC's PCR signing,
// ENTROPY_SRC to CSRNG); ctx must outlive them.
std::vector<EngineBlock> make_engines(BlockContext& ctx);

// debugUnlock_or_scan_mode_switch (caliptra_top.sv): every engine zeroizes, the DOE clears
// the obfuscated secrets and the key vault is filled with its debug value, locks
// notwithstanding. The machine calls this when the security state latched at a reset
// release is debug-unlocked, on entry to scan mode, and while cptra_error_fatal is set.
void debug_unlock_or_scan_switch(std::span<const std::unique_ptr<bus::RegBlock>> engines);

}  // namespace calemu::caliptra
