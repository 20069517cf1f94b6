# sb_check_plugin_exports(<library> <nm>): fails unless the only defined dynamic symbol of
# <library> is switchboard_plugin_entry (nm -D --defined-only).
function(sb_check_plugin_exports library nm)
  if(NOT EXISTS "${library}")
    message(FATAL_ERROR "exports: ${library} does not exist")
  endif()
  execute_process(COMMAND "${nm}" -D --defined-only "${library}"
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "exports: ${nm} -D --defined-only ${library} failed: ${err}")
  endif()
  string(REGEX MATCHALL "[^\n]+" lines "${out}")
  set(symbols "")
  foreach(line IN LISTS lines)
    # "0000000000001139 T switchboard_plugin_entry" -> "switchboard_plugin_entry"
    string(REGEX REPLACE "^[0-9a-fA-F]* *[A-Za-z] +" "" name "${line}")
    list(APPEND symbols "${name}")
  endforeach()
  if(NOT symbols STREQUAL "switchboard_plugin_entry")
    message(FATAL_ERROR "exports: ${library} must export only switchboard_plugin_entry, "
                        "but exports: ${symbols}")
  endif()
  message(STATUS "exports: ${library} exports only switchboard_plugin_entry")
endfunction()
