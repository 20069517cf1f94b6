# sb_add_gtest(<name> LABEL <label> SOURCES ... [LIBS ...] [TIMEOUT s] [PROPERTIES ...])
# One GoogleTest executable; every test in it becomes a CTest test carrying LABEL
# (unit | integration | plugin | sim | e2e | fuzz), so `ctest -L unit` runs a slice.
# PROPERTIES adds CTest properties to every discovered test (e.g. FIXTURES_REQUIRED x).
include(GoogleTest)

# Where the shared, read-only test inputs live (../shared/specs beside the repository).
set(SB_SPECS_DIR "${PROJECT_SOURCE_DIR}/../shared/specs" CACHE PATH "The shared specs folder")

function(sb_add_gtest name)
  cmake_parse_arguments(ARG "" "LABEL;TIMEOUT" "SOURCES;LIBS;PROPERTIES" ${ARGN})
  if(NOT ARG_LABEL)
    message(FATAL_ERROR "sb_add_gtest(${name}): LABEL is required")
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gmock_main)
  target_compile_definitions(${name} PRIVATE SB_SPECS_DIR="${SB_SPECS_DIR}")
  sb_set_warnings(${name})
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
                       PROPERTIES LABELS ${ARG_LABEL} TIMEOUT ${ARG_TIMEOUT} ${ARG_PROPERTIES})
endfunction()
