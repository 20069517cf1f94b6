// `switchboard keygen` and `switchboard rotate-keys`, run as the built executable against a
// real SQLite database written by the token store.
#include "core/crypto/multi_fernet.hpp"
#include "core/store/connector_repository.hpp"
#include "core/store/key_check.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#ifndef SB_SWITCHBOARD_EXE
#error "SB_SWITCHBOARD_EXE must name the built switchboard executable"
#endif

namespace switchboard {
namespace {

using testing::ProcessOptions;
using testing::ProcessResult;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

ProcessResult run(std::vector<std::string> args, std::vector<std::string> environment = {}) {
    ProcessOptions options;
    options.argv = {SB_SWITCHBOARD_EXE};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    options.environment = std::move(environment);
    return testing::run_process(options, {}, std::chrono::seconds(30));
}

std::string generate_key() {
    auto r = run({"keygen"});
    EXPECT_TRUE(r.status.exited_with(0)) << r.error;
    std::string key = r.output;
    while (!key.empty() && key.back() == '\n') key.pop_back();
    return key;
}

std::shared_ptr<const crypto::MultiFernet> keys_of(const std::vector<std::string>& encoded) {
    std::vector<crypto::TokenCipher> ciphers;
    for (const auto& text : encoded) {
        auto key = crypto::FernetKey::from_base64url(text);
        EXPECT_TRUE(key) << key.error().message;
        ciphers.emplace_back(*key);
    }
    auto multi = crypto::MultiFernet::create(std::move(ciphers));
    EXPECT_TRUE(multi);
    return std::make_shared<const crypto::MultiFernet>(std::move(*multi));
}

TEST(KeygenCommand, PrintsAFreshFernetKeyEachTime) {
    std::set<std::string> keys;
    for (int i = 0; i < 3; ++i) {
        const std::string key = generate_key();
        EXPECT_EQ(key.size(), 44u) << key;
        EXPECT_TRUE(crypto::FernetKey::from_base64url(key)) << key;
        keys.insert(key);
    }
    EXPECT_EQ(keys.size(), 3u);
}

class RotateKeysCommand : public ::testing::Test {
protected:
    void SetUp() override {
        database_path_ = dir_ / "switchboard.db";
        config_ = dir_ / "switchboard.json";
        std::ofstream(config_) << R"({"log": {"level": "error"}, "database": {"url": "sqlite://)"
                               << database_path_.string() << R"("}})";
    }

    std::shared_ptr<store::Database> open() {
        auto database = store::Database::open("sqlite://" + database_path_.string());
        EXPECT_TRUE(database) << database.error().message;
        return *database;
    }

    // A connector of tenant-a whose tokens are written under `keys`' primary key.
    std::string add_connector(const std::vector<std::string>& keys, int n) {
        store::ConnectorRepository repository(open(), keys_of(keys));
        store::NewConnector connector;
        connector.user_id = "user-a";
        connector.category = "crm";
        connector.provider = "hubspot";
        connector.name = "crm " + std::to_string(n);
        connector.account_identity = "user" + std::to_string(n) + "@example.com";
        connector.tokens.access_token = "access-" + std::to_string(n);
        connector.tokens.refresh_token = "refresh-" + std::to_string(n);
        auto created = repository.create("tenant-a", connector);
        EXPECT_TRUE(created) << created.error().message;
        return created->id;
    }

    ProcessResult rotate(const std::string& primary, const std::string& old,
                         std::vector<std::string> extra = {}) {
        std::vector<std::string> args = {"rotate-keys", "--config", config_.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return run(args, {"CONNECTOR_ENCRYPTION_KEY=" + primary,
                          "CONNECTOR_ENCRYPTION_KEYS_OLD=" + old});
    }

    testing::TempDir dir_;
    std::filesystem::path database_path_;
    std::filesystem::path config_;
};

TEST_F(RotateKeysCommand, ReEncryptsEveryTokenUnderTheNewKeyAndIsIdempotent) {
    const std::string k1 = generate_key();
    const std::string k2 = generate_key();
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(add_connector({k1}, i));

    auto first = rotate(k2, k1, {"--batch-size", "2"});
    ASSERT_TRUE(first.status.exited_with(0)) << first.output << first.error;
    EXPECT_EQ(first.output, "scanned: 5\nrotated: 5\nalready current: 0\nfailed: 0\n"
                            "idempotent results: 0 scanned, 0 rotated, 0 already current, 0 "
                            "failed\n");
    EXPECT_TRUE(contains(first.error, "batches of 2")) << first.error;
    EXPECT_FALSE(contains(first.output + first.error, k1)) << "never print a key";
    EXPECT_FALSE(contains(first.output + first.error, k2)) << "never print a key";

    // Only the new key is needed now.
    store::ConnectorRepository repository(open(), keys_of({k2}));
    for (int i = 0; i < 5; ++i) {
        auto credentials = repository.get_credentials("tenant-a", ids[static_cast<std::size_t>(i)]);
        ASSERT_TRUE(credentials) << credentials.error().message;
        EXPECT_EQ(credentials->tokens.access_token, "access-" + std::to_string(i));
        EXPECT_EQ(credentials->tokens.refresh_token, "refresh-" + std::to_string(i));
    }

    auto again = rotate(k2, k1);
    ASSERT_TRUE(again.status.exited_with(0)) << again.error;
    EXPECT_EQ(again.output, "scanned: 5\nrotated: 0\nalready current: 5\nfailed: 0\n"
                            "idempotent results: 0 scanned, 0 rotated, 0 already current, 0 "
                            "failed\n");
}

