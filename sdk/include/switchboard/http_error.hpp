// switchboard/http_error.hpp — the usual mapping of a failed provider answer to an Outcome,
// so every plugin reports 401, 404, 429, 5xx and host failures the same way.
#pragma once

#include "switchboard/host.hpp"
#include "switchboard/outcome.hpp"

#include <charconv>
#include <string>
#include <system_error>

namespace switchboard::sdk {

// The error Outcome for a response that is not a success (!response.ok()):
//
//   host could not answer                          status                 code
//   SB_STATUS_AUTH (not connected, refresh failed) SB_STATUS_AUTH         credentials_unavailable
//   SB_STATUS_UNAVAILABLE (network, timeout)       SB_STATUS_UNAVAILABLE  provider_unreachable
//   anything else (a malformed request: a bug)     SB_STATUS_INTERNAL     internal
//   provider answered                              status                 code
//   401                                            SB_STATUS_AUTH         unauthorized
//   403                                            SB_STATUS_AUTH         forbidden
//   404, 410                                       SB_STATUS_NOT_FOUND    not_found
//   429                                            SB_STATUS_RATE_LIMITED rate_limited (+ details.retry_after_seconds)
//   other 4xx                                      SB_STATUS_INVALID_INPUT provider_rejected_request
//   5xx                                            SB_STATUS_UNAVAILABLE  provider_unavailable
//   anything else (1xx, 3xx)                       SB_STATUS_UNAVAILABLE  unexpected_provider_status
//
// Messages name the HTTP status only: provider bodies may echo what the user sent and are
// not copied into the error. A plugin that knows its provider better (Google signals some
// rate limits with 403) checks those cases first and calls this for the rest.
inline Outcome error_from_response(const HttpResponse& response) {
    switch (response.host_status) {
    case SB_STATUS_OK: break;
    case SB_STATUS_AUTH:
        return Outcome::error(SB_STATUS_AUTH, "credentials_unavailable",
                              "the connector has no usable credentials; reconnect the account");
    case SB_STATUS_UNAVAILABLE:
        return Outcome::error(SB_STATUS_UNAVAILABLE, "provider_unreachable",
                              "the provider could not be reached");
    default:
        return Outcome::internal("the host could not perform the plugin's request (status " +
                                 std::to_string(response.host_status) + ")");
    }

    const int status = response.status;
    const std::string http = "HTTP " + std::to_string(status);
    if (status >= 200 && status < 300) {
        return Outcome::internal("error_from_response called with a successful response");
    }
    if (status == 401) {
        return Outcome::error(SB_STATUS_AUTH, "unauthorized",
                              "the provider refused the credentials (" + http + ")");
    }
    if (status == 403) {
        return Outcome::error(SB_STATUS_AUTH, "forbidden",
                              "the provider refused access to the resource (" + http + ")");
    }
    if (status == 404 || status == 410) {
        return Outcome::not_found("the provider has no such object (" + http + ")");
    }
    if (status == 429) {
        ErrorExtras extras;
        if (const std::string* retry_after = response.header("retry-after")) {
            long long seconds = 0;
            const char* first = retry_after->data();
            const char* last = first + retry_after->size();
            const auto [end, ec] = std::from_chars(first, last, seconds);
            if (ec == std::errc() && end == last && seconds >= 0) {
                extras.details_json = "{\"retry_after_seconds\":" + std::to_string(seconds) + "}";
            }
        }
        return Outcome::error(SB_STATUS_RATE_LIMITED, "rate_limited",
                              "the provider asked to slow down (" + http + ")", extras);
    }
    if (status >= 400 && status < 500) {
        return Outcome::error(SB_STATUS_INVALID_INPUT, "provider_rejected_request",
                              "the provider rejected the request (" + http + ")");
    }
    if (status >= 500 && status < 600) {
        return Outcome::error(SB_STATUS_UNAVAILABLE, "provider_unavailable",
                              "the provider failed to answer the request (" + http + ")");
    }
    return Outcome::error(SB_STATUS_UNAVAILABLE, "unexpected_provider_status",
                          "the provider answered with an unexpected status (" + http + ")");
}

} // namespace switchboard::sdk
