// SessionStore: sessions bound to their principal, idle expiry and the cap, and the event
// stream as long polls (deferred answers completed by notifications, Last-Event-ID replay).
#include "host/mcp/list_changed_notifier.hpp"
#include "host/mcp/session_store.hpp"

#include <gtest/gtest.h>

namespace switchboard::mcp {
namespace {

using namespace std::chrono_literals;

struct FakeClock {
    std::chrono::steady_clock::time_point now{};
};

SessionStoreOptions options(FakeClock& clock) {
    SessionStoreOptions o;
    o.idle_timeout = 60s;
    o.max_sessions = 3;
    o.poll_timeout = 25s;
    o.clock = [&clock] { return clock.now; };
    return o;
}

const auth::Principal alice{"tenant-a", "alice"};
const auth::Principal bob{"tenant-a", "bob"};
const auth::Principal eve{"tenant-e", "alice"};
const std::string kChanged(list_changed_notification);

// What a deferred answer is completed with.
struct Captured {
    std::optional<server::Response> response;
};

std::shared_ptr<Captured> capture(const server::Response& answer) {
    auto captured = std::make_shared<Captured>();
    answer.deferred->attach([captured](server::Response r) { captured->response = std::move(r); });
    return captured;
}

TEST(SessionStore, SessionsAreBoundToTheirPrincipal) {
    FakeClock clock;
    SessionStore store(options(clock));
    auto session = store.create(alice, "2025-11-25");
    ASSERT_TRUE(session);
    EXPECT_GE(session->id.size(), 43u);
    EXPECT_TRUE(store.find(session->id, alice));
    EXPECT_FALSE(store.find(session->id, bob)) << "another user of the tenant";
    EXPECT_FALSE(store.find(session->id, eve)) << "another tenant";
    EXPECT_FALSE(store.remove(session->id, eve));
    EXPECT_TRUE(store.remove(session->id, alice));
    EXPECT_FALSE(store.find(session->id, alice));
}

TEST(SessionStore, IdleSessionsExpireAndTheCapEvictsTheLeastRecentlyUsed) {
    FakeClock clock;
    SessionStore store(options(clock));
    auto first = store.create(alice, "2025-11-25");
    clock.now += 30s;
    auto second = store.create(alice, "2025-11-25");
    clock.now += 1s;
    auto third = store.create(alice, "2025-11-25");
    clock.now += 1s;
    EXPECT_TRUE(store.find(first->id, alice)); // touched: now the most recent
    auto fourth = store.create(alice, "2025-11-25");
    EXPECT_EQ(store.size(), 3u);
    EXPECT_FALSE(store.find(second->id, alice)) << "least recently used goes first";
    EXPECT_TRUE(store.find(first->id, alice));
    clock.now += 60s;
    EXPECT_FALSE(store.find(third->id, alice)) << "idle past the timeout";
    (void)fourth;
}

TEST(SessionStore, APollWaitsAndANotificationAnswersIt) {
    FakeClock clock;
    SessionStore store(options(clock));
    auto session = store.create(alice, "2025-11-25");
    auto poll = store.poll(session->id, alice, std::nullopt);
    ASSERT_TRUE(poll);
    ASSERT_TRUE(poll->deferred) << "nothing to say yet: a long poll";
    EXPECT_EQ(poll->deferred->timeout(), 25s);
    auto captured = capture(*poll);
    EXPECT_FALSE(captured->response);

    EXPECT_EQ(store.notify_tenant("tenant-e", kChanged), 0u) << "another tenant's news";
    EXPECT_FALSE(captured->response);
    EXPECT_EQ(store.notify_tenant("tenant-a", kChanged), 1u);
    ASSERT_TRUE(captured->response);
    EXPECT_EQ(captured->response->content_type, "text/event-stream");
    EXPECT_NE(captured->response->body.find("id: 1\nevent: message\ndata: " + kChanged + "\n\n"),
              std::string::npos)
        << captured->response->body;
    EXPECT_NE(captured->response->body.find("retry: 1000\n"), std::string::npos);
}

TEST(SessionStore, OnlySessionsWithAStreamAreNotifiedAndNewsWaitsForTheNextPoll) {
    FakeClock clock;
    SessionStore store(options(clock));
    auto quiet = store.create(alice, "2025-11-25");
    auto listening = store.create(alice, "2025-11-25");
    auto first = store.poll(listening->id, alice, std::nullopt);
    first->deferred->expire(); // the poll timed out; the client reconnects later
    EXPECT_EQ(store.notify_tenant("tenant-a", kChanged), 1u) << "the quiet one never opened one";
    EXPECT_EQ(store.notify_tenant("tenant-a", kChanged), 1u);
    auto next = store.poll(listening->id, alice, std::nullopt);
    ASSERT_TRUE(next);
    ASSERT_FALSE(next->deferred) << "news waiting: answered at once";
    EXPECT_NE(next->body.find("id: 1\n"), std::string::npos);
    EXPECT_EQ(next->body.find("id: 2\n"), std::string::npos) << "the same news is queued once";
    // Delivered: the next poll waits again, unless the client says it missed it.
    EXPECT_TRUE(store.poll(listening->id, alice, std::nullopt)->deferred);
    auto replay = store.poll(listening->id, alice, std::string("0"));
    ASSERT_TRUE(replay);
    EXPECT_FALSE(replay->deferred);
    EXPECT_NE(replay->body.find("id: 1\n"), std::string::npos);
    (void)quiet;
}

TEST(SessionStore, TheNewestPollWinsAndAStrangerCannotPoll) {
    FakeClock clock;
    SessionStore store(options(clock));
    auto session = store.create(alice, "2025-11-25");
    auto older = store.poll(session->id, alice, std::nullopt);
    auto older_answer = capture(*older);
    auto newer = store.poll(session->id, alice, std::nullopt);
    ASSERT_TRUE(older_answer->response) << "the older poll ends when a newer one comes";
    EXPECT_NE(older_answer->response->body.find("data: \n\n"), std::string::npos);
    EXPECT_FALSE(newer->deferred->done());
    EXPECT_FALSE(store.poll(session->id, eve, std::nullopt));
}

} // namespace
} // namespace switchboard::mcp
