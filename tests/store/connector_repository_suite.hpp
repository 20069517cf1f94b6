// The ConnectorRepository, RefreshLeaser and key-rotation suite, run against every SQL
// backend: included by exactly one source file per test program, which instantiates it.
#pragma once

#include "core/crypto/multi_fernet.hpp"
#include "core/store/connector_repository.hpp"
#include "core/store/key_rotation.hpp"
#include "core/store/migrations.hpp"
#include "core/store/refresh_lease.hpp"
#include "tests/store/store_backends.hpp"
#include "tests/support/child_process.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <csignal>
#include <regex>
#include <set>
#include <thread>

namespace switchboard::store::test {

inline std::shared_ptr<const crypto::MultiFernet>
make_keys(const std::vector<crypto::FernetKey>& keys) {
    std::vector<crypto::TokenCipher> ciphers;
    for (const auto& key : keys) ciphers.emplace_back(key);
    return std::make_shared<const crypto::MultiFernet>(*crypto::MultiFernet::create(ciphers));
}

inline std::vector<ConnectorRef> refs(const std::vector<LeasedConnector>& leased) {
    std::vector<ConnectorRef> out;
    for (const auto& c : leased) out.push_back(c.ref);
    return out;
}

template <class Backend> class ConnectorStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        url_ = Backend::new_database(dir_);
        database_ = open_or_fail(url_);
        ASSERT_NE(database_, nullptr);
        old_key_.emplace(*crypto::FernetKey::generate());
        new_key_.emplace(*crypto::FernetKey::generate());
        keys_ = make_keys({*new_key_});
        repository_.emplace(database_, keys_, [this] { return now_.load(); });
    }

    NewConnector connector(std::string identity = "ada@example.com",
                           ConnectorStatus status = ConnectorStatus::active) {
        NewConnector c;
        c.user_id = "user-1";
        c.category = "calendar";
        c.provider = "google_calendar";
        c.name = "Work calendar";
        c.status = status;
        c.account_identity = std::move(identity);
        c.scopes = {"openid", "https://www.googleapis.com/auth/calendar"};
        c.tokens.access_token = "ya29.access-" + c.account_identity;
        c.tokens.refresh_token = "1//refresh-" + c.account_identity;
        c.tokens.expires_at =
            std::chrono::time_point_cast<std::chrono::seconds>(now_.load()) + std::chrono::hours(1);
        return c;
    }

    ConnectorSummary create(std::string_view tenant, const NewConnector& c) {
        auto created = repository_->create(tenant, c);
        EXPECT_TRUE(created) << created.error().message;
        return created ? *created : ConnectorSummary{};
    }

    // Reads a column straight from the table, bypassing the repository.
    std::optional<std::string> raw_column(const std::string& column, const std::string& id) {
        std::optional<std::string> value;
        auto read = database_->with_session("test read", [&](soci::session& sql) -> Result<void> {
            std::string text;
            soci::indicator ind = soci::i_null;
            std::string copy = id;
            sql << "SELECT " + column + " FROM connector_accounts WHERE id = :id",
                soci::into(text, ind), soci::use(copy);
            if (sql.got_data() && ind == soci::i_ok) value = text;
            return {};
        });
        EXPECT_TRUE(read);
        return value;
    }

    void advance(std::chrono::seconds by) { now_.store(now_.load() + by); }

    std::optional<testing::TempDir> dir_;
    std::string url_;
    std::shared_ptr<Database> database_;
    std::optional<crypto::FernetKey> old_key_, new_key_;
    std::shared_ptr<const crypto::MultiFernet> keys_;
    std::atomic<std::chrono::system_clock::time_point> now_{std::chrono::system_clock::now()};
    std::optional<ConnectorRepository> repository_;
};

TYPED_TEST_SUITE_P(ConnectorStoreTest);

