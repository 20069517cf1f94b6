// Tries several authenticators (e.g. JWT, then static API keys) on one request.
#pragma once

#include "core/auth/authenticator.hpp"

#include <memory>
#include <vector>

namespace switchboard::auth {

class CompositeAuthenticator final : public Authenticator {
public:
    // `authenticators` are tried in order; none may be null.
    explicit CompositeAuthenticator(std::vector<std::shared_ptr<const Authenticator>> authenticators);

    // The first success wins. Otherwise the error of the first authenticator that recognises
    // the credential's shape (so an expired JWT reports token_expired, not invalid_api_key),
    // or invalid_token when none does.
    Result<Principal> authenticate(std::string_view authorization_header_value) const override;

    bool recognizes(std::string_view credential) const noexcept override;

private:
    std::vector<std::shared_ptr<const Authenticator>> authenticators_;
};

} // namespace switchboard::auth
