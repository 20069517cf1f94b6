#include "core/http/form_encoding.hpp"

#include <gtest/gtest.h>

namespace switchboard::http {
namespace {

TEST(FormEncodingTest, EncodesReservedCharactersAndSpaceAsPlus) {
    EXPECT_EQ(encode_form({{"grant_type", "authorization_code"},
                           {"redirect_uri", "https://app.example/cb?x=1&y=2"},
                           {"code", "a b+c/d"}}),
              "grant_type=authorization_code"
              "&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1%26y%3D2"
              "&code=a+b%2Bc%2Fd");
}

TEST(FormEncodingTest, KeepsUnreservedAndEncodesUtf8Bytes) {
    EXPECT_EQ(encode_form({{"v", "AZaz09-._~"}}), "v=AZaz09-._~");
    EXPECT_EQ(encode_form({{"name", "Jos\xC3\xA9"}}), "name=Jos%C3%A9");
    EXPECT_EQ(encode_form({{"empty", ""}, {"k=", "&"}}), "empty=&k%3D=%26");
    EXPECT_EQ(encode_form({}), "");
}

TEST(FormEncodingTest, QueryUsesPercentTwentyForSpace) {
    EXPECT_EQ(encode_query({{"q", "a b"}, {"scope", "crm.objects.contacts.read oauth"}}),
              "q=a%20b&scope=crm.objects.contacts.read%20oauth");
    EXPECT_EQ(percent_encode("a/b c"), "a%2Fb%20c");
}

} // namespace
} // namespace switchboard::http
