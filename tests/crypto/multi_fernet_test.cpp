#include "core/crypto/multi_fernet.hpp"

#include "tests/crypto/fresh_cipher.hpp"

#include <gtest/gtest.h>

namespace switchboard::crypto {
namespace {

TEST(MultiFernet, NeedsAKey) {
    auto none = MultiFernet::create({});
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, "invalid_key");
}

TEST(MultiFernet, EncryptsWithThePrimaryAndDecryptsWithAnyKey) {
    const TokenCipher current = fresh_cipher();
    const TokenCipher old = fresh_cipher();
    auto keys = MultiFernet::create({current, old});
    ASSERT_TRUE(keys);

    auto token = keys->encrypt("new");
    ASSERT_TRUE(token);
    EXPECT_EQ(*current.decrypt(*token), "new");
    EXPECT_FALSE(old.decrypt(*token));

    auto old_token = old.encrypt("old");
    ASSERT_TRUE(old_token);
    auto decrypted = keys->decrypt_with_index(*old_token);
    ASSERT_TRUE(decrypted);
    EXPECT_EQ(decrypted->plaintext, "old");
    EXPECT_EQ(decrypted->key_index, 1u);
    EXPECT_EQ(keys->decrypt_with_index(*token)->key_index, 0u);

    auto unknown = fresh_cipher().encrypt("x");
    ASSERT_TRUE(unknown);
    auto refused = keys->decrypt(*unknown);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "invalid_token");
}

TEST(MultiFernet, RotateMovesATokenToThePrimaryKeepingItsTimestamp) {
    const TokenCipher current = fresh_cipher();
    const TokenCipher old = fresh_cipher();
    auto keys = MultiFernet::create({current, old});
    ASSERT_TRUE(keys);
    const std::array<std::uint8_t, 16> iv{1, 2, 3};
    auto old_token = old.encrypt_at("refresh", 12345, iv);
    ASSERT_TRUE(old_token);

    auto rotated = keys->rotate(*old_token);
    ASSERT_TRUE(rotated);
    EXPECT_EQ(*current.decrypt(*rotated), "refresh");
    EXPECT_FALSE(old.decrypt(*rotated));
    EXPECT_EQ(*TokenCipher::extract_timestamp(*rotated), 12345u);

    auto only_current = MultiFernet::create({current});
    ASSERT_TRUE(only_current);
    EXPECT_FALSE(only_current->rotate(*fresh_cipher().encrypt("x")));
}

} // namespace
} // namespace switchboard::crypto
