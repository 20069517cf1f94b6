#include "core/plugin/plugin_library.hpp"

#include <map>
#include <mutex>

namespace switchboard::plugin {

namespace detail {

namespace {

std::mutex& live_tables_mutex() {
    static std::mutex mutex;
    return mutex;
}

std::map<const sb_plugin*, std::filesystem::path>& live_tables() {
    static std::map<const sb_plugin*, std::filesystem::path> tables;
    return tables;
}

} // namespace

std::optional<std::filesystem::path> claim_plugin_table(const sb_plugin* table,
                                                        const std::filesystem::path& file) {
    std::lock_guard lock(live_tables_mutex());
    auto [it, inserted] = live_tables().emplace(table, file);
    if (!inserted) {
        return it->second;
    }
    return std::nullopt;
}

void release_plugin_table(const sb_plugin* table) noexcept {
    std::lock_guard lock(live_tables_mutex());
    live_tables().erase(table);
}

} // namespace detail

PluginLibrary::~PluginLibrary() {
    if (initialized_ && table_.deinit != nullptr) {
        try {
            table_.deinit(plugin_);
        } catch (...) {
            // A plugin must not throw; if one does, unloading it is still the right thing.
            if (host_) {
                host_->logger().error("plugin {}: deinit threw an exception", file_.string());
            }
        }
    }
    host_.reset();
    if (claimed_) {
        detail::release_plugin_table(plugin_);
    }
    // library_ is destroyed after this body: the code is unmapped last.
}

} // namespace switchboard::plugin
