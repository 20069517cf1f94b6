# The e2e_openapi_npm_ci fixture when configure found no node or npm: fail with a message that
# says what is missing and how to get it (the OpenAPI check runs validate.mjs under node with
# packages installed by npm ci; there is no way to run the e2e programs without them).
set(missing "")
if(NOT SB_NODE)
  list(APPEND missing node)
endif()
if(NOT SB_NPM)
  list(APPEND missing npm)
endif()
list(JOIN missing " and " missing)
message(FATAL_ERROR
  "e2e: ${missing} not found when CMake configured the build. The e2e tests validate the "
  "host's OpenAPI document with an npm package under node. Install them "
  "(scripts/install-deps --tests installs Debian's nodejs and npm), then re-run cmake.")
