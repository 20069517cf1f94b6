#include "core/auth/composite_authenticator.hpp"

#include "core/auth/bearer_credential.hpp"

#include <algorithm>
#include <optional>

namespace switchboard::auth {

CompositeAuthenticator::CompositeAuthenticator(
    std::vector<std::shared_ptr<const Authenticator>> authenticators)
    : authenticators_(std::move(authenticators)) {
    std::erase(authenticators_, nullptr);
}

bool CompositeAuthenticator::recognizes(std::string_view credential) const noexcept {
    return std::any_of(authenticators_.begin(), authenticators_.end(),
                       [credential](const auto& a) { return a->recognizes(credential); });
}

Result<Principal> CompositeAuthenticator::authenticate(std::string_view header) const {
    auto credential = bearer_credential(header);
    if (!credential) {
        return credential.error();
    }
    std::optional<Error> first_error;
    for (const auto& authenticator : authenticators_) {
        if (!authenticator->recognizes(*credential)) {
            continue;
        }
        auto result = authenticator->authenticate(header);
        if (result) {
            return result;
        }
        if (!first_error) {
            first_error = result.error();
        }
    }
    if (first_error) {
        return *first_error;
    }
    return unauthenticated("invalid_token", "the credential is not of a kind this server accepts");
}

} // namespace switchboard::auth
