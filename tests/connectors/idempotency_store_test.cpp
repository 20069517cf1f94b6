// IdempotencyStore and ActionAuditLog on SQLite.
#include "core/store/action_audit_log.hpp"
#include "core/store/idempotency_store.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

namespace switchboard::store {
namespace {

class IdempotencyStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened = Database::open("sqlite://" + (dir / "sb.db").string());
        ASSERT_TRUE(opened) << opened.error().message;
        database = *opened;
        auto key = crypto::FernetKey::generate();
        ASSERT_TRUE(key);
        std::vector<crypto::TokenCipher> ciphers;
        ciphers.emplace_back(*key);
        keys = std::make_shared<const crypto::MultiFernet>(crypto::MultiFernet::create(std::move(ciphers)).value());
        store = std::make_unique<IdempotencyStore>(database, keys, [this] { return now; });
    }

    testing::TempDir dir;
    std::shared_ptr<Database> database;
    std::shared_ptr<const crypto::MultiFernet> keys;
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
    std::unique_ptr<IdempotencyStore> store;
};

TEST_F(IdempotencyStoreTest, ClaimCompleteReplay) {
    auto first = store->claim("t1", "key-1", "hash-a");
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_TRUE(first->acquired);
    EXPECT_FALSE(first->completed);

    auto during = store->claim("t1", "key-1", "hash-a");
    ASSERT_FALSE(during);
    EXPECT_EQ(during.error().code, "idempotency_key_in_progress");
    EXPECT_EQ(during.error().kind, ErrorKind::conflict);

    ASSERT_TRUE(store->complete("t1", "key-1", {R"({"id":"evt-1"})", "conn-1", "google_calendar"}));
    auto replay = store->claim("t1", "key-1", "hash-a");
    ASSERT_TRUE(replay);
    EXPECT_FALSE(replay->acquired);
    ASSERT_TRUE(replay->completed);
    EXPECT_EQ(replay->completed->result_json, R"({"id":"evt-1"})");
    EXPECT_EQ(replay->completed->connector_id, "conn-1");
    EXPECT_EQ(replay->completed->provider, "google_calendar");

    auto reused = store->claim("t1", "key-1", "hash-b");
    ASSERT_FALSE(reused);
    EXPECT_EQ(reused.error().code, "idempotency_key_reused");

    // Keys are per tenant.
    auto other = store->claim("t2", "key-1", "hash-b");
    ASSERT_TRUE(other);
    EXPECT_TRUE(other->acquired);
}

TEST_F(IdempotencyStoreTest, TheResultIsEncryptedAtRest) {
    ASSERT_TRUE(store->claim("t1", "k", "h"));
    ASSERT_TRUE(store->complete("t1", "k", {R"({"email":"jane@example.com"})", "c", "p"}));
    std::string stored;
    ASSERT_TRUE(database->with_session("test", [&](soci::session& sql) -> Result<void> {
        sql << "SELECT result_encrypted FROM idempotency_keys", soci::into(stored);
        return {};
    }));
    EXPECT_EQ(stored.find("jane@example.com"), std::string::npos);
    EXPECT_EQ(keys->decrypt(stored).value(), R"({"email":"jane@example.com"})");
}

TEST_F(IdempotencyStoreTest, AbandonedClaimsRunAgain) {
    ASSERT_TRUE(store->claim("t1", "k", "h"));
    ASSERT_TRUE(store->abandon("t1", "k"));
    auto again = store->claim("t1", "k", "h");
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->acquired);
}

TEST_F(IdempotencyStoreTest, AfterTheRetentionWindowAKeyIsNew) {
    ASSERT_TRUE(store->claim("t1", "k", "h"));
    ASSERT_TRUE(store->complete("t1", "k", {"{}", "c", "p"}));
    now += std::chrono::hours(24) + std::chrono::seconds(1);
    auto fresh = store->claim("t1", "k", "other-hash");
    ASSERT_TRUE(fresh) << fresh.error().message;
    EXPECT_TRUE(fresh->acquired);
}

TEST_F(IdempotencyStoreTest, AStalePendingClaimIsTakenOver) {
    ASSERT_TRUE(store->claim("t1", "k", "h"));
    now += std::chrono::minutes(5);
    EXPECT_EQ(store->claim("t1", "k", "h").error().code, "idempotency_key_in_progress");
    now += std::chrono::minutes(6);
    auto taken = store->claim("t1", "k", "h");
    ASSERT_TRUE(taken);
    EXPECT_TRUE(taken->acquired);
}

TEST_F(IdempotencyStoreTest, PurgeRemovesExpiredRows) {
    ASSERT_TRUE(store->claim("t1", "a", "h"));
    ASSERT_TRUE(store->claim("t1", "b", "h"));
    now += std::chrono::hours(25);
    ASSERT_TRUE(store->claim("t1", "c", "h")); // purges on its way (the last purge is old)
    int left = 0;
    ASSERT_TRUE(database->with_session("test", [&](soci::session& sql) -> Result<void> {
        sql << "SELECT COUNT(*) FROM idempotency_keys", soci::into(left);
        return {};
    }));
    EXPECT_EQ(left, 1);
    now += std::chrono::hours(25);
    auto purged = store->purge_expired();
    ASSERT_TRUE(purged);
    EXPECT_EQ(*purged, 1u);
}

TEST_F(IdempotencyStoreTest, BadKeysAreRefused) {
    for (std::string key : {std::string(), std::string(256, 'k'), std::string("has space"),
                            std::string("tab\t"), std::string("caf\xc3\xa9")}) {
        auto claimed = store->claim("t1", key, "h");
        ASSERT_FALSE(claimed);
        EXPECT_EQ(claimed.error().code, "invalid_idempotency_key");
    }
}

TEST_F(IdempotencyStoreTest, AuditLogKeepsMetadataOnly) {
    ActionAuditLog log(database, [this] { return now; });
    ActionAuditEntry entry;
    entry.tenant_id = "t1";
    entry.user_id = "u1";
    entry.connector_id = "00000000-0000-4000-8000-000000000001";
    entry.provider = "hubspot";
    entry.category = "crm";
    entry.action = "create_contact";
    entry.outcome = ActionOutcome::failed;
    entry.error_code = "rate_limited";
    entry.duration = std::chrono::milliseconds(42);
    auto stored = log.record(entry);
    ASSERT_TRUE(stored) << stored.error().message;
    EXPECT_EQ(stored->id.size(), 36u);

    entry.tenant_id = "t2";
    entry.connector_id.clear();
    entry.provider.clear();
    ASSERT_TRUE(log.record(entry));

    auto rows = log.recent("t1");
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 1u);
    const auto& row = rows->front();
    EXPECT_EQ(row.user_id, "u1");
    EXPECT_EQ(row.connector_id, "00000000-0000-4000-8000-000000000001");
    EXPECT_EQ(row.provider, "hubspot");
    EXPECT_EQ(row.action, "create_contact");
    EXPECT_EQ(row.outcome, ActionOutcome::failed);
    EXPECT_EQ(row.error_code, "rate_limited");
    EXPECT_EQ(row.duration, std::chrono::milliseconds(42));

    auto other = log.recent("t2");
    ASSERT_TRUE(other);
    ASSERT_EQ(other->size(), 1u);
    EXPECT_TRUE(other->front().connector_id.empty());

    entry.action.clear();
    EXPECT_EQ(log.record(entry).error().code, "invalid_audit_entry");
}

} // namespace
} // namespace switchboard::store
