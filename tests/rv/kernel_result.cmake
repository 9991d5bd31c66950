# Compares the result= line of a bench kernel on the hart with the host build of the same C.
execute_process(COMMAND ${CALEMU} run-elf ${ELF} --ram 0x80000000:0x100000 OUTPUT_VARIABLE guest RESULT_VARIABLE grc)
execute_process(COMMAND ${HOST} OUTPUT_VARIABLE host RESULT_VARIABLE hrc)
string(REGEX MATCH "result=0x[0-9a-f]+" g "${guest}")
string(REGEX MATCH "result=0x[0-9a-f]+" h "${host}")
if(NOT grc EQUAL 0 OR NOT hrc EQUAL 0 OR g STREQUAL "" OR NOT g STREQUAL h)
  message(FATAL_ERROR "guest: '${guest}' (rc ${grc})\nhost: '${host}' (rc ${hrc})")
endif()
message(STATUS "${g} on both")
