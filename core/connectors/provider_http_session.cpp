#include "core/connectors/provider_http_session.hpp"

#include <spdlog/spdlog.h>

namespace switchboard::connectors {
namespace {

ProviderHttpResponse to_provider_response(http::HttpResponse response) {
    ProviderHttpResponse out;
    out.status = response.status;
    out.headers.reserve(response.headers.size());
    for (auto& [name, value] : response.headers) {
        out.headers.push_back({std::move(name), std::move(value)});
    }
    out.body = std::move(response.body);
    return out;
}

} // namespace

ProviderHttpSession::ProviderHttpSession(http::HttpClient& client,
                                         const ProviderDescriptor& provider, TokenManager& tokens,
                                         std::string tenant_id, std::string connector_id,
                                         ProviderHttpOptions options)
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
    auto admitted = options_.rate_limiter->acquire(provider_.id, tenant_id_);
    if (!admitted) {
        refusal_ = admitted.error();
        return admitted.error();
    }
    return {};
}

Result<http::HttpResponse> ProviderHttpSession::send(const ProviderHttpRequest& request,
                                                     const AccessGrant& grant) {
    http::HttpRequest outbound;
    outbound.method = request.method;
    outbound.url = base_url_ + request.path;
    outbound.headers.reserve(request.headers.size() + 1);
    for (const auto& header : request.headers) outbound.headers.emplace_back(header.name, header.value);
    outbound.headers.emplace_back("Authorization", "Bearer " + grant.access_token);
    outbound.body = request.body;
    http::RequestOptions options;
    options.metrics_label = provider_.id;
    options.connect_timeout = options_.connect_timeout;
    options.read_timeout = options_.read_timeout;
    ++requests_sent_;
    return client_.send(outbound, options);
}

Result<ProviderHttpResponse> ProviderHttpSession::http(const ProviderHttpRequest& request) {
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
