# cmake -DLIBRARY=<plugin.so> -DNM=<nm> -P check_exports.cmake
include("${CMAKE_CURRENT_LIST_DIR}/exports.cmake")
sb_check_plugin_exports("${LIBRARY}" "${NM}")
