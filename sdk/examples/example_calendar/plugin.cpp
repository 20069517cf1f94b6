// example_calendar.so: the descriptor of the one provider this library ships, and the
// plugin class the SDK's SWITCHBOARD_PLUGIN macro turns into the C entry point.
#include "calendar_connector.hpp"

#include <switchboard/plugin.hpp>

#include <memory>
#include <vector>

namespace sdk = switchboard::sdk;

namespace example_calendar {

// What the host needs to run the OAuth flow and route actions; all data, no code.
sdk::ProviderSpec descriptor() {
    sdk::ProviderSpec spec;
    spec.id = "example_calendar";
    spec.category = SB_CATEGORY_CALENDAR;
    // The contract this code implements, calendar/1: a number, not SB_CONTRACT_REVISION_*, so
    // that a newer SDK cannot make it claim a contract it was not written for.
    spec.contract_revision = 1;
    spec.display_name = "Example Calendar";
    spec.description = "A fictional calendar service that shows how a Switchboard plugin is built.";
    spec.oauth.authorize_url = "https://calendar.example.com/oauth/authorize";
    spec.oauth.token_url = "https://calendar.example.com/oauth/token";
    spec.oauth.revoke_url = "https://calendar.example.com/oauth/revoke";
    spec.oauth.revoke_style = SB_REVOKE_POST_FORM;
    spec.oauth.default_scopes = {"events.read", "events.write"};
    spec.oauth.pkce = true;
    spec.oauth.client_auth = SB_CLIENT_AUTH_POST;
    spec.oauth.identity_url = "https://calendar.example.com/api/v1/me";
    spec.oauth.identity_field = "/email";
    spec.api_base_url = "https://calendar.example.com/api";
    // Only the actions implemented: the SDK answers the others with "unsupported_action".
    spec.actions = {SB_ACTION_CALENDAR_LIST_EVENTS, SB_ACTION_CALENDAR_CREATE_EVENT};
    return spec;
}

class ExampleCalendarPlugin final : public sdk::Plugin {
public:
    static constexpr const char* plugin_name = "example_calendar";
    static constexpr const char* plugin_version = EXAMPLE_CALENDAR_VERSION;

    std::vector<sdk::ProviderSpec> providers() const override { return {descriptor()}; }

    std::unique_ptr<sdk::Connector> create_connector(const sdk::ConnectorInfo&) override {
        return std::make_unique<CalendarConnector>();
    }
};

} // namespace example_calendar

SWITCHBOARD_PLUGIN(example_calendar::ExampleCalendarPlugin)
