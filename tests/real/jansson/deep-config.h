/* deep-config.h - raise jansson's parser depth limit for the deep driver.
 *
 * jansson fixes JSON_PARSER_MAX_DEPTH at 2048 in its generated
 * jansson_config.h, with no build option to change it. The harness builds
 * the library for the deep run with "-include deep-config.h" in
 * CMAKE_C_FLAGS: this file includes jansson_config.h first, so its include
 * guard makes the library's own later includes no-ops, then redefines the
 * limit. No file of the library is edited. (CMake's compiler checks get
 * the flag too, before there is a jansson_config.h: hence __has_include.)
 */
#if defined __has_include
#if __has_include("jansson_config.h")
#include "jansson_config.h"
#undef JSON_PARSER_MAX_DEPTH
#define JSON_PARSER_MAX_DEPTH 100000000
#endif
#endif
