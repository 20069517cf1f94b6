// A fresh private directory under $TMPDIR (or /tmp), removed with everything in it.
#pragma once

#include <filesystem>
#include <string_view>

namespace switchboard::testing {

class TempDir {
public:
    // Creates `<tmp>/<prefix>XXXXXX` with mode 0700. Throws std::runtime_error on failure.
    explicit TempDir(std::string_view prefix = "sb-test-");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

    // Keeps the directory after destruction (to inspect a failure).
    void keep() { keep_ = true; }

private:
    std::filesystem::path path_;
    bool keep_ = false;
};

} // namespace switchboard::testing
