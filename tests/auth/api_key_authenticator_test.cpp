#include "core/auth/api_key_authenticator.hpp"

#include <gtest/gtest.h>

namespace switchboard::auth {
namespace {

const std::string kKeyA = "sbk_live_AAAAAAAAAAAAAAAAAAAA";
const std::string kKeyB = "sbk_live_BBBBBBBBBBBBBBBBBBBB";

std::unique_ptr<ApiKeyAuthenticator> make() {
    auto a = ApiKeyAuthenticator::create({{kKeyA, {"tenant-a", "svc-a"}}, {kKeyB, {"tenant-b", "svc-b"}}});
    EXPECT_TRUE(a) << a.error().message;
    return std::move(*a);
}

TEST(ApiKeyAuthenticatorTest, MapsEachKeyToItsPrincipal) {
    auto a = make();
    auto first = a->authenticate("Bearer " + kKeyA);
    ASSERT_TRUE(first);
    EXPECT_EQ(*first, (Principal{"tenant-a", "svc-a"}));
    auto second = a->authenticate("Bearer " + kKeyB);
    ASSERT_TRUE(second);
    EXPECT_EQ(*second, (Principal{"tenant-b", "svc-b"}));
}

TEST(ApiKeyAuthenticatorTest, RejectsUnknownKeysWithoutNamingThem) {
    auto a = make();
    for (const std::string& candidate :
         {kKeyA + "x", kKeyA.substr(0, kKeyA.size() - 1), std::string("sbk_live_CCCCCCCCCCCCCCCCCCCC")}) {
        auto result = a->authenticate("Bearer " + candidate);
        ASSERT_FALSE(result) << candidate;
        EXPECT_EQ(result.error().code, "invalid_api_key");
        EXPECT_EQ(result.error().kind, ErrorKind::unauthenticated);
        EXPECT_EQ(result.error().message.find("sbk_live"), std::string::npos);
    }
    EXPECT_EQ(a->authenticate("").error().code, "missing_token");
    EXPECT_EQ(a->authenticate(kKeyA).error().code, "unsupported_auth_scheme");
}

TEST(ApiKeyAuthenticatorTest, RefusesWeakOrRepeatedKeysWithoutNamingThem) {
    auto short_key = ApiKeyAuthenticator::create({{"short", {"t", "u"}}});
    ASSERT_FALSE(short_key);
    EXPECT_EQ(short_key.error().code, "invalid_auth_config");
    EXPECT_EQ(short_key.error().message.find("short"), std::string::npos);

    auto repeated = ApiKeyAuthenticator::create({{kKeyA, {"t", "u"}}, {kKeyA, {"t2", "u2"}}});
    ASSERT_FALSE(repeated);
    EXPECT_NE(repeated.error().message.find("#2"), std::string::npos);
    EXPECT_EQ(repeated.error().message.find(kKeyA), std::string::npos);

    auto no_tenant = ApiKeyAuthenticator::create({{kKeyA, {"", "u"}}});
    ASSERT_FALSE(no_tenant);

    auto spaced = ApiKeyAuthenticator::create({{"key with spaces inside", {"t", "u"}}});
    ASSERT_FALSE(spaced);
}

} // namespace
} // namespace switchboard::auth
