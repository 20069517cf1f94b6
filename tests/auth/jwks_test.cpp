#include "core/auth/base64url.hpp"
#include "core/auth/jwks.hpp"

#include "test_tokens.hpp"

#include <gtest/gtest.h>

namespace switchboard::auth {
namespace {

TEST(Base64UrlTest, DecodesStrictlyWithoutPadding) {
    EXPECT_EQ(base64url_decode(""), std::string());
    EXPECT_EQ(base64url_decode("Zg"), std::string("f"));
    EXPECT_EQ(base64url_decode("Zm8"), std::string("fo"));
    EXPECT_EQ(base64url_decode("Zm9v"), std::string("foo"));
    EXPECT_EQ(base64url_decode("-_8"), std::string("\xfb\xff"));
    EXPECT_FALSE(base64url_decode("Zg=="));  // padding
    EXPECT_FALSE(base64url_decode("+/8"));   // the standard alphabet
    EXPECT_FALSE(base64url_decode("Zm9vY")); // impossible length
    EXPECT_FALSE(base64url_decode("Zm 9v"));
}

TEST(JwksTest, LoadsTheSignatureKeysOfAGeneratedSet) {
    test_support::TestTokens tokens;
    auto keys = load_jwks_file(tokens.jwks_file());
    ASSERT_TRUE(keys) << keys.error().message;
    // rsa-1, rsa-2 and ec-1; the encryption key and the "oct" key are skipped.
    ASSERT_EQ(keys->size(), 3u);
    EXPECT_EQ((*keys)[0].kid, "rsa-1");
    EXPECT_EQ((*keys)[0].type, KeyType::rsa);
    EXPECT_EQ((*keys)[0].alg, "RS256");
    EXPECT_EQ((*keys)[1].kid, "rsa-2");
    EXPECT_EQ((*keys)[2].kid, "ec-1");
    EXPECT_EQ((*keys)[2].type, KeyType::ec_p256);
    for (const auto& key : *keys) {
        EXPECT_NE(key.key, nullptr);
    }
}

TEST(JwksTest, RefusesBadKeyMaterialNamingTheKid) {
    // A point that is not on P-256 (x = y = 1).
    const std::string one = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE";
    auto off_curve = parse_jwks(R"({"keys":[{"kty":"EC","crv":"P-256","kid":"bad-ec","x":")" +
                                one + R"(","y":")" + one + R"("}]})");
    ASSERT_FALSE(off_curve);
    EXPECT_EQ(off_curve.error().code, "invalid_jwks");
    EXPECT_NE(off_curve.error().message.find("bad-ec"), std::string::npos);

    auto short_rsa = parse_jwks(R"({"keys":[{"kty":"RSA","kid":"tiny","n":"AQAB","e":"AQAB"}]})");
    ASSERT_FALSE(short_rsa);
    EXPECT_NE(short_rsa.error().message.find("2048"), std::string::npos);

    EXPECT_FALSE(parse_jwks("[]"));
    EXPECT_FALSE(parse_jwks("{\"keys\": 3}"));
    EXPECT_FALSE(parse_jwks("not json"));

    auto other_curve = parse_jwks(
        R"({"keys":[{"kty":"EC","crv":"P-384","kid":"p384","x":"AA","y":"AA"}]})");
    ASSERT_TRUE(other_curve);
    EXPECT_TRUE(other_curve->empty());
}

} // namespace
} // namespace switchboard::auth
