# Tests of the crypto module (label unit). Key files use Argon2Params::fastForTests(), so the
# whole program runs in a few seconds.
opcat_add_test(NAME crypto_test
  SOURCES crypto/secret_key_test.cpp crypto/secure_file_test.cpp crypto/key_file_test.cpp
          crypto/record_cipher_test.cpp crypto/attachment_stream_test.cpp
          crypto/sealed_box_test.cpp
  LIBS opcat_crypto
  LABELS unit)
target_include_directories(crypto_test PRIVATE "${PROJECT_SOURCE_DIR}/tests")
