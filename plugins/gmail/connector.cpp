#include "plugins/gmail/connector.hpp"

#include "plugins/gmail/actions.hpp"

#include "switchboard/categories.h"

namespace switchboard::plugins::gmail {

sdk::Outcome GmailConnector::invoke(sdk::Call& call, std::string_view action,
                                    std::string_view params_json) {
    if (action == SB_ACTION_EMAIL_SEND_EMAIL) {
        mime::MessageContext context;
        context.now_unix_ms = call.host().now_unix_ms();
        context.random_token = &mime::random_hex_token;
        return send_email(call, params_json, context);
    }
    if (action == SB_ACTION_EMAIL_GET_EMAIL) return get_email(call, params_json);
    if (action == SB_ACTION_EMAIL_LIST_EMAILS) return list_emails(call, params_json);
    return sdk::Outcome::unsupported_action(action);
}

} // namespace switchboard::plugins::gmail
