#include "core/connectors/access_token_verifier.hpp"

#include "core/oauth/identity_value.hpp"
#include "core/oauth/oauth_errors.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace switchboard::connectors {
namespace {

// The limits the store puts on an account (connector_fields.cpp).
constexpr std::size_t max_identity_length = 320;
constexpr std::size_t max_account_id_length = 255;

Error provider_error(const plugin::ProviderDescriptor& provider, std::string what) {
    return Error(ErrorKind::upstream_failed, std::string(oauth::provider_error),
                 provider.id + " " + std::move(what));
}

} // namespace

Result<void> check_access_token_shape(std::string_view access_token) {
    const auto invalid = [](std::string why) {
        return Error(ErrorKind::invalid_input, "invalid_access_token", std::move(why),
                     "access_token");
    };
    if (access_token.empty()) return invalid("access_token is empty");
    if (access_token.size() > max_access_token_length) {
        return invalid("access_token is longer than " + std::to_string(max_access_token_length) +
                       " characters");
    }
    // It becomes an Authorization header value: nothing that could end or bend the header.
    const bool printable = std::all_of(access_token.begin(), access_token.end(), [](char c) {
        return c > 0x20 && c < 0x7f;
    });
    if (!printable) {
        return invalid("access_token must be printable ASCII without spaces");
    }
    return {};
}

AccessTokenVerifier::AccessTokenVerifier(std::shared_ptr<http::HttpClient> http,
                                         ProviderHttpOptions options)
    : http_(std::move(http)), options_(std::move(options)) {}

Result<oauth::AccountIdentity> AccessTokenVerifier::verify(
    const plugin::ProviderDescriptor& provider, std::string_view tenant_id,
    std::string_view access_token) const {
    if (!provider.access_token) {
        return Error(ErrorKind::invalid_input, "access_token_unsupported",
                     provider.id + " connects through OAuth only; it takes no access token",
                     "provider");
    }
    if (auto shape = check_access_token_shape(access_token); !shape) return shape.error();
    const plugin::AccessTokenDescriptor& described = *provider.access_token;

    if (options_.rate_limiter) {
        if (auto admitted = options_.rate_limiter->acquire(provider.id, tenant_id); !admitted) {
            return admitted.error();
        }
    }
    http::HttpRequest request;
    request.method = "GET";
    request.url = described.identity_url;
    request.headers = {{"Accept", "application/json"},
                       {"Authorization", "Bearer " + std::string(access_token)}};
    http::RequestOptions options;
    options.metrics_label = provider.id;
    options.connect_timeout = options_.connect_timeout;
    options.read_timeout = options_.read_timeout;
    auto response = http_->send(request, options);
    if (!response) {
        Error error = oauth::transport_error(provider.id, "access token check", response.error());
        // The provider, not this host, is what failed: a bad gateway for the caller.
        if (error.code == oauth::provider_unavailable) error.kind = ErrorKind::upstream_failed;
        return error;
    }
    const int status = response->status;
    if (status == 401 || status == 403) {
        return Error(ErrorKind::invalid_input, "access_token_rejected",
                     provider.id + " refused the " + described.label + " (HTTP " +
                         std::to_string(status) + "): it is wrong, or was deleted or rotated "
                         "at the provider",
                     "access_token");
    }
    if (status == 429 || status >= 500) {
        return Error(ErrorKind::upstream_failed, std::string(oauth::provider_unavailable),
                     provider.id + " could not check the access token (HTTP " +
                         std::to_string(status) + "); try again later");
    }
    if (status < 200 || status >= 300) {
        return provider_error(provider, "answered the access token check with HTTP " +
                                            std::to_string(status));
    }
    auto answer = nlohmann::json::parse(response->body, nullptr, false);
    if (answer.is_discarded()) {
        return provider_error(provider, "answered the access token check with something that "
                                        "is not JSON");
    }
    oauth::AccountIdentity account;
    auto identity = oauth::identity_value(provider.id, answer, described.identity_field,
                                          access_token);
    if (!identity) return identity.error();
    account.identity = std::move(*identity);
    if (!described.identity_account_field.empty()) {
        auto id = oauth::identity_value(provider.id, answer, described.identity_account_field,
                                        access_token);
        if (!id) return id.error();
        account.account_id = std::move(*id);
    }
    if (account.identity.size() > max_identity_length ||
        account.account_id.size() > max_account_id_length) {
        return provider_error(provider, "named an account longer than this host stores");
    }
    return account;
}

} // namespace switchboard::connectors
