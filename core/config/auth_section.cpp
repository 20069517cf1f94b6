#include "core/config/sections.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

namespace switchboard::config::detail {

namespace {

constexpr std::array<std::string_view, 7> kAlgorithms = {"HS256", "RS256", "RS384", "RS512",
                                                         "ES256", "ES384", "ES512"};

JwtConfig parse_jwt(const ConfigSection& s, const ParseContext& context) {
    JwtConfig c;
    c.hs256_secret_env = s.env_name("hs256_secret_env");
    c.jwks_file = s.file_path("jwks_file", context.base_dir);
    c.jwks_url = s.secure_url("jwks_url");
    c.jwks_max_age_seconds = s.integer_as<std::uint32_t>("jwks_max_age_seconds", 30, 86'400)
                                 .value_or(c.jwks_max_age_seconds);
    c.jwks_min_refetch_seconds = s.integer_as<std::uint32_t>("jwks_min_refetch_seconds", 1, 3600)
                                     .value_or(c.jwks_min_refetch_seconds);
    const bool public_keys = c.jwks_file || c.jwks_url;
    if (!c.hs256_secret_env && !public_keys) {
        s.fail_here("needs hs256_secret_env (the variable holding an HMAC secret), jwks_file or "
                    "jwks_url (the public keys)");
    }
    if (auto algorithms = s.strings("algorithms")) {
        if (algorithms->empty()) {
            s.fail("algorithms", "must list at least one algorithm");
        }
        for (const auto& a : *algorithms) {
            if (std::find(kAlgorithms.begin(), kAlgorithms.end(), a) == kAlgorithms.end()) {
                s.fail("algorithms", "unknown algorithm '" + a +
                                         "'; expected HS256, RS256, RS384, RS512, ES256, "
                                         "ES384 or ES512");
            }
            if (a == "HS256" && !c.hs256_secret_env) {
                s.fail("algorithms", "HS256 needs " + s.path_of("hs256_secret_env"));
            }
            if (a != "HS256" && !public_keys) {
                s.fail("algorithms",
                       a + " needs " + s.path_of("jwks_file") + " or " + s.path_of("jwks_url"));
            }
        }
        c.algorithms = *algorithms;
    } else {
        if (c.hs256_secret_env) {
            c.algorithms.emplace_back("HS256");
        }
        if (public_keys) {
            c.algorithms.emplace_back("RS256");
            c.algorithms.emplace_back("ES256");
        }
    }
    c.issuer = s.string("issuer");
    c.audience = s.string("audience");
    // Without them any token a configured key signed is accepted, whoever it was minted for
    // (another product on the same identity provider, another client's ID token): that must
    // be a choice made in the file, not a default.
    c.allow_any_issuer = s.boolean("allow_any_issuer").value_or(false);
    c.allow_any_audience = s.boolean("allow_any_audience").value_or(false);
    if (c.issuer && c.allow_any_issuer) {
        s.fail("allow_any_issuer", "contradicts " + s.path_of("issuer") + "; keep one of them");
    }
    if (c.audience && c.allow_any_audience) {
        s.fail("allow_any_audience", "contradicts " + s.path_of("audience") + "; keep one of them");
    }
    if (!c.issuer && !c.allow_any_issuer) {
        s.fail("issuer", "is required: the `iss` your identity provider puts in its tokens (or "
                         "set allow_any_issuer: true to accept any issuer whose token a "
                         "configured key verifies; see config/README.md)");
    }
    if (!c.audience && !c.allow_any_audience) {
        s.fail("audience", "is required: the `aud` your identity provider gives tokens for this "
                           "host (or set allow_any_audience: true to accept tokens minted for "
                           "any audience; see config/README.md)");
    }
    c.tenant_claim = s.string("tenant_claim").value_or(c.tenant_claim);
    c.user_claim = s.string("user_claim").value_or(c.user_claim);
    c.leeway_seconds =
        s.integer_as<std::uint32_t>("leeway_seconds", 0, 3600).value_or(c.leeway_seconds);
    return c;
}

std::vector<ApiKeyEntry> parse_api_keys(const ConfigSection& auth) {
    const nlohmann::json* list = auth.value("api_keys");
    if (!list->is_array()) {
        auth.fail("api_keys", "must be an array of {key_sha256, tenant_id, user_id} objects");
    }
    std::vector<ApiKeyEntry> keys;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list->size(); ++i) {
        ConfigSection s((*list)[i], auth.path_of("api_keys") + "[" + std::to_string(i) + "]",
                        {"key_sha256", "tenant_id", "user_id"});
        ApiKeyEntry entry;
        auto hash = s.string("key_sha256");
        if (!hash) {
            s.fail("key_sha256", "is required: the hex SHA-256 of the key (e.g. the output of "
                                 "`printf %s KEY | sha256sum`)");
        }
        bool hex = hash->size() == 64 && std::all_of(hash->begin(), hash->end(), [](char ch) {
                       return std::isxdigit(static_cast<unsigned char>(ch)) != 0;
                   });
        if (!hex) {
            s.fail("key_sha256", "must be 64 hexadecimal digits (the SHA-256 of the key, never "
                                 "the key itself)");
        }
        for (char& ch : *hash) {
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        }
        if (!seen.insert(*hash).second) {
            s.fail("key_sha256", "duplicates an earlier api_keys entry");
        }
        entry.key_sha256 = *hash;
        auto tenant = s.string("tenant_id");
        auto user = s.string("user_id");
        if (!tenant) {
            s.fail("tenant_id", "is required");
        }
        if (!user) {
            s.fail("user_id", "is required");
        }
        entry.tenant_id = *tenant;
        entry.user_id = *user;
        keys.push_back(std::move(entry));
    }
    return keys;
}

} // namespace

AuthConfig parse_auth_section(const ConfigSection& s, const ParseContext& context) {
    AuthConfig c;
    if (auto jwt = s.section("jwt", {"hs256_secret_env", "jwks_file", "jwks_url",
                                     "jwks_max_age_seconds", "jwks_min_refetch_seconds",
                                     "algorithms", "issuer", "audience", "allow_any_issuer",
                                     "allow_any_audience", "tenant_claim", "user_claim", "leeway_seconds"})) {
        c.jwt = parse_jwt(*jwt, context);
    }
    if (s.has("api_keys")) {
        c.api_keys = parse_api_keys(s);
    }
    return c;
}

} // namespace switchboard::config::detail
