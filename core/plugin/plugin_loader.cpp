#include "core/plugin/plugin_loader.hpp"

#include "core/plugin/abi_layout.hpp"
#include "core/plugin/descriptor_reader.hpp"
#include "core/plugin/status.hpp"
#include "core/plugin/text_checks.hpp"

#include <boost/dll/shared_library.hpp>
#include <spdlog/spdlog.h>

#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <type_traits>

namespace switchboard {

namespace {

// The entry's function type, as Boost.DLL wants it for get<>.
using EntryFunction = std::remove_pointer_t<sb_plugin_entry_fn>;

constexpr std::size_t kMaxProviders = 64;

Error failure(const char* code, std::string reason) {
    return Error(ErrorKind::invalid_input, code, std::move(reason));
}

std::string version_text(sb_abi_version v) {
    return std::to_string(v.major) + "." + std::to_string(v.minor);
}

// A required, non-empty, UTF-8 string of the sb_plugin table.
std::optional<std::string> table_string(const char* s) {
    if (s == nullptr) {
        return std::nullopt;
    }
    std::size_t length = ::strnlen(s, 257);
    if (length == 0 || length > 256) {
        return std::nullopt;
    }
    std::string value(s, length);
    if (!is_valid_utf8(value)) {
        return std::nullopt;
    }
    return value;
}

} // namespace

PluginLoader::PluginLoader(const ContractCatalog& catalog, HostServicesOptions services)
    : catalog_(&catalog), services_(std::move(services)) {}

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
    const std::uint32_t size = abi::declared_size(plugin);
    if (size < abi::kPluginHeaderSize) {
        return failure("truncated_struct", "truncated sb_plugin: struct_size " +
                                               std::to_string(size) +
                                               " cannot even hold the ABI version");
    }
    sb_abi_version claimed{};
    std::memcpy(&claimed, reinterpret_cast<const char*>(plugin) + offsetof(sb_plugin, abi),
                sizeof claimed);
    if (claimed.major != abi::kHostAbi.major) {
        return failure("abi_mismatch", "built against ABI " + version_text(claimed) +
                                           ", another major version than this host's ABI " +
                                           version_text(abi::kHostAbi));
    }
    if (claimed.minor > abi::kHostAbi.minor) {
        return failure("abi_mismatch", "built against ABI " + version_text(claimed) +
                                           ", newer than this host's ABI " +
                                           version_text(abi::kHostAbi) +
                                           " (upgrade the host or rebuild the plugin)");
    }
    auto table = abi::copy_struct(plugin, abi::kPluginMinSize);
    if (!table) {
        return failure("truncated_struct",
                       "truncated sb_plugin: struct_size " + std::to_string(size) +
                           " is smaller than the " + std::to_string(abi::kPluginMinSize) +
                           " bytes ABI " + version_text(claimed) + " requires");
    }
    if (!SB_HAS_FIELD(sb_plugin, &*table, get_extension)) {
        table->get_extension = nullptr; // optional in 1.0; copy_struct already zeroed it
    }
    lib->table_ = *table;

    // 4. The table's own fields.
    auto name = table_string(table->name);
    if (!name) {
        return failure("invalid_plugin", "sb_plugin.name is missing, empty, too long or not UTF-8");
    }
    auto version = table_string(table->version);
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
    if (count == 0) {
        return failure("invalid_plugin", "get_providers returned no providers");
    }
    if (count > kMaxProviders) {
        return failure("invalid_plugin", "get_providers returned " + std::to_string(count) +
                                             " providers; at most " +
                                             std::to_string(kMaxProviders) + " are allowed");
    }
    if (list == nullptr) {
        return failure("invalid_plugin", "get_providers returned " + std::to_string(count) +
                                             " providers but no array");
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < count; ++i) {
        auto descriptor = read_provider_descriptor(list[i], i, *catalog_);
        if (!descriptor) {
            return descriptor.error();
        }
        if (!ids.insert(descriptor->id).second) {
            return failure("invalid_descriptor",
                           "provider '" + descriptor->id + "' is declared twice");
        }
        lib->providers_.push_back(std::move(*descriptor));
    }
    return lib;
}

Result<PluginLoadReport> PluginLoader::load_directory(
    const std::filesystem::path& directory, const std::map<std::string, ProviderConfig>& providers,
    ProviderRegistry& registry) const {
    PluginLoadReport report;
    report.directory = directory;
    std::error_code ec;
    if (!std::filesystem::is_directory(directory, ec)) {
        return Error(ErrorKind::not_found, "plugins_directory_not_found",
                     "plugins directory " + directory.string() + " does not exist or is not a "
                                                                 "directory");
    }
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
        auto loaded = load_library(file);
        if (!loaded) {
            logger().warn("plugin {}: skipped: {}", file.string(), loaded.error().message);
            report.skipped.push_back({file, loaded.error().message});
            continue;
        }
        std::shared_ptr<PluginLibrary> lib = std::move(*loaded);

        std::string duplicate;
        for (const auto& p : lib->providers()) {
            if (auto it = owner.find(p.id); it != owner.end()) {
                duplicate = "duplicate provider id '" + p.id + "': already provided by " +
                            it->second.string();
            } else if (const auto* existing = registry.find(p.id)) {
                duplicate = "duplicate provider id '" + p.id + "': already provided by " +
                            existing->library->file().string();
            }
            if (!duplicate.empty()) {
                break;
            }
        }
        if (!duplicate.empty()) {
            logger().error("plugin {}: skipped: {}", file.string(), duplicate);
            report.skipped.push_back({file, duplicate});
            continue; // `lib` is released here: deinit, then unload
        }

        std::string summary;
        for (const auto& p : lib->providers()) {
            owner.emplace(p.id, file);
            auto config = providers.find(p.id);
            bool enabled = config != providers.end() && config->second.enabled;
            if (enabled) {
                ProviderEntry entry{std::make_shared<const ProviderDescriptor>(
                                        apply_overrides(p, config->second.overrides)),
                                    config->second, lib};
                if (auto added = registry.add(std::move(entry)); !added) {
                    // Unreachable after the duplicate check above; kept as a guard.
                    logger().error("plugin {}: {}", file.string(), added.error().message);
                    enabled = false;
                }
            }
            report.providers.push_back(LoadedProvider{p.id, p.category, p.display_name, file,
                                                      lib->name(), lib->version(), lib->abi(),
                                                      enabled});
            summary += (summary.empty() ? "" : ", ") + p.id +
                       (enabled ? " (enabled)" : " (loaded, not enabled)");
        }
        logger().info("plugin {}: loaded {} {} (ABI {}): {}", file.string(), lib->name(),
                      lib->version(), version_text(lib->abi()), summary);
    }

    for (const auto& [id, config] : providers) {
        if (config.enabled && owner.find(id) == owner.end()) {
            logger().warn("provider '{}' is enabled in the config but no library in {} provides "
                          "it",
                          id, directory.string());
            report.missing.push_back(id);
        }
    }
    return report;
}

} // namespace switchboard
