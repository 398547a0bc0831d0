# unrecurse_transform(TARGET SOURCE... [OPTIONS TOOL_OPTION...])
#
# Rewrites each SOURCE of TARGET (already listed in its sources; relative
# to the current source directory) with the unrecurse tool at build time,
# into the build tree (CMAKE_CURRENT_BINARY_DIR/unrecurse/TARGET/...), and
# compiles the rewritten file in its place; TARGET links unrecurse::runtime.
# The tool gets TARGET's include directories and compile definitions, and
# the OPTIONS (e.g. --all, --function NAME, --heap-only). A rewrite runs
# again when its source, or any header the source includes, changes (the
# tool writes a depfile; CMake 3.20 or newer). When the tool rejects a
# file, the build fails with the tool's diagnostic, which points at the
# user's source. The rewritten file's own directory is not the source's:
# that directory is added to its include path, for #include "...".
#
# Needs the imported target unrecurse::unrecurse (find_package(unrecurse)).
function(unrecurse_transform target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "OPTIONS")
  if(NOT TARGET ${target})
    message(FATAL_ERROR "unrecurse_transform: no target '${target}'")
  endif()
  if(NOT ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "unrecurse_transform(${target}): no sources given")
  endif()
  if(CMAKE_VERSION VERSION_LESS 3.20)
    message(FATAL_ERROR "unrecurse_transform needs CMake 3.20 or newer (DEPFILE)")
  endif()
  set(incs "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")
  set(defs "$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>")
  get_target_property(sources ${target} SOURCES)
  foreach(src IN LISTS ARG_UNPARSED_ARGUMENTS)
    get_filename_component(abs "${src}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    get_filename_component(dir "${abs}" DIRECTORY)
    file(RELATIVE_PATH rel "${CMAKE_CURRENT_SOURCE_DIR}" "${abs}")
    string(REPLACE "../" "__/" rel "${rel}")
    set(out "${CMAKE_CURRENT_BINARY_DIR}/unrecurse/${target}/${rel}")
    get_filename_component(outdir "${out}" DIRECTORY)
    file(MAKE_DIRECTORY "${outdir}")
    add_custom_command(OUTPUT "${out}"
      COMMAND unrecurse::unrecurse "${abs}" -o "${out}" --depfile "${out}.d" ${ARG_OPTIONS}
              -- "$<$<BOOL:${incs}>:-I$<JOIN:${incs},;-I>>"
                 "$<$<BOOL:${defs}>:-D$<JOIN:${defs},;-D>>"
      DEPFILE "${out}.d"
      DEPENDS "${abs}" unrecurse::unrecurse
      COMMENT "unrecurse ${rel}"
      COMMAND_EXPAND_LISTS
      VERBATIM)
    set_source_files_properties("${out}" PROPERTIES INCLUDE_DIRECTORIES "${dir}")
    set(found FALSE)
    set(replaced)
    foreach(s IN LISTS sources)
      get_filename_component(s_abs "${s}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
      if(s_abs STREQUAL abs)
        list(APPEND replaced "${out}")
        set(found TRUE)
      else()
        list(APPEND replaced "${s}")
      endif()
    endforeach()
    if(NOT found)
      message(FATAL_ERROR "unrecurse_transform(${target}): ${src} is not a source of ${target}")
    endif()
    set(sources ${replaced})
  endforeach()
  set_property(TARGET ${target} PROPERTY SOURCES ${sources})
  target_link_libraries(${target} PRIVATE unrecurse::runtime)
endfunction()
