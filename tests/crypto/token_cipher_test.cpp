#include "core/crypto/token_cipher.hpp"

#include "core/crypto/base64url.hpp"
#include "tests/crypto/fresh_cipher.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace switchboard::crypto {
namespace {

TEST(TokenCipher, RoundTripsAnyPlaintext) {
    const TokenCipher cipher = fresh_cipher();
    for (const std::string& plaintext :
         {std::string(), std::string("ya29.a0-access-token"), std::string(16, 'x'),
          std::string("\0binary\xff", 8), std::string(5000, 'z')}) {
        auto token = cipher.encrypt(plaintext);
        ASSERT_TRUE(token);
        auto decrypted = cipher.decrypt(*token);
        ASSERT_TRUE(decrypted) << decrypted.error().message;
        EXPECT_EQ(*decrypted, plaintext);
    }
}

TEST(TokenCipher, UsesAFreshIvEveryTime) {
    const TokenCipher cipher = fresh_cipher();
    auto first = cipher.encrypt("same");
    auto second = cipher.encrypt("same");
    ASSERT_TRUE(first && second);
    EXPECT_NE(*first, *second);
}

TEST(TokenCipher, TokenStartsWithVersionAndTimestamp) {
    const TokenCipher cipher = fresh_cipher();
    const std::uint64_t before = fernet_now();
    auto token = cipher.encrypt("x");
    ASSERT_TRUE(token);
    EXPECT_EQ(token->substr(0, 2), "gA"); // 0x80
    auto timestamp = TokenCipher::extract_timestamp(*token);
    ASSERT_TRUE(timestamp);
    EXPECT_GE(*timestamp, before);
    EXPECT_LE(*timestamp, fernet_now());
}

TEST(TokenCipher, RefusesAnotherKeysToken) {
    auto token = fresh_cipher().encrypt("secret");
    ASSERT_TRUE(token);
    auto decrypted = fresh_cipher().decrypt(*token);
    ASSERT_FALSE(decrypted);
    EXPECT_EQ(decrypted.error().code, "invalid_token");
}

TEST(TokenCipher, RefusesAnyFlippedBit) {
    const TokenCipher cipher = fresh_cipher();
    auto token = cipher.encrypt("refresh-token-value");
    ASSERT_TRUE(token);
    auto raw = base64url_decode(*token);
    ASSERT_TRUE(raw);
    for (std::size_t i = 0; i < raw->size(); ++i) {
        auto tampered = *raw;
        tampered[i] ^= 0x01;
        EXPECT_FALSE(cipher.decrypt(base64url_encode(tampered))) << "byte " << i;
    }
}

// Each thread keeps its OpenSSL contexts keyed for the last key it used: a thread that
// switches keys must re-key them, every time.
TEST(TokenCipher, KeysTakingTurnsOnOneThreadKeepTheirOwnTokens) {
    const TokenCipher first = fresh_cipher();
    const TokenCipher second = fresh_cipher();
    const TokenCipher first_copy = first; // a copy of a key is the same key
    for (int i = 0; i < 3; ++i) {
        auto a = first.encrypt("first-" + std::to_string(i));
        auto b = second.encrypt("second-" + std::to_string(i));
        ASSERT_TRUE(a && b);
        EXPECT_EQ(*first_copy.decrypt(*a), "first-" + std::to_string(i));
        EXPECT_FALSE(first.decrypt(*b));
        EXPECT_EQ(*second.decrypt(*b), "second-" + std::to_string(i));
        EXPECT_FALSE(second.decrypt(*a));
        EXPECT_EQ(*first.decrypt(*a), "first-" + std::to_string(i));
    }
}

TEST(TokenCipher, ThreadsEncryptAndDecryptAtOnce) {
    const TokenCipher first = fresh_cipher();
    const TokenCipher second = fresh_cipher();
    std::vector<std::thread> threads;
    std::vector<int> failures(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                const TokenCipher& own = (i + t) % 2 == 0 ? first : second;
                const TokenCipher& other = (i + t) % 2 == 0 ? second : first;
                const std::string plaintext = std::to_string(t) + ":" + std::to_string(i);
                auto token = own.encrypt(plaintext);
                auto decrypted = token ? own.decrypt(*token) : Result<std::string>(Error());
                if (!decrypted || *decrypted != plaintext || other.decrypt(*token)) {
                    ++failures[static_cast<std::size_t>(t)];
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(failures, std::vector<int>(4, 0));
}

TEST(TokenCipher, AppliesTheTtl) {
    const TokenCipher cipher = fresh_cipher();
    const std::array<std::uint8_t, 16> iv{};
    auto token = cipher.encrypt_at("x", 1000, iv);
    ASSERT_TRUE(token);
    EXPECT_TRUE(cipher.decrypt_at(*token, std::chrono::seconds(60), 1060));
    EXPECT_FALSE(cipher.decrypt_at(*token, std::chrono::seconds(60), 1061));
    EXPECT_TRUE(cipher.decrypt_at(*token, std::chrono::seconds(60), 940));  // 60 s clock skew
    EXPECT_FALSE(cipher.decrypt_at(*token, std::chrono::seconds(60), 939)); // too far ahead
    EXPECT_TRUE(cipher.decrypt_at(*token, std::nullopt, 999999));           // no TTL: no age check
}

TEST(FernetKey, ParsesPaddedAndUnpaddedKeys) {
    auto key = FernetKey::generate();
    ASSERT_TRUE(key);
    const std::string text = key->to_base64url();
    EXPECT_EQ(text.size(), 44u);
    auto again = FernetKey::from_base64url(text);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->to_base64url(), text);
    EXPECT_TRUE(FernetKey::from_base64url(text.substr(0, 43)));
}

TEST(FernetKey, RefusesMalformedKeysWithoutEchoingThem) {
    for (const std::string& bad :
         {std::string("short"), std::string(44, '!'),
          std::string("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=AAAA")}) {
        auto key = FernetKey::from_base64url(bad);
        ASSERT_FALSE(key);
        EXPECT_EQ(key.error().code, "invalid_key");
        EXPECT_EQ(key.error().message.find(bad), std::string::npos);
    }
}

} // namespace
} // namespace switchboard::crypto
