# opcat_warnings: an interface target carrying the project's warning flags (and sanitizers),
# linked by every first-party target. Generated protobuf code links opcat_sanitize only.
add_library(opcat_sanitize INTERFACE)
if(OPCAT_SANITIZE)
  target_compile_options(opcat_sanitize INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                  -fno-sanitize-recover=undefined)
  target_link_options(opcat_sanitize INTERFACE -fsanitize=address,undefined)
endif()

add_library(opcat_warnings INTERFACE)
target_link_libraries(opcat_warnings INTERFACE opcat_sanitize)
target_compile_options(opcat_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wconversion -Wsign-conversion -Wnull-dereference -Wformat=2
  -Wimplicit-fallthrough)
if(OPCAT_WERROR)
  target_compile_options(opcat_warnings INTERFACE -Werror)
endif()
