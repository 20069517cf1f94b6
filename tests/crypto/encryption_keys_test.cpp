#include "core/crypto/encryption_keys.hpp"

#include <gtest/gtest.h>

#include <map>

namespace switchboard::crypto {
namespace {

std::string new_key() {
    return FernetKey::generate()->to_base64url();
}

EnvironmentLookup environment(std::map<std::string, std::string> values) {
    return [values](std::string_view name) -> std::optional<std::string> {
        auto found = values.find(std::string(name));
        if (found == values.end()) return std::nullopt;
        return found->second;
    };
}

TEST(EncryptionKeys, LoadsThePrimaryAndOldKeys) {
    const std::string primary = new_key(), old1 = new_key(), old2 = new_key();
    auto keys = load_encryption_keys_from_environment(
        environment({{"CONNECTOR_ENCRYPTION_KEY", primary},
                     {"CONNECTOR_ENCRYPTION_KEYS_OLD", " " + old1 + " , " + old2 + "\n"}}));
    ASSERT_TRUE(keys) << keys.error().message;
    EXPECT_EQ(keys->key_count(), 3u);
    EXPECT_EQ(keys->primary().key().to_base64url(), primary);

    const TokenCipher old_cipher(*FernetKey::from_base64url(old2));
    auto decrypted = keys->decrypt_with_index(*old_cipher.encrypt("t"));
    ASSERT_TRUE(decrypted);
    EXPECT_EQ(decrypted->key_index, 2u);
}

TEST(EncryptionKeys, OldKeysAreOptional) {
    for (const char* old : {"", "  "}) {
        auto keys = load_encryption_keys(new_key(), std::string_view(old));
        ASSERT_TRUE(keys);
        EXPECT_EQ(keys->key_count(), 1u);
    }
    auto keys = load_encryption_keys(new_key(), std::nullopt);
    ASSERT_TRUE(keys);
    EXPECT_EQ(keys->key_count(), 1u);
}

TEST(EncryptionKeys, AMissingPrimaryKeyNamesTheVariable) {
    for (auto primary : {std::optional<std::string_view>(), std::optional<std::string_view>(" ")}) {
        auto keys = load_encryption_keys(primary, std::nullopt);
        ASSERT_FALSE(keys);
        EXPECT_EQ(keys.error().code, "encryption_key_missing");
        EXPECT_EQ(keys.error().field, "CONNECTOR_ENCRYPTION_KEY");
        EXPECT_NE(keys.error().message.find("CONNECTOR_ENCRYPTION_KEY"), std::string::npos);
    }
}

TEST(EncryptionKeys, AMalformedKeyNamesTheVariableButNeverTheValue) {
    const std::string good = new_key();
    const std::string bad = good.substr(0, 30) + "@@"; // almost a key: must not leak
    struct Case {
        std::string primary, old, field, where;
    };
    for (const auto& c :
         {Case{bad, "", "CONNECTOR_ENCRYPTION_KEY", ""},
          Case{good, good + "," + bad, "CONNECTOR_ENCRYPTION_KEYS_OLD", "entry 2"},
          Case{good, good + ",," + good, "CONNECTOR_ENCRYPTION_KEYS_OLD", "entry 2"},
          Case{good, good.substr(4), "CONNECTOR_ENCRYPTION_KEYS_OLD", "entry 1"}}) {
        auto keys = load_encryption_keys(c.primary, c.old);
        ASSERT_FALSE(keys) << c.field;
        EXPECT_EQ(keys.error().code, "encryption_key_invalid");
        EXPECT_EQ(keys.error().field, c.field);
        EXPECT_NE(keys.error().message.find(c.field), std::string::npos);
        EXPECT_NE(keys.error().message.find(c.where), std::string::npos);
        EXPECT_EQ(keys.error().message.find(bad.substr(0, 30)), std::string::npos);
        EXPECT_EQ(keys.error().message.find(good.substr(4, 20)), std::string::npos);
    }
}

} // namespace
} // namespace switchboard::crypto
