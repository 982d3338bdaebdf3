# Tests of the server's pure logic (label unit): the administration's CSV reader, the console's
# JSON bodies, session cookies and settings.
opcat_add_test(NAME server_unit_test
  SOURCES server/csv_reader_test.cpp server/json_object_test.cpp server/staff_auth_test.cpp
    server/server_config_test.cpp
  LIBS opcat_server_lib
  LABELS unit)
target_include_directories(server_unit_test PRIVATE "${PROJECT_SOURCE_DIR}/tests")
