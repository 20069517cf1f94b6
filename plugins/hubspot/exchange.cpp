#include "plugins/hubspot/exchange.hpp"

#include "plugins/hubspot/hubspot_error.hpp"

#include <string>

namespace switchboard::plugins::hubspot {

namespace {

// `text` when it is made only of `allowed` characters (and not too long), else "": values
// from the provider's body go into log lines only when they cannot forge one.
std::string loggable(const std::string& text, std::string_view allowed) {
    if (text.size() > 64) return {};
    for (const char c : text) {
        const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!alnum && allowed.find(c) == std::string_view::npos) return {};
    }
    return text;
}

} // namespace

sdk::Checked<nlohmann::json> exchange(const sdk::Call& call, const sdk::HttpRequest& request,
                                 std::string_view operation) {
    const sdk::HttpResponse response = call.send(request);
    if (!response.ok()) {
        const sdk::Outcome outcome = hubspot_error_outcome(response, call.host().now_unix_ms());
        if (response.host_status == SB_STATUS_OK) {
            // Operators match HubSpot's correlation id with HubSpot support; no body, no token.
            const HubSpotError error = parse_hubspot_error(response.body);
            const std::string category = loggable(error.category, "_");
            const std::string correlation_id = loggable(error.correlation_id, "-");
            call.host().warning(
                "hubspot " + std::string(operation) + ": HTTP " +
                std::to_string(response.status) +
                (category.empty() ? std::string() : " " + category) +
                (correlation_id.empty() ? std::string()
                                        : " (correlation id " + correlation_id + ")"));
        }
        return outcome;
    }
    nlohmann::json body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    if (!body.is_object()) {
        call.host().warning("hubspot " + std::string(operation) +
                            ": the answer's body is not a JSON object");
        return unreadable_answer(operation);
    }
    return body;
}

} // namespace switchboard::plugins::hubspot
