// The REST API's authenticator as the config builds it: API keys from their digests, JWTs
// signed by PyJWT (not by our code) checked with the config's claims, issuer, audience and
// algorithms, and the start-up errors that name the key or variable at fault.
#include "host/app/authenticator_from_config.hpp"
#include "host/app/database_url_from_config.hpp"
#include "host/app/server_options_from_config.hpp"
#include "tests/host/demo_api_key.hpp"
#include "tests/http/test_http_server.hpp"
#include "tests/support/child_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <thread>

namespace switchboard {
namespace {

using nlohmann::json;

using host_testing::kDemoDigest;
using host_testing::kDemoKey;
const std::string kSecret = "an-hs256-secret-of-at-least-32-bytes!";

// HS256 tokens signed by PyJWT, one per payload.
std::vector<std::string> pyjwt_hs256(const std::vector<json>& payloads, const std::string& secret) {
    testing::ProcessOptions options;
    options.argv = {"/usr/bin/python3", "-c",
                    "import jwt, json, sys\n"
                    "secret = sys.argv[1]\n"
                    "for line in sys.stdin:\n"
                    "    print(jwt.encode(json.loads(line), secret, algorithm='HS256'))\n",
                    secret};
    std::string input;
    for (const auto& payload : payloads) input += payload.dump() + "\n";
    auto r = testing::run_process(options, input);
    EXPECT_TRUE(r.status.exited_with(0)) << r.error;
    std::vector<std::string> tokens;
    std::istringstream lines(r.output);
    for (std::string line; std::getline(lines, line);) tokens.push_back(line);
    EXPECT_EQ(tokens.size(), payloads.size());
    return tokens;
}

long long now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

TEST(ClaimPointer, NamesBecomePointersAndPointersStay) {
    EXPECT_EQ(app::claim_pointer("tenant_id"), "/tenant_id");
    EXPECT_EQ(app::claim_pointer("sub"), "/sub");
    EXPECT_EQ(app::claim_pointer("/app_metadata/tenant_id"), "/app_metadata/tenant_id");
    EXPECT_EQ(app::claim_pointer("https://example.com/tenant"), "/https:~1~1example.com~1tenant");
    EXPECT_EQ(app::claim_pointer("a~b"), "/a~0b");
}

TEST(BuildAuthenticator, ApiKeysFromTheirDigests) {
    config::AuthConfig config;
    config.api_keys.push_back({kDemoDigest, "demo-tenant", "demo-user"});
    config::MapEnvironment env;
    auto authenticator = app::build_authenticator(config, env);
    ASSERT_TRUE(authenticator) << authenticator.error().message;
    auto principal = (*authenticator)->authenticate("Bearer " + kDemoKey);
    ASSERT_TRUE(principal) << principal.error().message;
    EXPECT_EQ(*principal, (auth::Principal{"demo-tenant", "demo-user"}));
    EXPECT_EQ((*authenticator)->authenticate("Bearer " + kDemoDigest).error().code, "invalid_api_key");
}

TEST(BuildAuthenticator, Hs256JwtsWithTheConfiguredClaimsNextToApiKeys) {
    config::AuthConfig config;
    config::JwtConfig jwt;
    jwt.hs256_secret_env = "SB_TEST_JWT_SECRET";
    jwt.algorithms = {"HS256"};
    jwt.issuer = "https://id.example.com/";
    jwt.audience = "switchboard";
    jwt.tenant_claim = "https://example.com/tenant"; // a namespaced claim, by name
    jwt.user_claim = "sub";
    config.jwt = jwt;
    config.api_keys.push_back({kDemoDigest, "demo-tenant", "demo-user"});
    config::MapEnvironment env(std::map<std::string, std::string>{{"SB_TEST_JWT_SECRET", kSecret}});
    auto authenticator = app::build_authenticator(config, env);
    ASSERT_TRUE(authenticator) << authenticator.error().message;

    const json good = {{"sub", "user-7"}, {"https://example.com/tenant", "tenant-7"},
                       {"iss", "https://id.example.com/"}, {"aud", {"other", "switchboard"}},
                       {"exp", now() + 600}};
    json expired = good;
    expired["exp"] = now() - 3600;
    json wrong_issuer = good;
    wrong_issuer["iss"] = "https://evil.example.com/";
    json wrong_audience = good;
    wrong_audience["aud"] = "someone-else";
    json no_tenant = good;
    no_tenant.erase("https://example.com/tenant");
    const auto tokens = pyjwt_hs256({good, expired, wrong_issuer, wrong_audience, no_tenant}, kSecret);
    ASSERT_EQ(tokens.size(), 5u);

    auto principal = (*authenticator)->authenticate("Bearer " + tokens[0]);
    ASSERT_TRUE(principal) << principal.error().message;
    EXPECT_EQ(*principal, (auth::Principal{"tenant-7", "user-7"}));
    EXPECT_EQ((*authenticator)->authenticate("Bearer " + tokens[1]).error().code, "token_expired");
    EXPECT_EQ((*authenticator)->authenticate("Bearer " + tokens[2]).error().code, "invalid_issuer");
    EXPECT_EQ((*authenticator)->authenticate("Bearer " + tokens[3]).error().code, "invalid_audience");
    EXPECT_EQ((*authenticator)->authenticate("Bearer " + tokens[4]).error().code,
              "missing_tenant_claim");
    const auto forged = pyjwt_hs256({good}, "another-secret-of-at-least-32-bytes!!");
    EXPECT_EQ((*authenticator)->authenticate("Bearer " + forged.at(0)).error().code, "invalid_token");
    // The API key still works beside the JWTs.
    EXPECT_TRUE((*authenticator)->authenticate("Bearer " + kDemoKey));
}

// An identity provider's key pair, its JWKS (as published) and RS256 tokens, all by PyJWT:
// one token per kid in `token_kids` (a kid the JWKS lacks gives a token no key verifies).
struct PyJwtIssuer {
    std::string jwks;
    std::vector<std::string> tokens;
};
PyJwtIssuer pyjwt_rs256_issuer(const json& claims, const std::vector<std::string>& token_kids) {
    testing::ProcessOptions options;
    options.argv = {"/usr/bin/python3", "-c",
                    "import jwt, json, sys\n"
                    "from cryptography.hazmat.primitives.asymmetric import rsa\n"
                    "key = rsa.generate_private_key(public_exponent=65537, key_size=2048)\n"
                    "jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))\n"
                    "jwk.update(kid='idp-1', use='sig', alg='RS256')\n"
                    "print(json.dumps({'keys': [jwk]}))\n"
                    "claims = json.loads(sys.argv[1])\n"
                    "for kid in sys.argv[2:]:\n"
                    "    print(jwt.encode(claims, key, algorithm='RS256', headers={'kid': kid}))\n",
                    claims.dump()};
    options.argv.insert(options.argv.end(), token_kids.begin(), token_kids.end());
    auto r = testing::run_process(options, "");
    EXPECT_TRUE(r.status.exited_with(0)) << r.error;
    PyJwtIssuer issuer;
    std::istringstream lines(r.output);
    std::getline(lines, issuer.jwks);
    for (std::string line; std::getline(lines, line);) issuer.tokens.push_back(line);
    EXPECT_EQ(issuer.tokens.size(), token_kids.size());
    return issuer;
}

// Issue 14, point 4: the keys come from auth.jwt.jwks_url, fetched over HTTP at start-up; a
// token with an unknown key id makes one more fetch, and not another within the interval.
TEST(BuildAuthenticator, Rs256JwtsVerifiedWithTheKeysOfAJwksUrl) {
    const json claims = {{"sub", "user-9"}, {"tenant_id", "tenant-9"},
                         {"iss", "https://id.example.com/"}, {"aud", "switchboard"},
                         {"exp", now() + 600}};
    const auto issuer = pyjwt_rs256_issuer(claims, {"idp-1", "idp-unknown"});
    ASSERT_EQ(issuer.tokens.size(), 2u);
    http::test_support::TestHttpServer jwks_server([&issuer](const auto& request) {
        http::test_support::ScriptedResponse response;
        if (request.target != "/.well-known/jwks.json") {
            response.status = 404;
            return response;
        }
        response.headers = {{"Content-Type", "application/json"}};
        response.body = issuer.jwks;
        return response;
    });
    config::AuthConfig config;
    config.jwt = config::JwtConfig{};
    config.jwt->jwks_url = jwks_server.url("/.well-known/jwks.json");
    config.jwt->algorithms = {"RS256", "ES256"};
    config.jwt->issuer = "https://id.example.com/";
    config.jwt->audience = "switchboard";
    config::MapEnvironment env;
    auto authenticator = app::build_authenticator(config, env);
    ASSERT_TRUE(authenticator) << authenticator.error().message;
    EXPECT_EQ(jwks_server.requests_received(), 1u) << "fetched once at start-up";

    auto principal = (*authenticator)->authenticate("Bearer " + issuer.tokens[0]);
    ASSERT_TRUE(principal) << principal.error().message;
    EXPECT_EQ(*principal, (auth::Principal{"tenant-9", "user-9"}));
    EXPECT_EQ(jwks_server.requests_received(), 1u);

    // An unknown kid right after start-up: within the 30 s minimum interval, no fetch.
    EXPECT_EQ((*authenticator)->authenticate("Bearer " + issuer.tokens[1]).error().code,
              "invalid_token");
    EXPECT_EQ(jwks_server.requests_received(), 1u);
    config.jwt->jwks_min_refetch_seconds = 1;
    auto quick = app::build_authenticator(config, env);
    ASSERT_TRUE(quick);
    EXPECT_EQ(jwks_server.requests_received(), 2u);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ((*quick)->authenticate("Bearer " + issuer.tokens[1]).error().code,
                  "invalid_token");
    }
    EXPECT_EQ(jwks_server.requests_received(), 3u) << "one fetch for twenty unknown-kid tokens";
}

// An identity provider that is down when the host starts does not keep the host down.
TEST(BuildAuthenticator, AJwksUrlThatCannotBeFetchedAtStartUpIsNotFatal) {
    http::test_support::TestHttpServer down([](const auto&) {
        http::test_support::ScriptedResponse response;
        response.status = 503;
        return response;
    });
    config::AuthConfig config;
    config.jwt = config::JwtConfig{};
    config.jwt->jwks_url = down.url("/jwks");
    config.jwt->algorithms = {"RS256"};
    config.jwt->issuer = "https://id.example.com/";
    config.jwt->audience = "switchboard";
    config::MapEnvironment env;
    auto authenticator = app::build_authenticator(config, env);
    ASSERT_TRUE(authenticator) << authenticator.error().message;
    const json claims = {{"sub", "u"}, {"tenant_id", "t"}, {"iss", "https://id.example.com/"},
                         {"aud", "switchboard"}, {"exp", now() + 600}};
    const auto issuer = pyjwt_rs256_issuer(claims, {"idp-1"});
    ASSERT_EQ(issuer.tokens.size(), 1u);
    EXPECT_EQ((*authenticator)->authenticate("Bearer " + issuer.tokens[0]).error().code,
              "invalid_token");
}

TEST(BuildAuthenticator, StartUpErrorsNameTheKeyOrVariable) {
    config::MapEnvironment env;
    auto none = app::build_authenticator(config::AuthConfig{}, env);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, "auth_not_configured");

