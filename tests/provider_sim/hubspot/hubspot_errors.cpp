#include "tests/provider_sim/hubspot/hubspot_errors.hpp"

#include "tests/provider_sim/common/random.hpp"

#include <algorithm>
#include <cctype>

namespace switchboard::sim {

std::string new_correlation_id() {
    std::string h = random_hex(32);
    h[12] = '4';
    h[16] = "89ab"[h[16] % 4];
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20, 12);
}

Response hubspot_error(unsigned status, std::string message, std::string category,
                       nlohmann::json extra) {
    const std::string correlation = new_correlation_id();
    nlohmann::json body{{"status", "error"},
                        {"message", std::move(message)},
                        {"correlationId", correlation},
                        {"category", std::move(category)}};
    if (extra.is_object()) {
        body.update(extra);
    }
    Response r = Response::json(status, body.dump());
    r.set_header("X-HubSpot-Correlation-Id", correlation);
    return r;
}

Response hubspot_rate_limited(const std::string& policy_name) {
    const std::string correlation = new_correlation_id();
    std::string lower = policy_name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const nlohmann::json body{{"status", "error"},
                              {"message", "You have reached your " + lower + " limit."},
                              {"errorType", "RATE_LIMIT"},
                              {"correlationId", correlation},
                              {"policyName", policy_name},
                              {"requestId", new_correlation_id()}};
    Response r = Response::json(429, body.dump());
    r.set_header("X-HubSpot-Correlation-Id", correlation);
    return r;
}

Response hubspot_oauth_error(unsigned status, std::string code, std::string message) {
    const std::string correlation = new_correlation_id();
    const nlohmann::json body{{"status", std::move(code)},
                              {"message", std::move(message)},
                              {"correlationId", correlation}};
    Response r = Response::json(status, body.dump());
    r.set_header("X-HubSpot-Correlation-Id", correlation);
    return r;
}

} // namespace switchboard::sim
