// What keeps token refreshes from racing across instances, run against every SQL backend:
// status writes guarded by the credential version, the per-connector refresh lock, the
// background-refresh lease (owner, renewal, deferral after failures, jitter), and key rotation
// of the stored idempotent results. Included by exactly one source file per test program.
#pragma once

#include "core/store/idempotency_store.hpp"
#include "core/store/refresh_lock.hpp"
#include "tests/store/connector_repository_suite.hpp"

#include <latch>

namespace switchboard::store::test {

template <class Backend> class RefreshCoordinationTest : public ConnectorStoreTest<Backend> {
protected:
    ConnectorSummary due_connector(std::string identity, std::chrono::seconds expires_in,
                                   std::string tenant = "tenant-a") {
        auto c = this->connector(std::move(identity));
        c.tokens.expires_at =
            std::chrono::time_point_cast<std::chrono::seconds>(this->now_.load()) + expires_in;
        return this->create(tenant, c);
    }

    WallClock clock() {
        return [this] { return this->now_.load(); };
    }

    // Writes a column of a connector straight into the table.
    void raw_set(const std::string& assignment, const std::string& id) {
        ASSERT_TRUE(
            this->database_->with_session("test write", [&](soci::session& sql) -> Result<void> {
                std::string copy = id;
                sql << "UPDATE connector_accounts SET " + assignment + " WHERE id = :id",
                    soci::use(copy);
                return {};
            }));
    }
};

TYPED_TEST_SUITE_P(RefreshCoordinationTest);

// Issue 10, point 5 (a): a status decided on old tokens (revoked, after the provider refused
// them) must not land on newer tokens stored meanwhile.
TYPED_TEST_P(RefreshCoordinationTest, StatusWritesAreGuardedByTheCredentialVersion) {
    auto& repo = *this->repository_;
    const auto created = this->create("tenant-a", this->connector());
    // Read at version 1; then a reconnect stores new tokens (version 2).
    ASSERT_TRUE(repo.update_tokens("tenant-a", created.id, 1,
                                   TokenUpdate{"ya29.reconnected", std::string("1//new"),
                                               std::nullopt, std::nullopt}));
    auto stale = repo.set_status("tenant-a", created.id, 1, ConnectorStatus::revoked,
                                 "the provider refused the refresh token");
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().kind, ErrorKind::conflict);
    EXPECT_EQ(stale.error().code, "credential_version_conflict");
    auto read = repo.get("tenant-a", created.id);
    EXPECT_EQ(read->status, ConnectorStatus::active);
    EXPECT_TRUE(read->last_error.empty());

    // At the current version it applies, and leaves the version alone: a refresh that read
    // version 2 before the revocation may still store what the provider gave it.
    ASSERT_TRUE(repo.set_status("tenant-a", created.id, 2, ConnectorStatus::revoked, "refused"));
    EXPECT_EQ(repo.get("tenant-a", created.id)->status, ConnectorStatus::revoked);
    ASSERT_TRUE(repo.update_tokens("tenant-a", created.id, 2,
                                   TokenUpdate{"ya29.late", std::nullopt, std::nullopt,
                                               std::nullopt}));
    EXPECT_EQ(repo.get("tenant-a", created.id)->status, ConnectorStatus::active);
}

TYPED_TEST_P(RefreshCoordinationTest, TheRefreshLockHasOneHolderAtATime) {
    const auto created = this->create("tenant-a", this->connector());
    RefreshLocks locks(this->database_, this->clock());
    auto first = locks.acquire("tenant-a", created.id, std::chrono::milliseconds(0));
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_TRUE(this->raw_column("refresh_lock_owner", created.id));

    // Another holder (another instance: its own RefreshLocks) cannot take it, and says so.
    RefreshLocks other(this->database_, this->clock());
    auto busy = other.acquire("tenant-a", created.id, std::chrono::milliseconds(100));
    ASSERT_FALSE(busy);
    EXPECT_EQ(busy.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(busy.error().code, "refresh_in_progress");
    // Nor in another tenant (not found, as everywhere).
    EXPECT_EQ(other.acquire("tenant-b", created.id, std::chrono::milliseconds(0)).error().code,
              "connector_not_found");

    // A waiter gets it once the holder lets go.
    std::latch waiting(1);
    std::thread holder([&] {
        waiting.wait();
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        first->release();
    });
    waiting.count_down();
    const auto started = std::chrono::steady_clock::now();
    auto second = other.acquire("tenant-a", created.id, std::chrono::seconds(10));
    holder.join();
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(150));
    second->release();
    EXPECT_FALSE(this->raw_column("refresh_lock_owner", created.id));
}

