// The facts the tests check against, kept in the repository (tests/specs/, see its README:
// compact forms of Google's discovery documents and of the HubSpot description, and the RFC
// and Fernet test vectors), read in place.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#ifndef SB_TEST_SPECS_DIR
#error "SB_TEST_SPECS_DIR must name tests/specs (sb_add_gtest in cmake/Testing.cmake sets it)"
#endif

namespace switchboard::testing {

inline std::filesystem::path specs_dir() { return SB_TEST_SPECS_DIR; }

// The whole text of a file; a missing file is an error naming the path (never a skip).
inline std::string read_text_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read test input " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A file under tests/specs/, e.g. "google/calendar_v3.json".
inline std::string read_spec(const std::string& relative) {
    return read_text_file(specs_dir() / relative);
}

} // namespace switchboard::testing
