#include "plugins/gmail/connector.hpp"

namespace switchboard::plugins::gmail {

sdk::Outcome GmailConnector::invoke(sdk::Call& /*call*/, std::string_view action,
                                 std::string_view /*params_json*/) {
    // The action bodies arrive with a later issue. Until then every action of the category
    // says so plainly (SB_STATUS_UNSUPPORTED, "not_implemented") rather than pretend.
    return sdk::Outcome::not_implemented(action);
}

} // namespace switchboard::plugins::gmail
