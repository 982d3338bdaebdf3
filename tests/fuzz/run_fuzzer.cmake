# Runs one libFuzzer binary over a copy of its seed corpus for a bounded time; new inputs go to
# the copy, so the repository's corpus is never modified. A crashing input is kept beside the
# copy (WORK-crashes/) and named in the output.
#   cmake -DFUZZER=bin -DCORPUS=dir -DWORK=dir -DSECONDS=n -P run_fuzzer.cmake
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}" "${WORK}-crashes")
file(COPY "${CORPUS}/" DESTINATION "${WORK}")
execute_process(
  COMMAND "${FUZZER}" -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048
          -print_final_stats=1 "-artifact_prefix=${WORK}-crashes/" "${WORK}"
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${FUZZER} found a problem (exit ${status}); its input is in ${WORK}-crashes/")
endif()
