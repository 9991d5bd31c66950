# Runs one command and checks its exit status and (optionally) a regex on its output.
# -DCMD="a|b|c" -DEXPECT_RC=<n> [-DEXPECT_OUT=<regex>]
string(REPLACE "|" ";" CMD "${CMD}")
execute_process(COMMAND ${CMD} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
if(NOT "${rc}" STREQUAL "${EXPECT_RC}")
  message(FATAL_ERROR "exit status '${rc}', expected ${EXPECT_RC}\nstdout: ${out}\nstderr: ${err}")
endif()
if(DEFINED EXPECT_OUT AND NOT "${out}${err}" MATCHES "${EXPECT_OUT}")
  message(FATAL_ERROR "output does not match '${EXPECT_OUT}'\nstdout: ${out}\nstderr: ${err}")
endif()
message(STATUS "exit status ${rc} as expected")
