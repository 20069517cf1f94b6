// The keys of a JWKS URL: fetched again when old, at once for an unknown key id (a key the
// identity provider has just rotated in), and never faster than the minimum interval, so
// that tokens with made-up key ids cannot make the host hammer the identity provider. The
// JWKS and the tokens are PyJWT's (test_tokens.hpp); the fetch and the clock are injected.
#include "core/auth/jwks_cache.hpp"
#include "core/auth/jwt_authenticator.hpp"
#include "test_tokens.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>
#include <thread>

namespace switchboard::auth {
namespace {

using test_support::TestTokens;
using Clock = std::chrono::steady_clock;

// A scripted identity provider: serves `document`, counts the fetches, fails when told.
struct FakeIssuer {
    std::string document;
    bool failing = false;
    std::atomic<int> fetches{0};
    Clock::time_point now = Clock::time_point(std::chrono::hours(1));

    JwksCacheOptions options() {
        JwksCacheOptions o;
        o.fetch = [this]() -> Result<std::string> {
            ++fetches;
            if (failing) {
                return Error(ErrorKind::unavailable, "jwks_unavailable", "HTTP 503");
            }
            return document;
        };
        o.max_age = std::chrono::seconds(300);
        o.min_refetch_interval = std::chrono::seconds(30);
        o.now = [this] { return now; };
        return o;
    }
};

class JwksCacheTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { tokens = new TestTokens(); }
    static void TearDownTestSuite() {
        delete tokens;
        tokens = nullptr;
    }

    // The test JWKS, without the keys whose kid is listed.
    static std::string jwks_without(std::initializer_list<std::string> kids) {
        std::ifstream in(tokens->jwks_file());
        auto document = nlohmann::json::parse(in);
        auto& keys = document.at("keys");
        for (const auto& kid : kids) {
            keys.erase(std::remove_if(keys.begin(), keys.end(),
                                      [&kid](const nlohmann::json& k) {
                                          return k.value("kid", "") == kid;
                                      }),
                       keys.end());
        }
        return document.dump();
    }

    static std::unique_ptr<JwtAuthenticator> authenticator(std::shared_ptr<JwksCache> cache) {
        JwtAuthenticatorOptions o;
        o.remote_keys = std::move(cache);
        o.issuer = tokens->issuer();
        o.audiences = {tokens->audience()};
        o.now = [at = tokens->generated_at()] { return at; };
        auto built = JwtAuthenticator::create(std::move(o));
        EXPECT_TRUE(built) << built.error().message;
        return built ? std::move(*built) : nullptr;
    }

