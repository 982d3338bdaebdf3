# Tests of the codec module (label unit).
opcat_add_test(NAME codec_test
  SOURCES codec/record_fields_test.cpp codec/wire_reader_test.cpp codec/change_codec_test.cpp
          codec/merged_content_test.cpp codec/sync_messages_test.cpp
  LIBS opcat_codec
  LABELS unit)
