#include "core/auth/jwt_authenticator.hpp"

#include "core/auth/api_key_authenticator.hpp"
#include "core/auth/composite_authenticator.hpp"
#include "test_tokens.hpp"

#include <gtest/gtest.h>

namespace switchboard::auth {
namespace {

using test_support::TestTokens;

class JwtAuthenticatorTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        try {
            tokens = new TestTokens();
        } catch (const std::exception& e) {
            setup_error = e.what();
        }
    }
    static void TearDownTestSuite() {
        delete tokens;
        tokens = nullptr;
    }
    void SetUp() override { ASSERT_NE(tokens, nullptr) << setup_error; }

    static JwtAuthenticatorOptions options() {
        JwtAuthenticatorOptions o;
        o.hs256_secret = tokens->hs256_secret();
        o.jwks_file = tokens->jwks_file();
        o.issuer = tokens->issuer();
        o.audiences = {tokens->audience()};
        o.leeway = std::chrono::seconds{30};
        // Frozen where the tokens were signed, so a slow run cannot age them.
        o.now = [at = tokens->generated_at()] { return at; };
        return o;
    }

    static std::unique_ptr<JwtAuthenticator> make(JwtAuthenticatorOptions o) {
        auto a = JwtAuthenticator::create(std::move(o));
        EXPECT_TRUE(a) << a.error().message;
        return a ? std::move(*a) : nullptr;
    }

    static std::string bearer(const std::string& name) { return "Bearer " + tokens->token(name); }

    static TestTokens* tokens;
    static std::string setup_error;
};

TestTokens* JwtAuthenticatorTest::tokens = nullptr;
std::string JwtAuthenticatorTest::setup_error;

TEST_F(JwtAuthenticatorTest, AcceptsValidTokensOfEveryAlgorithm) {
    auto authenticator = make(options());
    ASSERT_TRUE(authenticator);
    for (const char* name :
         {"hs256_valid", "rs256_valid", "rs256_second_key", "rs256_no_kid", "es256_valid",
          "es256_no_kid", "es256_raw_by_hand", "expired_within_leeway", "nbf_within_leeway",
          "audience_array"}) {
        auto principal = authenticator->authenticate(bearer(name));
        ASSERT_TRUE(principal) << name << ": " << principal.error().code << " "
                               << principal.error().message;
        EXPECT_EQ(principal->tenant_id, "tenant-abc") << name;
        EXPECT_EQ(principal->user_id, "user-123") << name;
    }
}

struct Rejection {
    const char* token;
    const char* code;
};

TEST_F(JwtAuthenticatorTest, RejectsEachBrokenRuleWithItsCode) {
    auto authenticator = make(options());
    ASSERT_TRUE(authenticator);
    const Rejection cases[] = {
        {"expired", "token_expired"},
        {"not_yet_valid", "token_not_yet_valid"},
        {"wrong_issuer", "invalid_issuer"},
        {"no_issuer", "invalid_issuer"},
        {"wrong_audience", "invalid_audience"},
        {"audience_array_wrong", "invalid_audience"},
        {"wrong_key_rs256", "invalid_token"},
        {"wrong_secret_hs256", "invalid_token"},
        {"alg_none", "invalid_token"},
        {"hs256_signed_with_rsa_public_key", "invalid_token"},
        {"tampered_payload", "invalid_token"},
        {"rs256_unknown_kid", "invalid_token"},
        {"rs256_kid_of_other_key", "invalid_token"},
        {"rs256_encryption_key", "invalid_token"},
        {"es256_der_signature", "invalid_token"},
        {"es256_with_rsa_kid", "invalid_token"},
        {"no_exp", "invalid_token"},
        {"missing_tenant", "missing_tenant_claim"},
        {"tenant_not_a_string", "missing_tenant_claim"},
        {"missing_sub", "missing_user_claim"},
    };
    for (const auto& c : cases) {
        const std::string token = tokens->token(c.token);
        auto principal = authenticator->authenticate("Bearer " + token);
        ASSERT_FALSE(principal) << c.token << " was accepted";
        EXPECT_EQ(principal.error().code, c.code) << c.token << ": " << principal.error().message;
        EXPECT_EQ(principal.error().kind, ErrorKind::unauthenticated) << c.token;
        const auto signature = token.substr(token.rfind('.') + 1);
        EXPECT_EQ(principal.error().message.find(token.substr(0, token.find('.'))),
                  std::string::npos)
            << c.token << ": message repeats the token";
        if (!signature.empty()) {
            EXPECT_EQ(principal.error().message.find(signature), std::string::npos) << c.token;
        }
    }
}

