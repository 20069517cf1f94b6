# The browser tests' stand-in when node, npm or chromium was not found at configure time.
#   cmake -DMISSING=SB_NODE,SB_NPM,SB_CHROMIUM -P missing_tools.cmake
set(packages "")
if(MISSING MATCHES "SB_NODE")
  list(APPEND packages "nodejs (the node command)")
endif()
if(MISSING MATCHES "SB_NPM")
  list(APPEND packages "npm")
endif()
if(MISSING MATCHES "SB_CHROMIUM")
  list(APPEND packages "chromium (/usr/bin/chromium)")
endif()
string(REPLACE ";" ", " packages "${packages}")
message(FATAL_ERROR "the browser tests need the Debian packages: ${packages}. "
                    "Install them with `scripts/install-deps --tests` (as root), then configure again.")
