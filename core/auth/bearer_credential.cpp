#include "core/auth/bearer_credential.hpp"

#include <algorithm>
#include <cctype>

namespace switchboard::auth {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

} // namespace

Error unauthenticated(std::string code, std::string message) {
    return Error(ErrorKind::unauthenticated, std::move(code), std::move(message));
}

Result<std::string_view> bearer_credential(std::string_view value) {
    while (!value.empty() && is_space(value.front())) {
        value.remove_prefix(1);
    }
    while (!value.empty() && is_space(value.back())) {
        value.remove_suffix(1);
    }
    if (value.empty()) {
        return unauthenticated("missing_token", "the Authorization header is missing");
    }
    const auto space = std::find_if(value.begin(), value.end(), is_space);
    const std::string_view scheme(value.data(), static_cast<std::size_t>(space - value.begin()));
    constexpr std::string_view bearer = "bearer";
    const bool is_bearer =
        scheme.size() == bearer.size() &&
        std::equal(scheme.begin(), scheme.end(), bearer.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == b;
        });
    if (!is_bearer) {
        return unauthenticated("unsupported_auth_scheme",
                               "the Authorization header must use the Bearer scheme");
    }
    std::string_view credential = value.substr(scheme.size());
    while (!credential.empty() && is_space(credential.front())) {
        credential.remove_prefix(1);
    }
    if (credential.empty()) {
        return unauthenticated("missing_token", "the Bearer credential is empty");
    }
    if (std::any_of(credential.begin(), credential.end(), [](char c) {
            return is_space(c) || static_cast<unsigned char>(c) < 0x21 ||
                   static_cast<unsigned char>(c) > 0x7e;
        })) {
        return unauthenticated("invalid_token", "the Bearer credential contains invalid characters");
    }
    return credential;
}

} // namespace switchboard::auth
