// A Caliptra 1.x machine running our mailbox test ROM (firmware/caliptra/mbox_echo_rom.c).
#pragma once
#include <memory>
#include <string>

#include "caliptra/machine.h"
#include "common/elf.h"

namespace calemu::test {

inline std::unique_ptr<caliptra::Machine> echo_machine() {
  caliptra::MachineConfig mc;
  mc.rom = read_file(std::string(CALEMU_BINARY_DIR) + "/firmware/caliptra/mbox_echo_rom.bin");
  return std::make_unique<caliptra::Machine>(mc);
}

// Register addresses from the caliptra-rtl 1.x RDL (mbox_csr.rdl, soc_ifc_reg.rdl).
constexpr uint32_t kLock = 0x3002'0000, kUser = 0x3002'0004, kCmd = 0x3002'0008, kDlen = 0x3002'000C,
                   kDatain = 0x3002'0010, kDataout = 0x3002'0014, kExecute = 0x3002'0018, kStatus = 0x3002'001C,
                   kUnlock = 0x3002'0020;
constexpr uint32_t kFuseWrDone = 0x3003'00B0, kFlowStatus = 0x3003'003C, kHwErrorNonFatal = 0x3003'0004,
                   kValidUser0 = 0x3003'0048, kUserLock0 = 0x3003'005C, kBootStatus = 0x3003'0038;
constexpr uint32_t kDefaultUser = 0xFFFF'FFFF;  // CPTRA_DEF_MBOX_VALID_PAUSER

inline uint32_t fsm(uint32_t status) { return (status >> 6) & 7; }

}  // namespace calemu::test
