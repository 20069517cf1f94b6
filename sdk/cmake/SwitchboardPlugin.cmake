# switchboard_add_plugin(<target> SOURCES <source>... [OUTPUT_DIRECTORY <dir>])
#
# Builds a Switchboard plugin: a MODULE library named <target>.so (no "lib" prefix), linked
# to SwitchboardSDK::sdk, whose only exported dynamic symbol is the entry function
# switchboard_plugin_entry:
#   - hidden visibility for everything (-fvisibility=hidden -fvisibility-inlines-hidden);
#   - a linker version script { global: switchboard_plugin_entry; local: *; }, which also
#     hides what static libraries linked into the plugin would otherwise export (a static
#     libstdc++, a JSON or HTTP library), so two plugins never share symbols by accident;
#   - -Wl,--no-undefined, so a missing symbol fails the build, not the host's dlopen.
# The library goes to OUTPUT_DIRECTORY when given, else to ${SB_PLUGIN_OUTPUT_DIRECTORY}
# when that variable is defined (the Switchboard tree sets it), else to the usual place.
# Link further libraries with target_link_libraries(<target> PRIVATE ...) as usual.
include_guard(GLOBAL)

function(switchboard_add_plugin target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "OUTPUT_DIRECTORY" "SOURCES")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "switchboard_add_plugin(${target}): unknown arguments: "
                        "${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "switchboard_add_plugin(${target}): SOURCES is required")
  endif()
  if(NOT TARGET SwitchboardSDK::sdk)
    message(FATAL_ERROR "switchboard_add_plugin(${target}): SwitchboardSDK::sdk is not defined; "
                        "call find_package(SwitchboardSDK) first")
  endif()

  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE SwitchboardSDK::sdk)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    SUFFIX ".so"
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)

  set(exports "${CMAKE_CURRENT_BINARY_DIR}/${target}.exports.map")
  file(CONFIGURE OUTPUT "${exports}"
       CONTENT "{\n  global: switchboard_plugin_entry;\n  local: *;\n};\n")
  target_link_options(${target} PRIVATE "LINKER:--version-script=${exports}"
                                        "LINKER:--no-undefined")
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${exports}")

  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
  elseif(DEFINED SB_PLUGIN_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES
                          LIBRARY_OUTPUT_DIRECTORY "${SB_PLUGIN_OUTPUT_DIRECTORY}")
  endif()
endfunction()
