#include "core/auth/jwt_authenticator.hpp"

#include "core/auth/base64url.hpp"
#include "core/auth/bearer_credential.hpp"
#include "core/auth/jws_signature.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace switchboard::auth {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxTokenSize = 16 * 1024;

Error config_error(std::string message, std::string field) {
    return Error(ErrorKind::invalid_input, "invalid_auth_config", std::move(message),
                 std::move(field));
}

Error invalid_token(std::string message) {
    return unauthenticated("invalid_token", std::move(message));
}

enum class Algorithm { hs256, rs256, es256 };

std::optional<Algorithm> algorithm_named(std::string_view name) {
    if (name == "HS256") return Algorithm::hs256;
    if (name == "RS256") return Algorithm::rs256;
    if (name == "ES256") return Algorithm::es256;
    return std::nullopt;
}

// Names from a token are echoed only when they look like an algorithm name.
std::string printable_alg(std::string_view alg) {
    const bool plain = !alg.empty() && alg.size() <= 16 &&
                       std::all_of(alg.begin(), alg.end(), [](char c) {
                           return std::isalnum(static_cast<unsigned char>(c)) != 0;
                       });
    return plain ? "'" + std::string(alg) + "'" : "given";
}

std::optional<std::string> string_at(const json& claims, const json::json_pointer& pointer) {
    try {
        if (!claims.contains(pointer)) {
            return std::nullopt;
        }
        const json& value = claims.at(pointer);
        if (value.is_string()) {
            auto text = value.get<std::string>();
            return text.empty() ? std::nullopt : std::optional(std::move(text));
        }
        if (value.is_number_integer()) {
            return value.dump();
        }
    } catch (const json::exception&) {
        // A pointer step that does not fit the document (e.g. a name into an array).
    }
    return std::nullopt;
}

struct KeyChoice {
    KeyType type;
    std::string_view alg;
    const std::optional<std::string>& kid;
};

// Tries the keys that fit the token's algorithm and key id; `any_candidate` becomes true when
// one fits, whether or not it verifies.
bool verify_with(const PublicKeys& keys, const KeyChoice& choice, std::string_view signing_input,
                 std::string_view signature, bool& any_candidate) {
    for (const auto& key : keys) {
        if (key.type != choice.type || (!key.alg.empty() && key.alg != choice.alg) ||
            (choice.kid && key.kid != *choice.kid)) {
            continue;
        }
        any_candidate = true;
        const bool verified = choice.type == KeyType::rsa
                                  ? verify_rs256(key.key.get(), signing_input, signature)
                                  : verify_es256(key.key.get(), signing_input, signature);
        if (verified) {
            return true;
        }
    }
    return false;
}

} // namespace

struct JwtAuthenticator::Config {
    std::string hs256_secret;
    PublicKeys keys;
    std::shared_ptr<JwksCache> remote_keys;
    bool accept_hs256 = false;
    bool accept_rs256 = false;
    bool accept_es256 = false;
    std::string issuer;
    std::vector<std::string> audiences;
    std::chrono::seconds leeway{0};
    bool require_exp = true;
    std::string tenant_claim_text;
    std::string user_claim_text;
    json::json_pointer tenant_claim;
    json::json_pointer user_claim;
    std::function<std::chrono::system_clock::time_point()> now;

    bool accepts(Algorithm alg) const {
        switch (alg) {
        case Algorithm::hs256: return accept_hs256;
        case Algorithm::rs256: return accept_rs256;
        case Algorithm::es256: return accept_es256;
        }
        return false;
    }
};