TYPED_TEST_P(ConnectorStoreTest, MigrationsAreAppliedOnceAndRecorded) {
    // Opening again (a second instance starting) applies nothing new.
    auto again = open_or_fail(this->url_);
    ASSERT_NE(again, nullptr);
    std::vector<int> versions;
    ASSERT_TRUE(again->with_session("test", [&](soci::session& sql) -> Result<void> {
        versions = applied_migrations(sql);
        return {};
    }));
    std::vector<int> expected;
    for (const auto& migration : migrations()) expected.push_back(migration.version);
    EXPECT_EQ(versions, expected);
}

TYPED_TEST_P(ConnectorStoreTest, CreatesAndReadsBackAConnector) {
    const auto created = this->create("tenant-a", this->connector());
    EXPECT_TRUE(std::regex_match(
        created.id,
        std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
        << created.id;
    auto read = this->repository_->get("tenant-a", created.id);
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->tenant_id, "tenant-a");
    EXPECT_EQ(read->user_id, "user-1");
    EXPECT_EQ(read->category, "calendar");
    EXPECT_EQ(read->provider, "google_calendar");
    EXPECT_EQ(read->name, "Work calendar");
    EXPECT_EQ(read->status, ConnectorStatus::active);
    EXPECT_EQ(read->account_identity, "ada@example.com");
    EXPECT_EQ(read->scopes,
              (std::vector<std::string>{"openid", "https://www.googleapis.com/auth/calendar"}));
    EXPECT_TRUE(read->has_access_token);
    EXPECT_TRUE(read->has_refresh_token);
    EXPECT_EQ(read->token_expires_at, created.token_expires_at);
    EXPECT_EQ(read->created_at, created.created_at);
    EXPECT_EQ(read->credential_version, 1);
    EXPECT_FALSE(read->last_refreshed_at);
    EXPECT_TRUE(read->last_error.empty());
}

TYPED_TEST_P(ConnectorStoreTest, RecordsHowTheAccountWasConnected) {
    // The OAuth flow's connectors (and every row from before the column) read as oauth.
    const auto oauth = this->create("tenant-a", this->connector());
    EXPECT_EQ(oauth.auth_method, AuthMethod::oauth);
    EXPECT_EQ(this->raw_column("auth_method", oauth.id), "oauth");

    NewConnector token = this->connector("12345");
    token.category = "crm";
    token.provider = "hubspot";
    token.account_id = "12345";
    token.auth_method = AuthMethod::access_token;
    token.tokens.refresh_token.reset();
    token.tokens.expires_at.reset();
    const auto created = this->create("tenant-a", token);
    EXPECT_EQ(created.auth_method, AuthMethod::access_token);
    auto read = this->repository_->get("tenant-a", created.id);
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->auth_method, AuthMethod::access_token);
    EXPECT_FALSE(read->has_refresh_token);
    EXPECT_FALSE(read->token_expires_at);
    auto listed = this->repository_->list("tenant-a");
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 2u);
    // Both were created within one clock tick: the list's order (created_at, id) is the ids'.
    for (const auto& summary : *listed) {
        EXPECT_EQ(summary.auth_method,
                  summary.id == created.id ? AuthMethod::access_token : AuthMethod::oauth);
    }
    EXPECT_EQ(this->raw_column("auth_method", created.id), "access_token");
}

TYPED_TEST_P(ConnectorStoreTest, TokensAreEncryptedAtRestAndDecryptedOnRead) {
    const auto c = this->connector();
    const auto created = this->create("tenant-a", c);
    const auto access = this->raw_column("access_token_encrypted", created.id);
    const auto refresh = this->raw_column("refresh_token_encrypted", created.id);
    ASSERT_TRUE(access && refresh);
    EXPECT_EQ(access->find(c.tokens.access_token), std::string::npos);
    EXPECT_EQ(access->substr(0, 2), "gA"); // a Fernet token
    EXPECT_EQ(*crypto::TokenCipher(*this->new_key_).decrypt(*access), c.tokens.access_token);
    EXPECT_EQ(*crypto::TokenCipher(*this->new_key_).decrypt(*refresh), *c.tokens.refresh_token);

    auto credentials = this->repository_->get_credentials("tenant-a", created.id);
    ASSERT_TRUE(credentials) << credentials.error().message;
    EXPECT_EQ(credentials->tokens.access_token, c.tokens.access_token);
    EXPECT_EQ(credentials->tokens.refresh_token, c.tokens.refresh_token);
    EXPECT_EQ(credentials->tokens.expires_at, c.tokens.expires_at);
    EXPECT_EQ(credentials->credential_version, 1);

    // Another key set cannot read them, and says so without leaking anything.
    ConnectorRepository stranger(this->database_, make_keys({*this->old_key_}));
    auto refused = stranger.get_credentials("tenant-a", created.id);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "credentials_unreadable");
    EXPECT_EQ(refused.error().message.find(*access), std::string::npos);
}

