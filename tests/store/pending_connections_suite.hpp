// PendingConnections (connect confirmation) against every SQL backend: included by exactly
// one source file per test program, which instantiates it.
#pragma once

#include "core/crypto/digest.hpp"
#include "core/crypto/multi_fernet.hpp"
#include "core/store/connector_repository.hpp"
#include "core/store/pending_connections.hpp"
#include "core/store/refresh_lease.hpp"
#include "tests/store/store_backends.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

namespace switchboard::store::test {

template <class Backend> class PendingConnectionsTest : public ::testing::Test {
protected:
    void SetUp() override {
        url_ = Backend::new_database(dir_);
        database_ = open_or_fail(url_);
        ASSERT_NE(database_, nullptr);
        std::vector<crypto::TokenCipher> ciphers;
        ciphers.emplace_back(*crypto::FernetKey::generate());
        keys_ = std::make_shared<const crypto::MultiFernet>(*crypto::MultiFernet::create(ciphers));
        auto clock = [this] { return now_.load(); };
        repository_ = std::make_shared<ConnectorRepository>(database_, keys_, clock);
        PendingOptions options;
        options.claim_duration = std::chrono::seconds(120);
        pending_ = std::make_shared<PendingConnections>(database_, keys_, clock, options);
    }

    Timestamp at(std::chrono::seconds from_now) const {
        return std::chrono::time_point_cast<std::chrono::seconds>(now_.load()) + from_now;
    }
    void advance(std::chrono::seconds by) { now_ = now_.load() + by; }

    static std::string hash_of(const std::string& code) { return *crypto::sha256_hex(code); }

    NewConnector connector(const std::string& identity = "ada@example.com",
                           const std::string& account = "") {
        NewConnector c;
        c.user_id = "user-1";
        c.category = "crm";
        c.provider = "hubspot";
        c.name = "CRM";
        c.account_identity = identity;
        c.account_id = account;
        c.scopes = {"oauth", "crm.objects.contacts.read"};
        c.tokens.access_token = "CK-access-" + identity + account;
        c.tokens.refresh_token = "na1-refresh-" + identity + account;
        c.tokens.expires_at = at(std::chrono::minutes(30));
        return c;
    }

    ConnectorRef park(const std::string& code, const NewConnector& c,
                      const std::string& tenant = "tenant-a") {
        auto parked = pending_->park(tenant, c, hash_of(code), at(std::chrono::seconds(300)));
        EXPECT_TRUE(parked) << parked.error().code << ": " << parked.error().message;
        return parked ? *parked : ConnectorRef{};
    }

    Result<Confirmation> confirm(const std::string& code, const std::string& tenant = "tenant-a",
                                 const std::string& user = "user-1") {
        return pending_->confirm(hash_of(code), tenant, user);
    }

    std::size_t rows() {
        int count = 0;
        auto read = database_->with_session("count", [&](soci::session& sql) -> Result<void> {
            sql << "SELECT COUNT(*) FROM connector_accounts", soci::into(count);
            return {};
        });
        EXPECT_TRUE(read);
        return static_cast<std::size_t>(count);
    }

    std::optional<testing::TempDir> dir_;
    std::string url_;
    std::shared_ptr<Database> database_;
    std::shared_ptr<const crypto::MultiFernet> keys_;
    std::shared_ptr<ConnectorRepository> repository_;
    std::shared_ptr<PendingConnections> pending_;
    std::atomic<std::chrono::system_clock::time_point> now_{std::chrono::system_clock::now()};
};

TYPED_TEST_SUITE_P(PendingConnectionsTest);

TYPED_TEST_P(PendingConnectionsTest, AParkedConnectionIsPendingEncryptedAndNeverDueForRefresh) {
    const std::string code = "completion-code-one";
    auto c = this->connector();
    c.tokens.expires_at = this->at(std::chrono::seconds(10)); // due, were it active
    const ConnectorRef ref = this->park(code, c);

    auto summary = this->repository_->get("tenant-a", ref.connector_id);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary->status, ConnectorStatus::pending);
    EXPECT_EQ(summary->account_identity, "ada@example.com");
    EXPECT_TRUE(summary->has_refresh_token);
    // Only the code's hash is stored, and the tokens only as Fernet tokens.
    std::string hash, access;
    ASSERT_TRUE(this->database_->with_session("raw", [&](soci::session& sql) -> Result<void> {
        sql << "SELECT completion_hash, access_token_encrypted FROM connector_accounts",
            soci::into(hash), soci::into(access);
        return {};
    }));
    EXPECT_EQ(hash, this->hash_of(code));
    EXPECT_EQ(access.find(c.tokens.access_token), std::string::npos);
    EXPECT_EQ(this->keys_->decrypt(access).value(), c.tokens.access_token);

