# sb_install_stripped(<target> DESTINATION <dir> COMPONENT <component>)
# Installs an executable or a plugin without its debug information: the installed file is
# stripped, and its DWARF goes to lib/debug/.build-id/<xx>/<rest>.debug (the layout of
# Debian's -dbgsym packages, where gdb finds it under /usr/lib/debug by the file's build id),
# linked back with a .gnu_debuglink. So `cmake --install` ships a small binary and keeps what a
# crash report needs beside it; packaging may move lib/debug into a package of its own.
# `cmake --install --strip` strips first, and then there is nothing to split.
# SB_SPLIT_DEBUG_ON_INSTALL=OFF installs the files as built, for a packager that splits the
# debug info itself (the `package` preset: CPack's -dbgsym package, cmake/Packaging.cmake).
include(GNUInstallDirs)
option(SB_SPLIT_DEBUG_ON_INSTALL "cmake --install strips the host and plugins, their debug info into lib/debug" ON)

set(SB_SPLIT_DEBUG_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/split_debug_info.cmake")

function(sb_install_stripped target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "DESTINATION;COMPONENT" "")
  if(NOT ARG_DESTINATION OR NOT ARG_COMPONENT)
    message(FATAL_ERROR "sb_install_stripped(${target}): DESTINATION and COMPONENT are required")
  endif()
  install(TARGETS ${target}
          RUNTIME DESTINATION "${ARG_DESTINATION}" COMPONENT ${ARG_COMPONENT}
          LIBRARY DESTINATION "${ARG_DESTINATION}" COMPONENT ${ARG_COMPONENT})
  if(NOT SB_SPLIT_DEBUG_ON_INSTALL)
    return()
  endif()
  install(CODE "
    set(SB_INSTALLED_FILE \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${ARG_DESTINATION}/$<TARGET_FILE_NAME:${target}>\")
    set(SB_DEBUG_DIRECTORY \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/lib/debug\")
    set(SB_OBJCOPY \"${CMAKE_OBJCOPY}\")
    set(SB_STRIP \"${CMAKE_STRIP}\")
    set(SB_READELF \"${CMAKE_READELF}\")
    include(\"${SB_SPLIT_DEBUG_SCRIPT}\")
  " COMPONENT ${ARG_COMPONENT})
endfunction()