TEST_F(JwtAuthenticatorTest, AlgorithmConfusionFailsAlsoWithoutAnHs256Secret) {
    auto o = options();
    o.hs256_secret.clear();
    auto jwks_only = make(o);
    ASSERT_TRUE(jwks_only);
    auto confused = jwks_only->authenticate(bearer("hs256_signed_with_rsa_public_key"));
    ASSERT_FALSE(confused);
    EXPECT_EQ(confused.error().code, "invalid_token");
    EXPECT_NE(confused.error().message.find("'HS256' is not accepted"), std::string::npos);
    EXPECT_FALSE(jwks_only->authenticate(bearer("hs256_valid")));
    EXPECT_TRUE(jwks_only->authenticate(bearer("rs256_valid")));
}

TEST_F(JwtAuthenticatorTest, OnlyTheListedAlgorithmsAreAccepted) {
    auto o = options();
    o.algorithms = {"ES256"};
    auto es_only = make(o);
    ASSERT_TRUE(es_only);
    EXPECT_TRUE(es_only->authenticate(bearer("es256_valid")));
    auto rs = es_only->authenticate(bearer("rs256_valid"));
    ASSERT_FALSE(rs);
    EXPECT_EQ(rs.error().code, "invalid_token");
    EXPECT_FALSE(es_only->authenticate(bearer("hs256_valid")));
}

TEST_F(JwtAuthenticatorTest, ReadsTenantAndUserThroughNestedJsonPointers) {
    auto o = options();
    o.tenant_claim = "/https:~1~1switchboard.dev~1claims/tenant";
    o.user_claim = "/https:~1~1switchboard.dev~1claims/user";
    auto authenticator = make(o);
    ASSERT_TRUE(authenticator);
    auto principal = authenticator->authenticate(bearer("namespaced_claims"));
    ASSERT_TRUE(principal) << principal.error().message;
    EXPECT_EQ(principal->tenant_id, "tenant-ns");
    EXPECT_EQ(principal->user_id, "42"); // an integer claim becomes its decimal form
    auto missing = authenticator->authenticate(bearer("rs256_valid"));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "missing_tenant_claim");
}

TEST_F(JwtAuthenticatorTest, UsesTheInjectedClock) {
    using std::chrono::hours;
    auto o = options();
    o.now = [at = tokens->generated_at()] { return at + hours{2}; };
    auto later = make(o);
    ASSERT_TRUE(later);
    auto expired = later->authenticate(bearer("rs256_valid")); // exp was one hour after signing
    ASSERT_FALSE(expired);
    EXPECT_EQ(expired.error().code, "token_expired");

    // nbf was a day after signing: a day and an hour later the token is good.
    o.now = [at = tokens->generated_at()] { return at + hours{25}; };
    auto next_day = make(o);
    ASSERT_TRUE(next_day);
    auto principal = next_day->authenticate(bearer("not_yet_valid"));
    ASSERT_TRUE(principal) << principal.error().message;
    EXPECT_EQ(principal->tenant_id, "tenant-abc");
}

TEST_F(JwtAuthenticatorTest, DefaultClockIsTheSystemClock) {
    auto o = options();
    o.now = nullptr;
    auto authenticator = make(o);
    ASSERT_TRUE(authenticator);
    EXPECT_TRUE(authenticator->authenticate(bearer("rs256_valid"))); // valid for an hour
    EXPECT_EQ(authenticator->authenticate(bearer("expired")).error().code, "token_expired");
    EXPECT_EQ(authenticator->authenticate(bearer("not_yet_valid")).error().code,
              "token_not_yet_valid");
}

