// The Gmail API v1 requests this plugin makes (discovery: specs/google/gmail_v1.json; paths
// relative to rootUrl https://gmail.googleapis.com/), and what its answers have in common.
//
//   gmail.users.messages.send              POST /gmail/v1/users/me/messages/send   {"raw": ...}
//   gmail.users.messages.get               GET  /gmail/v1/users/me/messages/{id}?format=...
//   gmail.users.messages.list              GET  /gmail/v1/users/me/messages?...
//   gmail.users.messages.attachments.get   GET  /gmail/v1/users/me/messages/{messageId}/attachments/{id}
#pragma once

#include "switchboard/host.hpp"
#include "switchboard/outcome.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace switchboard::plugins::gmail {

inline constexpr std::string_view messages_path = "/gmail/v1/users/me/messages";

std::string send_path();
// format: "full" or "metadata"; metadata asks for From, Subject and Date only.
std::string message_path(std::string_view message_id, std::string_view format);
std::string attachment_path(std::string_view message_id, std::string_view attachment_id);

// The Outcome for a Gmail answer that is not a success (Google's error body, 403 rate-limit
// reasons, then the SDK's usual mapping).
sdk::Outcome gmail_error(const sdk::HttpResponse& response);

// A 2xx answer this plugin cannot read: Gmail misbehaved, retrying may help.
sdk::Outcome unreadable_response(std::string_view what);

// `value` as JSON text; ill-formed UTF-8 (which the plugin never produces on purpose)
// becomes U+FFFD instead of an exception.
std::string dump(const nlohmann::json& value);

} // namespace switchboard::plugins::gmail
