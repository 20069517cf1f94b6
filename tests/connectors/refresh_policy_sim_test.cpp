// Token refresh against the provider simulator's Google endpoints, with the pieces assembled
// by hand so the test holds the clock and runs background passes itself: the background
// policy (bounded concurrency, a per-provider limit, a broken provider asked once per pass,
// failing connectors backed off, leases that outlive a long pass), what the refusals mean
// (invalid_client marks `error` and tells the operator; a revocation decided on old tokens
// does not land on newer ones), and two instances refreshing one rotating token at once.
#include "core/connectors/background_refresher.hpp"
#include "core/connectors/token_manager.hpp"
#include "core/http/beast_http_client.hpp"
#include "core/store/refresh_lease.hpp"
#include "core/store/refresh_lock.hpp"
#include "tests/connectors/support/connector_world.hpp"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <soci/soci.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <future>
#include <latch>
#include <map>
#include <mutex>
#include <thread>

namespace switchboard::connectors {
namespace {

using std::chrono::seconds;

// The real client, counting what goes to token endpoints per provider (the metrics label):
// requests, refusals (HTTP 400: invalid_grant, invalid_client) and how many ran at once.
class CountingHttpClient final : public http::HttpClient {
public:
    CountingHttpClient() {
        http::BeastHttpClientOptions options;
        options.allow_plain_http_loopback = true;
        options.io_threads = 2;
        inner_ = std::move(http::BeastHttpClient::create(options).value());
    }

    Result<http::HttpResponse> send(const http::HttpRequest& request,
                                    const http::RequestOptions& options) override {
        const bool token = request.url.find("/token") != std::string::npos;
        const std::string label = options.metrics_label;
        if (token) {
            std::lock_guard lock(mutex_);
            ++calls_[label];
            max_at_once_[label] = std::max(max_at_once_[label], ++at_once_[label]);
            max_total_at_once_ = std::max(max_total_at_once_, ++total_at_once_);
        }
        auto response = inner_->send(request, options);
        if (token) {
            std::lock_guard lock(mutex_);
            --at_once_[label];
            --total_at_once_;
            if (response && response->status == 400) ++refused_[label];
        }
        return response;
    }

    int calls(const std::string& label = "google_calendar") { return read(calls_, label); }
    int refused(const std::string& label = "google_calendar") { return read(refused_, label); }
    int max_at_once(const std::string& label) { return read(max_at_once_, label); }
    int max_total_at_once() {
        std::lock_guard lock(mutex_);
        return max_total_at_once_;
    }

private:
    int read(const std::map<std::string, int>& counts, const std::string& label) {
        std::lock_guard lock(mutex_);
        auto it = counts.find(label);
        return it == counts.end() ? 0 : it->second;
    }

    std::unique_ptr<http::BeastHttpClient> inner_;
    std::mutex mutex_;
    std::map<std::string, int> calls_, refused_, at_once_, max_at_once_;
    int total_at_once_ = 0, max_total_at_once_ = 0;
};

// One instance's token machinery on the world's database: what ConnectorRuntime builds,
// with the test's clock and HTTP client.
struct Instance {
    Instance(testing::ConnectorWorld& world, std::shared_ptr<http::HttpClient> http,
             store::WallClock clock, const config::Environment& environment) {
        auto database = world.database();
        repository = std::make_shared<store::ConnectorRepository>(database, world.keys(), clock);
        tokens = std::make_shared<TokenManager>(
            repository, std::make_shared<store::RefreshLocks>(database, clock),
            std::make_shared<const ProviderDirectory>(*world.registry(), environment),
            std::make_shared<const oauth::OAuthClient>(std::move(http)),
            std::make_shared<ConnectorMetrics>(std::make_shared<prometheus::Registry>()), clock);
        leaser = std::make_shared<store::RefreshLeaser>(database, clock);
    }

    BackgroundRefresher refresher(BackgroundRefreshOptions options, store::WallClock clock) {
        return BackgroundRefresher(leaser, tokens, options, std::move(clock));
    }

    std::shared_ptr<store::ConnectorRepository> repository;
    std::shared_ptr<TokenManager> tokens;
    std::shared_ptr<store::RefreshLeaser> leaser;
};

class RefreshPolicyTest : public ::testing::Test {
protected:
    void SetUp() override {
        world = testing::ConnectorWorld::start({});
        ASSERT_TRUE(world);
    }

    store::WallClock clock() {
        return [this] { return now.load(); };
    }

    std::unique_ptr<Instance> instance(store::WallClock with_clock) {
        return std::make_unique<Instance>(*world, http, std::move(with_clock),
                                          world->environment());
    }