TEST_F(JwtAuthenticatorTest, ReadsTheAuthorizationHeader) {
    auto authenticator = make(options());
    ASSERT_TRUE(authenticator);
    const std::string token = tokens->token("hs256_valid");
    EXPECT_TRUE(authenticator->authenticate("bearer " + token));
    EXPECT_TRUE(authenticator->authenticate("  Bearer   " + token + "  "));
    EXPECT_EQ(authenticator->authenticate("").error().code, "missing_token");
    EXPECT_EQ(authenticator->authenticate("Bearer ").error().code, "missing_token");
    EXPECT_EQ(authenticator->authenticate("Basic dXNlcjpwdw==").error().code,
              "unsupported_auth_scheme");
    EXPECT_EQ(authenticator->authenticate("Bearer not-a-jwt").error().code, "invalid_token");
    EXPECT_EQ(authenticator->authenticate("Bearer a.b.c").error().code, "invalid_token");
    EXPECT_EQ(authenticator->authenticate("Bearer " + token + ".x").error().code, "invalid_token");
    EXPECT_EQ(authenticator->authenticate("Bearer " + token + "=").error().code, "invalid_token");
}

TEST_F(JwtAuthenticatorTest, RejectsBadConfiguration) {
    auto o = options();
    o.hs256_secret = "too-short";
    EXPECT_EQ(JwtAuthenticator::create(o).error().code, "invalid_auth_config");

    o = options();
    o.algorithms = {"none"};
    EXPECT_EQ(JwtAuthenticator::create(o).error().code, "invalid_auth_config");

    o = options();
    o.hs256_secret.clear();
    o.algorithms = {"HS256"};
    EXPECT_EQ(JwtAuthenticator::create(o).error().code, "invalid_auth_config");

    o = options();
    o.jwks_file = (tokens->dir() / "missing.json").string();
    auto missing = JwtAuthenticator::create(o);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "invalid_jwks");
    EXPECT_NE(missing.error().message.find("missing.json"), std::string::npos);

    o = options();
    o.tenant_claim = "app_metadata.tenant_id";
    EXPECT_EQ(JwtAuthenticator::create(o).error().code, "invalid_auth_config");

    JwtAuthenticatorOptions nothing;
    EXPECT_EQ(JwtAuthenticator::create(nothing).error().code, "invalid_auth_config");
}

// Without iss and aud checks, a token the same identity provider minted for another product
// (signed by the same key) would be accepted here.
TEST_F(JwtAuthenticatorTest, AnIssuerAndAnAudienceAreRequiredUnlessAnyIsAllowedExplicitly) {
    auto o = options();
    o.issuer.clear();
    auto no_issuer = JwtAuthenticator::create(o);
    ASSERT_FALSE(no_issuer);
    EXPECT_EQ(no_issuer.error().code, "invalid_auth_config");
    EXPECT_EQ(no_issuer.error().field, "issuer");

    o = options();
    o.audiences.clear();
    auto no_audience = JwtAuthenticator::create(o);
    ASSERT_FALSE(no_audience);
    EXPECT_EQ(no_audience.error().field, "audience");

    o = options();
    o.issuer.clear();
    o.audiences.clear();
    o.allow_any_issuer = true;
    o.allow_any_audience = true;
    auto any = make(o);
    ASSERT_TRUE(any);
    // Allowed explicitly: tokens of another issuer and audience pass.
    EXPECT_TRUE(any->authenticate(bearer("wrong_issuer")));
    EXPECT_TRUE(any->authenticate(bearer("wrong_audience")));
}

TEST_F(JwtAuthenticatorTest, CompositeTriesJwtThenApiKeys) {
    auto jwt = make(options());
    auto keys = ApiKeyAuthenticator::create(
        {{"sbk_demo_0123456789abcdef", Principal{"tenant-demo", "demo-user"}}});
    ASSERT_TRUE(keys);
    CompositeAuthenticator composite({std::shared_ptr<const Authenticator>(std::move(jwt)),
                                      std::shared_ptr<const Authenticator>(std::move(*keys))});

    auto by_jwt = composite.authenticate(bearer("es256_valid"));
    ASSERT_TRUE(by_jwt) << by_jwt.error().message;
    EXPECT_EQ(by_jwt->tenant_id, "tenant-abc");

    auto by_key = composite.authenticate("Bearer sbk_demo_0123456789abcdef");
    ASSERT_TRUE(by_key) << by_key.error().message;
    EXPECT_EQ(*by_key, (Principal{"tenant-demo", "demo-user"}));

    EXPECT_EQ(composite.authenticate(bearer("expired")).error().code, "token_expired");
    EXPECT_EQ(composite.authenticate("Bearer sbk_unknown_0123456789").error().code,
              "invalid_api_key");
    EXPECT_EQ(composite.authenticate("").error().code, "missing_token");
}

} // namespace
} // namespace switchboard::auth
