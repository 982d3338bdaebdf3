opcat_add_test(NAME sync_test
  SOURCES sync/merge_test.cpp
  LIBS opcat_sync_core
  LABELS unit)
