#include "tests/provider_sim/oauth/http_auth.hpp"

#include "tests/provider_sim/common/base64.hpp"

#include <boost/url/parse.hpp>
#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>

namespace switchboard::sim {
namespace {

bool starts_with_scheme(std::string_view value, std::string_view scheme) {
    if (value.size() <= scheme.size() || value[scheme.size()] != ' ') {
        return false;
    }
    return std::equal(scheme.begin(), scheme.end(), value.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
}

std::string form_decode(std::string_view text) {
    std::string plus_as_space(text);
    std::replace(plus_as_space.begin(), plus_as_space.end(), '+', ' ');
    return percent_decode(plus_as_space).value_or(std::string(text));
}

} // namespace

std::optional<std::string> bearer_token(const Request& request) {
    const std::string_view value = request.header("Authorization");
    if (!starts_with_scheme(value, "Bearer")) {
        return std::nullopt;
    }
    std::string_view token = value.substr(7);
    while (!token.empty() && token.front() == ' ') {
        token.remove_prefix(1);
    }
    while (!token.empty() && token.back() == ' ') {
        token.remove_suffix(1);
    }
    if (token.empty()) {
        return std::nullopt;
    }
    return std::string(token);
}

std::optional<std::pair<std::string, std::string>> basic_credentials(const Request& request) {
    const std::string_view value = request.header("Authorization");
    if (!starts_with_scheme(value, "Basic")) {
        return std::nullopt;
    }
    const auto decoded = base64_decode(value.substr(6));
    if (!decoded) {
        return std::make_pair(std::string{}, std::string{});
    }
    const auto colon = decoded->find(':');
    if (colon == std::string::npos) {
        return std::make_pair(std::string{}, std::string{});
    }
    return std::make_pair(form_decode(std::string_view(*decoded).substr(0, colon)),
                          form_decode(std::string_view(*decoded).substr(colon + 1)));
}

bool redirect_uri_allowed(const OAuthClientConfig& client, std::string_view uri) {
    if (!client.redirect_uris.empty()) {
        return std::find(client.redirect_uris.begin(), client.redirect_uris.end(), uri) !=
               client.redirect_uris.end();
    }
    const auto parsed = boost::urls::parse_absolute_uri(uri);
    if (!parsed || parsed->has_fragment() || !parsed->has_authority() || parsed->host().empty()) {
        return false;
    }
    return parsed->scheme() == "http" || parsed->scheme() == "https";
}

bool secret_equals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace switchboard::sim
