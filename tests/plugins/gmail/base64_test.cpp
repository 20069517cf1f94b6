// plugins/common/base64.hpp: RFC 4648 §10's test vectors, both alphabets, with and without
// padding, and what the decoder refuses.
#include "plugins/common/base64.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace switchboard::plugins;
using base64::Alphabet;
using base64::Padding;

TEST(Base64, Rfc4648Vectors) {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, encoded] : vectors) {
        EXPECT_EQ(base64::encode(plain), encoded) << plain;
        EXPECT_EQ(base64::decode(encoded), plain) << encoded;
        EXPECT_EQ(base64::encoded_size(std::string(plain).size()), std::string(encoded).size());
    }
}

TEST(Base64, UrlAlphabetAndNoPadding) {
    const std::string bytes = "\xfb\xff\xbf\x3e?";
    EXPECT_EQ(base64::encode(bytes), "+/+/Pj8=");
    EXPECT_EQ(base64::encode(bytes, Alphabet::url), "-_-_Pj8=");
    EXPECT_EQ(base64::encode(bytes, Alphabet::url, Padding::without), "-_-_Pj8");
    EXPECT_EQ(base64::encoded_size(bytes.size(), Padding::without), 7u);
    EXPECT_EQ(base64::decode("-_-_Pj8", Alphabet::url), bytes);
    EXPECT_EQ(base64::decode("-_-_Pj8=", Alphabet::url), bytes);
    // Each alphabet refuses the other's two characters.
    EXPECT_EQ(base64::decode("-_-_Pj8=", Alphabet::standard), std::nullopt);
    EXPECT_EQ(base64::decode("+/+/Pj8=", Alphabet::url), std::nullopt);
}

TEST(Base64, EveryByteRoundTrips) {
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    for (std::size_t n = 0; n <= all.size(); n += 37) {
        const std::string bytes = all.substr(0, n);
        for (const auto alphabet : {Alphabet::standard, Alphabet::url}) {
            for (const auto padding : {Padding::with, Padding::without}) {
                EXPECT_EQ(base64::decode(base64::encode(bytes, alphabet, padding), alphabet), bytes);
            }
        }
    }
}

TEST(Base64, RefusesWhatIsNotBase64) {
    EXPECT_EQ(base64::decode("Zm9v!"), std::nullopt);   // outside the alphabet
    EXPECT_EQ(base64::decode("Z"), std::nullopt);       // 4n+1 characters
    EXPECT_EQ(base64::decode("Zm9vY"), std::nullopt);
    EXPECT_EQ(base64::decode("Zg=a"), std::nullopt);    // data after padding
    EXPECT_EQ(base64::decode("Zg="), std::nullopt);     // padding that does not complete the group
    EXPECT_EQ(base64::decode("Zm8=="), std::nullopt);
    EXPECT_EQ(base64::decode("===="), std::nullopt);
    EXPECT_EQ(base64::decode("Zm 9v"), std::nullopt);   // whitespace only when asked
    EXPECT_EQ(base64::decode("Zm 9v\r\nYmFy", Alphabet::standard, true), "foobar");
}

} // namespace
