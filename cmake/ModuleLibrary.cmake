# sb_add_module(<name> <sources>...)
# One library per core and host module (core/<module>, host/<module>). They are static by
# default: the host is one self-contained executable. SB_SHARED_MODULES=ON (the ci, asan and
# tsan presets) builds them as shared libraries instead, so each of the forty-odd test programs
# links one copy rather than carrying its own: under ASan a program with the whole core in it
# is about 250 MB, and the static test build used to need 10 GB of disk. Shared modules are
# installed beside the plugins (lib/switchboard) and found through the executable's RPATH.
include(GNUInstallDirs)
option(SB_SHARED_MODULES "Build the core and host modules as shared libraries (the test presets)" OFF)

if(SB_SHARED_MODULES)
  set(SB_MODULE_LIBRARY_TYPE SHARED)
  set(CMAKE_INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}/switchboard")
else()
  set(SB_MODULE_LIBRARY_TYPE STATIC)
endif()

function(sb_add_module name)
  add_library(${name} ${SB_MODULE_LIBRARY_TYPE} ${ARGN})
  if(SB_SHARED_MODULES)
    install(TARGETS ${name} LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}/switchboard" COMPONENT host)
  endif()
endfunction()

# sb_add_test_library(<name> <sources>...)
# A library the tests share (the provider simulator, fixtures): shared like the modules when
# SB_SHARED_MODULES is on, for the same reason, and never installed.
function(sb_add_test_library name)
  add_library(${name} ${SB_MODULE_LIBRARY_TYPE} ${ARGN})
endfunction()
