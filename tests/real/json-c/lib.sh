# shellcheck shell=bash disable=SC2034,SC2154 # sourced by tests/real/run.sh
# json-c (Debian source package json-c, 0.16): a JSON library, CMake, 23
# ctest tests. Recursive: json_object_equal/json_array_equal,
# json_object_deep_copy_recursive, _json_c_visit, json_pointer_get_recursive,
# lh_table_insert_w_hash/lh_table_resize; serializing and freeing recurse
# through function pointers (_to_json_string, the free callbacks). The
# parser keeps its own stack.
real_package=json-c
real_packages=(cmake make gcc libc6-dev)
real_build_system=cmake
# The static library only (the tests then link it); -Werror stays on, as
# json-c builds by default.
real_cmake_args=(-DBUILD_SHARED_LIBS=OFF -DBUILD_STATIC_LIBS=ON)

# The library proper: JSON_C_SOURCES of its CMakeLists.txt (libjson.c is a
# link-time stub, not built; tests/, apps/, bench/ and fuzz/ are not the
# library).
real_sources() {
    ls arraylist.c debug.c json_c_version.c json_object.c json_object_iterator.c \
        json_pointer.c json_tokener.c json_util.c json_visit.c linkhash.c printbuf.c \
        random_seed.c strerror_override.c
}

real_deep_target=json-c
real_deep_modes=(pointer equal copy visit string free)
# json.h and the generated json_config.h and json.h; then the library.
real_driver_flags() { echo "-I$src -I$1 $1/libjson-c.a"; }
