// The encryption key check (issue 10, point 4) against every SQL backend: included by exactly
// one source file per test program, which instantiates it.
#pragma once

#include "core/crypto/multi_fernet.hpp"
#include "core/store/connector_repository.hpp"
#include "core/store/key_check.hpp"
#include "tests/store/store_backends.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <thread>

namespace switchboard::store::test {

template <class Backend> class KeyCheckTest : public ::testing::Test {
protected:
    void SetUp() override {
        url_ = Backend::new_database(dir_);
        database_ = open_or_fail(url_);
        ASSERT_NE(database_, nullptr);
        for (auto* key : {&k1_, &k2_, &k3_}) key->emplace(*crypto::FernetKey::generate());
    }

    crypto::MultiFernet keys(std::initializer_list<const std::optional<crypto::FernetKey>*> which) {
        std::vector<crypto::TokenCipher> ciphers;
        for (const auto* key : which) ciphers.emplace_back(**key);
        return *crypto::MultiFernet::create(std::move(ciphers));
    }

    std::optional<std::string> stored_check() {
        std::optional<std::string> out;
        EXPECT_TRUE(database_->with_session("read", [&](soci::session& sql) -> Result<void> {
            std::string canary;
            sql << "SELECT canary FROM encryption_key_check", soci::into(canary);
            if (sql.got_data()) out = canary;
            return {};
        }));
        return out;
    }

    std::optional<testing::TempDir> dir_;
    std::string url_;
    std::shared_ptr<Database> database_;
    std::optional<crypto::FernetKey> k1_, k2_, k3_;
};

TYPED_TEST_SUITE_P(KeyCheckTest);

TYPED_TEST_P(KeyCheckTest, ABrandNewDatabaseGetsItsCheckOnFirstStart) {
    EXPECT_FALSE(this->stored_check());
    auto first = verify_key_check(*this->database_, this->keys({&this->k1_}));
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->state, KeyCheckState::created);
    const auto stored = this->stored_check();
    ASSERT_TRUE(stored);
    EXPECT_TRUE(this->keys({&this->k1_}).decrypt(*stored)) << "written under the primary key";

    auto again = verify_key_check(*this->database_, this->keys({&this->k1_}));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->state, KeyCheckState::current);
    EXPECT_EQ(this->stored_check(), stored) << "verifying does not rewrite it";
}

TYPED_TEST_P(KeyCheckTest, AValidButWrongKeyIsRefusedNamingTheVariablesNotTheKey) {
    ASSERT_TRUE(verify_key_check(*this->database_, this->keys({&this->k1_})));
    auto wrong = verify_key_check(*this->database_, this->keys({&this->k2_, &this->k3_}));
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, "encryption_key_mismatch");
    EXPECT_NE(wrong.error().message.find("CONNECTOR_ENCRYPTION_KEY"), std::string::npos);
    EXPECT_NE(wrong.error().message.find("CONNECTOR_ENCRYPTION_KEYS_OLD"), std::string::npos);
    for (const auto* key : {&this->k1_, &this->k2_, &this->k3_}) {
        EXPECT_EQ(wrong.error().message.find((*key)->to_base64url()), std::string::npos);
    }
}

TYPED_TEST_P(KeyCheckTest, AnOldKeyOpensItUntilRotationMovesItForward) {
    ASSERT_TRUE(verify_key_check(*this->database_, this->keys({&this->k1_})));
    // k2 is the new key, k1 still an old one: the host starts.
    auto during = verify_key_check(*this->database_, this->keys({&this->k2_, &this->k1_}));
    ASSERT_TRUE(during) << during.error().message;
    EXPECT_EQ(during->state, KeyCheckState::old_key);
    EXPECT_EQ(during->key_index, 1u);
    EXPECT_FALSE(verify_key_check(*this->database_, this->keys({&this->k2_})));

    auto rotated = rotate_key_check(*this->database_, this->keys({&this->k2_, &this->k1_}));
    ASSERT_TRUE(rotated) << rotated.error().message;
    EXPECT_EQ(rotated->state, KeyCheckState::current);
    EXPECT_EQ(verify_key_check(*this->database_, this->keys({&this->k2_}))->state,
              KeyCheckState::current);
    auto retired = verify_key_check(*this->database_, this->keys({&this->k1_}));
    ASSERT_FALSE(retired);
    EXPECT_EQ(retired.error().code, "encryption_key_mismatch");
    // Rotation with keys that do not open it changes nothing.
    const auto before = this->stored_check();
    EXPECT_FALSE(rotate_key_check(*this->database_, this->keys({&this->k3_, &this->k1_})));
    EXPECT_EQ(this->stored_check(), before);
}

TYPED_TEST_P(KeyCheckTest, ADatabaseFromBeforeTheCheckIsJudgedByItsStoredTokens) {
    ConnectorRepository repository(this->database_,
                                   std::make_shared<const crypto::MultiFernet>(this->keys({&this->k1_})));
    NewConnector connector;
    connector.user_id = "u";
    connector.category = "crm";
    connector.provider = "hubspot";
    connector.name = "CRM";
    connector.account_identity = "ada@example.com";
    connector.tokens.access_token = "CK-access";
    ASSERT_TRUE(repository.create("tenant-a", connector));

    auto wrong = verify_key_check(*this->database_, this->keys({&this->k2_}));
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, "encryption_key_mismatch");
    EXPECT_FALSE(this->stored_check()) << "no check is written under a key that does not fit";

    auto right = verify_key_check(*this->database_, this->keys({&this->k2_, &this->k1_}));
    ASSERT_TRUE(right) << right.error().message;
    EXPECT_EQ(right->state, KeyCheckState::created);
    EXPECT_EQ(right->key_index, 0u) << "written under the primary key";
}

TYPED_TEST_P(KeyCheckTest, InstancesStartingTogetherWriteOneCheck) {
    std::vector<std::thread> starting;
    std::atomic<int> failures{0};
    for (int i = 0; i < 4; ++i) {
        starting.emplace_back([&] {
            auto database = open_or_fail(this->url_);
            if (!database || !verify_key_check(*database, this->keys({&this->k1_}))) ++failures;
        });
    }
    for (auto& thread : starting) thread.join();
    EXPECT_EQ(failures.load(), 0);
    int rows = 0;
    ASSERT_TRUE(this->database_->with_session("count", [&](soci::session& sql) -> Result<void> {
        sql << "SELECT COUNT(*) FROM encryption_key_check", soci::into(rows);
        return {};
    }));
    EXPECT_EQ(rows, 1);
}

REGISTER_TYPED_TEST_SUITE_P(KeyCheckTest, ABrandNewDatabaseGetsItsCheckOnFirstStart,
                            AValidButWrongKeyIsRefusedNamingTheVariablesNotTheKey,
                            AnOldKeyOpensItUntilRotationMovesItForward,
                            ADatabaseFromBeforeTheCheckIsJudgedByItsStoredTokens,
                            InstancesStartingTogetherWriteOneCheck);

} // namespace switchboard::store::test