    RefreshLeaser leaser(this->database_, [this] { return this->now_.load(); });
    auto due = leaser.lease_due();
    ASSERT_TRUE(due);
    EXPECT_TRUE(due->empty());
}

TYPED_TEST_P(PendingConnectionsTest, ItsOwnPrincipalActivatesItOnceAndOnlyOnce) {
    const ConnectorRef ref = this->park("code-a", this->connector());
    auto confirmed = this->confirm("code-a");
    ASSERT_TRUE(confirmed) << confirmed.error().message;
    EXPECT_EQ(confirmed->kind, ConfirmationKind::activated);
    EXPECT_EQ(confirmed->connector, ref);
    EXPECT_EQ(confirmed->provider, "hubspot");
    auto summary = this->repository_->get("tenant-a", ref.connector_id);
    EXPECT_EQ(summary->status, ConnectorStatus::active);
    EXPECT_EQ(this->repository_->get_credentials("tenant-a", ref.connector_id)->tokens.access_token,
              this->connector().tokens.access_token);

    auto again = this->confirm("code-a");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, ErrorKind::not_found);
    EXPECT_EQ(again.error().code, "completion_not_found");
    auto unknown = this->confirm("never-issued");
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, "completion_not_found");
    // An active connector is never claimed for discarding.
    this->advance(std::chrono::hours(1));
    EXPECT_TRUE(this->pending_->claim_due(10)->empty());
}

TYPED_TEST_P(PendingConnectionsTest, AnotherPrincipalIsRefusedTheCodeDiesAndTheRowIsClaimedForDiscard) {
    for (const auto& [tenant, user] : {std::pair<std::string, std::string>{"tenant-b", "user-1"},
                                       {"tenant-a", "user-2"}}) {
        SCOPED_TRACE(tenant + "/" + user);
        const std::string code = "code-" + tenant + user;
        const ConnectorRef ref = this->park(code, this->connector(user + "@example.com"));
        auto refused = this->confirm(code, tenant, user);
        ASSERT_TRUE(refused) << refused.error().message;
        EXPECT_EQ(refused->kind, ConfirmationKind::forbidden);
        EXPECT_EQ(refused->connector, ref);
        EXPECT_EQ(this->repository_->get("tenant-a", ref.connector_id)->status,
                  ConnectorStatus::pending);
        // Not even its own principal can use the code now.
        EXPECT_EQ(this->confirm(code).error().code, "completion_not_found");
        // The refuser claimed it; a sweep takes it only once that claim lapses.
        EXPECT_TRUE(this->pending_->claim_due(10)->empty());
        this->advance(std::chrono::seconds(121));
        auto claims = this->pending_->claim_due(10);
        ASSERT_TRUE(claims);
        ASSERT_EQ(claims->size(), 1u);
        EXPECT_EQ(claims->front().connector, ref);
        EXPECT_EQ(claims->front().provider, "hubspot");
        ASSERT_TRUE(this->pending_->remove(ref));
        EXPECT_EQ(this->repository_->get("tenant-a", ref.connector_id).error().kind,
                  ErrorKind::not_found);
        ASSERT_TRUE(this->pending_->remove(ref)); // twice is fine
    }
    EXPECT_EQ(this->rows(), 0u);
}

TYPED_TEST_P(PendingConnectionsTest, AnUnconfirmedConnectionExpiresAndIsClaimedOnceAtATime) {
    const ConnectorRef ref = this->park("late", this->connector());
    this->advance(std::chrono::seconds(299));
    EXPECT_TRUE(this->pending_->claim_due(10)->empty());
    this->advance(std::chrono::seconds(1));
    EXPECT_EQ(this->confirm("late").error().code, "completion_not_found");
    auto claims = this->pending_->claim_due(10);
    ASSERT_TRUE(claims);
    ASSERT_EQ(claims->size(), 1u);
    EXPECT_EQ(claims->front().connector, ref);
    // Claimed: no one else gets it until the claim lapses (the claimer may still be revoking).
    EXPECT_TRUE(this->pending_->claim_due(10)->empty());
    EXPECT_EQ(this->confirm("late").error().code, "completion_not_found");
    this->advance(std::chrono::seconds(121));
    EXPECT_EQ(this->pending_->claim_due(10)->size(), 1u);
}

