#include "core/crypto/pkce.hpp"

#include "core/crypto/base64url.hpp"
#include "tests/support/specs.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

namespace switchboard::crypto {
namespace {

TEST(Pkce, Rfc7636AppendixB) {
    const auto example = nlohmann::json::parse(testing::read_spec("oauth/rfc7636_appendix_b.json"));
    const auto octets = example.at("verifier_octets").get<std::vector<std::uint8_t>>();
    const std::string verifier = base64url_encode(octets, Base64Padding::strip);
    EXPECT_EQ(verifier, example.at("code_verifier").get<std::string>());
    EXPECT_EQ(verifier.size(), 43u);
    EXPECT_EQ(verifier.find('='), std::string::npos);

    auto challenge = Pkce::challenge(verifier);
    ASSERT_TRUE(challenge);
    EXPECT_EQ(*challenge, example.at("code_challenge").get<std::string>());
    EXPECT_EQ(std::string(Pkce::method), example.at("code_challenge_method").get<std::string>());
}

TEST(Pkce, GeneratesLongUniqueUrlSafeVerifiers) {
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        auto pair = Pkce::generate();
        ASSERT_TRUE(pair);
        EXPECT_EQ(pair->code_verifier.size(), 86u); // 64 bytes
        EXPECT_TRUE(Pkce::is_valid_verifier(pair->code_verifier));
        EXPECT_EQ(*Pkce::challenge(pair->code_verifier), pair->code_challenge);
        EXPECT_EQ(pair->code_challenge.size(), 43u);
        EXPECT_TRUE(seen.insert(pair->code_verifier).second);
    }
}

TEST(Pkce, RefusesVerifiersOutsideTheRfc) {
    EXPECT_FALSE(Pkce::challenge(std::string(42, 'a')));
    EXPECT_FALSE(Pkce::challenge(std::string(129, 'a')));
    EXPECT_FALSE(Pkce::challenge(std::string(43, 'a') + "+"));
    EXPECT_TRUE(Pkce::challenge(std::string(128, '~')));
    auto refused = Pkce::challenge("short");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "invalid_code_verifier");
}

} // namespace
} // namespace switchboard::crypto
