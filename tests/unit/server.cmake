# Tests of the server's pure logic (label unit): the administration's CSV reader, the console's
# JSON bodies, session cookies, settings and who may read the metrics.
opcat_add_test(NAME server_unit_test
  SOURCES server/csv_reader_test.cpp server/json_object_test.cpp server/staff_auth_test.cpp
    server/server_config_test.cpp server/metrics_access_test.cpp
  LIBS opcat_server_lib
  LABELS unit)
target_include_directories(server_unit_test PRIVATE "${PROJECT_SOURCE_DIR}/tests")
