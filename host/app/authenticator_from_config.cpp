#include "host/app/authenticator_from_config.hpp"

#include "core/auth/api_key_authenticator.hpp"
#include "core/auth/composite_authenticator.hpp"
#include "core/auth/jwt_authenticator.hpp"
#include "core/common/json_pointer.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace switchboard {

namespace {

constexpr std::array<std::string_view, 3> kSupportedAlgorithms = {"HS256", "RS256", "ES256"};

Error auth_error(std::string code, std::string message, std::string field) {
    return Error(ErrorKind::invalid_input, std::move(code), std::move(message), std::move(field));
}

Result<std::shared_ptr<const auth::Authenticator>> jwt_authenticator(const JwtConfig& config,
                                                                     const Environment& env) {
    auth::JwtAuthenticatorOptions options;
    if (config.hs256_secret_env) {
        auto read = read_secret(env, *config.hs256_secret_env);
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

Result<std::shared_ptr<const auth::Authenticator>> build_authenticator(const AuthConfig& config,
                                                                        const Environment& environment) {
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

} // namespace switchboard
