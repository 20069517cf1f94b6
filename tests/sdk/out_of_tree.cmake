# The SDK as a third party gets it: install the SDK component of BUILD_TREE into a fresh
# prefix, build the example plugin against that prefix alone, run its unit tests, and check
# its exports. The example library stays at ${WORK_DIR}/sdk-example/example_calendar.so.
#
# cmake -DBUILD_TREE=<build> -DEXAMPLE_SOURCE=<sdk/examples/example_calendar>
#       -DWORK_DIR=<dir> -DGENERATOR=<gen> -DMAKE_PROGRAM=<prog> -DCXX_COMPILER=<c++>
#       -DBUILD_TYPE=<type> -DNM=<nm> -P out_of_tree.cmake
include("${CMAKE_CURRENT_LIST_DIR}/exports.cmake")
foreach(var BUILD_TREE EXAMPLE_SOURCE WORK_DIR GENERATOR CXX_COMPILER NM)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "out_of_tree: ${var} is required")
  endif()
endforeach()

set(prefix "${WORK_DIR}/sdk-install")
set(example_build "${WORK_DIR}/sdk-example")

# 1. Install only the sdk component, into an empty prefix.
file(REMOVE_RECURSE "${prefix}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_TREE}" --component sdk
                        --prefix "${prefix}"
                COMMAND_ERROR_IS_FATAL ANY)
foreach(file include/switchboard/plugin.h include/switchboard/categories.h
             include/switchboard/plugin.hpp include/switchboard/testing/fake_host.hpp
             share/switchboard/schemas/calendar.schema.json
             share/switchboard/schemas/common.schema.json
             share/switchboard/examples/example_calendar/CMakeLists.txt
             lib/cmake/SwitchboardSDK/SwitchboardSDKConfig.cmake
             lib/cmake/SwitchboardSDK/SwitchboardSDKConfigVersion.cmake
             lib/cmake/SwitchboardSDK/SwitchboardSDKTargets.cmake
             lib/cmake/SwitchboardSDK/SwitchboardPlugin.cmake)
  if(NOT EXISTS "${prefix}/${file}")
    message(FATAL_ERROR "out_of_tree: the sdk install lacks ${file}")
  endif()
endforeach()
file(GLOB_RECURSE installed_libraries "${prefix}/*.so" "${prefix}/*.a")
if(installed_libraries)
  message(FATAL_ERROR "out_of_tree: the sdk component installs libraries: ${installed_libraries}")
endif()

# 2. Configure and build the example against the installed SDK only.
set(configure_args -S "${EXAMPLE_SOURCE}" -B "${example_build}" -G "${GENERATOR}"
                   "-DCMAKE_PREFIX_PATH=${prefix}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
                   "-DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON")
if(MAKE_PROGRAM)
  list(APPEND configure_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(BUILD_TYPE)
  list(APPEND configure_args "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" ${configure_args} COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${example_build}" --parallel 2
                COMMAND_ERROR_IS_FATAL ANY)

# 3. Its own unit tests (GoogleTest, fake host), then its exports.
execute_process(COMMAND "${CMAKE_CTEST_COMMAND}" --test-dir "${example_build}"
                        --output-on-failure --no-tests=error
                COMMAND_ERROR_IS_FATAL ANY)
sb_check_plugin_exports("${example_build}/example_calendar.so" "${NM}")
message(STATUS "out_of_tree: ${example_build}/example_calendar.so built and tested")
