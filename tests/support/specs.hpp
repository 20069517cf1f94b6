// The shared, read-only test inputs (../shared/specs beside the repository), read in place.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace switchboard::testing {

// $SPECS_DIR if set, else the SB_SPECS_DIR compile definition that sb_add_gtest gives every
// test executable.
inline std::filesystem::path specs_dir() {
    if (const char* dir = std::getenv("SPECS_DIR"); dir != nullptr && *dir != '\0') return dir;
#ifdef SB_SPECS_DIR
    return SB_SPECS_DIR;
#else
    throw std::runtime_error("neither SPECS_DIR nor SB_SPECS_DIR is set");
#endif
}

// The whole text of a file; a missing file is an error naming the path (never a skip).
inline std::string read_text_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read test input " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline std::string read_spec(const std::string& relative) {
    return read_text_file(specs_dir() / relative);
}

} // namespace switchboard::testing
