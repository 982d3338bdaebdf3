# The reference data of sync-server/data (regions, authorities, sample institutions, checklists)
# parses, converts and validates (label unit).
opcat_add_test(NAME reference_data_test SOURCES data/reference_data_test.cpp LIBS opcat_codec LABELS unit)
target_compile_definitions(reference_data_test PRIVATE OPCAT_DATA_DIR="${PROJECT_SOURCE_DIR}/sync-server/data")
target_include_directories(reference_data_test PRIVATE "${PROJECT_SOURCE_DIR}/tests")
