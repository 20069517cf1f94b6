// google_calendar.so: the library's entry point. One provider, google_calendar.
#include "plugins/google_calendar/connector.hpp"
#include "plugins/google_calendar/descriptor.hpp"
#include "plugins/google_calendar/provider_policy.hpp"

#include "switchboard/plugin.hpp"

#include <memory>
#include <vector>

namespace switchboard::plugins::google_calendar {

class GoogleCalendarPlugin final : public sdk::Plugin {
public:
    static constexpr const char* plugin_name = "google_calendar";
    static constexpr const char* plugin_version = SB_PLUGIN_VERSION;

    std::vector<sdk::ProviderSpec> providers() const override { return {descriptor()}; }
    std::vector<sdk::ProviderPolicySpec> provider_policies() const override {
        return {provider_policy()};
    }

    std::unique_ptr<sdk::Connector> create_connector(const sdk::ConnectorInfo&) override {
        return std::make_unique<CalendarConnector>();
    }
};

} // namespace switchboard::plugins::google_calendar

SWITCHBOARD_PLUGIN(switchboard::plugins::google_calendar::GoogleCalendarPlugin)