TYPED_TEST_P(ConnectorStoreTest, AnotherTenantsConnectorIsNotFound) {
    const auto created = this->create("tenant-a", this->connector());
    auto& repo = *this->repository_;
    auto expect_not_found = [](const auto& result) {
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error().kind, ErrorKind::not_found);
        EXPECT_EQ(result.error().code, "connector_not_found");
    };
    expect_not_found(repo.get("tenant-b", created.id));
    expect_not_found(repo.get_credentials("tenant-b", created.id));
    expect_not_found(repo.update_tokens("tenant-b", created.id, 1, TokenUpdate{"new", {}, {}, {}}));
    expect_not_found(repo.set_status("tenant-b", created.id, 1, ConnectorStatus::revoked));
    expect_not_found(repo.remove("tenant-b", created.id));
    expect_not_found(repo.get("tenant-a", "00000000-0000-4000-8000-000000000000"));
    expect_not_found(repo.get("tenant-a", "' OR 1=1 --"));
    auto other = repo.list("tenant-b");
    ASSERT_TRUE(other);
    EXPECT_TRUE(other->empty());
    // And nothing of tenant-a changed.
    auto still = repo.get_credentials("tenant-a", created.id);
    ASSERT_TRUE(still);
    EXPECT_EQ(still->credential_version, 1);
    EXPECT_TRUE(repo.get("tenant-a", created.id));
}

TYPED_TEST_P(ConnectorStoreTest, RefusesADuplicateActiveAccount) {
    auto& repo = *this->repository_;
    const auto first = this->create("tenant-a", this->connector("ada@example.com"));
    auto duplicate = repo.create("tenant-a", this->connector("ada@example.com"));
    ASSERT_FALSE(duplicate);
    EXPECT_EQ(duplicate.error().kind, ErrorKind::conflict);
    EXPECT_EQ(duplicate.error().code, "connector_exists");
    EXPECT_EQ(duplicate.error().message.find("ya29"), std::string::npos);

    // Other tenant, other identity, or a non-active one: fine.
    this->create("tenant-b", this->connector("ada@example.com"));
    this->create("tenant-a", this->connector("bob@example.com"));
    const auto pending =
        this->create("tenant-a", this->connector("ada@example.com", ConnectorStatus::pending));
    // Activating the pending twin while the first is active is the same conflict.
    auto activate = repo.set_status("tenant-a", pending.id, 1, ConnectorStatus::active);
    ASSERT_FALSE(activate);
    EXPECT_EQ(activate.error().code, "connector_exists");
    ASSERT_TRUE(repo.set_status("tenant-a", first.id, 1, ConnectorStatus::revoked));
    EXPECT_TRUE(repo.set_status("tenant-a", pending.id, 1, ConnectorStatus::active));
}

