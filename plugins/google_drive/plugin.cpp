// google_drive.so: the library's entry point. One provider, google_drive.
#include "plugins/google_drive/connector.hpp"
#include "plugins/google_drive/descriptor.hpp"
#include "plugins/google_drive/provider_policy.hpp"

#include "switchboard/plugin.hpp"

#include <memory>
#include <vector>

namespace switchboard::plugins::google_drive {

class GoogleDrivePlugin final : public sdk::Plugin {
public:
    static constexpr const char* plugin_name = "google_drive";
    static constexpr const char* plugin_version = SB_PLUGIN_VERSION;

    std::vector<sdk::ProviderSpec> providers() const override { return {descriptor()}; }
    std::vector<sdk::ProviderPolicySpec> provider_policies() const override {
        return {provider_policy()};
    }

    std::unique_ptr<sdk::Connector> create_connector(const sdk::ConnectorInfo&) override {
        return std::make_unique<DriveConnector>();
    }
};

} // namespace switchboard::plugins::google_drive

SWITCHBOARD_PLUGIN(switchboard::plugins::google_drive::GoogleDrivePlugin)