    config::AuthConfig missing_secret;
    missing_secret.jwt = config::JwtConfig{};
    missing_secret.jwt->hs256_secret_env = "SB_TEST_UNSET_SECRET";
    missing_secret.jwt->algorithms = {"HS256"};
    auto unset = app::build_authenticator(missing_secret, env);
    ASSERT_FALSE(unset);
    EXPECT_EQ(unset.error().code, "auth_secret_missing");
    EXPECT_NE(unset.error().message.find("SB_TEST_UNSET_SECRET"), std::string::npos);

    config::MapEnvironment short_env(
        std::map<std::string, std::string>{{"SB_TEST_UNSET_SECRET", "short-secret"}});
    auto short_secret = app::build_authenticator(missing_secret, short_env);
    ASSERT_FALSE(short_secret);
    EXPECT_NE(short_secret.error().message.find("at least 32 bytes"), std::string::npos);
    EXPECT_EQ(short_secret.error().message.find("short-secret"), std::string::npos);

    config::AuthConfig rs384;
    rs384.jwt = config::JwtConfig{};
    rs384.jwt->jwks_file = "/nonexistent/jwks.json";
    rs384.jwt->algorithms = {"RS384"};
    auto unsupported = app::build_authenticator(rs384, env);
    ASSERT_FALSE(unsupported);
    EXPECT_EQ(unsupported.error().field, "auth.jwt.algorithms");
    EXPECT_NE(unsupported.error().message.find("RS384"), std::string::npos);

