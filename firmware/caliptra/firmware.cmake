# add_caliptra_firmware(<name> LOAD_ADDR <addr> MAX_SIZE <bytes> STACK_TOP <addr> SOURCES <files...>
#                       [DEFINES <d...>])
# A test program for Caliptra's ICCM, linked at LOAD_ADDR; see firmware/caliptra/link.ld.in.
set(CALIPTRA_FW_DIR ${CMAKE_CURRENT_LIST_DIR})
function(add_caliptra_firmware name)
  cmake_parse_arguments(CF "" "LOAD_ADDR;MAX_SIZE;STACK_TOP" "SOURCES;DEFINES" ${ARGN})
  set(LOAD_ADDR ${CF_LOAD_ADDR})
  set(MAX_SIZE ${CF_MAX_SIZE})
  configure_file(${CALIPTRA_FW_DIR}/link.ld.in ${CMAKE_CURRENT_BINARY_DIR}/${name}.ld @ONLY)
  add_rv_firmware(${name} LINKER ${CMAKE_CURRENT_BINARY_DIR}/${name}.ld
    SOURCES ${CALIPTRA_FW_DIR}/crt0.S ${CALIPTRA_FW_DIR}/soc_ifc.c ${CF_SOURCES}
    DEFINES STACK_TOP=${CF_STACK_TOP} ${CF_DEFINES}
    INCLUDES ${CALIPTRA_FW_DIR})
endfunction()

# Layout per generation (caliptra-fw-protocol.md §1.5 and caliptra-sw drivers/src/memory_layout.rs):
# FMC at the start of ICCM, the runtime after the FMC's slot, stacks at the top of the
# firmware stack region in DCCM.
set(CALIPTRA_1X_FMC_ADDR 0x40000000)
set(CALIPTRA_1X_RT_ADDR 0x40006000)
set(CALIPTRA_1X_FMC_MAX 0x6000)
set(CALIPTRA_1X_RT_MAX 0x1A000)
set(CALIPTRA_1X_STACK_TOP 0x5001F800)
set(CALIPTRA_2X_FMC_ADDR 0x40000000)
set(CALIPTRA_2X_RT_ADDR 0x40008000)
set(CALIPTRA_2X_FMC_MAX 0x8000)
set(CALIPTRA_2X_RT_MAX 0x38000)
set(CALIPTRA_2X_STACK_TOP 0x50023000)
