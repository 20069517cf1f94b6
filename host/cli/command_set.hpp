// The command line's plumbing: every leaf command gets --config and --plugins-dir, runs after
// parsing, and returns an exit code (0 ok, 1 runtime failure, 2 usage or config error).
#pragma once

#include "core/config/config.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// The options every command takes.
struct CommonOptions {
    std::string config_file; // --config FILE
    std::string plugins_dir; // --plugins-dir DIR
};

class CommandSet {
public:
    using Run = std::function<int(const CommonOptions&)>;

    explicit CommandSet(CLI::App& app) : app_(app) {}

    CLI::App& app() noexcept { return app_; }

    // Adds leaf command `name` under `parent` with the common options; `run` runs when it is
    // the command given. Returns the CLI11 command for its own options.
    CLI::App* add(CLI::App& parent, const std::string& name, const std::string& description,
                  Run run);

    // Runs the command that was parsed.
    int run_parsed() const;

private:
    struct Entry {
        CLI::App* command;
        std::unique_ptr<CommonOptions> options;
        Run run;
    };
    CLI::App& app_;
    std::vector<Entry> entries_;
};

// Prints "switchboard: <message>" on stderr.
void print_error(const std::string& message);

// The config for a command: --config FILE, else the default file found relative to the
// executable or the current directory (the choice is printed on stderr). When `required` is
// false and no default exists, the built-in defaults are used. Prints the problem and
// returns nullopt on failure (exit with kExitUsage).
std::optional<config::Config> load_command_config(const CommonOptions& options, bool required);

// --plugins-dir DIR, else plugins.directory of the config, else the first existing default
// beside the executable. Prints the problem and returns nullopt when there is none.
std::optional<std::filesystem::path> resolve_plugins_directory(const CommonOptions& options,
                                                               const config::Config& config);

} // namespace switchboard::cli
