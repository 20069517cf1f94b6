# sb_embed_files(<output.cpp> HEADER <h> NAMESPACE <ns> TYPE <struct> FUNCTION <fn>
#                FILES <files...> COMMENT <text> [BASE <dir>])
# Generates <output.cpp>, which defines `std::span<const <struct>> <ns>::<fn>() noexcept` over
# the files' bytes sorted by file name, so the binary carries them and never looks for them at
# run time (the category schemas, the integrations page). <struct> is declared in <h> with
# the members {file_name, data, size}. A file is named by its base name, or with BASE by its
# path relative to BASE ("calendar/1.schema.json": the category schemas' released revisions).
# The work is done by embed_files_script.cmake at build time; the output is rewritten only
# when it changes.
set(SB_EMBED_FILES_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/embed_files_script.cmake")

function(sb_embed_files output)
  cmake_parse_arguments(ARG "" "HEADER;NAMESPACE;TYPE;FUNCTION;COMMENT;BASE" "FILES" ${ARGN})
  if(NOT ARG_FILES)
    message(FATAL_ERROR "sb_embed_files(${output}): no files")
  endif()
  string(REPLACE ";" "|" inputs "${ARG_FILES}")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND "${CMAKE_COMMAND}" "-DOUTPUT=${output}" "-DINPUTS=${inputs}"
            "-DHEADER=${ARG_HEADER}" "-DNAMESPACE=${ARG_NAMESPACE}" "-DTYPE=${ARG_TYPE}"
            "-DFUNCTION=${ARG_FUNCTION}" "-DBASE=${ARG_BASE}" -P "${SB_EMBED_FILES_SCRIPT}"
    DEPENDS ${ARG_FILES} "${SB_EMBED_FILES_SCRIPT}"
    COMMENT "${ARG_COMMENT}"
    VERBATIM)
endfunction()
