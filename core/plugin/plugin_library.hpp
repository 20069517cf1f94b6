// One loaded and initialised plugin library. It owns the Boost.DLL handle, the host's copy of
// the plugin's sb_plugin table, the sb_host table the plugin was given, and the owned
// descriptors of its providers. Everything that uses the plugin's code (registry entries,
// connectors) holds a shared_ptr to it, so the library is unloaded only after the last of
// them is gone (the Boost.DLL rule: nothing from a plugin may outlive its library).
#pragma once

#include "core/plugin/host_services.hpp"
#include "core/plugin/provider_descriptor.hpp"

#include <boost/dll/shared_library.hpp>
#include <switchboard/plugin.h>

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::plugin {

class PluginLoader;

namespace detail {
// The process-wide record of live plugin tables. Two paths can name one library (a symlink,
// a hard link); the dynamic loader then hands out the same code and the same sb_plugin, and
// calling its init a second time would corrupt the first load. A table may be claimed by one
// PluginLibrary at a time: claim returns the file of the current owner, or nullopt once
// `file` owns it.
std::optional<std::filesystem::path> claim_plugin_table(const sb_plugin* table,
                                                        const std::filesystem::path& file);
void release_plugin_table(const sb_plugin* table) noexcept;
} // namespace detail

class PluginLibrary {
public:
    // Calls deinit (when init succeeded), then releases the sb_host table, then unloads.
    ~PluginLibrary();
    PluginLibrary(const PluginLibrary&) = delete;
    PluginLibrary& operator=(const PluginLibrary&) = delete;

    const std::filesystem::path& file() const noexcept { return file_; }
    const std::string& name() const noexcept { return name_; }       // sb_plugin.name
    const std::string& version() const noexcept { return version_; } // sb_plugin.version
    sb_abi_version abi() const noexcept { return table_.abi; }
    const std::vector<ProviderDescriptor>& providers() const noexcept { return providers_; }

    // The host's zero-filled copy of the plugin's table: read function pointers from here,
    // and pass plugin() as their first argument. Valid while *this lives.
    const sb_plugin& table() const noexcept { return table_; }
    // The pointer the plugin's entry function returned (plugins may compare against it).
    const sb_plugin* plugin() const noexcept { return plugin_; }
    const HostTable& host() const noexcept { return *host_; }

    // In-process calls abandoned at their deadline whose thread is still inside this library
    // (see call_thread.hpp). [thread-safe]
    std::atomic<std::size_t>& stuck_calls() const noexcept { return stuck_calls_; }

private:
    friend class PluginLoader;
    explicit PluginLibrary(std::filesystem::path file) : file_(std::move(file)) {}

    // Declared first so that it is destroyed last, after deinit and the host table.
    boost::dll::shared_library library_;
    std::filesystem::path file_;
    const sb_plugin* plugin_ = nullptr;
    sb_plugin table_{};
    std::unique_ptr<HostTable> host_;
    bool claimed_ = false; // this object owns plugin_ in the process-wide table of live plugins
    bool initialized_ = false;
    std::string name_;
    std::string version_;
    std::vector<ProviderDescriptor> providers_;
    mutable std::atomic<std::size_t> stuck_calls_{0};
};

} // namespace switchboard::plugin
