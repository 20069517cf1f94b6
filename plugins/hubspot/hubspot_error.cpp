#include "plugins/hubspot/hubspot_error.hpp"

#include "plugins/hubspot/retry_after.hpp"

#include "switchboard/http_error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <utility>

namespace switchboard::plugins::hubspot {

using nlohmann::json;

namespace {

constexpr std::size_t max_provider_message = 500; // bytes of HubSpot's message kept

std::string string_member(const json& object, std::string_view key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The first `max` bytes of `text`, cut on a UTF-8 code point boundary.
std::string cut(std::string_view text, std::size_t max) {
    if (text.size() <= max) return std::string(text);
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return std::string(text.substr(0, end)) + "...";
}

bool is_missing_scopes(const HubSpotError& error) { return error.category == "MISSING_SCOPES"; }
bool is_rate_limit(const HubSpotError& error) {
    return error.category == "RATE_LIMITS" || error.error_type == "RATE_LIMIT";
}

} // namespace

HubSpotError parse_hubspot_error(std::string_view body) {
    HubSpotError out;
    const json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_object()) return out;
    out.message = string_member(parsed, "message");
    out.category = string_member(parsed, "category");
    out.sub_category = string_member(parsed, "subCategory");
    out.correlation_id = string_member(parsed, "correlationId");
    out.error_type = string_member(parsed, "errorType");
    out.policy_name = string_member(parsed, "policyName");
    // The scopes a 403 MISSING_SCOPES names: context.requiredScopes, or (as HubSpot's
    // answers are reported) errors[].context.requiredGranularScopes.
    const auto add_scopes = [&](const json& context) {
        if (!context.is_object()) return;
        for (const char* key : {"requiredScopes", "requiredGranularScopes"}) {
            const auto scopes = context.find(key);
            if (scopes == context.end() || !scopes->is_array()) continue;
            for (const json& scope : *scopes) {
                if (!scope.is_string()) continue;
                std::string name = scope.get<std::string>();
                if (std::find(out.required_scopes.begin(), out.required_scopes.end(), name) ==
                    out.required_scopes.end()) {
                    out.required_scopes.push_back(std::move(name));
                }
            }
        }
    };
    if (const auto context = parsed.find("context"); context != parsed.end()) add_scopes(*context);
    if (const auto errors = parsed.find("errors"); errors != parsed.end() && errors->is_array()) {
        for (const json& detail : *errors) {
            if (!detail.is_object()) continue;
            if (const auto context = detail.find("context"); context != detail.end()) {
                add_scopes(*context);
            }
        }
    }
    return out;
}

std::optional<std::string> existing_contact_id(std::string_view message) {
    static constexpr std::string_view marker = "Existing ID: ";
    const std::size_t at = message.find(marker);
    if (at == std::string_view::npos) return std::nullopt;
    std::size_t end = at + marker.size();
    const std::size_t start = end;
    while (end < message.size() && message[end] >= '0' && message[end] <= '9') ++end;
    if (end == start) return std::nullopt;
    return std::string(message.substr(start, end - start));
}

sdk::Outcome hubspot_error_outcome(const sdk::HttpResponse& response, std::int64_t now_unix_ms) {
    if (response.host_status != SB_STATUS_OK) return sdk::error_from_response(response);
    const int status = response.status;
    const HubSpotError error = parse_hubspot_error(response.body);
    const std::string http = "HTTP " + std::to_string(status);
    // HubSpot's words when it gave some, else a line naming the status.
    const auto message = [&](std::string_view fallback) {
        if (error.message.empty()) return std::string(fallback) + " (" + http + ")";
        return "HubSpot: " + cut(error.message, max_provider_message) + " (" + http + ")";
    };
    json details = json::object();
    if (!error.correlation_id.empty()) details["correlation_id"] = error.correlation_id;
    if (!error.category.empty()) details["category"] = error.category;
    const auto extras = [&](std::string field = {}) {
        return sdk::ErrorExtras{std::move(field),
                                details.empty() ? std::string() : details.dump()};
    };

    if (status == 429 || (status >= 400 && status < 500 && is_rate_limit(error))) {
        if (const auto seconds = retry_after_seconds(response, now_unix_ms)) {
            details["retry_after_seconds"] = *seconds;
        }
        if (!error.policy_name.empty()) details["policy_name"] = error.policy_name;
        return sdk::Outcome::error(SB_STATUS_RATE_LIMITED, "rate_limited",
                                   message("HubSpot asked to slow down"), extras());
    }
    if (status == 409) {
        // SB_STATUS_CONFLICT (ABI 1.1): the host answers 409. The SDK's helper hands a 1.0
        // host SB_STATUS_INVALID_INPUT instead.
        if (const auto existing = existing_contact_id(error.message)) {
            details["existing_id"] = *existing;
            return sdk::Outcome::conflict("contact_exists",
                                          message("a contact with this e-mail address exists"),
                                          extras("/email"));
        }
        return sdk::Outcome::conflict("conflict", message("HubSpot reported a conflict"),
                                      extras());
    }
    if (status == 404 || status == 410 ||
        (status >= 400 && status < 500 && error.category == "OBJECT_NOT_FOUND")) {
        return sdk::Outcome::error(SB_STATUS_NOT_FOUND, "not_found",
                                   message("HubSpot has no such object"), extras());
    }
    if (status == 401) {
        return sdk::Outcome::error(SB_STATUS_AUTH, "unauthorized",
                                   message("HubSpot refused the credentials"), extras());
    }
    if (status == 403) {
        if (is_missing_scopes(error)) {
            if (!error.required_scopes.empty()) details["required_scopes"] = error.required_scopes;
            return sdk::Outcome::error(
                SB_STATUS_AUTH, "missing_scopes",
                message("the HubSpot connection lacks a scope this action needs; reconnect it"),
                extras());
        }
        return sdk::Outcome::error(SB_STATUS_AUTH, "forbidden",
                                   message("HubSpot refused access"), extras());
    }
    if (status >= 400 && status < 500) {
        return sdk::Outcome::error(SB_STATUS_INVALID_INPUT, "provider_rejected_request",
                                   message("HubSpot rejected the request"), extras());
    }
    if (status >= 500 && status < 600) {
        return sdk::Outcome::error(SB_STATUS_UNAVAILABLE, "provider_unavailable",
                                   message("HubSpot failed to answer"), extras());
    }
    if (status >= 200 && status < 300) {
        return sdk::Outcome::internal("hubspot_error_outcome called with a successful answer");
    }
    return sdk::Outcome::error(SB_STATUS_UNAVAILABLE, "unexpected_provider_status",
                               message("HubSpot answered with an unexpected status"), extras());
}

sdk::Outcome unreadable_answer(std::string_view operation) {
    return sdk::Outcome::error(SB_STATUS_UNAVAILABLE, "invalid_provider_response",
                               "HubSpot's answer to " + std::string(operation) +
                                   " could not be read");
}

} // namespace switchboard::plugins::hubspot
