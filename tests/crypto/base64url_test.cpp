#include "core/crypto/base64url.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <random>

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

// The codec is written by hand (for speed): it must agree with OpenSSL's on every length and
// every byte value, and refuse every character outside the alphabet.
TEST(Base64Url, AgreesWithOpenSsl) {
    std::mt19937 random(12345);
    for (std::size_t n = 0; n < 300; ++n) {
        std::vector<std::uint8_t> data(n);
        for (auto& b : data) {
            b = static_cast<std::uint8_t>(random());
        }
        std::string standard(4 * ((n + 2) / 3) + 1, '\0');
        const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(standard.data()),
                                            data.data(), static_cast<int>(n));
        standard.resize(static_cast<std::size_t>(written));
        std::replace(standard.begin(), standard.end(), '+', '-');
        std::replace(standard.begin(), standard.end(), '/', '_');
        ASSERT_EQ(base64url_encode(data), standard) << n;
        auto decoded = base64url_decode(standard);
        ASSERT_TRUE(decoded) << n;
        EXPECT_EQ(*decoded, data) << n;
    }
}

TEST(Base64Url, RefusesEveryCharacterOutsideTheAlphabet) {
    const std::string alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int c = 0; c < 256; ++c) {
        const char ch = static_cast<char>(c);
        const bool in_alphabet = alphabet.find(ch) != std::string::npos;
        for (std::size_t position = 0; position < 8; ++position) {
            std::string text = "QUJDREVG"; // "ABCDEF"
            text[position] = ch;
            EXPECT_EQ(base64url_decode(text).has_value(), in_alphabet)
                << "character " << c << " at " << position;
        }
        std::string tail = "QUI"; // "AB", three characters: the last one's low bits are zero
        tail[1] = ch;
        EXPECT_EQ(base64url_decode(tail).has_value(), in_alphabet) << "character " << c;
    }
}

TEST(Base64Url, DecodesIntoABufferOnlyWhenItIsLargeEnough) {
    std::array<std::uint8_t, 6> buffer{};
    auto six = base64url_decode_into("QUJDREVG", buffer);
    ASSERT_TRUE(six);
    EXPECT_EQ(*six, 6u);
    EXPECT_EQ(std::string(buffer.begin(), buffer.end()), "ABCDEF");
    std::array<std::uint8_t, 5> small{};
    EXPECT_FALSE(base64url_decode_into("QUJDREVG", small));
}

} // namespace
} // namespace switchboard::crypto
