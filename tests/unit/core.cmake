opcat_add_test(NAME core_test
  SOURCES core/status_test.cpp core/uuid_test.cpp core/utf8_test.cpp core/hlc_test.cpp
    core/public_random_test.cpp core/ascii_test.cpp
  LIBS opcat_sync_core opcat_core
  LABELS unit)
