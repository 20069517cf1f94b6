#include "host/app/paths.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

namespace switchboard::app {

std::filesystem::path executable_directory() {
    boost::dll::fs::error_code ec;
    auto location = boost::dll::program_location(ec);
    if (ec) {
        return std::filesystem::current_path();
    }
    return std::filesystem::path(location.parent_path().native());
}

std::vector<std::filesystem::path> default_config_candidates(const std::filesystem::path& exe_dir,
                                                             const std::filesystem::path& cwd) {
    return {(exe_dir / ".." / ".." / "config" / "switchboard.json").lexically_normal(),
            (exe_dir / ".." / "etc" / "switchboard" / "switchboard.json").lexically_normal(),
            (cwd / "config" / "switchboard.json").lexically_normal(),
            std::filesystem::path("/etc/switchboard/switchboard.json")};
}

std::vector<std::filesystem::path> default_plugin_directories(const std::filesystem::path& exe_dir) {
    return {(exe_dir / ".." / "plugins").lexically_normal(),
            (exe_dir / ".." / "lib" / "switchboard" / "plugins").lexically_normal()};
}

std::optional<std::filesystem::path> first_existing(
    const std::vector<std::filesystem::path>& candidates) {
    for (const auto& candidate : candidates) {
        std::error_code ec;
        if (std::filesystem::exists(candidate, ec)) {
            return candidate;
        }
    }
    return std::nullopt;
}

} // namespace switchboard::app
