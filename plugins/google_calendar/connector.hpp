// A Google Calendar connector: runs the calendar category's actions for one connected account.
#pragma once

#include "switchboard/plugin.hpp"

#include <string_view>

namespace switchboard::plugins::google_calendar {

class CalendarConnector final : public sdk::Connector {
public:
    sdk::Outcome invoke(sdk::Call& call, std::string_view action,
                        std::string_view params_json) override;
};

} // namespace switchboard::plugins::google_calendar
