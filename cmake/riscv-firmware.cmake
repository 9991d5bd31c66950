# Builds our RV32 test firmware with Debian's riscv64-unknown-elf toolchain.
# Quirks (../shared/spec/toolchain.md §2): Zicsr must be named in -march, and linking with
# any extension suffix selects the wrong multilib, so we link -nostdlib against the
# rv32im/ilp32 libgcc explicitly.

find_program(RV_GCC riscv64-unknown-elf-gcc REQUIRED)
find_program(RV_OBJCOPY riscv64-unknown-elf-objcopy REQUIRED)
find_program(RV_OBJDUMP riscv64-unknown-elf-objdump)

set(RV_MARCH "rv32imc_zba_zbb_zbc_zbs_zicsr_zifencei" CACHE STRING "")
set(RV_CFLAGS -march=${RV_MARCH} -mabi=ilp32 -mcmodel=medany -O2 -ffreestanding -fno-builtin
    -nostdlib -mno-relax -Wall -Wextra -g)
execute_process(COMMAND ${RV_GCC} -march=rv32imc -mabi=ilp32 -print-libgcc-file-name
                OUTPUT_VARIABLE RV_LIBGCC OUTPUT_STRIP_TRAILING_WHITESPACE)
set(RV_CCACHE "")
if(CCACHE_PROGRAM)
  set(RV_CCACHE ${CCACHE_PROGRAM})
endif()

# add_rv_firmware(<name> LINKER <script> SOURCES <files...> [DEFINES <d...>] [INCLUDES <dirs...>])
# Produces ${CMAKE_CURRENT_BINARY_DIR}/<name>.elf and <name>.bin; target fw-<name>.
function(add_rv_firmware name)
  cmake_parse_arguments(FW "" "LINKER" "SOURCES;DEFINES;INCLUDES;CFLAGS" ${ARGN})
  set(objs "")
  set(incs "")
  foreach(i ${FW_INCLUDES})
    list(APPEND incs -I${i})
  endforeach()
  set(defs "")
  foreach(d ${FW_DEFINES})
    list(APPEND defs -D${d})
  endforeach()
  foreach(src ${FW_SOURCES})
    get_filename_component(abs ${src} ABSOLUTE)
    get_filename_component(base ${src} NAME)
    set(obj ${CMAKE_CURRENT_BINARY_DIR}/${name}.dir/${base}.o)
    add_custom_command(OUTPUT ${obj}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/${name}.dir
      COMMAND ${RV_CCACHE} ${RV_GCC} ${RV_CFLAGS} ${FW_CFLAGS} ${defs} ${incs} -MMD -MF ${obj}.d -c ${abs} -o ${obj}
      DEPENDS ${abs}
      DEPFILE ${obj}.d
      COMMENT "RV32 ${name}: ${base}" VERBATIM)
    list(APPEND objs ${obj})
  endforeach()
  get_filename_component(ld ${FW_LINKER} ABSOLUTE)
  set(elf ${CMAKE_CURRENT_BINARY_DIR}/${name}.elf)
  add_custom_command(OUTPUT ${elf} ${CMAKE_CURRENT_BINARY_DIR}/${name}.bin
    COMMAND ${RV_GCC} ${RV_CFLAGS} -T ${ld} ${objs} ${RV_LIBGCC} -o ${elf} -Wl,--no-warn-rwx-segments
    COMMAND ${RV_OBJCOPY} -O binary ${elf} ${CMAKE_CURRENT_BINARY_DIR}/${name}.bin
    DEPENDS ${objs} ${ld}
    COMMENT "RV32 link ${name}.elf" VERBATIM)
  add_custom_target(fw-${name} ALL DEPENDS ${elf})
endfunction()

# embed_file(<target> <input> <symbol>): compiles <input>'s bytes into <target>.
function(embed_file target input symbol)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embed_${symbol}.cpp)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${out} -DSYMBOL=${symbol} -P ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
    DEPENDS ${input} ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
    COMMENT "Embedding ${symbol}" VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
