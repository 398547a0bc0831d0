# shellcheck shell=bash disable=SC2034,SC2154 # sourced by tests/real/run.sh
# jansson (Debian source package jansson, 2.14): a JSON library, CMake,
# 213 ctest tests. Recursive: the parser (parse_value/parse_array/
# parse_object), the encoder (do_dump), pack/unpack, json_equal,
# json_deep_copy, object update, and json_delete through json_decref.
real_package=jansson
real_packages=(cmake make gcc libc6-dev)
real_build_system=cmake
# No documentation (it needs sphinx) and no examples; the static library,
# as Debian's default CMake build makes it.
real_cmake_args=(-DJANSSON_BUILD_DOCS=OFF -DJANSSON_EXAMPLES=OFF)

# The library proper: src/*.c (test/ and examples/ are not the library).
real_sources() { ls src/*.c; }

# The deep run builds only the library, with the parser's depth limit
# (JSON_PARSER_MAX_DEPTH, fixed in the generated jansson_config.h) raised.
real_deep_target=jansson
real_deep_cflags="-include $libdir/deep-config.h"
real_deep_modes=(load dump equal copy free)
real_driver_flags() { echo "-I$1/include $1/lib/libjansson.a"; }