    // `count` connectors of `provider` whose tokens expire in `expires_in`.
    std::vector<std::string> seed(int count, const std::string& provider, seconds expires_in,
                                  const std::string& prefix = "user") {
        std::vector<std::string> ids;
        for (int i = 0; i < count; ++i) {
            ids.push_back(world->seed_connector("tenant-a", provider,
                                                provider == "gmail" ? "email" : "calendar",
                                                prefix + std::to_string(i) + "@example.com",
                                                expires_in));
        }
        return ids;
    }

    std::string column(const std::string& name, const std::string& id) {
        std::string value;
        soci::indicator ind = soci::i_null;
        EXPECT_TRUE(
            world->database()->with_session("test", [&](soci::session& sql) -> Result<void> {
                std::string copy = id;
                sql << "SELECT " + name + " FROM connector_accounts WHERE id = :id",
                    soci::into(value, ind), soci::use(copy);
                return {};
            }));
        return ind == soci::i_ok ? value : "NULL";
    }

    void advance(seconds by) { now.store(now.load() + by); }

    std::unique_ptr<testing::ConnectorWorld> world;
    std::shared_ptr<CountingHttpClient> http = std::make_shared<CountingHttpClient>();
    std::atomic<std::chrono::system_clock::time_point> now{std::chrono::system_clock::now()};
};

// The Google token endpoint answers `status`, or answers late.
sim::FaultRule token_endpoint_error(unsigned status) {
    sim::FaultRule rule;
    rule.kind = sim::FaultRule::Kind::error;
    rule.prefix = "/oauth2.googleapis.com/token";
    rule.status = status;
    return rule;
}

sim::FaultRule token_endpoint_latency(std::chrono::milliseconds latency) {
    sim::FaultRule rule;
    rule.kind = sim::FaultRule::Kind::latency;
    rule.prefix = "/oauth2.googleapis.com/token";
    rule.latency = latency;
    return rule;
}

BackgroundRefreshOptions policy() {
    BackgroundRefreshOptions options;
    options.window = seconds(900);
    options.jitter = seconds(0);
    options.concurrency = 4;
    options.per_provider_concurrency = 2;
    options.failure_backoff_base = seconds(600);
    options.failure_backoff_max = seconds(3600);
    options.lease_duration = seconds(120);
    return options;
}

// Issue 14, point 2: a provider answering 503 sees a trickle of refresh attempts, not one per
// due connector per pass.
TEST_F(RefreshPolicyTest, ABrokenProviderIsAskedOncePerPassAndFailingConnectorsBackOff) {
    const auto ids = seed(8, "google_calendar", seconds(300));
    world->sim().add_fault(token_endpoint_error(503));
    auto one = instance(clock());
    auto refresher = one->refresher(policy(), clock());

    EXPECT_EQ(refresher.run_once(), 0u);
    const int first_pass = http->calls();
    // The first failure stops the provider's other connectors for the pass; at most the
    // per-provider limit were already under way.
    EXPECT_GE(first_pass, 1);
    EXPECT_LE(first_pass, 2);

    // Later passes (the leases of the skipped ones ended at once) try others, one failure
    // each, while those that failed wait out their backoff.
    for (int pass = 0; pass < 3; ++pass) {
        advance(seconds(30));
        refresher.run_once();
    }
    const int after_four_passes = http->calls();
    EXPECT_LE(after_four_passes, 8) << "without the cooldown: 32 (8 connectors x 4 passes)";
    int deferred = 0;
    for (const auto& id : ids) {
        if (column("refresh_failures", id) == "1") {
            ++deferred;
            const long long retry_at = std::stoll(column("refresh_retry_at", id));
            EXPECT_GE(retry_at, store::to_epoch_seconds(now.load()) + 600 - 4 * 30 - 1);
        }
    }
    EXPECT_EQ(deferred, after_four_passes);
    for (const auto& id : ids) {
        EXPECT_EQ(world->repository()->get("tenant-a", id)->status, store::ConnectorStatus::active);
    }

    // The provider recovers: once the backoff has passed, every connector is refreshed.
    world->sim().clear_faults();
    advance(seconds(601));
    std::size_t refreshed = 0;
    for (int pass = 0; pass < 3 && refreshed < ids.size(); ++pass)
        refreshed += refresher.run_once();
    EXPECT_EQ(refreshed, ids.size());
    for (const auto& id : ids) EXPECT_EQ(column("refresh_failures", id), "0");
}

// Issue 14, point 2: a pass runs refreshes at once, at most `per_provider_concurrency` of them
// against one provider.
TEST_F(RefreshPolicyTest, RefreshesRunConcurrentlyWithinThePerProviderLimit) {
    seed(5, "google_calendar", seconds(300), "cal");
    seed(5, "gmail", seconds(300), "mail");
    world->sim().add_fault(token_endpoint_latency(std::chrono::milliseconds(300)));
    auto one = instance(clock());
    auto options = policy();
    options.concurrency = 4;
    options.per_provider_concurrency = 2;
    auto refresher = one->refresher(options, clock());
    EXPECT_EQ(refresher.run_once(), 10u);
    EXPECT_EQ(http->max_at_once("google_calendar"), 2);
    EXPECT_EQ(http->max_at_once("gmail"), 2);
    EXPECT_EQ(http->max_total_at_once(), 4);
    EXPECT_EQ(http->calls("google_calendar") + http->calls("gmail"), 10);

    // One at a time when told so.
    seed(3, "google_calendar", seconds(300), "more");
    options.concurrency = 1;
    auto serial = one->refresher(options, clock());
    EXPECT_EQ(serial.run_once(), 3u);
}

// Issue 12, point 5: a backlog (a full batch due) is worked off pass after pass, not a batch
// per interval: with an interval of an hour, 12 due connectors in batches of 5 are all
// refreshed at once by the running thread, each once.
TEST_F(RefreshPolicyTest, AFullBatchStartsTheNextPassAtOnce) {
    const auto ids = seed(12, "google_calendar", seconds(300));
    auto one = instance(clock());
    auto options = policy();
    options.batch = 5;
    options.interval = std::chrono::hours(1);
    auto refresher = one->refresher(options, clock());
    refresher.start();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (http->calls() < 12 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200)); // nothing more may come
    refresher.stop();
    EXPECT_EQ(http->calls(), 12) << "before: 5, then the hour's wait";
    for (const auto& id : ids) EXPECT_NE(column("last_refreshed_at", id), "NULL");
}

// A pass whose provider failed does not start the next one at once, full batch or not: the
// broken provider still sees one attempt per interval.
TEST_F(RefreshPolicyTest, AFailingProviderDoesNotMakeTheBacklogLoop) {
    seed(12, "google_calendar", seconds(300));
    world->sim().add_fault(token_endpoint_error(503));
    auto one = instance(clock());
    auto options = policy();
    options.batch = 5;
    options.interval = std::chrono::hours(1);
    auto refresher = one->refresher(options, clock());
    refresher.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    refresher.stop();
    EXPECT_GE(http->calls(), 1);
    EXPECT_LE(http->calls(), 2) << "one pass: the first failure skips the provider's others";
}

// Issue 10, point 5 (b): the background lease outlives the pass working under it, so a
// second instance cannot lease (and refresh) the same connectors while the first still works.
TEST_F(RefreshPolicyTest, LeasesOutliveALongPass) {
    seed(3, "google_calendar", seconds(300));
    world->sim().add_fault(token_endpoint_latency(std::chrono::milliseconds(1200)));
    auto first = instance({});
    auto second = instance({});
    auto options = policy();
    options.concurrency = 1;          // 3 refreshes one after the other: about 3.6 s
    options.lease_duration = seconds(2); // renewed every 2/3 s
    auto refresher = first->refresher(options, {});
    auto pass = std::async(std::launch::async, [&] { return refresher.run_once(); });

    store::LeaseOptions lease;
    lease.window = options.window;
    lease.lease_duration = options.lease_duration;
    std::size_t stolen = 0;
    while (pass.wait_for(std::chrono::milliseconds(200)) != std::future_status::ready) {
        auto leased = second->leaser->lease_due(lease);
        ASSERT_TRUE(leased) << leased.error().message;
        stolen += leased->size();
        for (const auto& c : *leased) ASSERT_TRUE(second->leaser->release(c.ref));
    }
    EXPECT_EQ(pass.get(), 3u);
    EXPECT_EQ(stolen, 0u) << "another instance leased connectors the pass still held";
    EXPECT_EQ(http->calls(), 3);
}

// Issue 14, point 2: invalid_client is the operator's problem: the connector is marked
// `error` and the log says what to fix (without the secret).
TEST_F(RefreshPolicyTest, InvalidClientMarksErrorAndTellsTheOperator) {
    const auto id = seed(1, "google_calendar", seconds(3600)).front();
    config::MapEnvironment wrong = world->environment();
    wrong.set("GOOGLE_CLIENT_SECRET", "not-the-sim-secret-0123");
    Instance misconfigured(*world, http, clock(), wrong);
    testing::LogCapture log;
    auto refreshed = misconfigured.tokens->refresh_now("tenant-a", id);
    ASSERT_FALSE(refreshed);
    EXPECT_EQ(refreshed.error().code, "invalid_client");
    auto summary = world->repository()->get("tenant-a", id);
    EXPECT_EQ(summary->status, store::ConnectorStatus::error);
    EXPECT_NE(summary->last_error.find("invalid_client"), std::string::npos) << summary->last_error;
    const std::string text = log.text();
    EXPECT_NE(text.find("refused this host's OAuth client credentials"), std::string::npos) << text;
    EXPECT_NE(text.find("client_secret_env"), std::string::npos) << text;
    EXPECT_EQ(text.find("not-the-sim-secret-0123"), std::string::npos) << "a secret in the log";
    EXPECT_NE(text.find("is now error (was active)"), std::string::npos) << text;

    // Once the operator fixes it, a refresh brings the connector back.
    auto fixed = instance(clock());
    ASSERT_TRUE(fixed->tokens->refresh_now("tenant-a", id));
    EXPECT_EQ(world->repository()->get("tenant-a", id)->status, store::ConnectorStatus::active);
}

// Runs `action` inside the first log call whose message contains `marker`: a way into the
// moment between two steps of the code under test.
class HookSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    HookSink(std::string marker, std::function<void()> action)
        : marker_(std::move(marker)), action_(std::move(action)) {}

protected:
    void sink_it_(const spdlog::details::log_msg& message) override {
        const std::string_view text(message.payload.data(), message.payload.size());
        if (!fired_ && text.find(marker_) != std::string_view::npos) {
            fired_ = true;
            action_();
        }
    }
    void flush_() override {}

private:
    std::string marker_;
    std::function<void()> action_;
    bool fired_ = false;
};

