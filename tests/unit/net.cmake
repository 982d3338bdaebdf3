# Tests of the network layer without a network (label unit): error categories, retry policy,
# URL policy, libcurl error mapping and the transport's refusals before connecting. The
# transport against the real server is in tests/integration/curl_transport_test.cpp.
find_package(CURL REQUIRED)
opcat_add_test(NAME net_test
  SOURCES net/net_error_test.cpp net/retry_policy_test.cpp net/url_policy_test.cpp
          net/curl_checks_test.cpp net/curl_transport_refusal_test.cpp
  LIBS opcat_net CURL::libcurl
  LABELS unit)
