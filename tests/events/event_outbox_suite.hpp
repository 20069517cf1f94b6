// The connector events' outbox against every SQL backend: every change the repository (and
// the pending connections) writes announces exactly one event in its own transaction, a
// refused change none; the tenant's sequence numbers follow commit order, so a reader paging
// by them misses nothing; the webhook queue hands each connector's events out in order, one
// instance at a time, and keeps what is not delivered. Included by exactly one source file
// per test program, which instantiates it.
#pragma once

#include "core/crypto/digest.hpp"
#include "core/crypto/multi_fernet.hpp"
#include "core/events/event_feed.hpp"
#include "core/store/connector_repository.hpp"
#include "core/store/event_log.hpp"
#include "core/store/event_outbox.hpp"
#include "core/store/pending_connections.hpp"
#include "core/store/webhook_queue.hpp"
#include "tests/store/store_backends.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace switchboard::store::test {

using std::chrono::milliseconds;
using std::chrono::seconds;

template <class Backend> class EventOutboxTest : public ::testing::Test {
protected:
    void SetUp() override {
        url_ = Backend::new_database(dir_);
        database_ = open_or_fail(url_);
        ASSERT_NE(database_, nullptr);
        std::vector<crypto::TokenCipher> ciphers;
        ciphers.emplace_back(*crypto::FernetKey::generate());
        keys_ = std::make_shared<const crypto::MultiFernet>(*crypto::MultiFernet::create(ciphers));
        auto clock = [this] { return now_.load(); };
        outbox_ = std::make_shared<const EventOutbox>(std::vector<std::string>{"product", "audit"},
                                                      clock);
        repository_ = std::make_shared<ConnectorRepository>(database_, keys_, clock, outbox_);
        pending_ = std::make_shared<PendingConnections>(database_, keys_, clock, PendingOptions{},
                                                        outbox_);
        log_ = std::make_shared<EventLog>(database_);
    }

    NewConnector connector(const std::string& identity = "ada@example.com",
                           ConnectorStatus status = ConnectorStatus::active) {
        NewConnector c;
        c.user_id = "user-1";
        c.category = "crm";
        c.provider = "hubspot";
        c.name = "CRM";
        c.status = status;
        c.account_identity = identity;
        c.scopes = {"oauth"};
        c.tokens.access_token = "CK-access-" + identity;
        c.tokens.refresh_token = "na1-refresh-" + identity;
        return c;
    }

    std::string create(const std::string& tenant, const std::string& identity) {
        auto created = repository_->create(tenant, connector(identity));
        EXPECT_TRUE(created) << created.error().message;
        return created ? created->id : std::string();
    }

    std::vector<ConnectorEvent> events(const std::string& tenant, std::int64_t after = 0) {
        auto read = log_->after(tenant, after, 1000);
        EXPECT_TRUE(read) << read.error().message;
        return read ? *read : std::vector<ConnectorEvent>{};
    }

    long long count(const std::string& table) {
        long long n = -1;
        EXPECT_TRUE(database_->with_session("test count", [&](soci::session& sql) -> Result<void> {
            sql << "SELECT COUNT(*) FROM " + table, soci::into(n);
            return {};
        }));
        return n;
    }

    void advance(std::chrono::milliseconds by) { now_ = now_.load() + by; }

    std::optional<testing::TempDir> dir_;
    std::string url_;
    std::shared_ptr<Database> database_;
    std::shared_ptr<const crypto::MultiFernet> keys_;
    std::atomic<std::chrono::system_clock::time_point> now_{std::chrono::system_clock::now()};
    std::shared_ptr<const EventOutbox> outbox_;
    std::shared_ptr<ConnectorRepository> repository_;
    std::shared_ptr<PendingConnections> pending_;
    std::shared_ptr<EventLog> log_;
};

TYPED_TEST_SUITE_P(EventOutboxTest);

