# opcat_add_test(NAME name SOURCES ... [LIBS ...] LABELS label...)
# Builds one GoogleTest program and registers each of its tests with ctest under the labels
# of ../shared/STYLE.md (unit, storage, integration, ui, web, lint, fault).
include(GoogleTest)
find_package(GTest REQUIRED)

function(opcat_add_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main opcat_warnings)
  gtest_discover_tests(${T_NAME}
    DISCOVERY_MODE PRE_TEST
    PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    TEST_PREFIX "${T_NAME}.")
endfunction()