Result<std::unique_ptr<JwtAuthenticator>> JwtAuthenticator::create(JwtAuthenticatorOptions options) {
    auto config = std::make_shared<Config>();
    if (!options.hs256_secret.empty() && options.hs256_secret.size() < 32) {
        // RFC 7518 section 3.2: a key at least as long as the hash output.
        return config_error("the HS256 secret must be at least 32 bytes", "hs256_secret");
    }
    config->hs256_secret = std::move(options.hs256_secret);
    if (!options.jwks_file.empty()) {
        auto keys = load_jwks_file(options.jwks_file);
        if (!keys) {
            return keys.error();
        }
        config->keys = std::move(*keys);
    }
    // Keys published at a URL may be of either type, today or after the next rotation.
    config->remote_keys = std::move(options.remote_keys);
    const bool remote = config->remote_keys != nullptr;
    const bool has_rsa = remote || std::any_of(config->keys.begin(), config->keys.end(),
                                               [](const PublicKey& k) { return k.type == KeyType::rsa; });
    const bool has_ec = remote || std::any_of(config->keys.begin(), config->keys.end(),
                                              [](const PublicKey& k) { return k.type == KeyType::ec_p256; });
    if (options.algorithms.empty()) {
        config->accept_hs256 = !config->hs256_secret.empty();
        config->accept_rs256 = has_rsa;
        config->accept_es256 = has_ec;
    }
    for (const auto& name : options.algorithms) {
        auto alg = algorithm_named(name);
        if (!alg) {
            return config_error("algorithm '" + name +
                                    "' is not supported (accepted: HS256, RS256, ES256)",
                                "algorithms");
        }
        switch (*alg) {
        case Algorithm::hs256:
            if (config->hs256_secret.empty()) {
                return config_error("HS256 is accepted but no HS256 secret is set", "algorithms");
            }
            config->accept_hs256 = true;
            break;
        case Algorithm::rs256:
            if (!has_rsa) {
                return config_error("RS256 is accepted but the JWKS has no RSA key", "algorithms");
            }
            config->accept_rs256 = true;
            break;
        case Algorithm::es256:
            if (!has_ec) {
                return config_error("ES256 is accepted but the JWKS has no P-256 key", "algorithms");
            }
            config->accept_es256 = true;
            break;
        }
    }
    if (!config->accept_hs256 && !config->accept_rs256 && !config->accept_es256) {
        return config_error("no JWT algorithm can be verified: set an HS256 secret, a JWKS file or a JWKS URL",
                            "algorithms");
    }
    if (options.leeway.count() < 0) {
        return config_error("the leeway must not be negative", "leeway");
    }
    try {
        config->tenant_claim = json::json_pointer(options.tenant_claim);
        config->user_claim = json::json_pointer(options.user_claim);
    } catch (const json::exception&) {
        return config_error("tenant_claim and user_claim must be JSON Pointers such as /sub",
                            "tenant_claim");
    }
    if (options.tenant_claim.empty() || options.user_claim.empty()) {
        return config_error("tenant_claim and user_claim must not be empty", "tenant_claim");
    }
    config->tenant_claim_text = std::move(options.tenant_claim);
    config->user_claim_text = std::move(options.user_claim);
    // A token minted by the same identity provider for another product (or another client's
    // ID token) verifies with the same key: only iss and aud tell it apart.
    if (options.issuer.empty() && !options.allow_any_issuer) {
        return config_error("an issuer is required (or allow any issuer explicitly)", "issuer");
    }
    if (options.audiences.empty() && !options.allow_any_audience) {
        return config_error("an audience is required (or allow any audience explicitly)",
                            "audience");
    }
    config->issuer = std::move(options.issuer);
    config->audiences = std::move(options.audiences);
    config->leeway = options.leeway;
    config->require_exp = options.require_exp;
    config->now = options.now ? std::move(options.now) : [] { return std::chrono::system_clock::now(); };
    return std::unique_ptr<JwtAuthenticator>(new JwtAuthenticator(std::move(config)));
}

JwtAuthenticator::JwtAuthenticator(std::shared_ptr<const Config> config)
    : config_(std::move(config)) {}

bool JwtAuthenticator::recognizes(std::string_view credential) const noexcept {
    return std::count(credential.begin(), credential.end(), '.') == 2;
}

Result<Principal> JwtAuthenticator::authenticate(std::string_view authorization_header_value) const {
    auto credential = bearer_credential(authorization_header_value);
    if (!credential) {
        return credential.error();
    }
    return verify_token(*credential);
}

Result<Principal> JwtAuthenticator::verify_token(std::string_view token) const {
    try {
        return verify(*config_, token);
    } catch (const std::exception&) {
        // Only resource exhaustion can get here; the token is still not accepted.
        return invalid_token("the token could not be processed");
    }
}

