// Architectural trap causes (RISC-V privileged spec, VeeR EL2 PRM "Machine Cause Register").
#pragma once
#include <cstdint>

namespace calemu::rv {

enum Cause : uint32_t {
  kInstrMisaligned = 0,
  kInstrAccessFault = 1,
  kIllegalInstr = 2,
  kBreakpoint = 3,
  kLoadMisaligned = 4,
  kLoadAccessFault = 5,
  kStoreMisaligned = 6,
  kStoreAccessFault = 7,
  kEcallU = 8,
  kEcallM = 11,
};

constexpr uint32_t kInterrupt = 0x8000'0000u;
enum InterruptCause : uint32_t {
  kIrqSoftware = kInterrupt | 3,
  kIrqTimer = kInterrupt | 7,
  kIrqExternal = kInterrupt | 11,
  kIrqIntTimer1 = kInterrupt | 28,
  kIrqIntTimer0 = kInterrupt | 29,
  kIrqCorrectable = kInterrupt | 30,
};

// NMI mcause values (VeeR EL2 PRM, "Imprecise Bus Error NMI", "Fast Interrupt Redirect").
enum NmiCause : uint32_t {
  kNmiPin = 0x0000'0000,
  kNmiStoreBusError = 0xF000'0000,
  kNmiLoadBusError = 0xF000'0001,
  kNmiFastIntEcc = 0xF000'1000,
  kNmiFastIntDccmRegion = 0xF000'1001,
  kNmiFastIntNonDccm = 0xF000'1002,
};

// mscause values (VeeR EL2 PRM, "Machine Secondary Cause Register").
enum SecondaryCause : uint8_t {
  kMscNone = 0,
  kMscMisalignedSideEffect = 1,
  kMscRegionCross = 2,       // misaligned across a region boundary
  kMscCoreLocalUnmapped = 2, // access fault: core-local unmapped address
  kMscMpu = 3,               // PMP / MPU
  kMscPic = 6,               // PIC register access error
  kMscEbreak = 2,
  kMscFetchBusError = 9,
};

struct Trap {
  uint32_t cause = 0;
  uint32_t tval = 0;
  uint8_t mscause = 0;
};

}  // namespace calemu::rv
