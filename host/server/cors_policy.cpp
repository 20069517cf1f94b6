#include "host/server/cors_policy.hpp"

#include <algorithm>

namespace switchboard::server {

CorsPolicy::CorsPolicy(const CorsOptions& options) : options_(options) {}

bool CorsPolicy::allows(std::string_view origin) const {
    // Origins compare as the browser serialises them: exactly. "null" (sandboxed frames,
    // file: pages) is never allowed, whatever the list says.
    if (origin.empty() || origin == "null") {
        return false;
    }
    return std::find(options_.allowed_origins.begin(), options_.allowed_origins.end(), origin) !=
           options_.allowed_origins.end();
}

void CorsPolicy::decorate(Headers& headers, std::string_view origin) const {
    if (!enabled()) {
        return;
    }
    headers.add(http::field::vary, http::field::origin);
    if (!allows(origin)) {
        return;
    }
    headers.set(http::field::access_control_allow_origin, origin);
    if (options_.allow_credentials) {
        headers.set(http::field::access_control_allow_credentials, "true");
    }
    headers.set(http::field::access_control_expose_headers, cors_exposed_headers);
}

bool CorsPolicy::is_preflight(const Headers& request_headers, bool is_options) {
    return is_options && request_headers.contains(http::field::origin) &&
           request_headers.contains(http::field::access_control_request_method);
}

Response CorsPolicy::options_answer(std::string_view methods, std::string_view origin,
                                    bool preflight) const {
    Response response = Response::no_content();
    std::string allow(methods);
    if (allow.find("OPTIONS") == std::string::npos) {
        allow += allow.empty() ? "OPTIONS" : ", OPTIONS";
    }
    response.headers.set(http::field::allow, allow);
    if (preflight && allows(origin)) {
        response.headers.set(http::field::access_control_allow_methods, allow);
        response.headers.set(http::field::access_control_allow_headers, cors_allowed_headers);
        response.headers.set(http::field::access_control_max_age,
                             std::to_string(options_.max_age_seconds));
    }
    return response;
}

} // namespace switchboard::server
