#include "core/plugin/plugin_library.hpp"

namespace switchboard {

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
    // library_ is destroyed after this body: the code is unmapped last.
}

} // namespace switchboard
