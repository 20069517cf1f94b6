# cmake -DREADME=<sdk/README.md> -DSOURCE_DIR=<tests/plugins/tiny_crm> -P readme_in_sync.cmake
#
# The SDK README's tutorial shows tiny_crm's files in full, each in a fenced block between
#   <!-- tutorial: <file> -->  and  <!-- end tutorial: <file> -->
# This fails unless each block is, byte for byte, the file this folder builds and tests.
file(READ "${README}" readme)
foreach(name IN ITEMS tiny_crm.cpp CMakeLists.txt)
  set(begin "<!-- tutorial: ${name} -->\n")
  set(end "<!-- end tutorial: ${name} -->")
  string(FIND "${readme}" "${begin}" at)
  string(FIND "${readme}" "${end}" stop)
  if(at EQUAL -1 OR stop EQUAL -1 OR stop LESS at)
    message(FATAL_ERROR "${README} has no tutorial block for ${name}")
  endif()
  string(LENGTH "${begin}" begin_length)
  math(EXPR from "${at} + ${begin_length}")
  math(EXPR length "${stop} - ${from}")
  string(SUBSTRING "${readme}" ${from} ${length} block)
  # The block is "```<lang>\n<the file>```\n".
  string(REGEX REPLACE "^```[a-z]*\n" "" block "${block}")
  string(REGEX REPLACE "```\n$" "" block "${block}")
  file(READ "${SOURCE_DIR}/${name}" source)
  if(NOT block STREQUAL source)
    message(FATAL_ERROR "the SDK README's tutorial shows another ${name} than ${SOURCE_DIR}/${name}: "
                        "copy the file into the README's block")
  endif()
  message(STATUS "${name}: the README shows this very file")
endforeach()
