// A HubSpot connector: runs the CRM category's actions (actions.hpp) for one connected
// account. It keeps no state, so the host may invoke it from several threads at once.
#pragma once

#include "switchboard/plugin.hpp"

#include <string_view>

namespace switchboard::plugins::hubspot {

class HubSpotConnector final : public sdk::Connector {
public:
    sdk::Outcome invoke(sdk::Call& call, std::string_view action,
                        std::string_view params_json) override;
};

} // namespace switchboard::plugins::hubspot
