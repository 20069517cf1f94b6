#include "tests/provider_sim/google/google_errors.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::sim {
namespace {

constexpr const char* kRealm = "Bearer realm=\"https://accounts.google.com/\"";

std::string default_reason(unsigned code) {
    switch (code) {
    case 400: return "badRequest";
    case 401: return "authError";
    case 403: return "forbidden";
    case 404: return "notFound";
    case 409: return "conflict";
    case 410: return "deleted";
    case 429: return "rateLimitExceeded";
    case 501: return "notImplemented";
    case 503: return "backendError";
    default: return code >= 500 ? "backendError" : "invalid";
    }
}

} // namespace

std::string google_status(unsigned code) {
    switch (code) {
    case 400: return "INVALID_ARGUMENT";
    case 401: return "UNAUTHENTICATED";
    case 403: return "PERMISSION_DENIED";
    case 404: return "NOT_FOUND";
    case 409: return "ALREADY_EXISTS";
    case 410: return "NOT_FOUND";
    case 412: return "FAILED_PRECONDITION";
    case 429: return "RESOURCE_EXHAUSTED";
    case 501: return "UNIMPLEMENTED";
    case 503: return "UNAVAILABLE";
    case 504: return "DEADLINE_EXCEEDED";
    default: return code >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
    }
}

Response google_error(unsigned code, std::string message, std::vector<GoogleErrorItem> items) {
    if (items.empty()) {
        GoogleErrorItem item;
        item.message = message;
        item.reason = default_reason(code);
        if (code == 429) {
            item.domain = "usageLimits";
        }
        items.push_back(std::move(item));
    }
    nlohmann::json errors = nlohmann::json::array();
    for (const auto& i : items) {
        nlohmann::json e{{"message", i.message}, {"domain", i.domain}, {"reason", i.reason}};
        if (!i.location.empty()) {
            e["location"] = i.location;
            e["locationType"] = i.location_type.empty() ? "parameter" : i.location_type;
        }
        errors.push_back(std::move(e));
    }
    const nlohmann::json body{
        {"error", {{"code", code}, {"message", message}, {"errors", errors}, {"status", google_status(code)}}}};
    return Response::json(code, body.dump());
}

Response google_unauthenticated(bool token_missing) {
    GoogleErrorItem item;
    item.location = "Authorization";
    item.location_type = "header";
    std::string message;
    if (token_missing) {
        message = "Request is missing required authentication credential. Expected OAuth 2 access "
                  "token, login cookie or other valid authentication credential. See "
                  "https://developers.google.com/identity/sign-in/web/devconsole-project.";
        item.message = "Login Required.";
        item.reason = "required";
    } else {
        message = "Request had invalid authentication credentials. Expected OAuth 2 access token, "
                  "login cookie or other valid authentication credential. See "
                  "https://developers.google.com/identity/sign-in/web/devconsole-project.";
        item.message = "Invalid Credentials";
        item.reason = "authError";
    }
    Response r = google_error(401, message, {item});
    r.set_header("WWW-Authenticate",
                 token_missing ? std::string(kRealm) : std::string(kRealm) + ", error=\"invalid_token\"");
    return r;
}

Response google_insufficient_scope(const std::vector<std::string>& accepted_scopes) {
    GoogleErrorItem item;
    item.message = "Insufficient Permission";
    item.reason = "insufficientPermissions";
    Response r = google_error(403, "Request had insufficient authentication scopes.", {item});
    std::string scopes;
    for (const auto& s : accepted_scopes) {
        scopes += (scopes.empty() ? "" : " ") + s;
    }
    r.set_header("WWW-Authenticate", std::string(kRealm) + ", error=\"insufficient_scope\", scope=\"" +
                                         scopes + "\"");
    return r;
}

Response google_unimplemented(const std::string& method_id) {
    return google_error(501, "provider-sim does not implement " + method_id +
                                 " (it is in the discovery document, so the request was validated)");
}

Response oauth_error(unsigned status, std::string error, std::string description) {
    nlohmann::json body{{"error", std::move(error)}};
    if (!description.empty()) {
        body["error_description"] = std::move(description);
    }
    Response r = Response::json(status, body.dump());
    r.set_header("Cache-Control", "no-store");
    r.set_header("Pragma", "no-cache");
    return r;
}

} // namespace switchboard::sim
