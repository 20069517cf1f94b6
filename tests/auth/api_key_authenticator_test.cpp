#include "core/auth/api_key_authenticator.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cctype>

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

TEST(ApiKeyAuthenticatorTest, FromDigestsAuthenticatesTheKeyBehindEachDigest) {
    // The digests are computed here with OpenSSL, as `printf %s KEY | sha256sum` would.
    auto digest_of = [](const std::string& key) {
        unsigned char md[32];
        unsigned int size = 0;
        EXPECT_EQ(EVP_Digest(key.data(), key.size(), md, &size, EVP_sha256(), nullptr), 1);
        static const char* hex = "0123456789abcdef";
        std::string out;
        for (unsigned int i = 0; i < size; ++i) {
            out += hex[md[i] >> 4];
            out += hex[md[i] & 15];
        }
        return out;
    };
    // A fixed vector keeps digest_of honest: the well-known SHA-256 of "abc".
    ASSERT_EQ(digest_of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    std::string upper_b = digest_of(kKeyB);
    for (char& c : upper_b) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    auto a = ApiKeyAuthenticator::from_digests(
        {{digest_of(kKeyA), {"tenant-a", "svc-a"}}, {upper_b, {"tenant-b", "svc-b"}}});
    ASSERT_TRUE(a) << a.error().message;
    auto first = (*a)->authenticate("Bearer " + kKeyA);
    ASSERT_TRUE(first);
    EXPECT_EQ(*first, (Principal{"tenant-a", "svc-a"}));
    auto second = (*a)->authenticate("Bearer " + kKeyB);
    ASSERT_TRUE(second) << "upper-case hex is the same digest";
    EXPECT_EQ(*second, (Principal{"tenant-b", "svc-b"}));

    auto wrong = (*a)->authenticate("Bearer " + digest_of(kKeyA));
    ASSERT_FALSE(wrong) << "the digest itself is not a key";
    EXPECT_EQ(wrong.error().code, "invalid_api_key");
}

TEST(ApiKeyAuthenticatorTest, FromDigestsRefusesBadOrRepeatedDigests) {
    const std::string good(64, 'a');
    for (const std::string& bad : {std::string(63, 'a'), std::string(65, 'a'),
                                   std::string(63, 'a') + "g", std::string()}) {
        auto r = ApiKeyAuthenticator::from_digests({{bad, {"t", "u"}}});
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, "invalid_auth_config");
        EXPECT_NE(r.error().message.find("#1"), std::string::npos) << r.error().message;
    }
    auto repeated = ApiKeyAuthenticator::from_digests(
        {{good, {"t", "u"}}, {std::string(64, 'A'), {"t2", "u2"}}});
    ASSERT_FALSE(repeated);
    EXPECT_NE(repeated.error().message.find("#2 repeats the key of entry #1"), std::string::npos)
        << repeated.error().message;
    auto no_user = ApiKeyAuthenticator::from_digests({{good, {"t", ""}}});
    ASSERT_FALSE(no_user);
    EXPECT_EQ(no_user.error().code, "invalid_auth_config");
    EXPECT_TRUE(ApiKeyAuthenticator::from_digests({}).has_value()) << "no keys: refuses everyone";
}

} // namespace
} // namespace switchboard::auth
