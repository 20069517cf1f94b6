// A Gmail connector: runs the e-mail category's actions for one connected account.
#pragma once

#include "switchboard/plugin.hpp"

#include <string_view>

namespace switchboard::plugins::gmail {

class GmailConnector final : public sdk::Connector {
public:
    sdk::Outcome invoke(sdk::Call& call, std::string_view action,
                        std::string_view params_json) override;
};

} // namespace switchboard::plugins::gmail
