// `switchboard plugins list`: loads every library of the plugins directory in this process
// (`serve` loads only those its enabled providers name, in their mode) and prints one line
// per provider found (id, category, ABI version, status, mode, library), then one line per
// skipped library with its reason, then the enabled providers no library has. --json prints
// the same as one JSON object.
#include "core/plugin/plugin_loader.hpp"
#include "host/app/logging.hpp"
#include "host/cli/plugins_command.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>

namespace switchboard::cli {

namespace {

std::string abi_text(sb_abi_version abi) {
    return std::to_string(abi.major) + "." + std::to_string(abi.minor);
}

const char* status_text(const plugin::LoadedProvider& p) {
    return p.enabled ? "enabled" : "loaded, not enabled";
}

void print_text(const plugin::PluginLoadReport& report) {
    std::cout << "plugins directory: " << report.directory.string() << "\n";
    const std::vector<std::string> header = {"PROVIDER", "CATEGORY", "ABI", "STATUS", "MODE",
                                             "LIBRARY"};
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : report.providers) {
        rows.push_back({p.id, p.category, abi_text(p.abi), status_text(p),
                        std::string(to_string(p.mode)), p.file.string()});
    }
    std::vector<std::size_t> width(header.size());
    for (std::size_t i = 0; i < header.size(); ++i) {
        width[i] = header[i].size();
        for (const auto& row : rows) {
            width[i] = std::max(width[i], row[i].size());
        }
    }
    auto print_row = [&](const std::vector<std::string>& row) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) {
                line += std::string(width[i] - row[i].size() + 2, ' ');
            }
        }
        std::cout << line << "\n";
    };
    if (rows.empty()) {
        std::cout << "no providers loaded\n";
    } else {
        print_row(header);
        for (const auto& row : rows) {
            print_row(row);
        }
    }
    for (const auto& s : report.skipped) {
        std::cout << "skipped " << s.file.string() << ": " << s.reason << "\n";
    }
    for (const auto& id : report.missing) {
        std::cout << "missing " << id << ": enabled in the config, but no library provides it\n";
    }
}

void print_json(const plugin::PluginLoadReport& report) {
    nlohmann::ordered_json out;
    out["plugins_directory"] = report.directory.string();
    out["providers"] = nlohmann::ordered_json::array();
    for (const auto& p : report.providers) {
        out["providers"].push_back({{"id", p.id},
                                    {"category", p.category},
                                    {"display_name", p.display_name},
                                    {"abi", abi_text(p.abi)},
                                    {"status", status_text(p)},
                                    {"enabled", p.enabled},
                                    {"mode", to_string(p.mode)},
                                    {"library", p.file.string()},
                                    {"plugin", p.plugin_name},
                                    {"plugin_version", p.plugin_version}});
    }
    out["skipped"] = nlohmann::ordered_json::array();
    for (const auto& s : report.skipped) {
        out["skipped"].push_back({{"library", s.file.string()}, {"reason", s.reason}});
    }
    out["missing"] = report.missing;
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

} // namespace

void add_plugins_list_command(CommandSet& commands, CLI::App& group) {
    auto json_output = std::make_shared<bool>(false);
    CLI::App* command = commands.add(
        group, "list",
        "List the providers of the plugins directory and the libraries that were skipped",
        [json_output](const CommonOptions& options) {
            auto config = load_command_config(options, /*required=*/true);
            if (!config) {
                return kExitUsage;
            }
            app::setup_logging(config->log);
            auto directory = resolve_plugins_directory(options, *config);
            if (!directory) {
                return kExitFailure;
            }
            plugin::PluginLoader loader(plugin::ContractCatalog::embedded());
            auto report = loader.inspect_directory(*directory, config->providers);
            if (!report) {
                print_error(report.error().message);
                return kExitFailure;
            }
            if (*json_output) {
                print_json(*report);
            } else {
                print_text(*report);
            }
            return kExitOk;
        });
    command->add_flag("--json", *json_output, "Print the list as JSON");
}

} // namespace switchboard::cli
