# shellcheck shell=bash disable=SC2034,SC2154 # sourced by tests/real/run.sh
# cJSON (Debian source package cjson, 1.7.15): a JSON library, CMake, its
# own ctest tests (Unity), built with its default -std=c89 -pedantic
# -Werror and many warnings. Recursive: the parser (parse_value/
# parse_array/parse_object), the printer (print_value/print_array/
# print_object), cJSON_Delete, cJSON_Duplicate, cJSON_Compare; in
# cJSON_Utils: compare_json, merge_patch, generate_merge_patch,
# create_patches, cJSONUtils_FindPointerFromObjectTo.
real_package=cjson
real_packages=(cmake make gcc libc6-dev)
real_build_system=cmake
# Static libraries, cJSON_Utils too (and with it its three tests).
real_cmake_args=(-DBUILD_SHARED_LIBS=OFF -DENABLE_CJSON_UTILS=ON)

# The library proper: cJSON.c and cJSON_Utils.c (test.c, tests/ and
# fuzzing/ are not the library).
real_sources() { ls cJSON.c cJSON_Utils.c; }

# The deep run builds only the libraries (cjson_utils links cjson), with the
# parser's depth limit CJSON_NESTING_LIMIT (1000, a default in cJSON.h under
# #ifndef) raised by a define.
real_deep_target=cjson_utils
real_deep_cflags="-DCJSON_NESTING_LIMIT=100000000"
real_deep_modes=(parse print duplicate compare delete mergepatch patchtest)
real_driver_flags() { echo "-I$src $1/libcjson_utils.a $1/libcjson.a -lm"; }