    rs384.jwt->algorithms = {"RS256"};
    auto no_file = app::build_authenticator(rs384, env);
    ASSERT_FALSE(no_file);
    EXPECT_EQ(no_file.error().message.rfind("auth.jwt: ", 0), 0u) << no_file.error().message;

    config::AuthConfig bad_digest;
    bad_digest.api_keys.push_back({"abc", "t", "u"});
    auto digest = app::build_authenticator(bad_digest, env);
    ASSERT_FALSE(digest);
    EXPECT_EQ(digest.error().field, "auth.api_keys");
}

TEST(ServerOptionsFromConfig, CopiesEveryServerSetting) {
    config::ServerConfig c;
    c.listen = "::1";
    c.port = 9123;
    c.io_threads = 3;
    c.worker_threads = 7;
    c.body_limit_bytes = 4096;
    c.header_limit_bytes = 2048;
    c.read_timeout_ms = 1500;
    c.idle_timeout_ms = 2500;
    c.pipeline_limit = 5;
    c.shutdown_grace_ms = 3500;
    const auto o = app::server_options_from_config(c);
    EXPECT_EQ(o.address, "::1");
    EXPECT_EQ(o.port, 9123);
    EXPECT_EQ(o.io_threads, 3u);
    EXPECT_EQ(o.worker_threads, 7u);
    EXPECT_EQ(o.body_limit_bytes, 4096u);
    EXPECT_EQ(o.header_limit_bytes, 2048u);
    EXPECT_EQ(o.read_timeout, std::chrono::milliseconds(1500));
    EXPECT_EQ(o.idle_timeout, std::chrono::milliseconds(2500));
    EXPECT_EQ(o.pipeline_limit, 5u);
    EXPECT_EQ(o.shutdown_grace, std::chrono::milliseconds(3500));
    EXPECT_TRUE(o.handle_signals);
}