Result<Principal> JwtAuthenticator::verify(const Config& c, std::string_view token) {
    if (token.size() > kMaxTokenSize) {
        return invalid_token("the token is too large");
    }
    const auto first_dot = token.find('.');
    const auto second_dot = first_dot == token.npos ? token.npos : token.find('.', first_dot + 1);
    if (first_dot == token.npos || second_dot == token.npos ||
        token.find('.', second_dot + 1) != token.npos) {
        return invalid_token("the token is not a compact JWS (header.payload.signature)");
    }
    const std::string_view header_part = token.substr(0, first_dot);
    const std::string_view payload_part = token.substr(first_dot + 1, second_dot - first_dot - 1);
    const std::string_view signature_part = token.substr(second_dot + 1);
    const std::string_view signing_input = token.substr(0, second_dot);

    auto header_text = base64url_decode(header_part);
    auto payload_text = base64url_decode(payload_part);
    auto signature = base64url_decode(signature_part);
    if (!header_text || !payload_text || !signature) {
        return invalid_token("the token is not valid base64url");
    }
    const json header = json::parse(*header_text, nullptr, false);
    if (header.is_discarded() || !header.is_object()) {
        return invalid_token("the token header is not a JSON object");
    }
    auto alg_member = header.find("alg");
    if (alg_member == header.end() || !alg_member->is_string()) {
        return invalid_token("the token header has no algorithm");
    }
    const auto alg_name = alg_member->get<std::string>();
    const auto alg = algorithm_named(alg_name);
    // "none" and every algorithm not configured are refused before any key is touched, so
    // the header cannot pick how the signature is checked (RFC 8725 section 3.1).
    if (!alg || !c.accepts(*alg)) {
        return invalid_token("the token algorithm " + printable_alg(alg_name) + " is not accepted");
    }
    if (header.contains("crit")) {
        return invalid_token("the token header has critical extensions this server does not support");
    }
    std::optional<std::string> kid;
    if (auto it = header.find("kid"); it != header.end()) {
        if (!it->is_string()) {
            return invalid_token("the token key id is not a string");
        }
        kid = it->get<std::string>();
    }

    bool verified = false;
    if (*alg == Algorithm::hs256) {
        // The HMAC key is the configured secret and nothing else: never a JWKS entry, so a
        // public key cannot be turned into an HMAC secret.
        verified = verify_hs256(c.hs256_secret, signing_input, *signature);
    } else {
        const KeyType wanted = *alg == Algorithm::rs256 ? KeyType::rsa : KeyType::ec_p256;
        const KeyChoice choice{wanted, alg_name, kid};
        bool any_candidate = false;
        verified = verify_with(c.keys, choice, signing_input, *signature, any_candidate);
        if (!verified && !any_candidate && c.remote_keys) {
            // The identity provider's published keys; a key id they lack may be a key it
            // has just rotated in, so they are fetched again (rate-limited) once.
            auto remote = c.remote_keys->keys();
            verified = verify_with(*remote, choice, signing_input, *signature, any_candidate);
            if (!any_candidate) {
                if (auto newer = c.remote_keys->keys_after_unknown_key(remote)) {
                    verified = verify_with(*newer, choice, signing_input, *signature,
                                           any_candidate);
                }
            }
        }
        if (!any_candidate) {
            return invalid_token(kid ? "no configured key matches the token's key id and algorithm"
                                     : "no configured key matches the token's algorithm");
        }
    }
    if (!verified) {
        return invalid_token("the token signature does not verify");
    }

    // Only a token whose signature verifies gets its claims read.
    const json claims = json::parse(*payload_text, nullptr, false);
    if (claims.is_discarded() || !claims.is_object()) {
        return invalid_token("the token payload is not a JSON object");
    }
    const double now = std::chrono::duration<double>(c.now().time_since_epoch()).count();
    const double leeway = static_cast<double>(c.leeway.count());
    if (auto exp = claims.find("exp"); exp != claims.end()) {
        if (!exp->is_number()) {
            return invalid_token("the token exp claim is not a number");
        }
        if (now >= exp->get<double>() + leeway) {
            return unauthenticated("token_expired", "the token has expired");
        }
    } else if (c.require_exp) {
        return invalid_token("the token has no exp claim");
    }
    if (auto nbf = claims.find("nbf"); nbf != claims.end()) {
        if (!nbf->is_number()) {
            return invalid_token("the token nbf claim is not a number");
        }
        if (now + leeway < nbf->get<double>()) {
            return unauthenticated("token_not_yet_valid", "the token is not valid yet (nbf)");
        }
    }
    if (!c.issuer.empty()) {
        auto iss = claims.find("iss");
        if (iss == claims.end() || !iss->is_string() || iss->get<std::string>() != c.issuer) {
            return unauthenticated("invalid_issuer", "the token issuer is not the expected one");
        }
    }
    if (!c.audiences.empty()) {
        auto accepted = [&c](const json& value) {
            return value.is_string() && std::find(c.audiences.begin(), c.audiences.end(),
                                                  value.get<std::string>()) != c.audiences.end();
        };
        auto aud = claims.find("aud");
        bool ok = false;
        if (aud != claims.end()) {
            if (aud->is_array()) {
                ok = std::any_of(aud->begin(), aud->end(), accepted);
            } else {
                ok = accepted(*aud);
            }
        }
        if (!ok) {
            return unauthenticated("invalid_audience", "the token audience is not accepted");
        }
    }
    auto tenant = string_at(claims, c.tenant_claim);
    if (!tenant) {
        return unauthenticated("missing_tenant_claim",
                               "the token has no tenant claim at " + c.tenant_claim_text);
    }
    auto user = string_at(claims, c.user_claim);
    if (!user) {
        return unauthenticated("missing_user_claim",
                               "the token has no user claim at " + c.user_claim_text);
    }
    return Principal{std::move(*tenant), std::move(*user)};
}

} // namespace switchboard::auth