TYPED_TEST_P(ConnectorStoreTest, ListsOnlyTheTenantsConnectorsWithFilters) {
    auto& repo = *this->repository_;
    const auto a1 = this->create("tenant-a", this->connector("a1@example.com"));
    this->advance(std::chrono::seconds(1));
    auto gmail = this->connector("a2@example.com");
    gmail.provider = "gmail";
    gmail.category = "email";
    gmail.user_id = "user-2";
    const auto a2 = this->create("tenant-a", gmail);
    this->create("tenant-b", this->connector("b1@example.com"));

    auto all = repo.list("tenant-a");
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].id, a1.id);
    EXPECT_EQ((*all)[1].id, a2.id);
    for (const auto& summary : *all) EXPECT_EQ(summary.tenant_id, "tenant-a");

    auto by_provider = repo.list("tenant-a", ConnectorFilter{{}, "gmail", {}, {}});
    ASSERT_TRUE(by_provider);
    ASSERT_EQ(by_provider->size(), 1u);
    EXPECT_EQ(by_provider->front().id, a2.id);
    auto by_user_and_category =
        repo.list("tenant-a", ConnectorFilter{"user-1", {}, "calendar", {}});
    ASSERT_TRUE(by_user_and_category);
    ASSERT_EQ(by_user_and_category->size(), 1u);
    EXPECT_EQ(by_user_and_category->front().id, a1.id);
    auto by_status = repo.list("tenant-a", ConnectorFilter{{}, {}, {}, ConnectorStatus::revoked});
    ASSERT_TRUE(by_status);
    EXPECT_TRUE(by_status->empty());
}

TYPED_TEST_P(ConnectorStoreTest, UpdatesTokensWithOptimisticConcurrency) {
    auto& repo = *this->repository_;
    const auto created = this->create("tenant-a", this->connector());
    const auto expires = created.token_expires_at.value() + std::chrono::hours(2);
    this->advance(std::chrono::seconds(30));
    auto version = repo.update_tokens(
        "tenant-a", created.id, 1, TokenUpdate{"ya29.second", std::nullopt, expires, std::nullopt});
    ASSERT_TRUE(version) << version.error().message;
    EXPECT_EQ(*version, 2);

    auto credentials = repo.get_credentials("tenant-a", created.id);
    ASSERT_TRUE(credentials);
    EXPECT_EQ(credentials->tokens.access_token, "ya29.second");
    EXPECT_EQ(credentials->tokens.refresh_token, "1//refresh-ada@example.com"); // kept
    EXPECT_EQ(credentials->tokens.expires_at, expires);
    EXPECT_EQ(credentials->credential_version, 2);
    auto summary = repo.get("tenant-a", created.id);
    ASSERT_TRUE(summary);
    EXPECT_EQ(summary->last_refreshed_at,
              std::chrono::time_point_cast<std::chrono::seconds>(this->now_.load()));
    EXPECT_EQ(summary->scopes.size(), 2u); // kept

    // A refresher still holding version 1 loses.
    auto stale = repo.update_tokens(
        "tenant-a", created.id, 1,
        TokenUpdate{"ya29.stale", std::string("1//stale"), expires, std::nullopt});
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().kind, ErrorKind::conflict);
    EXPECT_EQ(stale.error().code, "credential_version_conflict");
    EXPECT_EQ(stale.error().message.find("ya29"), std::string::npos);
    EXPECT_EQ(repo.get_credentials("tenant-a", created.id)->tokens.access_token, "ya29.second");

    // A new refresh token and scopes replace the old ones.
    ASSERT_TRUE(repo.update_tokens("tenant-a", created.id, 2,
                                   TokenUpdate{"ya29.third", std::string("1//rotated"), expires,
                                               std::vector<std::string>{"openid"}}));
    EXPECT_EQ(repo.get_credentials("tenant-a", created.id)->tokens.refresh_token, "1//rotated");
    EXPECT_EQ(repo.get("tenant-a", created.id)->scopes, std::vector<std::string>{"openid"});
}

