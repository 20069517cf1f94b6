#include "core/oauth/oauth_state.hpp"

#include "core/crypto/digest.hpp"
#include "core/crypto/pkce.hpp"
#include "core/crypto/secure_random.hpp"

#include <algorithm>

namespace switchboard::oauth::detail {
namespace {

Error invalid_binding(std::string_view field, std::string message) {
    return Error(ErrorKind::invalid_input, "invalid_oauth_state", std::move(message),
                 std::string(field));
}

} // namespace

std::chrono::system_clock::time_point now(const OAuthStateStoreOptions& options) {
    return options.clock ? options.clock() : std::chrono::system_clock::now();
}

Result<void> validate_binding(const OAuthStateBinding& binding) {
    const std::pair<std::string_view, const std::string*> fields[] = {
        {"tenant_id", &binding.tenant_id},
        {"user_id", &binding.user_id},
        {"provider", &binding.provider},
        {"category", &binding.category},
        {"connector_name", &binding.connector_name},
        {"redirect_uri", &binding.redirect_uri},
    };
    for (const auto& [name, value] : fields) {
        if (value->empty()) return invalid_binding(name, std::string(name) + " is empty");
        const std::size_t limit = name == "redirect_uri" ? 2048 : 255;
        if (value->size() > limit) {
            return invalid_binding(name, std::string(name) + " is longer than " +
                                             std::to_string(limit) + " characters");
        }
    }
    return {};
}

Result<OAuthStateTicket> make_ticket(const OAuthStateBinding& binding,
                                     const OAuthStateStoreOptions& options) {
    if (auto valid = validate_binding(binding); !valid) return valid.error();
    if (options.ttl.count() < 1) {
        return Error(ErrorKind::internal, "invalid_oauth_state_ttl",
                     "the OAuth state TTL must be at least one second");
    }
    auto state = crypto::random_token(state_entropy_bytes);
    if (!state) return state.error();
    auto pkce = crypto::Pkce::generate();
    if (!pkce) return pkce.error();
    return OAuthStateTicket{std::move(*state), std::move(pkce->code_verifier),
                            std::move(pkce->code_challenge), now(options) + options.ttl};
}

bool is_well_formed_state(std::string_view state) {
    return state.size() == state_length && std::all_of(state.begin(), state.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_';
           });
}

Result<std::string> state_key(std::string_view state) {
    return crypto::sha256_hex(state);
}

Error invalid_state() {
    return Error(ErrorKind::invalid_input, "invalid_state",
                 "the OAuth state is unknown, expired or already used", "state");
}

Error state_store_unavailable(std::string message) {
    return Error(ErrorKind::unavailable, "state_store_unavailable", std::move(message));
}

} // namespace switchboard::oauth::detail