TYPED_TEST_P(EventOutboxTest, EveryChangeOfAConnectorAnnouncesOneEvent) {
    auto& repo = *this->repository_;
    const std::string id = this->create("acme", "ada@example.com");
    ASSERT_TRUE(repo.update_tokens("acme", id, 1, TokenUpdate{"CK-2", std::nullopt,
                                                              std::nullopt, std::nullopt}));
    ASSERT_TRUE(repo.record_refresh_failure("acme", id, 2, "provider_unavailable",
                                            "the token endpoint answered 503"));
    ASSERT_TRUE(repo.set_status("acme", id, 2, ConnectorStatus::revoked,
                                "the provider refused the refresh token", "invalid_grant"));
    TokenUpdate reconnect{"CK-3", std::string("na1-new"), std::nullopt, std::nullopt};
    reconnect.cause = TokenUpdateCause::reconnect;
    ASSERT_TRUE(repo.update_tokens("acme", id, 2, reconnect));
    ASSERT_TRUE(repo.set_status("acme", id, 3, ConnectorStatus::expired, "no refresh token",
                                "no_refresh_token"));
    ASSERT_TRUE(repo.set_status("acme", id, 3, ConnectorStatus::error, "client refused",
                                "invalid_client"));
    ASSERT_TRUE(repo.remove("acme", id));

    const auto all = this->events("acme");
    struct Expected {
        ConnectorEventType type;
        ConnectorStatus status;
        std::optional<ConnectorStatus> previous;
        std::string error_code;
    };
    const std::vector<Expected> expected = {
        {ConnectorEventType::connected, ConnectorStatus::active, std::nullopt, ""},
        {ConnectorEventType::refreshed, ConnectorStatus::active, ConnectorStatus::active, ""},
        {ConnectorEventType::refresh_failed, ConnectorStatus::active, ConnectorStatus::active,
         "provider_unavailable"},
        {ConnectorEventType::revoked, ConnectorStatus::revoked, ConnectorStatus::active,
         "invalid_grant"},
        {ConnectorEventType::connected, ConnectorStatus::active, ConnectorStatus::revoked, ""},
        {ConnectorEventType::expired, ConnectorStatus::expired, ConnectorStatus::active,
         "no_refresh_token"},
        {ConnectorEventType::refresh_failed, ConnectorStatus::error, ConnectorStatus::expired,
         "invalid_client"},
        {ConnectorEventType::disconnected, ConnectorStatus::disconnected, ConnectorStatus::error,
         ""},
    };
    ASSERT_EQ(all.size(), expected.size());
    std::set<std::string> ids;
    for (std::size_t i = 0; i < all.size(); ++i) {
        SCOPED_TRACE("event " + std::to_string(i));
        EXPECT_EQ(all[i].type, expected[i].type) << to_string(all[i].type);
        EXPECT_EQ(all[i].status, expected[i].status);
        EXPECT_EQ(all[i].previous_status, expected[i].previous);
        EXPECT_EQ(all[i].error_code, expected[i].error_code);
        EXPECT_EQ(all[i].sequence, static_cast<std::int64_t>(i + 1));
        EXPECT_EQ(all[i].tenant_id, "acme");
        EXPECT_EQ(all[i].connector_id, id);
        EXPECT_EQ(all[i].provider, "hubspot");
        EXPECT_EQ(all[i].category, "crm");
        EXPECT_EQ(all[i].user_id, "user-1");
        EXPECT_EQ(all[i].id.size(), 36u);
        ids.insert(all[i].id);
    }
    EXPECT_EQ(ids.size(), all.size()) << "event ids are unique";
    EXPECT_EQ(all[2].reason, "the token endpoint answered 503");
    EXPECT_EQ(all[4].reason, "reconnected");
    // The failed refresh left its message on the connector, the next refresh cleared it.
    for (const auto& event : all) {
        EXPECT_EQ(event.reason.find("CK-"), std::string::npos) << "a token in an event";
        EXPECT_EQ(event.reason.find("na1-"), std::string::npos) << "a token in an event";
    }
}

TYPED_TEST_P(EventOutboxTest, ARefusedChangeAnnouncesNothing) {
    auto& repo = *this->repository_;
    const std::string id = this->create("acme", "ada@example.com");
    ASSERT_EQ(this->events("acme").size(), 1u);

    // Decided on old tokens: refused, and nothing announced.
    EXPECT_FALSE(repo.set_status("acme", id, 7, ConnectorStatus::revoked, "stale"));
    EXPECT_FALSE(repo.update_tokens("acme", id, 7, TokenUpdate{"x", {}, {}, {}}));
    EXPECT_TRUE(repo.record_refresh_failure("acme", id, 7, "provider_unavailable", "stale"));
    // No change of status: no event.
    EXPECT_TRUE(repo.set_status("acme", id, 1, ConnectorStatus::active));
    // An active duplicate is refused with its event.
    EXPECT_FALSE(repo.create("acme", this->connector("ada@example.com")));
    // A removal of what does not exist, or of another tenant's connector.
    EXPECT_FALSE(repo.remove("acme", "00000000-0000-4000-8000-000000000000"));
    EXPECT_FALSE(repo.remove("other", id));
    // A connector created in another state than active is not a connection.
    ASSERT_TRUE(repo.create("acme", this->connector("bob@example.com", ConnectorStatus::revoked)));

    EXPECT_EQ(this->events("acme").size(), 1u);
    EXPECT_TRUE(this->events("other").empty());
    // Without webhooks listed... here two endpoints: two deliveries for the one event.
    EXPECT_EQ(this->count("webhook_deliveries"), 2);
}

