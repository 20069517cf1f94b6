// hubspot.so: the library's entry point. One provider, hubspot.
#include "plugins/hubspot/connector.hpp"
#include "plugins/hubspot/descriptor.hpp"
#include "plugins/hubspot/provider_policy.hpp"

#include "switchboard/plugin.hpp"

#include <memory>
#include <vector>

namespace switchboard::plugins::hubspot {

class HubSpotPlugin final : public sdk::Plugin {
public:
    static constexpr const char* plugin_name = "hubspot";
    static constexpr const char* plugin_version = SB_PLUGIN_VERSION;

    std::vector<sdk::ProviderSpec> providers() const override { return {descriptor()}; }
    std::vector<sdk::ProviderPolicySpec> provider_policies() const override {
        return {provider_policy()};
    }

    std::unique_ptr<sdk::Connector> create_connector(const sdk::ConnectorInfo&) override {
        return std::make_unique<HubSpotConnector>();
    }
};

} // namespace switchboard::plugins::hubspot

SWITCHBOARD_PLUGIN(switchboard::plugins::hubspot::HubSpotPlugin)
