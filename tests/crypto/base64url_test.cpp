#include "core/crypto/base64url.hpp"

#include <gtest/gtest.h>

namespace switchboard::crypto {
namespace {

std::vector<std::uint8_t> bytes_of(std::string_view text) {
    return {text.begin(), text.end()};
}

TEST(Base64Url, EncodesWithTheUrlSafeAlphabet) {
    const std::vector<std::uint8_t> data{0xfb, 0xff, 0xbf};
    EXPECT_EQ(base64url_encode(data), "-_-_");
    EXPECT_EQ(base64url_encode(bytes_of("f")), "Zg==");
    EXPECT_EQ(base64url_encode(bytes_of("f"), Base64Padding::strip), "Zg");
    EXPECT_EQ(base64url_encode({}), "");
}

TEST(Base64Url, RoundTripsEveryLength) {
    std::vector<std::uint8_t> data;
    for (int n = 0; n < 70; ++n) {
        for (auto padding : {Base64Padding::keep, Base64Padding::strip}) {
            auto decoded = base64url_decode(base64url_encode(data, padding));
            ASSERT_TRUE(decoded) << n;
            EXPECT_EQ(*decoded, data);
        }
        data.push_back(static_cast<std::uint8_t>(n * 37 + 11));
    }
}

TEST(Base64Url, RefusesWhatIsNotCanonicalBase64Url) {
    EXPECT_FALSE(base64url_decode("+/+/"));   // the standard alphabet
    EXPECT_FALSE(base64url_decode("Zg="));    // padding that does not complete a quantum
    EXPECT_FALSE(base64url_decode("Z"));      // impossible length
    EXPECT_FALSE(base64url_decode("Zh=="));   // non-zero trailing bits
    EXPECT_FALSE(base64url_decode("Zg==="));  // too much padding
    EXPECT_FALSE(base64url_decode("Zg=a"));   // padding in the middle
    EXPECT_FALSE(base64url_decode("Zm9v\n")); // whitespace
    EXPECT_TRUE(base64url_decode("Zg"));
}

} // namespace
} // namespace switchboard::crypto
