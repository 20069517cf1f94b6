// The error Outcome for a failed Google API answer. Google's REST APIs share one error body:
//   {"error": {"code": 403, "message": "...", "status": "PERMISSION_DENIED",
//              "errors": [{"reason": "rateLimitExceeded", "domain": "usageLimits", ...}]}}
// Google signals per-user rate and quota limits with 403 (and sometimes 400) plus a reason,
// so those are read first; everything else falls back to the SDK's usual status mapping.
// The provider's message is kept (it tells the user what Google disliked, e.g. an invalid
// attendee), cut to a sane length; it never holds credentials, which travel in headers.
#pragma once

#include "switchboard/host.hpp"
#include "switchboard/http_error.hpp"
#include "switchboard/outcome.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <string>
#include <string_view>

namespace switchboard::plugins {

namespace google_detail {

inline constexpr std::array<std::string_view, 5> rate_limit_reasons = {
    "rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "dailyLimitExceeded",
    "sharingRateLimitExceeded"};

inline bool is_rate_limit_reason(std::string_view reason) {
    for (const auto candidate : rate_limit_reasons) {
        if (reason == candidate) return true;
    }
    return false;
}

} // namespace google_detail

// What a Google error body says, when it is one.
struct GoogleApiError {
    int code = 0;
    std::string message;
    std::string status; // e.g. "NOT_FOUND"
    std::string reason; // the first errors[].reason, e.g. "rateLimitExceeded"
};

// Reads what it can of Google's error body; fields of an unexpected type are left empty
// (a malformed body must not turn a 404 into an internal error).
inline GoogleApiError parse_google_api_error(std::string_view body) {
    GoogleApiError out;
    const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object()) return out;
    const auto error = json.find("error");
    if (error == json.end() || !error->is_object()) return out;
    const auto string_member = [](const nlohmann::json& object, const char* name) {
        const auto it = object.find(name);
        return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
    };
    if (const auto code = error->find("code"); code != error->end() && code->is_number_integer()) {
        out.code = code->get<int>();
    }
    out.message = string_member(*error, "message");
    out.status = string_member(*error, "status");
    if (const auto errors = error->find("errors");
        errors != error->end() && errors->is_array() && !errors->empty() &&
        (*errors)[0].is_object()) {
        out.reason = string_member((*errors)[0], "reason");
    }
    return out;
}

// The Outcome for a response that is not a success (!response.ok()).
inline sdk::Outcome google_error_outcome(const sdk::HttpResponse& response) {
    if (response.host_status != SB_STATUS_OK) return sdk::error_from_response(response);

    const GoogleApiError error = parse_google_api_error(response.body);
    const std::string http = " (HTTP " + std::to_string(response.status) + ")";
    const std::string message =
        error.message.empty() ? std::string{} : "Google: " + error.message.substr(0, 500) + http;

    if ((response.status == 403 || response.status == 400) &&
        google_detail::is_rate_limit_reason(error.reason)) {
        return sdk::Outcome::error(SB_STATUS_RATE_LIMITED, "rate_limited",
                                   message.empty() ? "Google asked to slow down" + http : message);
    }
    if (message.empty()) return sdk::error_from_response(response);

    // Same statuses and codes as the SDK's mapping, with Google's own words.
    const sdk::Outcome fallback = sdk::error_from_response(response);
    const auto parsed = nlohmann::json::parse(fallback.json(), nullptr, false);
    const std::string code = parsed.is_object() && parsed["code"].is_string()
                                 ? parsed["code"].get<std::string>()
                                 : "internal";
    sdk::ErrorExtras extras;
    if (parsed.is_object() && parsed.contains("details")) extras.details_json = parsed["details"].dump();
    return sdk::Outcome::error(fallback.status(), code, message, extras);
}

} // namespace switchboard::plugins
