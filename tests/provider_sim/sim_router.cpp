#include "tests/provider_sim/sim_router.hpp"

#include "tests/provider_sim/google/google_errors.hpp"
#include "tests/provider_sim/hubspot/hubspot_errors.hpp"
#include "tests/provider_sim/validation/google_catalog.hpp"
#include "tests/provider_sim/validation/hubspot_catalog.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

namespace switchboard::sim {
namespace {

constexpr std::array<std::string_view, 3> kGoogleOAuthHosts = {"accounts.google.com", "oauth2.googleapis.com",
                                                               "openidconnect.googleapis.com"};
constexpr std::array<std::string_view, 2> kGoogleApiHosts = {"www.googleapis.com", "gmail.googleapis.com"};
constexpr std::array<std::string_view, 2> kHubSpotHosts = {"app.hubspot.com", "api.hubapi.com"};
constexpr std::string_view kHubSpotConsentPath = "/app.hubspot.com/oauth/authorize/consent";

// Names whose values never reach the request log (or any log line).
constexpr std::array<std::string_view, 8> kSecretNames = {
    "client_secret", "code", "code_verifier", "refresh_token", "access_token", "token", "id_token", "password"};
constexpr std::size_t kMaxLoggedBody = 64 * 1024;

template <std::size_t N>
bool one_of(std::string_view value, const std::array<std::string_view, N>& list) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

std::string redact_params(const Params& params) {
    std::string out;
    for (const auto& [name, value] : params) {
        out += (out.empty() ? "" : "&") + name + "=" +
               (one_of(name, kSecretNames) ? std::string("[redacted]") : value);
    }
    return out;
}

// HubSpot puts tokens in paths: /api.hubapi.com/oauth/v1/{access,refresh}-tokens/{token}.
std::string redact_path(const Request& request) {
    const auto& s = request.segments;
    if (s.size() == 5 && s[0] == "api.hubapi.com" && s[1] == "oauth" && s[2] == "v1" &&
        (s[3] == "access-tokens" || s[3] == "refresh-tokens")) {
        return "/api.hubapi.com/oauth/v1/" + s[3] + "/[redacted]";
    }
    return request.path;
}

std::string loggable_body(const Request& request) {
    if (request.body.empty()) {
        return {};
    }
    const std::string type = request.media_type();
    if (type == "application/x-www-form-urlencoded") {
        const auto form = parse_params(request.body);
        return form ? redact_params(*form) : "[malformed form body]";
    }
    if (type != "application/json" && type.rfind("text/", 0) != 0) {
        return "[" + std::to_string(request.body.size()) + " bytes of " + (type.empty() ? "unlabelled data" : type) +
               "]";
    }
    if (request.body.size() > kMaxLoggedBody) {
        return request.body.substr(0, kMaxLoggedBody) + "...[" +
               std::to_string(request.body.size() - kMaxLoggedBody) + " more bytes]";
    }
    return request.body;
}

} // namespace

void SimRouter::identify(const Request& request, RecordedRequest& record) const {
    const std::string host = request.segments.empty() ? std::string{} : request.segments.front();
    if (one_of(host, kGoogleApiHosts)) {
        record.provider = "google";
        if (const auto m = state_.google().match(request.method, request.segments)) {
            record.description = m->method->document;
            record.method_id = m->method->id;
        }
    } else if (one_of(host, kGoogleOAuthHosts)) {
        record.provider = "google";
    } else if (one_of(host, kHubSpotHosts)) {
        record.provider = "hubspot";
        record.description = std::string(HubSpotCatalog::kDocument);
        if (const auto m = state_.hubspot().match(request.method, request.segments)) {
            record.method_id = m->operation->id;
        }
    }
}

Response SimRouter::dispatch(const Request& request, RecordedRequest& record) {
    const std::string& host = request.segments.front();
    if (one_of(host, kGoogleOAuthHosts)) {
        return handlers_.google_oauth.handle(request, record);
    }
    if (one_of(host, kGoogleApiHosts)) {
        return handlers_.google_api.handle(request, record);
    }
    if (request.path == kHubSpotConsentPath && request.method == "POST") {
        return handlers_.hubspot_oauth.consent(request, record);
    }
    if (one_of(host, kHubSpotHosts)) {
        return handlers_.hubspot_api.handle(request, record);
    }
    record.errors.push_back("no simulated provider serves the host '" + host + "'");
    return Response::text(404,
                          "provider-sim: no simulated provider serves '" + host +
                              "'; the first path segment names the real host (oauth2.googleapis.com, "
                              "www.googleapis.com, gmail.googleapis.com, accounts.google.com, "
                              "openidconnect.googleapis.com, app.hubspot.com, api.hubapi.com)\n",
                          "text/plain");
}

Response SimRouter::route(const Request& request) {
    if (request.segments.empty() || request.segments.front().empty()) {
        return Response::text(404, "provider-sim: see /_admin/health and tests/provider_sim/README.md\n",
                              "text/plain");
    }
    if (request.segments.front() == "_admin") {
        return handlers_.admin.handle(request);
    }
    RecordedRequest record;
    record.verb = request.method;
    record.path = redact_path(request);
    record.query = redact_params(request.query);
    record.body = loggable_body(request);

    const FaultDecision fault = state_.faults.decide(request.path);
    Response response;
    if (fault.drop_before) {
        identify(request, record);
        response.drop_connection = true;
        response.status = 0;
    } else if (fault.error) {
        identify(request, record);
        const unsigned status = fault.error->status;
        const std::string& host = request.segments.front();
        if (one_of(host, kHubSpotHosts)) {
            response = status == 429 ? hubspot_rate_limited("TEN_SECONDLY_ROLLING")
                                     : hubspot_error(status, "An error occurred (injected by provider-sim)",
                                                     status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST");
        } else if (one_of(host, kGoogleOAuthHosts)) {
            response = oauth_error(status, status == 429 || status == 503 ? "temporarily_unavailable" : "server_error",
                                   "injected by provider-sim");
        } else {
            response = google_error(status, status == 429 ? "Rate Limit Exceeded"
                                                          : "Backend Error (injected by provider-sim)");
        }
        if (fault.error->retry_after_seconds) {
            response.set_header("Retry-After", std::to_string(*fault.error->retry_after_seconds));
        }
    } else {
        response = dispatch(request, record);
        if (fault.drop_after) {
            response.drop_connection = true;
        }
    }
    response.delay = fault.delay;
    record.status = response.drop_connection ? 0 : response.status;
    spdlog::debug("provider-sim: {} {} -> {} {}{}", record.verb, record.path, record.status, record.method_id,
                  record.valid() ? "" : " (did not validate)");
    state_.log.add(std::move(record));
    return response;
}

} // namespace switchboard::sim
