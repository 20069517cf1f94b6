// The e-mail category's actions for Gmail. Each takes the call (HTTP through the host) and
// the raw params JSON, and returns the contract's result or an error Outcome.
#pragma once

#include "plugins/gmail/mime/message_builder.hpp"

#include "switchboard/host.hpp"
#include "switchboard/outcome.hpp"

#include <string_view>

namespace switchboard::plugins::gmail {

// send_email: builds the MIME message (mime/message_builder.hpp) and sends it with
// gmail.users.messages.send as base64url `raw`. -> SendEmailResult {id, thread_id, label_ids}
sdk::Outcome send_email(sdk::Call& call, std::string_view params_json,
                        const mime::MessageContext& context);

// get_email: gmail.users.messages.get with format=full, the bodies found in the part tree
// (and fetched with messages.attachments.get when Gmail left them out). -> Email
sdk::Outcome get_email(sdk::Call& call, std::string_view params_json);

// list_emails: gmail.users.messages.list, then gmail.users.messages.get with format=metadata
// (From, Subject, Date) for each listed message. -> ListEmailsResult
sdk::Outcome list_emails(sdk::Call& call, std::string_view params_json);

} // namespace switchboard::plugins::gmail