TYPED_TEST_P(EventOutboxTest, ConfirmingAPendingConnectionAnnouncesItAndDiscardingDoesNot) {
    const std::string code_hash = *crypto::sha256_hex("completion-code-1");
    const auto until = std::chrono::time_point_cast<seconds>(this->now_.load()) + seconds(300);
    auto parked = this->pending_->park("acme", this->connector("ada@example.com"), code_hash, until);
    ASSERT_TRUE(parked) << parked.error().message;
    EXPECT_TRUE(this->events("acme").empty()) << "a pending connection is not announced";

    auto confirmed = this->pending_->confirm(code_hash, "acme", "user-1");
    ASSERT_TRUE(confirmed) << confirmed.error().message;
    auto all = this->events("acme");
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].type, ConnectorEventType::connected);
    EXPECT_EQ(all[0].previous_status, ConnectorStatus::pending);
    EXPECT_EQ(all[0].connector_id, parked->connector_id);
    EXPECT_EQ(all[0].reason, "confirmed");

    const std::string other_hash = *crypto::sha256_hex("completion-code-2");
    auto second = this->pending_->park("acme", this->connector("bob@example.com"), other_hash, until);
    ASSERT_TRUE(second);
    ASSERT_TRUE(this->pending_->remove(*second));
    EXPECT_EQ(this->events("acme").size(), 1u) << "a discarded pending connection is not announced";
}

TYPED_TEST_P(EventOutboxTest, EachTenantHasItsOwnSequenceAndSeesOnlyItsEvents) {
    this->create("acme", "ada@example.com");
    this->create("globex", "ada@example.com");
    this->create("acme", "bob@example.com");
    const auto acme = this->events("acme");
    const auto globex = this->events("globex");
    ASSERT_EQ(acme.size(), 2u);
    ASSERT_EQ(globex.size(), 1u);
    EXPECT_EQ(acme[0].sequence, 1);
    EXPECT_EQ(acme[1].sequence, 2);
    EXPECT_EQ(globex[0].sequence, 1);
    EXPECT_EQ(globex[0].tenant_id, "globex");
    EXPECT_EQ(this->events("acme", 1).size(), 1u);
    EXPECT_TRUE(this->events("acme", 2).empty());

    // The feed pages with a cursor and says whether more is ready.
    events::OutboxEventFeed feed(this->log_);
    auto first = feed.page("acme", 0, 1);
    ASSERT_TRUE(first);
    ASSERT_EQ(first->events.size(), 1u);
    EXPECT_TRUE(first->has_more);
    EXPECT_EQ(first->next_after, 1);
    auto second = feed.page("acme", first->next_after, 1);
    ASSERT_TRUE(second);
    ASSERT_EQ(second->events.size(), 1u);
    EXPECT_FALSE(second->has_more);
    auto end = feed.page("acme", second->next_after, 10);
    ASSERT_TRUE(end);
    EXPECT_TRUE(end->events.empty());
    EXPECT_EQ(end->next_after, 2) << "an empty page keeps the cursor";
    auto refused = feed.page("acme", 0, 501);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "invalid_limit");
}

