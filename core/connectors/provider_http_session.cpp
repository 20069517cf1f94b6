#include "core/connectors/provider_http_session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace switchboard::connectors {
namespace {

plugin::ProviderHttpResponse to_provider_response(http::HttpResponse response) {
    plugin::ProviderHttpResponse out;
    out.status = response.status;
    out.headers.reserve(response.headers.size());
    for (auto& [name, value] : response.headers) {
        out.headers.push_back({std::move(name), std::move(value)});
    }
    out.body = std::move(response.body);
    return out;
}

Error past_deadline() {
    return Error(ErrorKind::unavailable, "call_deadline_exceeded",
                 "the plugin call is past its deadline; no more requests are sent for it");
}

} // namespace

ProviderHttpSession::ProviderHttpSession(http::HttpClient& client,
                                         const plugin::ProviderDescriptor& provider,
                                         TokenManager& tokens, std::string tenant_id,
                                         std::string connector_id, ProviderHttpOptions options)
    : client_(client), provider_(provider), tokens_(tokens), tenant_id_(std::move(tenant_id)),
      connector_id_(std::move(connector_id)), options_(options), base_url_(provider.api_base_url) {
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

Result<AccessGrant> ProviderHttpSession::fail_token(Error error) {
    // The plugin reads unauthenticated as SB_STATUS_AUTH: the connector needs reconnecting.
    if (error.code == "connector_revoked" || error.code == "connector_expired") {
        Error for_plugin = error;
        for_plugin.kind = ErrorKind::unauthenticated;
        refusal_ = std::move(error);
        return for_plugin;
    }
    refusal_ = error;
    return error;
}

Result<void> ProviderHttpSession::admit() {
    if (!options_.rate_limiter) return {};
    // A wait for the rate limit ends by the call's deadline too.
    auto admitted = options_.rate_limiter->acquire(provider_.id, tenant_id_, time_left());
    if (!admitted) {
        refusal_ = admitted.error();
        return admitted.error();
    }
    return {};
}

std::optional<std::chrono::milliseconds> ProviderHttpSession::time_left() const {
    const auto at = deadline();
    if (!at) return std::nullopt;
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(*at - std::chrono::steady_clock::now());
    return left.count() > 0 ? left : std::chrono::milliseconds(0);
}

Result<http::HttpResponse> ProviderHttpSession::send(const plugin::ProviderHttpRequest& request,
                                                     const AccessGrant& grant) {
    // Every attempt, wait and retry of this request ends by the call's deadline.
    const auto left = time_left();
    if (left && left->count() == 0) return past_deadline();
    http::HttpRequest outbound;
    outbound.method = request.method;
    outbound.url = base_url_ + request.path;
    outbound.headers.reserve(request.headers.size() + 1);
    for (const auto& header : request.headers) outbound.headers.emplace_back(header.name, header.value);
    outbound.headers.emplace_back("Authorization", "Bearer " + grant.access_token);
    outbound.body = request.body;
    http::RequestOptions options;
    options.metrics_label = provider_.id;
    options.rate_limit_rules = plugin::rate_limit_rules(provider_.policy);
    options.connect_timeout = left ? std::min(options_.connect_timeout, *left)
                                   : options_.connect_timeout;
    options.read_timeout = left ? std::min(options_.read_timeout, *left) : options_.read_timeout;
    if (left) options.deadline = *left;
    ++requests_sent_;
    return client_.send(outbound, options);
}

Result<plugin::ProviderHttpResponse> ProviderHttpSession::http(
    const plugin::ProviderHttpRequest& request) {
    if (const auto left = time_left(); left && left->count() == 0) return past_deadline();
    if (!grant_) {
        auto grant = tokens_.access_token(tenant_id_, connector_id_);
        if (!grant) return fail_token(grant.error()).error();
        grant_ = std::move(*grant);
    }
    if (auto admitted = admit(); !admitted) return admitted.error();
    auto response = send(request, *grant_);
    if (!response) return response.error();
    if (response->status != 401 || refreshes_ > 0) return to_provider_response(std::move(*response));

    // The provider refused the token (revoked meanwhile, or expired early): refresh once and
    // repeat once (once per invocation: a token refused right after its refresh will not be
    // helped by another). If the refresh fails, the plugin sees the 401 and reports it.
    auto grant = tokens_.refresh_after_rejection(tenant_id_, connector_id_,
                                                 grant_->credential_version);
    if (!grant) {
        refusal_ = grant.error();
        spdlog::info("connector {} ({}): token refresh after a 401 failed: {}", connector_id_,
                     provider_.id, grant.error().code);
        return to_provider_response(std::move(*response));
    }
    ++refreshes_;
    grant_ = std::move(*grant);
    if (auto admitted = admit(); !admitted) return admitted.error();
    auto retried = send(request, *grant_);
    if (!retried) return retried.error();
    return to_provider_response(std::move(*retried));
}

} // namespace switchboard::connectors
