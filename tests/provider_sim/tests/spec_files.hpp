// Reads the test facts in the repository (tests/specs/) in place; a missing file fails the
// test with its path, never skips it.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace switchboard::sim::testing {

inline std::filesystem::path specs_dir() { return SB_TEST_SPECS_DIR; }

inline std::string read_spec_text(const std::string& relative) {
    const auto path = specs_dir() / relative;
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("missing spec file: " + path.string());
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

inline nlohmann::json read_spec_json(const std::string& relative) {
    return nlohmann::json::parse(read_spec_text(relative));
}

} // namespace switchboard::sim::testing
