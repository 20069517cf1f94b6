#include "plugins/gmail/gmail_api.hpp"

#include "plugins/common/google_api_error.hpp"
#include "switchboard/url.hpp"

namespace switchboard::plugins::gmail {

std::string send_path() { return std::string(messages_path) + "/send"; }

std::string message_path(std::string_view message_id, std::string_view format) {
    sdk::Query query;
    query.add("format", format);
    if (format == "metadata") {
        // Repeated query parameter (discovery: "repeated": true).
        query.add("metadataHeaders", "From").add("metadataHeaders", "Subject").add("metadataHeaders", "Date");
    }
    return std::string(messages_path) + "/" + sdk::percent_encode(message_id) + query.str();
}

std::string attachment_path(std::string_view message_id, std::string_view attachment_id) {
    return std::string(messages_path) + "/" + sdk::percent_encode(message_id) + "/attachments/" +
           sdk::percent_encode(attachment_id);
}

sdk::Outcome gmail_error(const sdk::HttpResponse& response) { return google_error_outcome(response); }

sdk::Outcome unreadable_response(std::string_view what) {
    return sdk::Outcome::error(SB_STATUS_UNAVAILABLE, "invalid_provider_response",
                               "Gmail's answer could not be read: " + std::string(what));
}

std::string dump(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace switchboard::plugins::gmail