TYPED_TEST_P(ConnectorStoreTest, ConcurrentRefreshersExactlyOneWins) {
    const auto created = this->create("tenant-a", this->connector());
    std::atomic<int> wins{0}, conflicts{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i) {
        threads.emplace_back([&, i] {
            auto result = this->repository_->update_tokens(
                "tenant-a", created.id, 1,
                TokenUpdate{"ya29.thread-" + std::to_string(i), std::nullopt, std::nullopt,
                            std::nullopt});
            if (result)
                ++wins;
            else if (result.error().code == "credential_version_conflict")
                ++conflicts;
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(wins.load(), 1);
    EXPECT_EQ(conflicts.load(), 5);
    EXPECT_EQ(this->repository_->get_credentials("tenant-a", created.id)->credential_version, 2);
}

TYPED_TEST_P(ConnectorStoreTest, SetsStatusAndRemoves) {
    auto& repo = *this->repository_;
    const auto created = this->create("tenant-a", this->connector());
    ASSERT_TRUE(repo.set_status("tenant-a", created.id, 1, ConnectorStatus::error,
                                "invalid_grant from provider"));
    auto read = repo.get("tenant-a", created.id);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->status, ConnectorStatus::error);
    EXPECT_EQ(read->last_error, "invalid_grant from provider");
    ASSERT_TRUE(repo.set_status("tenant-a", created.id, 1, ConnectorStatus::disconnected));
    EXPECT_TRUE(repo.get("tenant-a", created.id)->last_error.empty());

    ASSERT_TRUE(repo.remove("tenant-a", created.id));
    EXPECT_EQ(repo.get("tenant-a", created.id).error().code, "connector_not_found");
    EXPECT_EQ(repo.remove("tenant-a", created.id).error().code, "connector_not_found");
    EXPECT_FALSE(this->raw_column("id", created.id));
}

TYPED_TEST_P(ConnectorStoreTest, RefusesInvalidInput) {
    auto& repo = *this->repository_;
    auto no_tenant = repo.create("", this->connector());
    ASSERT_FALSE(no_tenant);
    EXPECT_EQ(no_tenant.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(no_tenant.error().field, "tenant_id");
    auto bad_scope = this->connector();
    bad_scope.scopes = {"two words"};
    EXPECT_EQ(repo.create("tenant-a", bad_scope).error().field, "scopes");
    auto no_provider = this->connector();
    no_provider.provider.clear();
    EXPECT_EQ(repo.create("tenant-a", no_provider).error().field, "provider");
    EXPECT_EQ(repo.list("").error().field, "tenant_id");
}

TYPED_TEST_P(ConnectorStoreTest, LeasesDueConnectorsAcrossTenantsOnce) {
    auto& repo = *this->repository_;
    auto due_soon = [&](std::string identity, std::chrono::minutes in) {
        auto c = this->connector(std::move(identity));
        c.tokens.expires_at =
            std::chrono::time_point_cast<std::chrono::seconds>(this->now_.load()) + in;
        return c;
    };
    const auto a = this->create("tenant-a", due_soon("a@example.com", std::chrono::minutes(1)));
    const auto b = this->create("tenant-b", due_soon("b@example.com", std::chrono::minutes(2)));
    this->create("tenant-a", due_soon("later@example.com", std::chrono::minutes(60)));
    auto no_refresh = due_soon("norefresh@example.com", std::chrono::minutes(1));
    no_refresh.tokens.refresh_token.reset();
    this->create("tenant-a", no_refresh);
    const auto revoked =
        this->create("tenant-c", due_soon("revoked@example.com", std::chrono::minutes(1)));
    ASSERT_TRUE(repo.set_status("tenant-c", revoked.id, 1, ConnectorStatus::revoked));

    RefreshLeaser leaser(this->database_, [this] { return this->now_.load(); });
    LeaseOptions options;
    options.window = std::chrono::minutes(5);
    options.lease_duration = std::chrono::minutes(2);
    auto leased = leaser.lease_due(options);
    ASSERT_TRUE(leased) << leased.error().message;
    EXPECT_EQ(refs(*leased), (std::vector<ConnectorRef>{{"tenant-a", a.id}, {"tenant-b", b.id}}));
    EXPECT_EQ(leased->front().provider, "google_calendar");
    EXPECT_EQ(leased->front().failures, 0);

    // Leased: not handed out again until the lease runs out or is released.
    EXPECT_TRUE(leaser.lease_due(options)->empty());
    ASSERT_TRUE(leaser.release({"tenant-b", b.id}));
    EXPECT_EQ(refs(*leaser.lease_due(options)), (std::vector<ConnectorRef>{{"tenant-b", b.id}}));
    this->advance(std::chrono::minutes(3));
    EXPECT_EQ(leaser.lease_due(options)->size(), 2u);

    // A successful refresh ends the lease and moves the expiry out of the window.
    const auto later = std::chrono::time_point_cast<std::chrono::seconds>(this->now_.load()) +
                       std::chrono::hours(1);
    ASSERT_TRUE(repo.update_tokens("tenant-a", a.id, 1,
                                   TokenUpdate{"ya29.fresh", std::nullopt, later, std::nullopt}));
    this->advance(std::chrono::minutes(3));
    EXPECT_EQ(refs(*leaser.lease_due(options)), (std::vector<ConnectorRef>{{"tenant-b", b.id}}));
}

TYPED_TEST_P(ConnectorStoreTest, ConcurrentLeasersGetDisjointSets) {
    for (int i = 0; i < 20; ++i) {
        auto c = this->connector("user" + std::to_string(i) + "@example.com");
        c.tokens.expires_at = std::chrono::time_point_cast<std::chrono::seconds>(this->now_.load());
        this->create("tenant-" + std::to_string(i % 3), c);
    }
    std::mutex mutex;
    std::vector<ConnectorRef> all;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            RefreshLeaser leaser(this->database_, [this] { return this->now_.load(); });
            LeaseOptions options;
            options.limit = 3;
            for (int round = 0; round < 10; ++round) {
                auto leased = leaser.lease_due(options);
                ASSERT_TRUE(leased) << leased.error().message;
                std::lock_guard lock(mutex);
                for (const auto& c : *leased) all.push_back(c.ref);
            }
        });
    }
    for (auto& thread : threads) thread.join();
    std::set<std::string> ids;
    for (const auto& ref : all) ids.insert(ref.connector_id);
    EXPECT_EQ(all.size(), 20u);
    EXPECT_EQ(ids.size(), 20u);
}

