// Where the host looks for things it was not told about: the default config file and the
// default plugins directory, both relative to the executable, so that `switchboard plugins
// list` works right after a build (build/bin/switchboard, build/plugins/*.so,
// config/switchboard.json) and after an install (bin/, lib/switchboard/plugins/).
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

namespace switchboard::app {

// The directory of the running executable.
std::filesystem::path executable_directory();

// Candidates for the config file, in order: <exe dir>/../../config/switchboard.json (the
// repository layout, build/bin -> config/), <exe dir>/../etc/switchboard/switchboard.json (an
// install under a prefix such as /opt/switchboard), <cwd>/config/switchboard.json, then
// /etc/switchboard/switchboard.json (the Debian package, whose executable is /usr/bin's).
std::vector<std::filesystem::path> default_config_candidates(const std::filesystem::path& exe_dir,
                                                             const std::filesystem::path& cwd);

// Candidates for the plugins directory, in order: <exe dir>/../plugins (the build tree),
// then <exe dir>/../lib/switchboard/plugins (an install).
std::vector<std::filesystem::path> default_plugin_directories(const std::filesystem::path& exe_dir);

// The first candidate that exists (a regular file or a directory), if any.
std::optional<std::filesystem::path> first_existing(
    const std::vector<std::filesystem::path>& candidates);

} // namespace switchboard::app
