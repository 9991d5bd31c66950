// CSR numbers: standard machine-mode CSRs and the VeeR EL2 custom ones
// (VeeR EL2 PRM, "CSR Address Map"). One table serves the hart and the disassembler.
#pragma once
#include <cstdint>
#include <string_view>

namespace calemu::rv::csr {

#define CALEMU_RV_CSRS(X)                         \
  X(MSTATUS, "mstatus", 0x300)                    \
  X(MISA, "misa", 0x301)                          \
  X(MIE, "mie", 0x304)                            \
  X(MTVEC, "mtvec", 0x305)                        \
  X(MCOUNTEREN, "mcounteren", 0x306)              \
  X(MENVCFG, "menvcfg", 0x30A)                    \
  X(MSTATUSH, "mstatush", 0x310)                  \
  X(MENVCFGH, "menvcfgh", 0x31A)                  \
  X(MCOUNTINHIBIT, "mcountinhibit", 0x320)        \
  X(MHPMEVENT3, "mhpmevent3", 0x323)              \
  X(MHPMEVENT4, "mhpmevent4", 0x324)              \
  X(MHPMEVENT5, "mhpmevent5", 0x325)              \
  X(MHPMEVENT6, "mhpmevent6", 0x326)              \
  X(MSCRATCH, "mscratch", 0x340)                  \
  X(MEPC, "mepc", 0x341)                          \
  X(MCAUSE, "mcause", 0x342)                      \
  X(MTVAL, "mtval", 0x343)                        \
  X(MIP, "mip", 0x344)                            \
  X(PMPCFG0, "pmpcfg0", 0x3A0)                    \
  X(PMPADDR0, "pmpaddr0", 0x3B0)                  \
  X(MSECCFG, "mseccfg", 0x747)                    \
  X(MSECCFGH, "mseccfgh", 0x757)                  \
  X(TSELECT, "tselect", 0x7A0)                    \
  X(TDATA1, "tdata1", 0x7A1)                      \
  X(TDATA2, "tdata2", 0x7A2)                      \
  X(DCSR, "dcsr", 0x7B0)                          \
  X(DPC, "dpc", 0x7B1)                            \
  X(MRAC, "mrac", 0x7C0)                          \
  X(MCPC, "mcpc", 0x7C2)                          \
  X(DMST, "dmst", 0x7C4)                          \
  X(MPMC, "mpmc", 0x7C6)                          \
  X(MFDHT, "mfdht", 0x7CE)                        \
  X(MFDHS, "mfdhs", 0x7CF)                        \
  X(MITCNT0, "mitcnt0", 0x7D2)                    \
  X(MITB0, "mitb0", 0x7D3)                        \
  X(MITCTL0, "mitctl0", 0x7D4)                    \
  X(MITCNT1, "mitcnt1", 0x7D5)                    \
  X(MITB1, "mitb1", 0x7D6)                        \
  X(MITCTL1, "mitctl1", 0x7D7)                    \
  X(MICECT, "micect", 0x7F0)                      \
  X(MICCMECT, "miccmect", 0x7F1)                  \
  X(MDCCMECT, "mdccmect", 0x7F2)                  \
  X(MCGC, "mcgc", 0x7F8)                          \
  X(MFDC, "mfdc", 0x7F9)                          \
  X(MSCAUSE, "mscause", 0x7FF)                    \
  X(MCYCLE, "mcycle", 0xB00)                      \
  X(MINSTRET, "minstret", 0xB02)                  \
  X(MHPMCOUNTER3, "mhpmcounter3", 0xB03)          \
  X(MHPMCOUNTER4, "mhpmcounter4", 0xB04)          \
  X(MHPMCOUNTER5, "mhpmcounter5", 0xB05)          \
  X(MHPMCOUNTER6, "mhpmcounter6", 0xB06)          \
  X(MCYCLEH, "mcycleh", 0xB80)                    \
  X(MINSTRETH, "minstreth", 0xB82)                \
  X(MHPMCOUNTER3H, "mhpmcounter3h", 0xB83)        \
  X(MHPMCOUNTER4H, "mhpmcounter4h", 0xB84)        \
  X(MHPMCOUNTER5H, "mhpmcounter5h", 0xB85)        \
  X(MHPMCOUNTER6H, "mhpmcounter6h", 0xB86)        \
  X(MDEAU, "mdeau", 0xBC0)                        \
  X(MEIVT, "meivt", 0xBC8)                        \
  X(MEIPT, "meipt", 0xBC9)                        \
  X(MEICPCT, "meicpct", 0xBCA)                    \
  X(MEICIDPL, "meicidpl", 0xBCB)                  \
  X(MEICURPL, "meicurpl", 0xBCC)                  \
  X(CYCLE, "cycle", 0xC00)                        \
  X(INSTRET, "instret", 0xC02)                    \
  X(CYCLEH, "cycleh", 0xC80)                      \
  X(INSTRETH, "instreth", 0xC82)                  \
  X(MVENDORID, "mvendorid", 0xF11)                \
  X(MARCHID, "marchid", 0xF12)                    \
  X(MIMPID, "mimpid", 0xF13)                      \
  X(MHARTID, "mhartid", 0xF14)                    \
  X(MCONFIGPTR, "mconfigptr", 0xF15)              \
  X(MDSEAC, "mdseac", 0xFC0)                      \
  X(MEIHAP, "meihap", 0xFC8)

enum : uint16_t {
#define CALEMU_X(id, name, num) id = num,
  CALEMU_RV_CSRS(CALEMU_X)
#undef CALEMU_X
  PMPCFG15 = 0x3AF,
  PMPADDR63 = 0x3EF,
};

// Name of a CSR number ("pmpaddr12", "mitctl1"); empty when the number has no name.
std::string_view name(uint16_t num, char (&scratch)[16]);

}  // namespace calemu::rv::csr
