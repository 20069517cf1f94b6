// Loading provider plugins. In-process: each library is opened with Boost.DLL (RTLD_LOCAL |
// RTLD_NOW), its one entry function looked up with a function type, its ABI version and
// struct sizes checked, its table and descriptors copied into host-owned values, and init
// called. Isolated: the same happens in a `switchboard plugin-host` child, and the host checks
// what the child reports with the same rules. A bad library is skipped with one log line
// naming the file and the reason; the others load ("a driver must not make other drivers
// fail").
#pragma once

#include "core/common/error.hpp"
#include "core/config/config.hpp"
#include "core/plugin/contract_catalog.hpp"
#include "core/plugin/host_services.hpp"
#include "core/plugin/invocation_checks.hpp"
#include "core/plugin/plugin_library.hpp"
#include "core/plugin/provider_registry.hpp"

#include <spdlog/logger.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace switchboard::plugin {

// One provider found in a loaded library.
struct LoadedProvider {
    std::string id;
    std::string category;
    std::string display_name;
    std::filesystem::path file;  // the library
    std::string plugin_name;     // sb_plugin.name
    std::string plugin_version;  // sb_plugin.version
    sb_abi_version abi{};        // the ABI the library was built against
    bool enabled = false;        // registered (enabled in the config, naming this library)
    config::PluginMode mode = config::PluginMode::in_process;
};

struct SkippedLibrary {
    std::filesystem::path file;
    std::string reason;
};

struct PluginLoadReport {
    std::filesystem::path directory;
    std::vector<LoadedProvider> providers;  // in library-file order, then descriptor order
    std::vector<SkippedLibrary> skipped;    // in file order
    std::vector<std::string> missing;       // enabled in the config, provided by no library
};

// What isolated mode needs besides the services.
struct IsolationSettings {
    // The executable that has the `plugin-host` command: the running host by default.
    std::filesystem::path executable = "/proc/self/exe";
    // The sinks' caps in the children (the host checks them again).
    OutputLimits limits;
};

class PluginLoader {
public:
    // `catalog` must outlive the loader. `services` configure the sb_host of every library
    // (logger, clock, log cap); the loader's own lines go to services.logger too.
    explicit PluginLoader(const ContractCatalog& catalog, HostServicesOptions services = {},
                          IsolationSettings isolation = {});

    // Loads, checks and initialises one library. On failure the library is unloaded (after
    // deinit when init had succeeded) and the Error's message is the reason, e.g.
    // "built against ABI 2.0; this host supports ABI 1.0 and older 1.x". Codes:
    // `not_a_library`, `no_entry`, `already_loaded` (another path to a library this process
    // has loaded and not released), `abi_mismatch`, `truncated_struct`, `invalid_plugin`,
    // `invalid_descriptor`, `init_failed`. Logs nothing (load_directory does). [main-thread]
    Result<std::shared_ptr<PluginLibrary>> load_library(const std::filesystem::path& file) const;

    // What `serve` loads: the libraries of the providers `providers` enables, and nothing
    // else. Each enabled provider names its library (ProviderConfig::library, by default
    // "<id>.so"), which is loaded in the provider's mode (in the host, or in plugin-host
    // children; providers sharing a library must share the mode). Registers in `registry`
    // each enabled provider its library ships (with the config's overrides applied), and
    // reports the library's other providers as loaded, not enabled. Refuses (skips) a
    // library that is not safe from other users (check_trusted_path), that its providers
    // want in two modes, or whose provider id another library (or `registry`) already has,
    // naming both files. Logs one line per library (loaded, or skipped with the reason) and
    // a warning per enabled provider that is not served (library missing, refused, or
    // without that provider). Fails when the directory cannot be read or is not safe from
    // other users (forbidden / `insecure_plugin_path`). [main-thread]
    Result<PluginLoadReport> load_directory(
        const std::filesystem::path& directory,
        const std::map<std::string, config::ProviderConfig>& providers,
        ProviderRegistry& registry) const;

    // What `plugins list` shows: every "*.so" file of `directory`, in name order, loaded in
    // this process, checked and released again. A provider is reported enabled when
    // `providers` enables it and names this library. Registers nothing. Same failures and
    // permission checks as load_directory. [main-thread]
    Result<PluginLoadReport> inspect_directory(
        const std::filesystem::path& directory,
        const std::map<std::string, config::ProviderConfig>& providers) const;

private:
    spdlog::logger& logger() const noexcept;

    // Starts `file` in plugin-host children for `configs` (its enabled providers).
    Result<std::shared_ptr<isolated::IsolatedPlugin>> start_isolated(
        const std::filesystem::path& file,
        const std::vector<const config::ProviderConfig*>& configs) const;

    const ContractCatalog* catalog_;
    HostServicesOptions services_;
    IsolationSettings isolation_;
};

} // namespace switchboard::plugin
