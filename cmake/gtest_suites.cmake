# Runs inside CTest (cmake/Testing.cmake, sb_add_gtest): adds one CTest test per GoogleTest
# suite of an executable, found by running it with --gtest_list_tests. The list is kept beside
# the executable and made again only when the executable is newer.
#
# sb_add_suite_tests(<executable> <name> <labels> <timeout per test> [<property> <value>]...)
# Each suite's test is named <name>:<suite> and runs `<executable> --gtest_filter=<suite>.*`,
# with the labels, a timeout of <timeout per test> for each of its tests (at most 1,500 s in
# all), and the properties given.
function(sb_add_suite_tests executable name labels timeout)
  if(NOT EXISTS "${executable}")
    add_test("${name}_NOT_BUILT" "${executable}")
    set_tests_properties("${name}_NOT_BUILT" PROPERTIES LABELS "${labels}")
    return()
  endif()
  set(listing "${executable}.gtest-list")
  if(NOT EXISTS "${listing}" OR "${executable}" IS_NEWER_THAN "${listing}")
    execute_process(COMMAND "${executable}" --gtest_list_tests
                    OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE status
                    TIMEOUT 120)
    if(NOT status EQUAL 0)
      # A test that fails, saying why, rather than a suite that silently has no tests.
      add_test("${name}_CANNOT_LIST_TESTS" "${executable}" --gtest_list_tests)
      set_tests_properties("${name}_CANNOT_LIST_TESTS" PROPERTIES LABELS "${labels}")
      return()
    endif()
    file(WRITE "${listing}" "${output}")
  endif()
  file(STRINGS "${listing}" lines)
  set(suites "")
  foreach(line IN LISTS lines)
    # A suite's line starts in the first column ("Suite." or "Prefix/Suite/0.  # TypeParam =
    # ..."); its tests' lines are indented.
    if(line MATCHES "^([^ #]+)\\.")
      set(suite "${CMAKE_MATCH_1}")
      list(APPEND suites "${suite}")
      set(count_${suite} 0)
    elseif(line MATCHES "^  [^ ]" AND DEFINED suite)
      math(EXPR count_${suite} "${count_${suite}} + 1")
    endif()
  endforeach()
  foreach(suite IN LISTS suites)
    math(EXPR suite_timeout "${timeout} * ${count_${suite}}")
    if(suite_timeout GREATER 1500)
      set(suite_timeout 1500)
    endif()
    add_test("${name}:${suite}" "${executable}" "--gtest_filter=${suite}.*")
    set_tests_properties("${name}:${suite}" PROPERTIES
                         LABELS "${labels}" TIMEOUT ${suite_timeout} ${ARGN})
  endforeach()
endfunction()
