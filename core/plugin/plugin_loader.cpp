#include "core/plugin/plugin_loader.hpp"

#include "core/plugin/abi_layout.hpp"
#include "core/plugin/isolated/isolated_plugin.hpp"
#include "core/plugin/plugin_checks.hpp"
#include "core/plugin/policy_reader.hpp"
#include "core/plugin/status.hpp"
#include "core/plugin/trusted_path.hpp"

#include <boost/dll/shared_library.hpp>
#include <spdlog/spdlog.h>

#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <type_traits>

namespace switchboard::plugin {

namespace {

// The entry's function type, as Boost.DLL wants it for get<>.
using EntryFunction = std::remove_pointer_t<sb_plugin_entry_fn>;

Error failure(const char* code, std::string reason) {
    return Error(ErrorKind::invalid_input, code, std::move(reason));
}

} // namespace

PluginLoader::PluginLoader(const ContractCatalog& catalog, HostServicesOptions services,
                           IsolationSettings isolation)
    : catalog_(&catalog), services_(std::move(services)), isolation_(std::move(isolation)) {}

spdlog::logger& PluginLoader::logger() const noexcept {
    return services_.logger ? *services_.logger : *spdlog::default_logger_raw();
}

Result<std::shared_ptr<PluginLibrary>> PluginLoader::load_library(
    const std::filesystem::path& file) const {
    std::shared_ptr<PluginLibrary> lib(new PluginLibrary(file));

    // 1. Open. RTLD_LOCAL keeps the plugin's symbols out of the global namespace (two
    //    plugins may link different versions of a library); RTLD_NOW reports an unresolved
    //    symbol here rather than in the middle of a request.
    boost::dll::fs::error_code ec;
    lib->library_.load(boost::dll::fs::path(file.native()),
                       boost::dll::load_mode::rtld_local | boost::dll::load_mode::rtld_now, ec);
    if (ec || !lib->library_.is_loaded()) {
        // Boost.DLL reports a generic code; dlerror() still holds the loader's own words.
        const char* why = ::dlerror();
        return failure("not_a_library",
                       "not a loadable shared library: " +
                           std::string(why != nullptr ? why : ec.message()));
    }

    // 2. The one exported function.
    if (!lib->library_.has(SB_ENTRY_SYMBOL)) {
        return failure("no_entry", std::string("no entry function ") + SB_ENTRY_SYMBOL +
                                       " (is it exported with SB_PLUGIN_ENTRY?)");
    }
    EntryFunction& entry = lib->library_.get<EntryFunction>(SB_ENTRY_SYMBOL);
    const sb_plugin* plugin = nullptr;
    try {
        plugin = entry();
    } catch (...) {
        return failure("invalid_plugin", "the entry function threw an exception");
    }
    if (plugin == nullptr) {
        return failure("invalid_plugin", "the entry function returned NULL");
    }
    if (auto owner = detail::claim_plugin_table(plugin, file)) {
        return failure("already_loaded", "the same library is already loaded from " +
                                             owner->string() +
                                             " (two paths to one file, e.g. a symlink)");
    }
    lib->plugin_ = plugin;
    lib->claimed_ = true;

    // 3. Version first: another major may lay the table out differently.
    const std::uint32_t size = declared_size(plugin);
    if (size < kPluginHeaderSize) {
        return failure("truncated_struct", "truncated sb_plugin: struct_size " +
                                               std::to_string(size) +
                                               " cannot even hold the ABI version");
    }
    sb_abi_version claimed{};
    std::memcpy(&claimed, reinterpret_cast<const char*>(plugin) + offsetof(sb_plugin, abi),
                sizeof claimed);
    if (auto compatible = check_plugin_abi(claimed); !compatible) {
        return compatible.error();
    }
    auto table = copy_struct(plugin, kPluginMinSize);
    if (!table) {
        return failure("truncated_struct",
                       "truncated sb_plugin: struct_size " + std::to_string(size) +
                           " is smaller than the " + std::to_string(kPluginMinSize) +
                           " bytes ABI " + version_text(claimed) + " requires");
    }
    if (!SB_HAS_FIELD(sb_plugin, &*table, get_extension)) {
        table->get_extension = nullptr; // optional in 1.0; copy_struct already zeroed it
    }
    lib->table_ = *table;

    // 4. The table's own fields.
    auto name = plugin_table_string(table->name);
    if (!name) {
        return failure("invalid_plugin", "sb_plugin.name is missing, empty, too long or not UTF-8");
    }
    auto version = plugin_table_string(table->version);
    if (!version) {
        return failure("invalid_plugin",
                       "sb_plugin.version is missing, empty, too long or not UTF-8");
    }
    lib->name_ = *name;
    lib->version_ = *version;
    const std::pair<const char*, bool> functions[] = {
        {"init", table->init != nullptr},
        {"deinit", table->deinit != nullptr},
        {"get_providers", table->get_providers != nullptr},
        {"create_connector", table->create_connector != nullptr},
        {"destroy_connector", table->destroy_connector != nullptr},
        {"invoke", table->invoke != nullptr},
    };
    for (const auto& [function, present] : functions) {
        if (!present) {
            return failure("invalid_plugin", std::string("sb_plugin.") + function + " is missing");
        }
    }

    // 5. init. On failure the host calls nothing else, not even deinit.
    lib->host_ = std::make_unique<HostTable>(lib->name_, services_);
    sb_status status = SB_STATUS_INTERNAL;
    try {
        status = table->init(plugin, lib->host_->table());
    } catch (const std::exception& e) {
        // Copy the text now: the exception object is gone before the library is unloaded.
        return failure("init_failed", std::string("init threw an exception: ") + e.what());
    } catch (...) {
        return failure("init_failed", "init threw an exception");
    }
    if (status != SB_STATUS_OK) {
        return failure("init_failed", "init failed with status " + std::to_string(status) + " (" +
                                          std::string(status_name(status)) + ")");
    }
    lib->initialized_ = true; // from here on, dropping `lib` runs deinit

    // 6. The providers, copied into owned values.
    const sb_provider_desc* const* list = nullptr;
    std::size_t count = 0;
    try {
        count = table->get_providers(plugin, &list);
    } catch (...) {
        return failure("invalid_plugin", "get_providers threw an exception");
    }
    auto providers = read_provider_list(list, count, *catalog_);
    if (!providers) {
        return providers.error();
    }

    // 7. Their policies (the provider-policy extension), checked like the descriptors.
    const void* policy = nullptr;
    if (table->get_extension != nullptr) {
        try {
            policy = table->get_extension(plugin, SB_EXT_PROVIDER_POLICY);
        } catch (...) {
            return failure("invalid_plugin", "get_extension threw an exception");
        }
    }
    if (auto read = read_provider_policies(static_cast<const sb_plugin_provider_policy*>(policy),
                                           *providers);
        !read) {
        return read.error();
    }
    lib->providers_ = std::move(*providers);
    return lib;
}

namespace {

// The directory must exist, be readable, and be safe from other users.
Result<void> check_directory(const std::filesystem::path& directory) {
    std::error_code ec;
    if (!std::filesystem::is_directory(directory, ec)) {
        return Error(ErrorKind::not_found, "plugins_directory_not_found",
                     "plugins directory " + directory.string() +
                         " does not exist or is not a directory");
    }
    return check_trusted_path(directory, "plugins directory");
}

// A library's providers as the loader reports them.
std::vector<LoadedProvider> describe(const std::vector<ProviderDescriptor>& providers,
                                     const std::filesystem::path& file, const std::string& name,
                                     const std::string& version, sb_abi_version abi,
                                     config::PluginMode mode) {
    std::vector<LoadedProvider> out;
    for (const auto& p : providers) {
        out.push_back(LoadedProvider{p.id, p.category, p.display_name, file, name, version, abi,
                                     false, mode});
    }
    return out;
}

std::string abi_note(sb_abi_version abi) {
    return abi.minor > kHostAbi.minor
               ? " (newer than this host's " + version_text(kHostAbi) +
                     ": what it adds is ignored)"
               : "";
}

} // namespace

Result<std::shared_ptr<isolated::IsolatedPlugin>> PluginLoader::start_isolated(
    const std::filesystem::path& file,
    const std::vector<const config::ProviderConfig*>& configs) const {
    isolated::IsolatedPluginOptions options;
    options.launch.executable = isolation_.executable;
    options.launch.library = file;
    options.launch.limits = isolation_.limits;
    options.launch.log_message_limit = services_.log_message_limit;
    options.launch.host_version = services_.host_version;
    options.launch.clock = services_.clock;
    options.logger = services_.logger;
    // The providers sharing the library share its children: the largest of their settings.
    options.processes = 1;
    options.restart_backoff = std::chrono::milliseconds(0);
    options.start_timeout = std::chrono::milliseconds(0);
    for (const config::ProviderConfig* c : configs) {
        options.processes = std::max<std::size_t>(options.processes, c->processes);
        options.restart_backoff =
            std::max(options.restart_backoff, std::chrono::milliseconds(c->restart_backoff_ms));
        options.start_timeout =
            std::max(options.start_timeout, std::chrono::milliseconds(c->start_timeout_ms));
    }
    options.max_restart_backoff =
        std::max(options.restart_backoff, std::chrono::milliseconds(60'000));
    return isolated::IsolatedPlugin::start(std::move(options), *catalog_);
}

Result<PluginLoadReport> PluginLoader::load_directory(
    const std::filesystem::path& directory,
    const std::map<std::string, config::ProviderConfig>& providers,
    ProviderRegistry& registry) const {
    PluginLoadReport report;
    report.directory = directory;
    if (auto usable = check_directory(directory); !usable) {
        return usable.error();
    }

    // Which library each enabled provider names; only those libraries are opened.
    std::map<std::string, std::vector<std::string>> wanted; // file name -> provider ids
    for (const auto& [id, config] : providers) {
        if (config.enabled) {
            wanted[library_file_name(id, config)].push_back(id);
        }
    }
    const auto not_served = [&](const std::vector<std::string>& ids, const std::string& why) {
        for (const auto& id : ids) {
            logger().warn("provider '{}' is enabled in the config but not served: {}", id, why);
            report.missing.push_back(id);
        }
    };

    for (const auto& [name, ids] : wanted) {
        const std::filesystem::path file = directory / name;
        std::vector<const config::ProviderConfig*> configs;
        for (const auto& id : ids) {
            configs.push_back(&providers.at(id));
        }
        const config::PluginMode mode = configs.front()->mode;
        std::string refusal;
        std::error_code ec;
        if (!std::filesystem::exists(file, ec)) {
            not_served(ids, "its library " + name + " is not in " + directory.string());
            continue;
        }
        if (std::any_of(configs.begin(), configs.end(),
                        [&](const config::ProviderConfig* c) { return c->mode != mode; })) {
            std::string names;
            for (const auto& id : ids) {
                names += (names.empty() ? "" : ", ") + id;
            }
            refusal = "the providers that name it (" + names +
                      ") ask for different modes (in_process and isolated); a library runs in "
                      "one mode";
        }
        if (refusal.empty()) {
            if (auto trusted = check_trusted_path(file, "plugin library"); !trusted) {
                refusal = trusted.error().message;
            }
        }

        std::shared_ptr<PluginLibrary> library;
        std::shared_ptr<isolated::IsolatedPlugin> isolated_plugin;
        std::vector<LoadedProvider> found;
        const std::vector<ProviderDescriptor>* descriptors = nullptr;
        if (refusal.empty() && mode == config::PluginMode::isolated) {
            auto started = start_isolated(file, configs);
            if (started) {
                isolated_plugin = std::move(*started);
                descriptors = &isolated_plugin->providers();
                found = describe(*descriptors, file, isolated_plugin->name(),
                                 isolated_plugin->version(), isolated_plugin->abi(), mode);
            } else {
                refusal = started.error().message;
            }
        } else if (refusal.empty()) {
            auto loaded = load_library(file);
            if (loaded) {
                library = std::move(*loaded);
                descriptors = &library->providers();
                found = describe(*descriptors, file, library->name(), library->version(),
                                 library->abi(), mode);
            } else {
                refusal = loaded.error().message;
            }
        }
        bool duplicate = false;
        if (refusal.empty()) {
            for (const auto& p : *descriptors) {
                if (const auto* existing = registry.find(p.id)) {
                    refusal = "duplicate provider id '" + p.id + "': already provided by " +
                              existing->file().string();
                    duplicate = true;
                    break;
                }
            }
        }
        if (!refusal.empty()) {
            // A duplicate id is refused loudly (the Envoy registry's rule): two libraries
            // claim one provider, and the operator must pick.
            logger().log(duplicate ? spdlog::level::err : spdlog::level::warn,
                         "plugin {}: skipped: {}", file.string(), refusal);
            report.skipped.push_back({file, refusal});
            not_served(ids, "its library " + name + " was skipped");
            continue; // the library (or its children) is released here
        }

        std::string summary;
        for (std::size_t i = 0; i < descriptors->size(); ++i) {
            const ProviderDescriptor& p = (*descriptors)[i];
            const bool enabled = std::find(ids.begin(), ids.end(), p.id) != ids.end();
            if (enabled) {
                const config::ProviderConfig config =
                    with_credential_variables(providers.at(p.id), p.policy);
                ProviderEntry entry{std::make_shared<const ProviderDescriptor>(
                                        apply_overrides(p, config.overrides)),
                                    config, library, isolated_plugin};
                if (auto added = registry.add(std::move(entry)); !added) {
                    // Unreachable after the duplicate check above; kept as a guard.
                    logger().error("plugin {}: {}", file.string(), added.error().message);
                    continue;
                }
                found[i].enabled = true;
            }
            summary += (summary.empty() ? "" : ", ") + p.id +
                       (enabled ? " (enabled)" : " (loaded, not enabled)");
        }
        for (const auto& id : ids) {
            const bool provided =
                std::any_of(descriptors->begin(), descriptors->end(),
                            [&](const ProviderDescriptor& p) { return p.id == id; });
            if (!provided) {
                not_served({id}, "its library " + name + " does not provide it");
            }
        }
        const LoadedProvider& any = found.front();
        logger().info("plugin {}: loaded {} {} (ABI {}{}){}: {}", file.string(), any.plugin_name,
                      any.plugin_version, version_text(any.abi), abi_note(any.abi),
                      mode == config::PluginMode::isolated ? " in plugin-host processes" : "",
                      summary);
        report.providers.insert(report.providers.end(), found.begin(), found.end());
    }
    return report;
}

Result<PluginLoadReport> PluginLoader::inspect_directory(
    const std::filesystem::path& directory,
    const std::map<std::string, config::ProviderConfig>& providers) const {
    PluginLoadReport report;
    report.directory = directory;
    if (auto usable = check_directory(directory); !usable) {
        return usable.error();
    }
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    const auto suffix = boost::dll::shared_library::suffix().native();
    for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end;
         it.increment(ec)) {
        std::error_code type_ec;
        if (it->is_regular_file(type_ec) && it->path().extension() == suffix) {
            files.push_back(it->path());
        }
    }
    if (ec) {
        return Error(ErrorKind::unavailable, "plugins_directory_unreadable",
                     "cannot read plugins directory " + directory.string() + ": " + ec.message());
    }
    std::sort(files.begin(), files.end());

    std::map<std::string, std::filesystem::path> owner; // provider id -> library file
    for (const auto& file : files) {
        std::string refusal;
        std::shared_ptr<PluginLibrary> lib;
        if (auto trusted = check_trusted_path(file, "plugin library"); !trusted) {
            refusal = trusted.error().message;
        } else if (auto loaded = load_library(file); !loaded) {
            refusal = loaded.error().message;
        } else {
            lib = std::move(*loaded);
            for (const auto& p : lib->providers()) {
                if (auto it = owner.find(p.id); it != owner.end()) {
                    refusal = "duplicate provider id '" + p.id + "': already provided by " +
                              it->second.string();
                    break;
                }
            }
        }
        if (!refusal.empty()) {
            logger().warn("plugin {}: skipped: {}", file.string(), refusal);
            report.skipped.push_back({file, refusal});
            continue;
        }
        const std::string name = file.filename().string();
        for (auto& p : describe(lib->providers(), file, lib->name(), lib->version(), lib->abi(),
                                config::PluginMode::in_process)) {
            owner.emplace(p.id, file);
            if (auto config = providers.find(p.id); config != providers.end()) {
                p.enabled = config->second.enabled &&
                            library_file_name(p.id, config->second) == name;
                p.mode = config->second.mode;
            }
            report.providers.push_back(std::move(p));
        }
    }
    for (const auto& [id, config] : providers) {
        if (config.enabled && owner.find(id) == owner.end()) {
            report.missing.push_back(id);
        }
    }
    return report;
}

} // namespace switchboard::plugin
