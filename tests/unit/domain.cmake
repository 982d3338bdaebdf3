# Tests of the domain module (label unit).
opcat_add_test(NAME domain_test
  SOURCES
    domain/record_model_test.cpp
    domain/validation_error_test.cpp
    domain/registry_validation_test.cpp
    domain/people_validation_test.cpp
    domain/visit_validation_test.cpp
    domain/interview_validation_test.cpp
    domain/evidence_validation_test.cpp
    domain/followup_validation_test.cpp
  LIBS opcat_domain
  LABELS unit)

# The typed record codec (shared/sync/codec/record_codec.h), with the domain's sample records.
opcat_add_test(NAME record_codec_test
  SOURCES codec/record_codec_test.cpp
  LIBS opcat_codec
  LABELS unit)
target_include_directories(record_codec_test PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}")
