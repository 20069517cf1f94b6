// ProviderHttpSession: the CallContext of one plugin invocation. It resolves the plugin's
// path against the provider's API base URL, injects `Authorization: Bearer <access token>`
// (the plugin never sees the token), takes each request through the outbound rate limit of
// the provider and the tenant (waiting up to its bound), sends through the shared HttpClient
// (metrics label = the provider id; timeouts; retries of 429/5xx with backoff are the
// client's), and on a 401 refreshes the token once and repeats the request once. Every
// request ends by the call's deadline (CallContext::deadline, set by the connector from the
// provider's call timeout): its timeouts, retries and waits are cut to the time left, and once
// none is left requests fail at once with unavailable / `call_deadline_exceeded`.
#pragma once

#include "core/common/error.hpp"
#include "core/connectors/token_manager.hpp"
#include "core/http/http_client.hpp"
#include "core/plugin/call_context.hpp"
#include "core/plugin/provider_descriptor.hpp"
#include "core/ratelimit/rate_limiter.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace switchboard::connectors {

struct ProviderHttpOptions {
    std::chrono::milliseconds connect_timeout{5000};
    std::chrono::milliseconds read_timeout{30000};
    // Every request leaves through it (null: no limit).
    std::shared_ptr<ratelimit::RateLimiter> rate_limiter;
};

// Lives for one invoke, on the invoking thread (not thread-safe). The access token is fetched
// on the first request, so an action that makes none never touches the token.
class ProviderHttpSession final : public plugin::CallContext {
public:
    ProviderHttpSession(http::HttpClient& client, const plugin::ProviderDescriptor& provider,
                        TokenManager& tokens, std::string tenant_id, std::string connector_id,
                        ProviderHttpOptions options = {});

    // Errors: the token's (as TokenManager reports them, with a kind the plugin reads as
    // SB_STATUS_AUTH when the connector must be reconnected), the rate limit's (rate_limited,
    // with retry_after_seconds) and the client's. A 401 that survives the refresh is returned
    // as the response it is.
    Result<plugin::ProviderHttpResponse> http(const plugin::ProviderHttpRequest& request) override;

    // What kept this session from reaching the provider, if anything: no access token (why),
    // or the outbound rate limit. More precise than what the plugin made of it (the service
    // reports it instead).
    const std::optional<Error>& refusal() const noexcept { return refusal_; }

    // How many requests went out, and how many token refreshes a 401 caused.
    std::size_t requests_sent() const noexcept { return requests_sent_; }
    std::size_t refreshes_after_401() const noexcept { return refreshes_; }

private:
    Result<http::HttpResponse> send(const plugin::ProviderHttpRequest& request,
                                    const AccessGrant& grant);
    // Until the deadline (zero once past); nullopt without one.
    std::optional<std::chrono::milliseconds> time_left() const;
    Result<AccessGrant> fail_token(Error error);
    Result<void> admit();

    http::HttpClient& client_;
    const plugin::ProviderDescriptor& provider_;
    TokenManager& tokens_;
    std::string tenant_id_;
    std::string connector_id_;
    ProviderHttpOptions options_;
    std::string base_url_;
    std::optional<AccessGrant> grant_;
    std::optional<Error> refusal_;
    std::size_t requests_sent_ = 0;
    std::size_t refreshes_ = 0;
};

} // namespace switchboard::connectors
