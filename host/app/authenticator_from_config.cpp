#include "host/app/authenticator_from_config.hpp"

#include "core/auth/api_key_authenticator.hpp"
#include "core/auth/composite_authenticator.hpp"
#include "core/auth/jwt_authenticator.hpp"
#include "core/common/json_pointer.hpp"
#include "core/http/beast_http_client.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <vector>

namespace switchboard::app {

namespace {

constexpr std::array<std::string_view, 3> kSupportedAlgorithms = {"HS256", "RS256", "ES256"};

Error auth_error(std::string code, std::string message, std::string field) {
    return Error(ErrorKind::invalid_input, std::move(code), std::move(message), std::move(field));
}

// GETs the JWKS URL: small (1 MiB at most), quick (5 s), and one retry.
Result<std::function<Result<std::string>()>> jwks_fetcher(const std::string& url) {
    http::BeastHttpClientOptions options;
    options.connect_timeout = std::chrono::seconds(5);
    options.read_timeout = std::chrono::seconds(5);
    options.total_deadline = std::chrono::seconds(10);
    options.max_attempts = 2;
    options.max_response_body_bytes = 1024 * 1024;
    options.max_idle_connections_per_host = 1;
    // The config allows plain http only to a loopback host.
    options.allow_plain_http_loopback = url.rfind("http://", 0) == 0;
    auto built = http::BeastHttpClient::create(std::move(options));
    if (!built) return built.error();
    std::shared_ptr<http::HttpClient> client = std::move(*built);
    return std::function<Result<std::string>()>([client, url]() -> Result<std::string> {
        http::HttpRequest request{"GET", url, {{"Accept", "application/json"}}, {}};
        http::RequestOptions request_options;
        request_options.metrics_label = "jwks";
        auto response = client->send(request, request_options);
        if (!response) return response.error();
        if (response->status != 200) {
            return Error(ErrorKind::unavailable, "jwks_unavailable",
                         "the JWKS URL answered HTTP " + std::to_string(response->status));
        }
        return std::move(response->body);
    });
}

// The keys at auth.jwt.jwks_url, fetched once now. An identity provider that cannot be
// reached at start-up does not keep the host down (its other instances may be serving): the
// failure is logged, and the keys are fetched again when a token needs them.
Result<std::shared_ptr<auth::JwksCache>> remote_jwks(const config::JwtConfig& config) {
    auto fetch = jwks_fetcher(*config.jwks_url);
    if (!fetch) return fetch.error();
    auth::JwksCacheOptions options;
    options.fetch = std::move(*fetch);
    options.max_age = std::chrono::seconds(config.jwks_max_age_seconds);
    options.min_refetch_interval = std::chrono::seconds(config.jwks_min_refetch_seconds);
    auto cache = std::make_shared<auth::JwksCache>(std::move(options));
    if (auto fetched = cache->refresh(); !fetched) {
        spdlog::warn("auth.jwt.jwks_url: the JWKS could not be fetched at start-up ({}: {}); "
                     "tokens signed with its keys are refused until it can be",
                     fetched.error().code, fetched.error().message);
    }
    return cache;
}

Result<std::shared_ptr<const auth::Authenticator>> jwt_authenticator(
    const config::JwtConfig& config, const config::Environment& env) {
    auth::JwtAuthenticatorOptions options;
    if (config.hs256_secret_env) {
        auto read = config::read_secret(env, *config.hs256_secret_env);
        if (!read) return read.error();
        auto& secret = *read;
        if (!secret) {
            return auth_error("auth_secret_missing",
                              "environment variable " + *config.hs256_secret_env +
                                  " (named by auth.jwt.hs256_secret_env) is not set",
                              *config.hs256_secret_env);
        }
        if (secret->size() < 32) {
            return auth_error("invalid_auth_config",
                              "environment variable " + *config.hs256_secret_env +
                                  " (auth.jwt.hs256_secret_env) must hold at least 32 bytes",
                              *config.hs256_secret_env);
        }
        options.hs256_secret = std::move(*secret);
    }
    if (config.jwks_file) {
        options.jwks_file = config.jwks_file->string();
    }
    if (config.jwks_url) {
        auto remote = remote_jwks(config);
        if (!remote) return remote.error();
        options.remote_keys = std::move(*remote);
    }
    for (const auto& algorithm : config.algorithms) {
        if (std::find(kSupportedAlgorithms.begin(), kSupportedAlgorithms.end(), algorithm) ==
            kSupportedAlgorithms.end()) {
            return auth_error("invalid_auth_config",
                              "auth.jwt.algorithms: " + algorithm +
                                  " is not supported by this build; use HS256, RS256 or ES256",
                              "auth.jwt.algorithms");
        }
    }
    options.algorithms = config.algorithms;
    options.issuer = config.issuer.value_or("");
    if (config.audience) {
        options.audiences.push_back(*config.audience);
    }
    options.allow_any_issuer = config.allow_any_issuer;
    options.allow_any_audience = config.allow_any_audience;
    options.leeway = std::chrono::seconds(config.leeway_seconds);
    options.tenant_claim = claim_pointer(config.tenant_claim);
    options.user_claim = claim_pointer(config.user_claim);
    auto built = auth::JwtAuthenticator::create(std::move(options));
    if (!built) {
        Error error = built.error();
        error.message = "auth.jwt: " + error.message;
        error.field = error.field.empty() ? "auth.jwt" : "auth.jwt." + error.field;
        return error;
    }
    return std::shared_ptr<const auth::Authenticator>(std::move(*built));
}

} // namespace

std::string claim_pointer(std::string_view claim) {
    if (!claim.empty() && claim.front() == '/') {
        return std::string(claim);
    }
    return "/" + json_pointer_token(claim);
}

Result<std::shared_ptr<const auth::Authenticator>> build_authenticator(
    const config::AuthConfig& config, const config::Environment& environment) {
    std::vector<std::shared_ptr<const auth::Authenticator>> parts;
    if (config.jwt) {
        auto jwt = jwt_authenticator(*config.jwt, environment);
        if (!jwt) {
            return jwt.error();
        }
        parts.push_back(std::move(*jwt));
    }
    if (!config.api_keys.empty()) {
        std::vector<auth::ApiKeyDigestEntry> entries;
        for (const auto& key : config.api_keys) {
            entries.push_back({key.key_sha256, {key.tenant_id, key.user_id}});
        }
        auto keys = auth::ApiKeyAuthenticator::from_digests(std::move(entries));
        if (!keys) {
            Error error = keys.error();
            error.message = "auth.api_keys: " + error.message;
            error.field = "auth.api_keys";
            return error;
        }
        parts.push_back(std::shared_ptr<const auth::Authenticator>(std::move(*keys)));
    }
    if (parts.empty()) {
        return auth_error("auth_not_configured",
                          "auth: neither auth.jwt nor auth.api_keys is configured, so no API "
                          "call could be authenticated",
                          "auth");
    }
    if (parts.size() == 1) {
        return parts.front();
    }
    // The first success wins; the order decides which error a failure reports: a credential
    // shaped like a JWT (three dot-separated parts) reports the JWT's (e.g. token_expired).
    return std::shared_ptr<const auth::Authenticator>(
        std::make_shared<auth::CompositeAuthenticator>(std::move(parts)));
}

} // namespace switchboard::app