TEST(DatabaseUrlFromConfig, SqlitePathsAndPostgresqlPasswordsFromTheEnvironment) {
    config::DatabaseConfig sqlite;
    sqlite.sqlite_path = "/srv/sb/switchboard.db";
    config::MapEnvironment env(
        std::map<std::string, std::string>{{"SB_DB_PASSWORD", "p@ss word/"}});
    EXPECT_EQ(*app::database_url_from_config(sqlite, env), "sqlite:///srv/sb/switchboard.db");
    sqlite.sqlite_path = ":memory:";
    EXPECT_EQ(*app::database_url_from_config(sqlite, env), "sqlite::memory:");

    config::DatabaseConfig pg;
    pg.backend = config::DatabaseBackend::postgresql;
    pg.postgresql_url = "postgresql://switchboard@db.internal:5432/sb?sslmode=require";
    EXPECT_EQ(*app::database_url_from_config(pg, env), pg.postgresql_url);
    pg.password_env = "SB_DB_PASSWORD";
    EXPECT_EQ(*app::database_url_from_config(pg, env),
              "postgresql://switchboard:p%40ss%20word%2F@db.internal:5432/sb?sslmode=require");
    pg.password_env = "SB_DB_UNSET";
    auto missing = app::database_url_from_config(pg, env);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "database_password_missing");
    EXPECT_NE(missing.error().message.find("SB_DB_UNSET"), std::string::npos);
}

} // namespace
} // namespace switchboard
