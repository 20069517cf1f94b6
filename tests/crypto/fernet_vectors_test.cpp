// The official Fernet vectors (fernet/spec): generate, verify and invalid, from tests/specs/fernet.
#include "core/crypto/token_cipher.hpp"
#include "tests/support/specs.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <ctime>

namespace switchboard::crypto {
namespace {

using nlohmann::json;

// "1985-10-26T01:20:00-07:00" -> seconds since the epoch.
std::uint64_t parse_rfc3339(const std::string& text) {
    std::tm tm{};
    const char* rest = ::strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    if (rest == nullptr) throw std::runtime_error("bad time " + text);
    long long seconds = static_cast<long long>(::timegm(&tm));
    const std::string zone(rest);
    if (zone != "Z") {
        const int sign = zone.at(0) == '-' ? -1 : 1;
        const int hours = std::stoi(zone.substr(1, 2));
        const int minutes = std::stoi(zone.substr(4, 2));
        seconds -= sign * (hours * 3600 + minutes * 60);
    }
    return static_cast<std::uint64_t>(seconds);
}

json load(const std::string& name) {
    return json::parse(testing::read_spec("fernet/" + name));
}

TEST(FernetVectors, ParsesTheSpecTimes) {
    EXPECT_EQ(parse_rfc3339("1985-10-26T01:20:00-07:00"), 499162800u);
}

TEST(FernetVectors, Generate) {
    const json vectors = load("generate.json");
    ASSERT_FALSE(vectors.empty());
    for (const auto& vector : vectors) {
        auto key = FernetKey::from_base64url(vector.at("secret").get<std::string>());
        ASSERT_TRUE(key) << key.error().message;
        std::array<std::uint8_t, 16> iv{};
        const auto iv_values = vector.at("iv").get<std::vector<int>>();
        ASSERT_EQ(iv_values.size(), iv.size());
        for (std::size_t i = 0; i < iv.size(); ++i) iv[i] = static_cast<std::uint8_t>(iv_values[i]);
        TokenCipher cipher(*key);
        auto token = cipher.encrypt_at(vector.at("src").get<std::string>(),
                                       parse_rfc3339(vector.at("now")), iv);
        ASSERT_TRUE(token) << token.error().message;
        EXPECT_EQ(*token, vector.at("token").get<std::string>());
    }
}

TEST(FernetVectors, Verify) {
    const json vectors = load("verify.json");
    ASSERT_FALSE(vectors.empty());
    for (const auto& vector : vectors) {
        auto key = FernetKey::from_base64url(vector.at("secret").get<std::string>());
        ASSERT_TRUE(key);
        TokenCipher cipher(*key);
        auto plaintext = cipher.decrypt_at(vector.at("token").get<std::string>(),
                                           std::chrono::seconds(vector.at("ttl_sec").get<int>()),
                                           parse_rfc3339(vector.at("now")));
        ASSERT_TRUE(plaintext) << plaintext.error().message;
        EXPECT_EQ(*plaintext, vector.at("src").get<std::string>());
    }
}

TEST(FernetVectors, Invalid) {
    const json vectors = load("invalid.json");
    ASSERT_EQ(vectors.size(), 8u);
    for (const auto& vector : vectors) {
        SCOPED_TRACE(vector.at("desc").get<std::string>());
        auto key = FernetKey::from_base64url(vector.at("secret").get<std::string>());
        ASSERT_TRUE(key);
        TokenCipher cipher(*key);
        const std::string token = vector.at("token");
        auto plaintext =
            cipher.decrypt_at(token, std::chrono::seconds(vector.at("ttl_sec").get<int>()),
                              parse_rfc3339(vector.at("now")));
        ASSERT_FALSE(plaintext);
        EXPECT_EQ(plaintext.error().code, "invalid_token");
        EXPECT_EQ(plaintext.error().kind, ErrorKind::invalid_input);
        EXPECT_EQ(plaintext.error().message.find(token), std::string::npos);
    }
}

} // namespace
} // namespace switchboard::crypto