// Issue 10, point 5 (a): the provider refuses the old refresh token, and at that very moment
// the owner reconnects the account (new tokens stored). The revocation was decided on the old
// tokens and must not land on the new ones.
TEST_F(RefreshPolicyTest, ARevocationDecidedOnOldTokensDoesNotOverwriteAReconnect) {
    const auto id = seed(1, "google_calendar", seconds(3600)).front();
    auto repository = world->repository();
    const auto old = repository->get_credentials("tenant-a", id).value();
    ASSERT_TRUE(world->sim().revoke_refresh_token(*old.tokens.refresh_token));
    const auto fresh = world->sim().issue_tokens(sim::Provider::google, "user0@example.com",
                                                 {"openid", "email"});
    // The reconnect lands right after the code under test decided "revoked" and logged it,
    // before it writes the status.
    auto hook = std::make_shared<HookSink>("is revoked", [&] {
        store::TokenUpdate update;
        update.access_token = fresh.access_token;
        update.refresh_token = fresh.refresh_token;
        update.expires_at =
            std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now()) +
            std::chrono::hours(1);
        ASSERT_TRUE(repository->update_tokens("tenant-a", id, old.credential_version, update));
    });
    auto previous = spdlog::default_logger();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("hook", hook));
    auto one = instance(clock());
    auto refreshed = one->tokens->refresh_now("tenant-a", id);
    spdlog::set_default_logger(previous);

    auto summary = repository->get("tenant-a", id);
    EXPECT_EQ(summary->status, store::ConnectorStatus::active) << summary->last_error;
    EXPECT_EQ(repository->get_credentials("tenant-a", id)->tokens.access_token, fresh.access_token);
    // The caller gets the reconnected account's token, not a revocation.
    ASSERT_TRUE(refreshed) << refreshed.error().code;
    EXPECT_EQ(refreshed->access_token, fresh.access_token);
}

