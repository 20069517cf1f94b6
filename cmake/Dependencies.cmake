# Every third-party dependency, found once, as imported targets. All come from Debian 12
# packages (scripts/install-deps lists them).

find_package(Threads REQUIRED)
find_package(Boost 1.81 CONFIG REQUIRED COMPONENTS filesystem url)
find_package(OpenSSL 3 REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(cpp-jwt REQUIRED)
find_package(valijson REQUIRED)
find_package(prometheus-cpp CONFIG REQUIRED)
# Howard Hinnant's date/tz (date::date-tz): IANA time zones from the system's tzdata, for
# the calendar plugin's working hours across daylight-saving changes (GCC 12 has no
# std::chrono::tzdb).
find_package(date CONFIG REQUIRED)

# hiredis: its CMake version file is broken in Debian 12, so use pkg-config.
find_package(PkgConfig REQUIRED)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
# RE2: the contract catalog's `pattern` and `format` checks (compiled once, linear time, no
# recursion; see core/plugin/regex_constraints.hpp). Debian 12's RE2 ships pkg-config only.
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)

# SOCI ships no CMake package: find its libraries and wrap them in one imported target.
find_package(PostgreSQL REQUIRED)
find_package(SQLite3 REQUIRED)
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIBRARY soci_core REQUIRED)
find_library(SOCI_SQLITE3_LIBRARY soci_sqlite3 REQUIRED)
find_library(SOCI_POSTGRESQL_LIBRARY soci_postgresql REQUIRED)
if(NOT TARGET sb::soci)
  add_library(sb::soci INTERFACE IMPORTED)
  target_include_directories(sb::soci INTERFACE ${SOCI_INCLUDE_DIR} ${PostgreSQL_INCLUDE_DIRS})
  target_link_libraries(sb::soci INTERFACE ${SOCI_POSTGRESQL_LIBRARY} ${SOCI_SQLITE3_LIBRARY}
                                           ${SOCI_CORE_LIBRARY} PostgreSQL::PostgreSQL
                                           SQLite::SQLite3)
  # UBSan's vptr check refers to the typeinfo of every polymorphic class it checks, and
  # Debian's libsoci_core does not export that of its internal classes
  # (soci::details::ref_counted_statement, ...): code using SOCI would not link under the asan
  # preset. Only the code that includes SOCI's headers goes without that one check.
  if(CMAKE_CXX_FLAGS MATCHES "-fsanitize=[^ ]*undefined")
    target_compile_options(sb::soci INTERFACE -fno-sanitize=vptr)
  endif()
endif()

if(SB_BUILD_TESTS)
  find_package(GTest REQUIRED)
  find_package(benchmark REQUIRED)
endif()
