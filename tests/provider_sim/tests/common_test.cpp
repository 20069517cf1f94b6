// Base64, RFC 3339 times, page tokens and PKCE: the small pieces everything else trusts.
#include "tests/provider_sim/common/base64.hpp"
#include "tests/provider_sim/common/page_token.hpp"
#include "tests/provider_sim/common/rfc3339.hpp"
#include "tests/provider_sim/oauth/pkce.hpp"
#include "tests/provider_sim/tests/spec_files.hpp"

#include <gtest/gtest.h>

namespace switchboard::sim {
namespace {

TEST(Base64, RoundTripsBothAlphabets) {
    const std::string bytes = std::string("\xfb\xff\x00hello", 8);
    EXPECT_EQ(base64_encode(bytes), "+/8AaGVsbG8=");
    EXPECT_EQ(base64url_encode(bytes), "-_8AaGVsbG8");
    EXPECT_EQ(base64_decode("+/8AaGVsbG8="), bytes);
    EXPECT_EQ(base64_decode("-_8AaGVsbG8"), bytes);
    EXPECT_EQ(base64_decode("-_8A\r\naGVs bG8="), bytes); // MIME line breaks
}

TEST(Base64, RefusesWhatIsNotBase64) {
    EXPECT_FALSE(base64_decode("a"));         // impossible length
    EXPECT_FALSE(base64_decode("ab=c"));      // data after padding
    EXPECT_FALSE(base64_decode("a*bc"));      // not in either alphabet
    EXPECT_FALSE(base64_decode("abc=="));     // wrong padding count
    EXPECT_EQ(base64_decode(""), std::string{});
}

TEST(Rfc3339, ParsesOffsetsToUtc) {
    const auto utc = parse_rfc3339("2024-05-01T12:00:00Z");
    const auto plus_two = parse_rfc3339("2024-05-01T14:00:00.000+02:00");
    ASSERT_TRUE(utc && plus_two);
    EXPECT_EQ(*utc, *plus_two);
    EXPECT_EQ(format_rfc3339(*utc), "2024-05-01T12:00:00.000Z");
    EXPECT_EQ(epoch_millis(*utc), 1714564800000LL);
}

TEST(Rfc3339, RefusesMalformedTimes) {
    EXPECT_FALSE(parse_rfc3339("2024-05-01T12:00:00"));       // offset required
    EXPECT_TRUE(parse_rfc3339("2024-05-01T12:00:00", false)); // unless told otherwise
    EXPECT_FALSE(parse_rfc3339("2024-02-30T12:00:00Z"));      // no such day
    EXPECT_FALSE(parse_rfc3339("2024-05-01 12:00:00Z"));
    EXPECT_FALSE(parse_rfc3339("2024-05-01T25:00:00Z"));
    EXPECT_TRUE(parse_date("2024-02-29"));
    EXPECT_FALSE(parse_date("2023-02-29"));
}

TEST(PageToken, OnlyWorksForTheListThatMadeIt) {
    const std::string token = make_page_token("calendar:a@example.com", 250);
    EXPECT_EQ(read_page_token("calendar:a@example.com", token), 250u);
    EXPECT_FALSE(read_page_token("calendar:b@example.com", token));
    EXPECT_FALSE(read_page_token("calendar:a@example.com", "made-up"));
}

TEST(Pkce, MatchesTheRfc7636AppendixBExample) {
    const auto vector = testing::read_spec_json("oauth/rfc7636_appendix_b.json");
    const std::string verifier = vector.at("code_verifier");
    const std::string challenge = vector.at("code_challenge");
    EXPECT_EQ(pkce_s256_challenge(verifier), challenge);
    EXPECT_TRUE(pkce_verify("S256", challenge, verifier));
    EXPECT_FALSE(pkce_verify("S256", challenge, verifier.substr(1) + "A"));
    EXPECT_FALSE(pkce_verify("S256", challenge, "short"));
    EXPECT_TRUE(pkce_verify("plain", verifier, verifier));
}

} // namespace
} // namespace switchboard::sim
