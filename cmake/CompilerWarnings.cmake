# sb_set_warnings(<target>): the project's warning set, errors in CI (SB_WERROR).
function(sb_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion)
  # GCC warns about a class whose members use an anonymous namespace's types when the class is
  # defined outside the main file, i.e. in a header. A unity build includes the .cpp files
  # themselves into one translation unit, so the warning would fire for every pimpl a .cpp
  # defines around its own helper types.
  get_target_property(unity ${target} UNITY_BUILD)
  if(unity AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Wno-subobject-linkage>)
  endif()
  if(SB_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
