# How the tree is compiled fast (issue 12): measured on 2 cores, the heavy headers
# (nlohmann/json, Boost.Asio/Beast, GoogleTest) and the code they instantiate cost far more
# than the project's own code, so each is paid for as few times as possible.

# Unity builds: each target's sources are compiled as one translation unit, so those headers
# are parsed, and their templates instantiated and emitted, once per target instead of once
# per file. SB_UNITY_BUILD=OFF compiles each file on its own (which also shows a file that
# forgot an #include another file of its target brought in).
option(SB_UNITY_BUILD "Compile each target's sources as one (unity) translation unit" ON)
if(SB_UNITY_BUILD)
  set(CMAKE_UNITY_BUILD ON)
  set(CMAKE_UNITY_BUILD_BATCH_SIZE 0)
endif()

# ccache when it is installed and no launcher was chosen (-DCMAKE_CXX_COMPILER_LAUNCHER=
# chooses none). It only helps a rebuild: CI starts from an empty cache. pch_defines and
# time_macros let it cache the files compiled against a precompiled header.
option(SB_CCACHE "Compile through ccache when it is installed" ON)
if(SB_CCACHE AND NOT DEFINED CMAKE_CXX_COMPILER_LAUNCHER AND NOT DEFINED CMAKE_C_COMPILER_LAUNCHER)
  find_program(SB_CCACHE_PROGRAM ccache)
  if(SB_CCACHE_PROGRAM)
    set(launcher "${CMAKE_COMMAND}" -E env "CCACHE_SLOPPINESS=pch_defines,time_macros"
                 "${SB_CCACHE_PROGRAM}")
    set(CMAKE_C_COMPILER_LAUNCHER ${launcher})
    set(CMAKE_CXX_COMPILER_LAUNCHER ${launcher})
    message(STATUS "Compiling through ${SB_CCACHE_PROGRAM}")
  endif()
endif()

# GCC collects its garbage less often (at the cost of about a quarter more memory per
# compiler): about 6% less CPU on the large translation units of a unity build.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:--param=ggc-min-expand=100>"
                      "$<$<COMPILE_LANGUAGE:CXX>:--param=ggc-min-heapsize=524288>")
endif()