TYPED_TEST_P(RefreshCoordinationTest, ALapsedRefreshLockIsTakenOver) {
    const auto created = this->create("tenant-a", this->connector());
    // A holder that died: its lease ran out a second ago.
    const long long lapsed = to_epoch_seconds(this->now_.load()) - 1;
    this->raw_set("refresh_lock_owner = 'dead-instance', refresh_lock_until = " +
                      std::to_string(lapsed),
                  created.id);
    RefreshLocks locks(this->database_, this->clock());
    auto taken = locks.acquire("tenant-a", created.id, std::chrono::milliseconds(0));
    ASSERT_TRUE(taken) << taken.error().message;
    EXPECT_NE(this->raw_column("refresh_lock_owner", created.id), "dead-instance");
}

// Issue 10, point 5 (b), for the refresh lock: it outlives the work under it however long
// that takes, because its holder renews it.
TYPED_TEST_P(RefreshCoordinationTest, AHeldRefreshLockIsRenewedPastItsTtl) {
    const auto created = this->create("tenant-a", this->connector());
    RefreshLockOptions options;
    options.ttl = std::chrono::seconds(1); // renewed every third of a second
    RefreshLocks locks(this->database_, {}, options);
    RefreshLocks other(this->database_, {}, options);
    auto held = locks.acquire("tenant-a", created.id, std::chrono::milliseconds(0));
    ASSERT_TRUE(held) << held.error().message;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(2500);
    int refused = 0;
    while (std::chrono::steady_clock::now() < until) {
        auto taken = other.acquire("tenant-a", created.id, std::chrono::milliseconds(0));
        ASSERT_FALSE(taken) << "the lock lapsed while its holder still worked";
        ++refused;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_GE(refused, 10);
    held->release();
    EXPECT_TRUE(other.acquire("tenant-a", created.id, std::chrono::milliseconds(0)));
}

// Issue 10, point 5 (b), for the background lease: renewed, it is not handed to another
// instance however long the pass holding it runs.
TYPED_TEST_P(RefreshCoordinationTest, RenewedLeasesAreNotHandedToAnotherInstance) {
    const auto a = this->due_connector("a@example.com", std::chrono::minutes(1));
    const auto b = this->due_connector("b@example.com", std::chrono::minutes(2));
    RefreshLeaser mine(this->database_, this->clock());
    RefreshLeaser theirs(this->database_, this->clock());
    LeaseOptions options;
    options.lease_duration = std::chrono::seconds(120);
    ASSERT_EQ(mine.lease_due(options)->size(), 2u);

    // 100 s on, the pass still works on both: it renews them.
    this->advance(std::chrono::seconds(100));
    ASSERT_TRUE(mine.renew({{"tenant-a", a.id}, {"tenant-a", b.id}}, options.lease_duration));
    this->advance(std::chrono::seconds(100)); // past the first lease's end
    EXPECT_TRUE(theirs.lease_due(options)->empty());

    // Another leaser can neither release nor renew what it does not hold.
    ASSERT_TRUE(theirs.release({"tenant-a", a.id}));
    ASSERT_TRUE(theirs.renew({{"tenant-a", a.id}}, std::chrono::seconds(600)));
    EXPECT_TRUE(theirs.lease_due(options)->empty());
    // Unrenewed, the leases lapse, and the other instance takes the connectors over.
    this->advance(std::chrono::seconds(30));
    EXPECT_EQ(theirs.lease_due(options)->size(), 2u);
}

// Issue 14, point 2: a connector whose refresh failed waits before the next attempt, on
// every instance; a successful refresh clears it.
TYPED_TEST_P(RefreshCoordinationTest, ADeferredConnectorWaitsForItsRetryTime) {
    auto& repo = *this->repository_;
    const auto a = this->due_connector("a@example.com", std::chrono::minutes(1));
    RefreshLeaser mine(this->database_, this->clock());
    RefreshLeaser theirs(this->database_, this->clock());
    auto leased = mine.lease_due();
    ASSERT_EQ(leased->size(), 1u);
    const auto retry_at = std::chrono::time_point_cast<std::chrono::seconds>(this->now_.load()) +
                          std::chrono::minutes(5);
    ASSERT_TRUE(mine.defer(leased->front().ref, 3, retry_at));
    EXPECT_EQ(this->raw_column("refresh_failures", a.id), "3");

    EXPECT_TRUE(theirs.lease_due()->empty()); // the lease ended, the deferral holds
    this->advance(std::chrono::minutes(4));
    EXPECT_TRUE(theirs.lease_due()->empty());
    this->advance(std::chrono::minutes(1));
    auto again = theirs.lease_due();
    ASSERT_EQ(again->size(), 1u);
    EXPECT_EQ(again->front().failures, 3);

    ASSERT_TRUE(repo.update_tokens("tenant-a", a.id, 1,
                                   TokenUpdate{"ya29.fresh", std::nullopt,
                                               std::chrono::time_point_cast<std::chrono::seconds>(
                                                   this->now_.load()) +
                                                   std::chrono::minutes(1),
                                               std::nullopt}));
    EXPECT_EQ(this->raw_column("refresh_failures", a.id), "0");
    EXPECT_FALSE(this->raw_column("refresh_retry_at", a.id));
    EXPECT_EQ(theirs.lease_due()->size(), 1u); // due again at once, lease ended by the refresh
}

// Issue 14, point 2: connectors whose tokens expire together come due spread over the jitter,
// each at a time fixed by its id, the same in SQL as in C++.
TYPED_TEST_P(RefreshCoordinationTest, JitterSpreadsDueTimesByTheConnectorsId) {
    const auto expiry = std::chrono::hours(2);
    std::vector<ConnectorSummary> all;
    for (int i = 0; i < 40; ++i) {
        all.push_back(this->due_connector("u" + std::to_string(i) + "@example.com", expiry));
    }
    const auto expires_at = *all.front().token_expires_at;
    LeaseOptions options;
    options.window = std::chrono::minutes(15);
    options.jitter = std::chrono::minutes(20);
    options.limit = 100;
    options.lease_duration = std::chrono::hours(24); // what was leased stays leased
    const auto start = this->now_.load();
    std::set<long long> offsets;
    for (const auto& c : all) offsets.insert(refresh_jitter_offset(c.id, options.jitter).count());
    EXPECT_GT(offsets.size(), 20u) << "ids spread their offsets";
    EXPECT_GE(*offsets.begin(), 0);
    EXPECT_LT(*offsets.rbegin(), options.jitter.count());

    // Walk the clock through the jitter in 5-minute steps: what is leased at each step is
    // exactly what C++ says is due then, and it comes in several groups.
    std::size_t steps_with_leases = 0;
    std::set<std::string> leased_ids;
    for (auto at = expires_at - options.window - options.jitter - std::chrono::minutes(5);
         at <= expires_at - options.window; at += std::chrono::minutes(5)) {
        this->now_.store(at);
        RefreshLeaser leaser(this->database_, this->clock());
        auto leased = leaser.lease_due(options);
        ASSERT_TRUE(leased) << leased.error().message;
        std::set<std::string> got, expected;
        for (const auto& c : *leased) got.insert(c.ref.connector_id);
        for (const auto& c : all) {
            const bool due =
                expires_at - refresh_jitter_offset(c.id, options.jitter) <=
                std::chrono::time_point_cast<std::chrono::seconds>(at) + options.window;
            if (due && !leased_ids.contains(c.id)) expected.insert(c.id);
        }
        EXPECT_EQ(got, expected);
        if (!got.empty()) ++steps_with_leases;
        leased_ids.insert(got.begin(), got.end());
    }
    this->now_.store(start);
    EXPECT_EQ(leased_ids.size(), all.size());
    EXPECT_GE(steps_with_leases, 3u);
}

TYPED_TEST_P(RefreshCoordinationTest, TheJitterOffsetReadsTheIdsFirstHexDigits) {
    EXPECT_EQ(
        refresh_jitter_offset("000aaaaa-0000-4000-8000-000000000000", std::chrono::seconds(4096)),
        std::chrono::seconds(0));
    EXPECT_EQ(
        refresh_jitter_offset("fffaaaaa-0000-4000-8000-000000000000", std::chrono::seconds(4096)),
        std::chrono::seconds(4095));
    EXPECT_EQ(
        refresh_jitter_offset("800aaaaa-0000-4000-8000-000000000000", std::chrono::seconds(600)),
        std::chrono::seconds(300));
    EXPECT_EQ(
        refresh_jitter_offset("800aaaaa-0000-4000-8000-000000000000", std::chrono::seconds(0)),
        std::chrono::seconds(0));
}

// Issue 10, point 5 (e): rotate-keys re-encrypts the stored results of idempotent requests,
// so the old key can be removed without losing them.
TYPED_TEST_P(RefreshCoordinationTest, RotationReencryptsStoredIdempotentResults) {
    IdempotencyStore before(this->database_, make_keys({*this->old_key_}), this->clock());
    for (int i = 0; i < 5; ++i) {
        const std::string key = "key-" + std::to_string(i);
        const std::string tenant = "tenant-" + std::to_string(i % 2);
        ASSERT_TRUE(before.claim(tenant, key, "hash-" + key)->acquired);
        ASSERT_TRUE(before.complete(tenant, key,
                                    StoredActionResult{R"({"n":)" + std::to_string(i) + "}",
                                                       "00000000-0000-4000-8000-00000000000" +
                                                           std::to_string(i),
                                                       "google_calendar"}));
    }
    ASSERT_TRUE(before.claim("tenant-0", "still-running", "hash")->acquired); // no result yet

    const auto both = make_keys({*this->new_key_, *this->old_key_});
    auto report = rotate_keys(*this->database_, *both, RotationOptions{2, {}});
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->idempotent_results.scanned, 5u);
    EXPECT_EQ(report->idempotent_results.rotated, 5u);
    EXPECT_EQ(report->idempotent_results.failed, 0u);

    // Only the new key now: every result still replays.
    IdempotencyStore after(this->database_, make_keys({*this->new_key_}), this->clock());
    for (int i = 0; i < 5; ++i) {
        const std::string key = "key-" + std::to_string(i);
        auto claim = after.claim("tenant-" + std::to_string(i % 2), key, "hash-" + key);
        ASSERT_TRUE(claim) << claim.error().message;
        ASSERT_TRUE(claim->completed);
        EXPECT_EQ(claim->completed->result_json, R"({"n":)" + std::to_string(i) + "}");
    }
    auto again = rotate_keys(*this->database_, *both);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->idempotent_results.rotated, 0u);
    EXPECT_EQ(again->idempotent_results.already_current, 5u);

    // A result no configured key opens is counted and left alone.
    IdempotencyStore lost(this->database_, make_keys({*crypto::FernetKey::generate()}),
                          this->clock());
    ASSERT_TRUE(lost.claim("tenant-9", "orphan", "h")->acquired);
    ASSERT_TRUE(lost.complete("tenant-9", "orphan", StoredActionResult{"{}", "", "x"}));
    auto orphaned = rotate_keys(*this->database_, *both);
    ASSERT_TRUE(orphaned);
    EXPECT_EQ(orphaned->idempotent_results.failed, 1u);
}

REGISTER_TYPED_TEST_SUITE_P(RefreshCoordinationTest,
                            StatusWritesAreGuardedByTheCredentialVersion,
                            TheRefreshLockHasOneHolderAtATime, ALapsedRefreshLockIsTakenOver,
                            AHeldRefreshLockIsRenewedPastItsTtl,
                            RenewedLeasesAreNotHandedToAnotherInstance,
                            ADeferredConnectorWaitsForItsRetryTime,
                            JitterSpreadsDueTimesByTheConnectorsId,
                            TheJitterOffsetReadsTheIdsFirstHexDigits,
                            RotationReencryptsStoredIdempotentResults);

} // namespace switchboard::store::test
