#include "tests/provider_sim/hubspot/hubspot_api.hpp"

#include "tests/provider_sim/hubspot/hubspot_errors.hpp"
#include "tests/provider_sim/oauth/http_auth.hpp"

#include <algorithm>
#include <set>

namespace switchboard::sim {
namespace {

using nlohmann::json;

constexpr const char* kNoCredentials =
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more "
    "details at https://developers.hubspot.com/docs/methods/auth/oauth-overview";

} // namespace

std::optional<std::string> HubSpotCall::param(std::string_view name) const {
    return sim::param(request.query, name);
}

std::string HubSpotCall::path(std::string_view name) const {
    const auto it = path_params.find(std::string(name));
    return it == path_params.end() ? std::string{} : it->second;
}

HubSpotApi::HubSpotApi(SimState& state) : state_(state) {
    // The limits come from the description's rateLimits; a test may lower the burst limit.
    const json& limits = state.hubspot().rate_limits();
    const json& burst = limits.at("publicOAuthApp").at("burst");
    burst_ = std::make_unique<RateLimiter>(
        state.clock, burst.value("policyName", "TEN_SECONDLY_ROLLING"),
        state.options().hubspot_burst_limit.value_or(burst.at("requests").get<unsigned>()),
        std::chrono::milliseconds(burst.at("windowMs").get<long long>()));
    search_ = std::make_unique<RateLimiter>(state.clock, "SECONDLY",
                                            limits.at("search").at("requestsPerSecond").get<unsigned>(),
                                            std::chrono::seconds(1));
}

void HubSpotApi::add(std::string operation_id, HubSpotHandler handler, bool handles_issues) {
    handlers_[std::move(operation_id)] = Entry{std::move(handler), handles_issues};
}

void HubSpotApi::clear() {
    burst_->clear();
    search_->clear();
}

void HubSpotApi::add_rate_headers(Response& response, const RateLimiter::Outcome& outcome) const {
    // OAuth apps get the burst headers but not the Daily ones (no daily limit).
    response.set_header("X-HubSpot-RateLimit-Interval-Milliseconds", std::to_string(burst_->window().count()));
    response.set_header("X-HubSpot-RateLimit-Max", std::to_string(burst_->max()));
    response.set_header("X-HubSpot-RateLimit-Remaining", std::to_string(outcome.remaining));
}

Response HubSpotApi::handle(const Request& request, RecordedRequest& record) {
    record.provider = "hubspot";
    record.description = std::string(HubSpotCatalog::kDocument);
    const HubSpotCatalog& catalog = state_.hubspot();
    const auto match = catalog.match(request.method, request.segments);
    if (!match) {
        record.errors.push_back("no operation of the HubSpot description matches " + request.method + " " +
                                request.path);
        return hubspot_error(404, "resource not found", "OBJECT_NOT_FOUND");
    }
    const HubSpotOperation& op = *match->operation;
    record.method_id = op.id;
    HubSpotCall call{request, op, match->path_params, {}, nullptr, request.base_url(), {}};
    call.issues = catalog.validate_parameters(*match, request.query);
    if (op.id == "oauth_authorize") {
        // The description lists HubSpot's own install-URL parameters only; the ones RFC 6749
        // (response_type) and RFC 7636 (code_challenge, code_challenge_method) have every
        // OAuth client send are checked by the handler instead. HubSpot's token endpoint
        // takes a code_verifier, so it must take the challenge here.
        std::erase_if(call.issues, [](const ValidationIssue& issue) {
            return issue.location == "query" &&
                   (issue.field == "response_type" || issue.field == "code_challenge" ||
                    issue.field == "code_challenge_method");
        });
    }

    bool unsupported_media = false;
    if (!op.request_definition.empty()) {
        if (op.request_content_type == "application/x-www-form-urlencoded") {
            const auto form = request.media_type() == op.request_content_type ? parse_params(request.body)
                                                                               : std::nullopt;
            if (!form) {
                call.issues.push_back({"header", "Content-Type",
                                       "the body must be application/x-www-form-urlencoded", "invalid"});
            } else {
                call.body = json::object();
                std::set<std::string> seen;
                for (const auto& [name, value] : *form) {
                    if (!seen.insert(name).second) {
                        call.issues.push_back({"body", name, "form field '" + name + "' given more than once",
                                               "invalid"});
                    }
                    call.body[name] = value;
                }
            }
        } else if (request.media_type() != op.request_content_type) {
            unsupported_media = true;
            call.issues.push_back({"header", "Content-Type",
                                   "Content type '" + std::string(request.header("Content-Type")) +
                                       "' not supported; " + op.request_content_type + " expected",
                                   "invalid"});
        } else {
            try {
                call.body = json::parse(request.body);
            } catch (const json::parse_error& e) {
                call.issues.push_back({"body", "", std::string("Invalid input JSON: ") + e.what(), "invalid"});
            }
        }
        if (!call.body.is_null()) {
            auto body_issues = catalog.validate_body(op, call.body);
            call.issues.insert(call.issues.end(), body_issues.begin(), body_issues.end());
        }
    }
    for (const auto& issue : call.issues) {
        record.errors.push_back(issue.to_string());
    }

    std::optional<RateLimiter::Outcome> rate;
    if (op.requires_token) {
        const auto token = bearer_token(request);
        if (!token) {
            return hubspot_error(401, kNoCredentials, "INVALID_AUTHENTICATION");
        }
        const auto access = state_.tokens.find_access(Provider::hubspot, *token);
        if (access.state == TokenStore::AccessState::unknown) {
            return hubspot_error(401, kNoCredentials, "INVALID_AUTHENTICATION");
        }
        if (access.state == TokenStore::AccessState::expired) {
            return hubspot_error(401,
                                 "The OAuth token used to make this call expired " +
                                     std::to_string(-access.remaining.count()) + " second(s) ago.",
                                 "EXPIRED_AUTHENTICATION");
        }
        call.caller = access.token.grant;
        std::vector<std::string> missing;
        for (const auto& scope : op.scopes) {
            if (!call.caller.has_scope(scope)) {
                missing.push_back(scope);
            }
        }
        if (!missing.empty()) {
            return hubspot_error(
                403,
                "This app hasn't been granted all required scopes to make this call. Read more about required "
                "scopes here: https://developers.hubspot.com/scopes.",
                "MISSING_SCOPES",
                {{"errors", json::array({{{"message", "One or more of the following scopes are required."},
                                          {"context", {{"requiredGranularScopes", missing}}}}})},
                 {"links", {{"scopes", "https://developers.hubspot.com/scopes"}}}});
        }
        const bool search = op.id.size() > 7 && op.id.compare(op.id.size() - 7, 7, "_search") == 0;
        RateLimiter& limiter = search ? *search_ : *burst_;
        const auto outcome = limiter.take(call.caller.hub_id);
        if (!outcome.allowed) {
            Response r = hubspot_rate_limited(limiter.policy_name());
            if (!search) {
                add_rate_headers(r, outcome);
            }
            return r;
        }
        if (!search) {
            rate = outcome; // search responses carry no rate-limit headers
        }
    }

    const auto entry = handlers_.find(op.id);
    if (entry == handlers_.end()) {
        return hubspot_error(501, "provider-sim does not implement " + op.id, "UNSUPPORTED");
    }
    Response response;
    if (!call.issues.empty() && !entry->second.handles_issues) {
        if (unsupported_media) {
            response = hubspot_error(415, call.issues.back().message, "UNSUPPORTED_MEDIA_TYPE");
        } else {
            json errors = json::array();
            for (const auto& issue : call.issues) {
                json e{{"message", issue.message}, {"code", issue.reason == "required" ? "REQUIRED" : "INVALID"}};
                if (!issue.field.empty()) {
                    e["in"] = issue.field;
                }
                errors.push_back(std::move(e));
            }
            response = hubspot_error(400, "Invalid input: " + call.issues.front().message, "VALIDATION_ERROR",
                                     {{"errors", errors}});
        }
    } else {
        response = entry->second.handler(call);
    }
    if (rate) {
        add_rate_headers(response, *rate);
    }
    return response;
}

} // namespace switchboard::sim
