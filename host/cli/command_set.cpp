#include "host/cli/command_set.hpp"

#include "core/config/config_loader.hpp"
#include "host/app/paths.hpp"

#include <iostream>

namespace switchboard::cli {

CLI::App* CommandSet::add(CLI::App& parent, const std::string& name,
                          const std::string& description, Run run) {
    CLI::App* command = parent.add_subcommand(name, description);
    auto options = std::make_unique<CommonOptions>();
    command
        ->add_option("--config", options->config_file,
                     "The config file (default: config/switchboard.json found relative to the "
                     "executable, then to the current directory)")
        ->type_name("FILE");
    command
        ->add_option("--plugins-dir", options->plugins_dir,
                     "The plugins directory, overriding plugins.directory of the config")
        ->type_name("DIR");
    entries_.push_back(Entry{command, std::move(options), std::move(run)});
    return command;
}

int CommandSet::run_parsed() const {
    for (const auto& entry : entries_) {
        if (entry.command->parsed()) {
            return entry.run(*entry.options);
        }
    }
    print_error("no command given; see --help");
    return kExitUsage;
}

void print_error(const std::string& message) {
    std::cerr << "switchboard: " << message << std::endl;
}

std::optional<config::Config> load_command_config(const CommonOptions& options, bool required) {
    config::ProcessEnvironment env;
    std::filesystem::path file;
    if (!options.config_file.empty()) {
        file = options.config_file;
    } else {
        std::error_code ec;
        auto candidates = app::default_config_candidates(app::executable_directory(),
                                                         std::filesystem::current_path(ec));
        auto found = app::first_existing(candidates);
        if (!found) {
            std::string tried;
            for (const auto& candidate : candidates) {
                tried += (tried.empty() ? "" : ", ") + candidate.string();
            }
            if (!required) {
                std::cerr << "switchboard: no config file at " << tried
                          << "; using the built-in defaults" << std::endl;
                return config::Config{};
            }
            print_error("no config file: tried " + tried + "; pass --config FILE");
            return std::nullopt;
        }
        file = *found;
        const char* where = file == candidates[2]   ? " (found in the current directory)"
                            : file == candidates[3] ? " (the system-wide config)"
                                                    : " (found relative to the executable)";
        std::cerr << "switchboard: using config " << file.string() << where << std::endl;
    }
    auto config = config::load_config_file(file, env);
    if (!config) {
        print_error(config.error().message);
        return std::nullopt;
    }
    return std::move(*config);
}

std::optional<std::filesystem::path> resolve_plugins_directory(const CommonOptions& options,
                                                               const config::Config& config) {
    if (!options.plugins_dir.empty()) {
        return std::filesystem::absolute(options.plugins_dir).lexically_normal();
    }
    if (config.plugins.directory) {
        return *config.plugins.directory;
    }
    auto candidates = app::default_plugin_directories(app::executable_directory());
    if (auto found = app::first_existing(candidates)) {
        return *found;
    }
    print_error("no plugins directory: tried " + candidates[0].string() + " and " +
                candidates[1].string() + "; pass --plugins-dir DIR or set plugins.directory");
    return std::nullopt;
}

} // namespace switchboard::cli