TYPED_TEST_P(ConnectorStoreTest, RotatesEveryTokenToTheNewKey) {
    // Rows written while the old key was the primary.
    ConnectorRepository before(this->database_, make_keys({*this->old_key_}));
    std::vector<std::string> ids;
    for (int i = 0; i < 7; ++i) {
        auto created = before.create("tenant-" + std::to_string(i % 2),
                                     this->connector("u" + std::to_string(i) + "@example.com"));
        ASSERT_TRUE(created);
        ids.push_back(created->id);
    }
    auto no_tokens = this->connector("pending@example.com", ConnectorStatus::pending);
    no_tokens.tokens = {};
    ids.push_back(before.create("tenant-a", no_tokens)->id);
    // And one already under the new key.
    ids.push_back(this->create("tenant-a", this->connector("new@example.com")).id);

    const auto both = make_keys({*this->new_key_, *this->old_key_});
    std::vector<std::size_t> progress;
    RotationOptions options;
    options.batch_size = 4;
    options.on_progress = [&](const RotationReport& report) { progress.push_back(report.scanned); };
    auto report = rotate_keys(*this->database_, *both, options);
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->scanned, 9u);
    EXPECT_EQ(report->rotated, 7u);
    EXPECT_EQ(report->already_current, 2u);
    EXPECT_EQ(report->failed, 0u);
    EXPECT_EQ(progress, (std::vector<std::size_t>{4, 8, 9}));

    // The old key is gone: everything still decrypts, nothing else changed.
    for (const auto& id : ids) {
        const auto tenant = this->raw_column("tenant_id", id).value();
        auto credentials = this->repository_->get_credentials(tenant, id);
        ASSERT_TRUE(credentials) << credentials.error().message;
        EXPECT_EQ(credentials->credential_version, 1);
    }
    EXPECT_EQ(this->repository_->get_credentials("tenant-0", ids[0])->tokens.access_token,
              "ya29.access-u0@example.com");

    auto again = rotate_keys(*this->database_, *both, options);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->rotated, 0u);
    EXPECT_EQ(again->already_current, 9u);
}