TYPED_TEST_P(PendingConnectionsTest, ItsOwnerCanClaimItNowAndOtherTenantsCannot) {
    const ConnectorRef ref = this->park("cancel", this->connector());
    auto theirs = this->pending_->claim("tenant-b", ref.connector_id);
    ASSERT_FALSE(theirs);
    EXPECT_EQ(theirs.error().kind, ErrorKind::not_found);
    auto mine = this->pending_->claim("tenant-a", ref.connector_id);
    ASSERT_TRUE(mine) << mine.error().message;
    EXPECT_EQ(mine->connector, ref);
    EXPECT_EQ(this->confirm("cancel").error().code, "completion_not_found");
    // An active connector cannot be claimed as pending.
    auto active = this->repository_->create("tenant-a", this->connector("other@example.com"));
    ASSERT_TRUE(active);
    EXPECT_EQ(this->pending_->claim("tenant-a", active->id).error().kind, ErrorKind::not_found);
}

TYPED_TEST_P(PendingConnectionsTest, AReconnectMovesTheTokensIntoTheEarlierInactiveConnector) {
    auto old = this->repository_->create("tenant-a", this->connector("ada@example.com", "111"));
    ASSERT_TRUE(old);
    ASSERT_TRUE(this->repository_->set_status("tenant-a", old->id, old->credential_version,
                                              ConnectorStatus::revoked,
                                              "invalid_grant"));
    auto fresh = this->connector("ada@example.com", "111");
    fresh.tokens.access_token = "CK-new-access";
    fresh.tokens.refresh_token = "na1-new-refresh";
    fresh.name = "A new name";
    const ConnectorRef ref = this->park("again", fresh);

    auto confirmed = this->confirm("again");
    ASSERT_TRUE(confirmed) << confirmed.error().message;
    EXPECT_EQ(confirmed->kind, ConfirmationKind::reconnected);
    EXPECT_EQ(confirmed->connector.connector_id, old->id);
    auto summary = this->repository_->get("tenant-a", old->id);
    EXPECT_EQ(summary->status, ConnectorStatus::active);
    EXPECT_EQ(summary->name, "CRM"); // keeps its name, id and owner
    EXPECT_TRUE(summary->last_error.empty());
    EXPECT_EQ(summary->credential_version, old->credential_version + 1);
    auto tokens = this->repository_->get_credentials("tenant-a", old->id)->tokens;
    EXPECT_EQ(tokens.access_token, "CK-new-access");
    EXPECT_EQ(tokens.refresh_token, "na1-new-refresh");
    EXPECT_EQ(this->repository_->get("tenant-a", ref.connector_id).error().kind,
              ErrorKind::not_found);
    EXPECT_EQ(this->rows(), 1u);
}

TYPED_TEST_P(PendingConnectionsTest, AReconnectWithoutANewRefreshTokenKeepsTheStoredOne) {
    auto old = this->repository_->create("tenant-a", this->connector());
    ASSERT_TRUE(old);
    ASSERT_TRUE(this->repository_->set_status("tenant-a", old->id, old->credential_version,
                                              ConnectorStatus::expired));
    auto fresh = this->connector();
    fresh.tokens.access_token = "CK-second";
    fresh.tokens.refresh_token.reset();
    this->park("no-refresh", fresh);
    ASSERT_EQ(this->confirm("no-refresh")->kind, ConfirmationKind::reconnected);
    auto tokens = this->repository_->get_credentials("tenant-a", old->id)->tokens;
    EXPECT_EQ(tokens.access_token, "CK-second");
    EXPECT_EQ(tokens.refresh_token, this->connector().tokens.refresh_token);
}

TYPED_TEST_P(PendingConnectionsTest, AnAccountAlreadyActiveInTheTenantIsAlreadyConnected) {
    auto active = this->repository_->create("tenant-a", this->connector());
    ASSERT_TRUE(active);
    const ConnectorRef ref = this->park("dup", this->connector());
    auto confirmed = this->confirm("dup");
    ASSERT_TRUE(confirmed);
    EXPECT_EQ(confirmed->kind, ConfirmationKind::already_connected);
    EXPECT_EQ(this->repository_->get("tenant-a", ref.connector_id).error().kind,
              ErrorKind::not_found);
    EXPECT_EQ(this->repository_->get("tenant-a", active->id)->status, ConnectorStatus::active);
    // Another tenant's connection of the same account is theirs to make.
    this->park("other-tenant", this->connector(), "tenant-b");
    EXPECT_EQ(this->confirm("other-tenant", "tenant-b")->kind, ConfirmationKind::activated);
}

