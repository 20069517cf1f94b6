// HubSpot's OAuth v1 and CRM v3 endpoints, routed and checked by the HubSpot description:
// a request is matched to an operation, its parameters and body validated, its bearer token
// and scopes checked (for operations that take one), the account's rate limit applied, and
// only then handed to the operation's handler. The consent form's POST, which is the
// simulator's own, is the one route outside the description.
#pragma once

#include "tests/provider_sim/admin/request_log.hpp"
#include "tests/provider_sim/hubspot/rate_limiter.hpp"
#include "tests/provider_sim/server/request.hpp"
#include "tests/provider_sim/sim_state.hpp"
#include "tests/provider_sim/validation/hubspot_catalog.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace switchboard::sim {

struct HubSpotCall {
    const Request& request;
    const HubSpotOperation& operation;
    std::map<std::string, std::string> path_params;
    Grant caller;        // set for operations that take a token
    nlohmann::json body; // the JSON body, or a form body as an object of strings
    std::string base_url; // "http://127.0.0.1:PORT", for paging links
    std::vector<ValidationIssue> issues; // what did not validate (handlers of the OAuth
                                         // endpoints answer these in their own shape)

    std::optional<std::string> param(std::string_view name) const;
    std::string path(std::string_view name) const;
};

using HubSpotHandler = std::function<Response(const HubSpotCall&)>;

class HubSpotApi {
public:
    explicit HubSpotApi(SimState& state);

    // At start-up only. With `handles_issues`, the handler is called even when the request
    // did not validate and answers the issues itself (the OAuth endpoints' error shapes).
    void add(std::string operation_id, HubSpotHandler handler, bool handles_issues = false);

    // [thread-safe]
    Response handle(const Request& request, RecordedRequest& record);
    void clear();

private:
    struct Entry {
        HubSpotHandler handler;
        bool handles_issues = false;
    };
    void add_rate_headers(Response& response, const RateLimiter::Outcome& outcome) const;

    SimState& state_;
    std::map<std::string, Entry, std::less<>> handlers_;
    std::unique_ptr<RateLimiter> burst_;
    std::unique_ptr<RateLimiter> search_;
};

} // namespace switchboard::sim