// Issue 10, point 5: two instances (each its own TokenManager and connections) and ten
// concurrent refreshes of one connector whose provider rotates refresh tokens. Every caller
// gets a token, the connector stays active, and no refresh token is spent twice.
TEST_F(RefreshPolicyTest, TwoInstancesRefreshingOneRotatingTokenAtOnceNeverRevokeIt) {
    auto settings = world->sim().settings();
    settings.rotate_refresh_tokens = true;
    world->sim().set_settings(settings);
    world->sim().add_fault(token_endpoint_latency(std::chrono::milliseconds(200)));
    const auto id = seed(1, "google_calendar", seconds(3600)).front();
    auto first = instance({});
    auto second = instance({});
    const auto before = world->repository()->get_credentials("tenant-a", id)->credential_version;

    std::vector<Result<AccessGrant>> results(10, Error(ErrorKind::internal, "not_run", ""));
    std::latch go(10);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < 10; ++i) {
        threads.emplace_back([&, i] {
            TokenManager& tokens = i % 2 == 0 ? *first->tokens : *second->tokens;
            go.arrive_and_wait();
            results[i] = tokens.refresh_now("tenant-a", id);
        });
    }
    for (auto& thread : threads) thread.join();
    for (const auto& result : results) {
        EXPECT_TRUE(result) << result.error().code << ": " << result.error().message;
    }
    EXPECT_EQ(world->repository()->get("tenant-a", id)->status, store::ConnectorStatus::active);
    EXPECT_EQ(http->refused(), 0) << "a refresh token was spent twice";
    const auto after = world->repository()->get_credentials("tenant-a", id)->credential_version;
    EXPECT_EQ(after - before, http->calls()) << "each granted refresh is the one stored";
    EXPECT_LT(http->calls(), 10) << "callers that waited shared the refresh they waited for";
}

} // namespace
} // namespace switchboard::connectors