    static TestTokens* tokens;
};

TestTokens* JwksCacheTest::tokens = nullptr;

TEST_F(JwksCacheTest, KeysAreFetchedAgainOnlyOnceTheyAreOlderThanTheMaximumAge) {
    FakeIssuer issuer;
    issuer.document = jwks_without({});
    JwksCache cache(issuer.options());
    ASSERT_TRUE(cache.refresh());
    EXPECT_EQ(issuer.fetches, 1);
    EXPECT_EQ(cache.keys()->size(), 3U); // rsa-1, rsa-2, ec-1: the others are not for signing
    issuer.now += std::chrono::seconds(299);
    cache.keys();
    EXPECT_EQ(issuer.fetches, 1);
    issuer.now += std::chrono::seconds(1);
    cache.keys();
    EXPECT_EQ(issuer.fetches, 2);
}

TEST_F(JwksCacheTest, AFailedFetchKeepsTheKeysAndIsNotRepeatedBeforeTheInterval) {
    FakeIssuer issuer;
    issuer.document = jwks_without({});
    JwksCache cache(issuer.options());
    ASSERT_TRUE(cache.refresh());
    const auto first = cache.keys();

    issuer.failing = true;
    issuer.now += std::chrono::seconds(300);
    EXPECT_EQ(cache.keys(), first); // stale, still in use
    EXPECT_EQ(issuer.fetches, 2);
    issuer.now += std::chrono::seconds(10);
    EXPECT_EQ(cache.keys(), first);
    EXPECT_EQ(issuer.fetches, 2); // a failing issuer is asked again only after 30 s
    issuer.now += std::chrono::seconds(20);
    cache.keys();
    EXPECT_EQ(issuer.fetches, 3);

    issuer.document = "{\"keys\": 5}"; // answers, but with nothing usable
    issuer.failing = false;
    EXPECT_FALSE(cache.refresh());
    EXPECT_EQ(cache.keys(), first);
}

TEST_F(JwksCacheTest, AKeyRotatedInIsFetchedForItsFirstToken) {
    FakeIssuer issuer;
    issuer.document = jwks_without({"rsa-2"});
    auto cache = std::make_shared<JwksCache>(issuer.options());
    ASSERT_TRUE(cache->refresh());
    auto jwt = authenticator(cache);
    ASSERT_TRUE(jwt);
    ASSERT_TRUE(jwt->verify_token(tokens->token("rs256_valid")));

    // The identity provider publishes rsa-2 and signs with it.
    issuer.document = jwks_without({});
    issuer.now += std::chrono::seconds(60);
    auto principal = jwt->verify_token(tokens->token("rs256_second_key"));
    ASSERT_TRUE(principal) << principal.error().message;
    EXPECT_EQ(principal->tenant_id, "tenant-abc");
    EXPECT_EQ(issuer.fetches, 2);
}

TEST_F(JwksCacheTest, UnknownKeyIdsFetchAtMostOncePerInterval) {
    FakeIssuer issuer;
    issuer.document = jwks_without({});
    auto cache = std::make_shared<JwksCache>(issuer.options());
    ASSERT_TRUE(cache->refresh());
    auto jwt = authenticator(cache);
    ASSERT_TRUE(jwt);

    issuer.now += std::chrono::seconds(31);
    for (int i = 0; i < 100; ++i) {
        auto refused = jwt->verify_token(tokens->token("rs256_unknown_kid"));
        ASSERT_FALSE(refused);
        EXPECT_EQ(refused.error().code, "invalid_token");
    }
    EXPECT_EQ(issuer.fetches, 2); // one fetch for a hundred tokens
    issuer.now += std::chrono::seconds(30);
    EXPECT_FALSE(jwt->verify_token(tokens->token("rs256_unknown_kid")));
    EXPECT_EQ(issuer.fetches, 3);
    // A known key whose signature fails is not a reason to fetch.
    issuer.now += std::chrono::seconds(30);
    EXPECT_FALSE(jwt->verify_token(tokens->token("wrong_key_rs256")));
    EXPECT_EQ(issuer.fetches, 3);
}

TEST_F(JwksCacheTest, ConcurrentTokensWithAnUnknownKeyShareOneFetch) {
    FakeIssuer issuer;
    issuer.document = jwks_without({"rsa-2"});
    JwksCacheOptions options = issuer.options();
    auto slow_fetch = options.fetch;
    options.fetch = [slow_fetch]() {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return slow_fetch();
    };
    auto cache = std::make_shared<JwksCache>(std::move(options));
    ASSERT_TRUE(cache->refresh());
    auto jwt = authenticator(cache);
    ASSERT_TRUE(jwt);
    issuer.document = jwks_without({});
    issuer.now += std::chrono::seconds(60);

    std::atomic<int> accepted{0};
    std::vector<std::thread> callers;
    for (int i = 0; i < 8; ++i) {
        callers.emplace_back([&] {
            if (jwt->verify_token(tokens->token("rs256_second_key"))) ++accepted;
        });
    }
    for (auto& caller : callers) caller.join();
    EXPECT_EQ(accepted, 8);
    EXPECT_EQ(issuer.fetches, 2);
}

TEST_F(JwksCacheTest, WithoutAnyFetchedKeyTokensAreRefusedAndTheIssuerIsAskedAgain) {
    FakeIssuer issuer;
    issuer.failing = true;
    auto cache = std::make_shared<JwksCache>(issuer.options());
    EXPECT_FALSE(cache->refresh()); // the identity provider is down at start-up
    auto jwt = authenticator(cache);
    ASSERT_TRUE(jwt);
    EXPECT_EQ(jwt->verify_token(tokens->token("rs256_valid")).error().code, "invalid_token");

    issuer.failing = false;
    issuer.document = jwks_without({});
    issuer.now += std::chrono::seconds(30);
    EXPECT_TRUE(jwt->verify_token(tokens->token("rs256_valid")));
    EXPECT_TRUE(jwt->verify_token(tokens->token("es256_valid")));
}

} // namespace
} // namespace switchboard::auth