// Commit order: writers on many connectors of one tenant at once, and a reader that pages by
// the last sequence it saw. Had a sequence number been taken by a transaction that commits
// after a higher one (as a plain SERIAL would be), the reader would skip it for good.
TYPED_TEST_P(EventOutboxTest, AReaderPagingBySequenceMissesNothingWrittenConcurrently) {
    constexpr int writers = 6;
    constexpr int changes_per_writer = 15;
    std::vector<std::string> ids;
    for (int i = 0; i < writers; ++i) {
        ids.push_back(this->create("acme", "user" + std::to_string(i) + "@example.com"));
    }
    std::atomic<bool> done{false};
    std::vector<std::int64_t> seen;
    std::string reader_failure;
    std::thread reader([&] {
        std::int64_t cursor = 0;
        while (true) {
            const bool last = done.load();
            auto page = this->log_->after("acme", cursor, 50);
            if (!page) {
                reader_failure = page.error().message;
                return;
            }
            for (const auto& event : *page) {
                seen.push_back(event.sequence);
                cursor = event.sequence;
            }
            if (last && page->empty()) return;
        }
    });
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int w = 0; w < writers; ++w) {
        threads.emplace_back([&, w] {
            std::int64_t version = 1;
            for (int i = 0; i < changes_per_writer; ++i) {
                auto updated = this->repository_->update_tokens(
                    "acme", ids[static_cast<std::size_t>(w)], version,
                    TokenUpdate{"CK-" + std::to_string(i), std::nullopt, std::nullopt,
                                std::nullopt});
                if (updated) {
                    version = *updated;
                } else {
                    ++failures;
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    done = true;
    reader.join();
    ASSERT_TRUE(reader_failure.empty()) << reader_failure;
    EXPECT_EQ(failures.load(), 0);
    const std::int64_t total = writers + writers * changes_per_writer;
    ASSERT_EQ(static_cast<std::int64_t>(seen.size()), total) << "the reader skipped an event";
    for (std::size_t i = 0; i < seen.size(); ++i) {
        EXPECT_EQ(seen[i], static_cast<std::int64_t>(i + 1));
    }
}

TYPED_TEST_P(EventOutboxTest, TheQueueHandsOutEachConnectorsEventsInOrder) {
    auto& repo = *this->repository_;
    auto clock = [this] { return this->now_.load(); };
    WebhookQueue queue(this->database_, clock);
    const std::string a = this->create("acme", "ada@example.com");
    const std::string b = this->create("acme", "bob@example.com");
    ASSERT_TRUE(repo.update_tokens("acme", a, 1, TokenUpdate{"CK-a2", {}, {}, {}}));
    ASSERT_TRUE(repo.update_tokens("acme", a, 2, TokenUpdate{"CK-a3", {}, {}, {}}));
    const auto all = this->events("acme"); // a:1, b:2, a:3, a:4
    ASSERT_EQ(all.size(), 4u);

    // Only the oldest undelivered event of each connector, and per endpoint.
    auto first = queue.claim("product", 10, seconds(60));
    ASSERT_TRUE(first) << first.error().message;
    ASSERT_EQ(first->size(), 2u);
    EXPECT_EQ((*first)[0].event_position, all[0].position);
    EXPECT_EQ((*first)[0].connector_id, a);
    EXPECT_EQ((*first)[0].attempt, 1);
    EXPECT_EQ((*first)[1].event_position, all[1].position);
    EXPECT_TRUE(queue.claim("product", 10, seconds(60))->empty()) << "leased: not handed out again";

    // b's delivered, a's failed: a's next event waits behind it until it is delivered.
    EXPECT_TRUE(*queue.delivered((*first)[1]));
    ASSERT_TRUE(queue.failed((*first)[0], this->now_.load() + seconds(30), "http_503"));
    EXPECT_TRUE(queue.claim("product", 10, seconds(60))->empty()) << "not due before its retry";
    this->advance(seconds(31));
    auto retried = queue.claim("product", 10, seconds(60));
    ASSERT_EQ(retried->size(), 1u);
    EXPECT_EQ((*retried)[0].event_position, all[0].position);
    EXPECT_EQ((*retried)[0].attempt, 2);
    EXPECT_TRUE(*queue.delivered((*retried)[0]));
    for (std::size_t next : {2u, 3u}) {
        auto claimed = queue.claim("product", 10, seconds(60));
        ASSERT_EQ(claimed->size(), 1u);
        EXPECT_EQ((*claimed)[0].event_position, all[next].position);
        EXPECT_TRUE(*queue.delivered((*claimed)[0]));
    }
    EXPECT_TRUE(queue.claim("product", 10, seconds(60))->empty());

    // The other endpoint has all four still, and says so.
    auto backlog = queue.backlog();
    ASSERT_TRUE(backlog);
    ASSERT_EQ(backlog->size(), 1u);
    EXPECT_EQ((*backlog)[0].endpoint, "audit");
    EXPECT_EQ((*backlog)[0].deliveries, 4u);
    ASSERT_TRUE((*backlog)[0].oldest.has_value());
    EXPECT_EQ(*(*backlog)[0].oldest, all[0].occurred_at);
}

TYPED_TEST_P(EventOutboxTest, ALeaseThatLapsedGoesToAnotherInstanceAndTheLateSettlementLoses) {
    auto clock = [this] { return this->now_.load(); };
    WebhookQueue first(this->database_, clock), second(this->database_, clock);
    this->create("acme", "ada@example.com");
    auto mine = first.claim("product", 10, seconds(20));
    ASSERT_EQ(mine->size(), 1u);
    EXPECT_TRUE(second.claim("product", 10, seconds(20))->empty());
    // The first instance died (or hangs) past its lease.
    this->advance(seconds(21));
    auto theirs = second.claim("product", 10, seconds(20));
    ASSERT_EQ(theirs->size(), 1u);
    EXPECT_EQ((*theirs)[0].attempt, 2);
    auto late = first.delivered((*mine)[0]);
    ASSERT_TRUE(late);
    EXPECT_FALSE(*late) << "the lapsed holder must not settle the new holder's delivery";
    EXPECT_TRUE(*second.delivered((*theirs)[0]));
    EXPECT_EQ(this->count("webhook_deliveries"), 1) << "the audit endpoint's is left";
}

TYPED_TEST_P(EventOutboxTest, TwoInstancesNeverClaimTheSameDelivery) {
    auto& repo = *this->repository_;
    for (int i = 0; i < 40; ++i) {
        const std::string id = this->create("acme", "u" + std::to_string(i) + "@example.com");
        ASSERT_TRUE(repo.update_tokens("acme", id, 1, TokenUpdate{"CK", {}, {}, {}}));
    }
    WebhookQueue first(this->database_), second(this->database_);
    std::mutex mutex;
    std::map<std::int64_t, int> claimed;
    std::set<std::string> connectors_in_flight_twice;
    auto drain = [&](WebhookQueue& queue) {
        for (int round = 0; round < 200; ++round) {
            auto batch = queue.claim("product", 5, seconds(60));
            if (!batch) continue; // SQLite: the other writer held the lock a moment
            if (batch->empty()) {
                std::lock_guard lock(mutex);
                if (claimed.size() == 80) return;
                continue;
            }
            {
                std::lock_guard lock(mutex);
                for (const auto& d : *batch) ++claimed[d.event_position];
            }
            for (const auto& d : *batch) EXPECT_TRUE(queue.delivered(d));
        }
    };
    std::thread a([&] { drain(first); }), b([&] { drain(second); });
    a.join();
    b.join();
    EXPECT_EQ(claimed.size(), 80u);
    for (const auto& [position, times] : claimed) {
        EXPECT_EQ(times, 1) << "event " << position << " was claimed twice";
    }
}

TYPED_TEST_P(EventOutboxTest, ThePurgeKeepsWhatAnEndpointStillWaitsFor) {
    auto clock = [this] { return this->now_.load(); };
    WebhookQueue queue(this->database_, clock);
    this->create("acme", "ada@example.com");
    this->create("acme", "bob@example.com");
    // Both delivered to "product"; only the first to "audit".
    for (int i = 0; i < 2; ++i) {
        auto claimed = queue.claim("product", 1, seconds(60));
        ASSERT_EQ(claimed->size(), 1u);
        ASSERT_TRUE(queue.delivered((*claimed)[0]));
    }
    auto audit = queue.claim("audit", 1, seconds(60));
    ASSERT_TRUE(queue.delivered((*audit)[0]));
    EXPECT_EQ(this->count("webhook_deliveries"), 1);
    this->advance(std::chrono::hours(24 * 31));
    auto purged = this->log_->purge(this->now_.load() - std::chrono::hours(24 * 30),
                                    {"product", "audit"});
    ASSERT_TRUE(purged) << purged.error().message;
    EXPECT_EQ(*purged, 1u);
    EXPECT_EQ(this->events("acme").size(), 1u) << "the one audit still waits for is kept";

    // Once "audit" is no longer configured, nobody will deliver it: it goes too.
    purged = this->log_->purge(this->now_.load() - std::chrono::hours(24 * 30), {"product"});
    ASSERT_TRUE(purged);
    EXPECT_EQ(*purged, 1u);
    EXPECT_TRUE(this->events("acme").empty());
    EXPECT_EQ(this->count("webhook_deliveries"), 0);
}

REGISTER_TYPED_TEST_SUITE_P(EventOutboxTest, EveryChangeOfAConnectorAnnouncesOneEvent,
                            ARefusedChangeAnnouncesNothing,
                            ConfirmingAPendingConnectionAnnouncesItAndDiscardingDoesNot,
                            EachTenantHasItsOwnSequenceAndSeesOnlyItsEvents,
                            AReaderPagingBySequenceMissesNothingWrittenConcurrently,
                            TheQueueHandsOutEachConnectorsEventsInOrder,
                            ALeaseThatLapsedGoesToAnotherInstanceAndTheLateSettlementLoses,
                            TwoInstancesNeverClaimTheSameDelivery,
                            ThePurgeKeepsWhatAnEndpointStillWaitsFor);

} // namespace switchboard::store::test
