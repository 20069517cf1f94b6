# The SDK as a third party gets it: install the SDK component of BUILD_TREE into a fresh
# prefix, build the example plugin against that prefix alone, run its unit tests, and check
# its exports. The example library stays at ${WORK_DIR}/sdk-example/example_calendar.so.
#
# Also: the package's version file (project version, SameMajorVersion), and the SDK
# configured on its own (cmake -S sdk) installs the very same files.
#
# cmake -DBUILD_TREE=<build> -DSDK_SOURCE=<sdk> -DWORK_DIR=<dir> -DVERSION=<x.y.z>
#       -DGENERATOR=<gen> -DMAKE_PROGRAM=<prog> -DCXX_COMPILER=<c++> -DBUILD_TYPE=<type>
#       -DNM=<nm> -P out_of_tree.cmake
include("${CMAKE_CURRENT_LIST_DIR}/exports.cmake")
foreach(var BUILD_TREE SDK_SOURCE WORK_DIR VERSION GENERATOR CXX_COMPILER NM)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "out_of_tree: ${var} is required")
  endif()
endforeach()

set(prefix "${WORK_DIR}/sdk-install")
set(example_build "${WORK_DIR}/sdk-example")
set(generator_args -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
if(MAKE_PROGRAM)
  list(APPEND generator_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()

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

# 2. The version file: the project's version; any x.y of the same major is compatible.
function(check_version requested expected)
  set(PACKAGE_FIND_VERSION "${requested}")
  string(REGEX MATCH "^[0-9]+" PACKAGE_FIND_VERSION_MAJOR "${requested}")
  include("${prefix}/lib/cmake/SwitchboardSDK/SwitchboardSDKConfigVersion.cmake")
  if(NOT PACKAGE_VERSION STREQUAL VERSION)
    message(FATAL_ERROR "out_of_tree: the package says version ${PACKAGE_VERSION}, not ${VERSION}")
  endif()
  if(NOT PACKAGE_VERSION_COMPATIBLE STREQUAL expected)
    message(FATAL_ERROR "out_of_tree: asking for ${requested} of ${VERSION} gives "
                        "compatible=${PACKAGE_VERSION_COMPATIBLE}, expected ${expected}")
  endif()
endfunction()
string(REGEX MATCH "^[0-9]+" major "${VERSION}")
math(EXPR next_major "${major} + 1")
check_version("${VERSION}" TRUE)
check_version("${major}.0" TRUE)
check_version("${next_major}.0" FALSE)

# 3. The SDK configured on its own installs the same files.
set(standalone_prefix "${WORK_DIR}/sdk-install-standalone")
file(REMOVE_RECURSE "${standalone_prefix}")
execute_process(COMMAND "${CMAKE_COMMAND}" -S "${SDK_SOURCE}" -B "${WORK_DIR}/sdk-standalone"
                        ${generator_args}
                COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${WORK_DIR}/sdk-standalone"
                        --component sdk --prefix "${standalone_prefix}"
                COMMAND_ERROR_IS_FATAL ANY)
file(GLOB_RECURSE in_tree_files RELATIVE "${prefix}" "${prefix}/*")
file(GLOB_RECURSE standalone_files RELATIVE "${standalone_prefix}" "${standalone_prefix}/*")
if(NOT in_tree_files STREQUAL standalone_files)
  message(FATAL_ERROR "out_of_tree: cmake -S sdk installs\n  ${standalone_files}\n"
                      "but the whole tree's sdk component installs\n  ${in_tree_files}")
endif()

# 4. Configure and build the example against the installed SDK only.
set(configure_args -S "${SDK_SOURCE}/examples/example_calendar" -B "${example_build}"
                   ${generator_args} "-DCMAKE_PREFIX_PATH=${prefix}"
                   "-DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON")
if(BUILD_TYPE)
  list(APPEND configure_args "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" ${configure_args} COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${example_build}" --parallel 2
                COMMAND_ERROR_IS_FATAL ANY)

# 5. Its own unit tests (GoogleTest, fake host), then its exports.
execute_process(COMMAND "${CMAKE_CTEST_COMMAND}" --test-dir "${example_build}"
                        --output-on-failure --no-tests=error
                COMMAND_ERROR_IS_FATAL ANY)
sb_check_plugin_exports("${example_build}/example_calendar.so" "${NM}")
message(STATUS "out_of_tree: ${example_build}/example_calendar.so built and tested")