TYPED_TEST_P(ConnectorStoreTest, RotationReportsRowsNoKeyOpens) {
    ConnectorRepository lost(this->database_, make_keys({*crypto::FernetKey::generate()}));
    const auto orphan = lost.create("tenant-a", this->connector("orphan@example.com"));
    ASSERT_TRUE(orphan);
    const auto ciphertext = this->raw_column("access_token_encrypted", orphan->id);
    auto report = rotate_keys(*this->database_, *make_keys({*this->new_key_, *this->old_key_}));
    ASSERT_TRUE(report);
    EXPECT_EQ(report->failed, 1u);
    EXPECT_EQ(report->failed_ids, std::vector<std::string>{orphan->id});
    EXPECT_EQ(this->raw_column("access_token_encrypted", orphan->id), ciphertext); // untouched
}

TYPED_TEST_P(ConnectorStoreTest, RotationKilledHalfWayLosesNothingAndARerunFinishes) {
    ConnectorRepository before(this->database_, make_keys({*this->old_key_}));
    std::vector<std::pair<std::string, std::string>> rows; // tenant, id
    for (int i = 0; i < 10; ++i) {
        const std::string tenant = "tenant-" + std::to_string(i % 3);
        auto created =
            before.create(tenant, this->connector("u" + std::to_string(i) + "@example.com"));
        ASSERT_TRUE(created);
        rows.emplace_back(tenant, created->id);
    }
    const auto both = make_keys({*this->new_key_, *this->old_key_});

    // The child rotates with its own connections and is SIGKILLed after two batches.
    const std::string url = this->url_;
    const auto status = testing::run_in_forked_child([&]() -> int {
        auto database = Database::open(
            url, DatabaseOptions{1, std::chrono::seconds(10), std::chrono::seconds(10), true});
        if (!database) return 3;
        RotationOptions options;
        options.batch_size = 3;
        options.on_progress = [](const RotationReport& report) {
            if (report.scanned >= 6) ::raise(SIGKILL);
        };
        rotate_keys(**database, *both, options);
        return 4; // not reached
    });
    ASSERT_TRUE(status.killed_by(SIGKILL)) << status.describe();

    // Half done: two batches under the new key, the rest still under the old one.
    const auto only_new = make_keys({*this->new_key_});
    ConnectorRepository after(this->database_, only_new);
    std::size_t readable = 0;
    for (const auto& [tenant, id] : rows) readable += after.get_credentials(tenant, id) ? 1 : 0;
    EXPECT_EQ(readable, 6u);

    auto rerun = rotate_keys(*this->database_, *both, RotationOptions{3, {}});
    ASSERT_TRUE(rerun) << rerun.error().message;
    EXPECT_EQ(rerun->already_current, 6u);
    EXPECT_EQ(rerun->rotated, 4u);
    for (const auto& [tenant, id] : rows) {
        auto credentials = after.get_credentials(tenant, id);
        ASSERT_TRUE(credentials) << credentials.error().message;
        EXPECT_EQ(credentials->tokens.access_token.substr(0, 12), "ya29.access-");
    }
}

REGISTER_TYPED_TEST_SUITE_P(
    ConnectorStoreTest, MigrationsAreAppliedOnceAndRecorded, CreatesAndReadsBackAConnector,
    RecordsHowTheAccountWasConnected,
    TokensAreEncryptedAtRestAndDecryptedOnRead, AnotherTenantsConnectorIsNotFound,
    RefusesADuplicateActiveAccount, ListsOnlyTheTenantsConnectorsWithFilters,
    UpdatesTokensWithOptimisticConcurrency, ConcurrentRefreshersExactlyOneWins,
    SetsStatusAndRemoves, RefusesInvalidInput, LeasesDueConnectorsAcrossTenantsOnce,
    ConcurrentLeasersGetDisjointSets, RotatesEveryTokenToTheNewKey, RotationReportsRowsNoKeyOpens,
    RotationKilledHalfWayLosesNothingAndARerunFinishes);

} // namespace switchboard::store::test
