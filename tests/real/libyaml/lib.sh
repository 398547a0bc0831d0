# shellcheck shell=bash disable=SC2034,SC2154 # sourced by tests/real/run.sh
# libyaml (Debian source package libyaml, 0.2.5): a YAML parser and
# emitter, CMake, 2 ctest tests (test-version, test-reader; neither reaches
# the dumper). Recursive: the dumper, yaml_emitter_anchor_node and the
# cycle yaml_emitter_dump_node/_dump_sequence/_dump_mapping. The scanner,
# the parser, the loader and the emitter proper keep their own stacks.
real_package=libyaml
real_packages=(cmake make gcc libc6-dev)
real_build_system=cmake
# The static library (CMake's default here) and the tests.
real_cmake_args=(-DBUILD_SHARED_LIBS=OFF)

# The library proper: the SRCS of its CMakeLists.txt (tests/ and
# examples/ are not the library).
real_sources() { ls src/*.c; }

# No depth limit to raise.
real_deep_target=yaml
real_deep_modes=(dump dumpmap)
real_driver_flags() { echo "-I$src/include -DYAML_DECLARE_STATIC $1/libyaml.a"; }