TEST_F(RotateKeysCommand, ListsRowsNoKeyOpensAndExitsWithOne) {
    const std::string k1 = generate_key();
    const std::string k2 = generate_key();
    const std::string lost = generate_key();
    add_connector({k1}, 1);
    const std::string orphan = add_connector({lost}, 2);
    auto r = rotate(k2, k1);
    EXPECT_TRUE(r.status.exited_with(1)) << r.status.describe();
    EXPECT_TRUE(contains(r.output, "scanned: 2\nrotated: 1\nalready current: 0\nfailed: 1\n"))
        << r.output;
    EXPECT_TRUE(contains(r.output, orphan)) << r.output;
    EXPECT_TRUE(contains(r.error, "CONNECTOR_ENCRYPTION_KEYS_OLD")) << r.error;
}

TEST_F(RotateKeysCommand, NamesAMissingOrBadKeyVariableWithoutItsValue) {
    auto missing = rotate("", "");
    EXPECT_TRUE(missing.status.exited_with(1)) << missing.status.describe();
    EXPECT_TRUE(contains(missing.error, "CONNECTOR_ENCRYPTION_KEY")) << missing.error;

    const std::string bad = "not-a-fernet-key-but-a-secret-all-the-same";
    auto invalid = rotate(bad, "");
    EXPECT_TRUE(invalid.status.exited_with(1));
    EXPECT_TRUE(contains(invalid.error, "CONNECTOR_ENCRYPTION_KEY")) << invalid.error;
    EXPECT_FALSE(contains(invalid.error, bad)) << invalid.error;

    auto bad_old = rotate(generate_key(), generate_key() + "," + bad);
    EXPECT_TRUE(bad_old.status.exited_with(1));
    EXPECT_TRUE(contains(bad_old.error, "CONNECTOR_ENCRYPTION_KEYS_OLD")) << bad_old.error;
    EXPECT_FALSE(contains(bad_old.error, bad)) << bad_old.error;
}

// Issue 10, point 4: the database's key check moves with the tokens, so the old key opens it
// until rotate-keys has run and the new key alone afterwards.
TEST_F(RotateKeysCommand, MovesTheKeyCheckToTheNewKey) {
    const std::string k1 = generate_key();
    const std::string k2 = generate_key();
    add_connector({k1}, 1);
    ASSERT_TRUE(store::verify_key_check(*open(), *keys_of({k1}))); // the first start
    EXPECT_EQ(store::verify_key_check(*open(), *keys_of({k2, k1}))->state,
              store::KeyCheckState::old_key);
    EXPECT_FALSE(store::verify_key_check(*open(), *keys_of({k2})));

    auto r = rotate(k2, k1);
    ASSERT_TRUE(r.status.exited_with(0)) << r.output << r.error;
    EXPECT_EQ(store::verify_key_check(*open(), *keys_of({k2}))->state,
              store::KeyCheckState::current);
    auto retired = store::verify_key_check(*open(), *keys_of({k1}));
    ASSERT_FALSE(retired);
    EXPECT_EQ(retired.error().code, "encryption_key_mismatch");
}

TEST_F(RotateKeysCommand, RefusesKeysThatDoNotOpenTheDatabaseAndTouchesNothing) {
    const std::string k1 = generate_key();
    const std::string id = add_connector({k1}, 1);
    ASSERT_TRUE(store::verify_key_check(*open(), *keys_of({k1})));
    const std::string k2 = generate_key();
    const std::string k3 = generate_key();
    auto r = rotate(k2, k3);
    EXPECT_TRUE(r.status.exited_with(1)) << r.status.describe();
    EXPECT_TRUE(contains(r.error, "CONNECTOR_ENCRYPTION_KEY is not the key")) << r.error;
    EXPECT_TRUE(r.output.empty()) << r.output;
    for (const auto& key : {k1, k2, k3}) EXPECT_FALSE(contains(r.output + r.error, key));
    store::ConnectorRepository repository(open(), keys_of({k1}));
    EXPECT_TRUE(repository.get_credentials("tenant-a", id)) << "still under k1";
    EXPECT_EQ(store::verify_key_check(*open(), *keys_of({k1}))->state,
              store::KeyCheckState::current);
}

TEST_F(RotateKeysCommand, RefusesABadBatchSizeAsAUsageError) {
    auto r = rotate(generate_key(), "", {"--batch-size", "0"});
    EXPECT_TRUE(r.status.exited_with(2)) << r.status.describe();
}

} // namespace
} // namespace switchboard
