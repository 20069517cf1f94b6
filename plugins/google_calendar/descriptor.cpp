#include "plugins/google_calendar/descriptor.hpp"

#include "plugins/common/google_oauth.hpp"
#include "switchboard/categories.hpp"

namespace switchboard::plugins::google_calendar {

sdk::ProviderSpec descriptor() {
    sdk::ProviderSpec spec;
    spec.id = provider_id;
    spec.category = SB_CATEGORY_CALENDAR;
    // The contract this code implements, calendar/1: a number, not SB_CONTRACT_REVISION_*, so
    // that a newer SDK cannot make it claim a contract it was not written for.
    spec.contract_revision = 1;
    spec.display_name = "Google Calendar";
    spec.description =
        "Reads and manages the events and free/busy times of a Google Calendar account.";
    spec.oauth = google_oauth({"https://www.googleapis.com/auth/calendar",
                              "https://www.googleapis.com/auth/calendar.events"});
    // Calendar API v3; request paths start with its service path, /calendar/v3/.
    spec.api_base_url = "https://www.googleapis.com";
    // The Calendar API's root and service path (its discovery document): all the proxy may
    // reach with a Calendar connector.
    spec.allowed_base_urls = {"https://www.googleapis.com/calendar/v3"};
    spec.actions = sdk::category_action_names(SB_CATEGORY_CALENDAR);
    return spec;
}

} // namespace switchboard::plugins::google_calendar