TYPED_TEST_P(PendingConnectionsTest, AnotherProviderAccountOfTheSameIdentityIsAnotherConnector) {
    // The same login in a second HubSpot portal: never a repoint of the first connector.
    auto first = this->repository_->create("tenant-a", this->connector("ada@example.com", "111"));
    ASSERT_TRUE(first);
    ASSERT_TRUE(this->repository_->set_status("tenant-a", first->id, first->credential_version,
                                              ConnectorStatus::revoked));
    const ConnectorRef second = this->park("portal-2", this->connector("ada@example.com", "222"));
    auto confirmed = this->confirm("portal-2");
    ASSERT_TRUE(confirmed);
    EXPECT_EQ(confirmed->kind, ConfirmationKind::activated);
    EXPECT_EQ(confirmed->connector, second);
    EXPECT_EQ(this->repository_->get("tenant-a", first->id)->status, ConnectorStatus::revoked);
    EXPECT_EQ(this->repository_->get("tenant-a", second.connector_id)->account_id, "222");
    // Both portals active side by side.
    ASSERT_TRUE(this->repository_->set_status("tenant-a", first->id, first->credential_version,
                                              ConnectorStatus::active));
    // A row written before account ids existed (none stored) is the same account.
    auto legacy = this->repository_->create("tenant-a", this->connector("bob@example.com", ""));
    ASSERT_TRUE(legacy);
    ASSERT_TRUE(this->repository_->set_status("tenant-a", legacy->id, legacy->credential_version,
                                              ConnectorStatus::expired));
    this->park("legacy", this->connector("bob@example.com", "333"));
    auto adopted = this->confirm("legacy");
    ASSERT_TRUE(adopted);
    EXPECT_EQ(adopted->kind, ConfirmationKind::reconnected);
    EXPECT_EQ(adopted->connector.connector_id, legacy->id);
    EXPECT_EQ(this->repository_->get("tenant-a", legacy->id)->account_id, "333");
}

TYPED_TEST_P(PendingConnectionsTest, ConcurrentSweepsClaimDisjointRows) {
    std::set<std::string> parked;
    for (int i = 0; i < 40; ++i) {
        parked.insert(this->park("sweep-" + std::to_string(i),
                                 this->connector("u" + std::to_string(i) + "@example.com"))
                          .connector_id);
    }
    this->advance(std::chrono::seconds(301));
    std::mutex mutex;
    std::multiset<std::string> claimed;
    std::vector<std::thread> sweepers;
    for (int t = 0; t < 4; ++t) {
        sweepers.emplace_back([&] {
            for (int pass = 0; pass < 10; ++pass) {
                auto claims = this->pending_->claim_due(3);
                if (!claims) {
                    ADD_FAILURE() << claims.error().message;
                    return;
                }
                std::lock_guard lock(mutex);
                for (const auto& claim : *claims) claimed.insert(claim.connector.connector_id);
            }
        });
    }
    for (auto& sweeper : sweepers) sweeper.join();
    EXPECT_EQ(claimed.size(), parked.size()); // each exactly once
    EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()), parked);
}

TYPED_TEST_P(PendingConnectionsTest, BadInputIsRefused) {
    auto c = this->connector();
    c.tokens.access_token.clear();
    auto refused = this->pending_->park("tenant-a", c, this->hash_of("x"), this->at(std::chrono::seconds(300)));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::invalid_input);
    auto short_hash = this->pending_->park("tenant-a", this->connector(), "abc", this->at(std::chrono::seconds(300)));
    ASSERT_FALSE(short_hash);
    EXPECT_EQ(short_hash.error().field, "completion_hash");
    EXPECT_EQ(this->pending_->confirm("abc", "tenant-a", "user-1").error().code,
              "completion_not_found");
    EXPECT_EQ(this->rows(), 0u);
}

REGISTER_TYPED_TEST_SUITE_P(PendingConnectionsTest,
                            AParkedConnectionIsPendingEncryptedAndNeverDueForRefresh,
                            ItsOwnPrincipalActivatesItOnceAndOnlyOnce,
                            AnotherPrincipalIsRefusedTheCodeDiesAndTheRowIsClaimedForDiscard,
                            AnUnconfirmedConnectionExpiresAndIsClaimedOnceAtATime,
                            ItsOwnerCanClaimItNowAndOtherTenantsCannot,
                            AReconnectMovesTheTokensIntoTheEarlierInactiveConnector,
                            AReconnectWithoutANewRefreshTokenKeepsTheStoredOne,
                            AnAccountAlreadyActiveInTheTenantIsAlreadyConnected,
                            AnotherProviderAccountOfTheSameIdentityIsAnotherConnector,
                            ConcurrentSweepsClaimDisjointRows, BadInputIsRefused);

} // namespace switchboard::store::test
