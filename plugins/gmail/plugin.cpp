// gmail.so: the library's entry point. One provider, gmail.
#include "plugins/gmail/connector.hpp"
#include "plugins/gmail/descriptor.hpp"
#include "plugins/gmail/provider_policy.hpp"

#include "switchboard/plugin.hpp"

#include <memory>
#include <vector>

namespace switchboard::plugins::gmail {

class GmailPlugin final : public sdk::Plugin {
public:
    static constexpr const char* plugin_name = "gmail";
    static constexpr const char* plugin_version = SB_PLUGIN_VERSION;

    std::vector<sdk::ProviderSpec> providers() const override { return {descriptor()}; }
    std::vector<sdk::ProviderPolicySpec> provider_policies() const override {
        return {provider_policy()};
    }

    std::unique_ptr<sdk::Connector> create_connector(const sdk::ConnectorInfo&) override {
        return std::make_unique<GmailConnector>();
    }
};

} // namespace switchboard::plugins::gmail

SWITCHBOARD_PLUGIN(switchboard::plugins::gmail::GmailPlugin)
