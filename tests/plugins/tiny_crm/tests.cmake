# tiny_crm's tests in the Switchboard tree, the same shape as the shipped plugins':
#   tiny_crm_unit_tests (unit): every action through the SDK's fake host, loading tiny_crm.so.
#   tiny_crm.validate (plugin): `switchboard plugins validate` passes it.
#   tiny_crm_e2e_tests (e2e): the real `switchboard serve` loads it from its plugins directory,
#     connects an account through the provider simulator's OAuth, and runs both actions.
#   tiny_crm.readme_in_sync (unit): the SDK README's tutorial shows this very code.
# In this tree the plugin compiles with the project's warnings, as errors.
sb_set_warnings(tiny_crm)

sb_add_gtest(tiny_crm_unit_tests LABEL unit SOURCES tiny_crm_test.cpp
             LIBS SwitchboardSDK::testing nlohmann_json::nlohmann_json)
target_compile_definitions(tiny_crm_unit_tests PRIVATE SB_TINY_CRM_PLUGIN="$<TARGET_FILE:tiny_crm>")
add_dependencies(tiny_crm_unit_tests tiny_crm)

file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/validate.json" "{}\n")
add_test(NAME tiny_crm.validate
         COMMAND switchboard plugins validate "$<TARGET_FILE:tiny_crm>"
                 --config "${CMAKE_CURRENT_BINARY_DIR}/validate.json")
set_tests_properties(tiny_crm.validate PROPERTIES LABELS plugin
                     PASS_REGULAR_EXPRESSION " 0 failed: PASS")

# The e2e harness (tests/e2e) compiled in, pointed at this folder's plugins directory.
sb_add_gtest(tiny_crm_e2e_tests LABEL e2e
  SOURCES tiny_crm_e2e_test.cpp "${PROJECT_SOURCE_DIR}/tests/e2e/e2e_harness.cpp"
  LIBS sb_http sb_crypto sb_test_support nlohmann_json::nlohmann_json Boost::url
       OpenSSL::Crypto Threads::Threads)
target_include_directories(tiny_crm_e2e_tests PRIVATE "${PROJECT_SOURCE_DIR}")
target_compile_definitions(tiny_crm_e2e_tests PRIVATE
  SB_SWITCHBOARD_EXE="$<TARGET_FILE:switchboard>"
  SB_PROVIDER_SIM_EXE="$<TARGET_FILE:provider-sim>"
  SB_PLUGINS_DIR="$<TARGET_FILE_DIR:tiny_crm>"
  SB_E2E_SOURCE_DIR="${PROJECT_SOURCE_DIR}/tests/e2e")
add_dependencies(tiny_crm_e2e_tests tiny_crm switchboard provider-sim)

add_test(NAME tiny_crm.readme_in_sync
         COMMAND "${CMAKE_COMMAND}" "-DREADME=${PROJECT_SOURCE_DIR}/sdk/README.md"
                 "-DSOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR}"
                 -P "${CMAKE_CURRENT_SOURCE_DIR}/readme_in_sync.cmake")
set_tests_properties(tiny_crm.readme_in_sync PROPERTIES LABELS unit)
