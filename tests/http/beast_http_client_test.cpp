#include "core/http/beast_http_client.hpp"

#include "core/http/form_encoding.hpp"
#include "core/http/retry_policy.hpp"
#include "mock_http_client.hpp"
#include "test_http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <mutex>
#include <thread>

namespace switchboard::http {
namespace {

using std::chrono::milliseconds;
using ::testing::ElementsAre;
using ::testing::Optional;
using namespace switchboard::http::test_support;

// Records the waits the client asks for instead of sleeping, so retry tests take no time.
struct RecordedWaits {
    std::mutex mutex;
    std::vector<milliseconds> waits;
    std::vector<milliseconds> get() {
        std::lock_guard lock(mutex);
        return waits;
    }
};

struct RecordingMetrics : HttpMetricsObserver {
    struct Attempt {
        std::string label;
        std::string method;
        int status;
        std::string error_code;
        int attempt;
        bool reused;
    };
    struct Completion {
        std::string label;
        std::string method;
        int status;
        std::string error_code;
        int attempts;
    };
    std::mutex mutex;
    std::vector<Attempt> attempts;
    std::vector<Completion> completions;
    void on_attempt(const HttpAttemptEvent& e) noexcept override {
        std::lock_guard lock(mutex);
        attempts.push_back({std::string(e.label), std::string(e.method), e.status,
                            std::string(e.error_code), e.attempt, e.reused_connection});
    }
    void on_complete(const HttpCompletionEvent& e) noexcept override {
        std::lock_guard lock(mutex);
        completions.push_back({std::string(e.label), std::string(e.method), e.status,
                               std::string(e.error_code), e.attempts});
    }
};

class BeastHttpClientTest : public ::testing::Test {
protected:
    BeastHttpClientOptions options() {
        BeastHttpClientOptions o;
        o.allow_plain_http_loopback = true;
        o.connect_timeout = milliseconds{2000};
        o.read_timeout = milliseconds{5000};
        o.total_deadline = milliseconds{20000};
        o.base_backoff = milliseconds{100};
        o.max_backoff = milliseconds{1000};
        o.max_attempts = 4;
        o.metrics = metrics;
        o.sleep = [w = waits](milliseconds wait) {
            std::lock_guard lock(w->mutex);
            w->waits.push_back(wait);
        };
        o.unit_random = [] { return 0.5; };
        return o;
    }

    std::unique_ptr<BeastHttpClient> make_client(BeastHttpClientOptions o) {
        auto client = BeastHttpClient::create(std::move(o));
        EXPECT_TRUE(client) << client.error().message;
        return std::move(*client);
    }

    std::shared_ptr<RecordedWaits> waits = std::make_shared<RecordedWaits>();
    std::shared_ptr<RecordingMetrics> metrics = std::make_shared<RecordingMetrics>();
};

RequestOptions labelled(const char* label) {
    RequestOptions o;
    o.metrics_label = label;
    return o;
}

// A request to HubSpot carries the rate-limit rules of its plugin's policy (the host's
// connectors set them from the provider's descriptor).
RequestOptions hubspot_request() {
    RequestOptions o = labelled("hubspot");
    o.rate_limit_rules = std::make_shared<const std::vector<RateLimitHeaderRule>>(
        std::vector<RateLimitHeaderRule>{
            {"x-hubspot-ratelimit-daily-remaining", "", milliseconds{0}, std::nullopt, true},
            {"x-hubspot-ratelimit-secondly-remaining", "", milliseconds{0}, milliseconds{1000},
             false}});
    return o;
}

ScriptedResponse ok(std::string body = "ok") {
    ScriptedResponse r;
    r.body = std::move(body);
    return r;
}

ScriptedResponse status(int code, HttpHeaders headers = {}) {
    ScriptedResponse r;
    r.status = code;
    r.headers = std::move(headers);
    r.body = "status " + std::to_string(code);
    return r;
}

TEST_F(BeastHttpClientTest, GetRoundTrip) {
    TestHttpServer server([](const ReceivedRequest&) {
        ScriptedResponse r = ok("hello");
        r.headers = {{"X-Answer", "42"}, {"Content-Type", "text/plain"}};
        return r;
    });
    auto client = make_client(options());
    HttpRequest request{"GET", server.url("/v1/things?limit=5&q=a%20b"), {{"X-Trace", "t1"}}, {}};
    auto response = client->send(request, labelled("test_provider"));
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "hello");
    EXPECT_EQ(response->attempts, 1);
    EXPECT_THAT(response->header("x-answer"), Optional(std::string_view("42")));
    EXPECT_THAT(response->header("content-type"), Optional(std::string_view("text/plain")));

    auto received = server.requests();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].method, "GET");
    EXPECT_EQ(received[0].target, "/v1/things?limit=5&q=a%20b");
    EXPECT_THAT(received[0].header("x-trace"), Optional(std::string_view("t1")));
    EXPECT_THAT(received[0].header("host"),
                Optional(std::string_view("127.0.0.1:" + std::to_string(server.port()))));
    EXPECT_THAT(received[0].header("user-agent"), Optional(std::string_view("switchboard/0.1")));
}

TEST_F(BeastHttpClientTest, PostRoundTripWithFormBody) {
    TestHttpServer server([](const ReceivedRequest& r) {
        return ok("got " + r.method + " " + r.body);
    });
    auto client = make_client(options());
    const std::string form = encode_form({{"grant_type", "authorization_code"}, {"code", "a b"}});
    HttpRequest request{"POST",
                        server.url("/oauth/v1/token"),
                        {{"Content-Type", "application/x-www-form-urlencoded"}},
                        form};
    auto response = client->send(request, {});
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "got POST grant_type=authorization_code&code=a+b");
    auto received = server.requests();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_THAT(received[0].header("content-length"),
                Optional(std::string_view(std::to_string(form.size()))));
    EXPECT_THAT(received[0].header("content-type"),
                Optional(std::string_view("application/x-www-form-urlencoded")));
}

TEST_F(BeastHttpClientTest, KeepAliveReusesOneConnection) {
    TestHttpServer server([](const ReceivedRequest&) { return ok(); });
    auto client = make_client(options());
    for (int i = 0; i < 5; ++i) {
        auto response = client->send({"GET", server.url("/r"), {}, {}}, {});
        ASSERT_TRUE(response) << response.error().message;
        EXPECT_EQ(response->status, 200);
    }
    EXPECT_EQ(server.connections_accepted(), 1u);
    EXPECT_EQ(client->pool_stats().connections_opened, 1u);
    EXPECT_EQ(client->pool_stats().connections_reused, 4u);
    EXPECT_EQ(client->pool_stats().idle_connections, 1u);
}

TEST_F(BeastHttpClientTest, NoIdleConnectionsMeansANewConnectionPerRequest) {
    TestHttpServer server([](const ReceivedRequest&) { return ok(); });
    auto o = options();
    o.max_idle_connections_per_host = 0;
    auto client = make_client(o);
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(client->send({"GET", server.url("/r"), {}, {}}, {}));
    }
    EXPECT_EQ(server.connections_accepted(), 3u);
}

TEST_F(BeastHttpClientTest, ConnectionCloseFromServerIsHonoured) {
    TestHttpServer server([](const ReceivedRequest&) {
        ScriptedResponse r = ok();
        r.close_after = true;
        return r;
    });
    auto client = make_client(options());
    for (int i = 0; i < 3; ++i) {
        auto response = client->send({"GET", server.url("/r"), {}, {}}, {});
        ASSERT_TRUE(response) << response.error().message;
        EXPECT_EQ(response->attempts, 1);
    }
    EXPECT_EQ(server.connections_accepted(), 3u);
    EXPECT_EQ(client->pool_stats().connections_reused, 0u);
}

TEST_F(BeastHttpClientTest, DeadPooledConnectionIsReplacedOnceWithoutCountingAnAttempt) {
    // The second request on any connection is read and dropped unanswered, as a server
    // closing an idle keep-alive connection does; the client retries an idempotent request
    // on a fresh one, since nothing came back.
    TestHttpServer server([](const ReceivedRequest& r) {
        ScriptedResponse answer = ok("conn " + std::to_string(r.connection));
        answer.drop_unanswered = r.on_connection == 2;
        return answer;
    });
    auto o = options();
    o.max_attempts = 1;
    auto client = make_client(o);
    auto first = client->send({"GET", server.url("/a"), {}, {}}, {});
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->body, "conn 1");
    auto second = client->send({"PUT", server.url("/a"), {}, "y"}, {});
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(second->body, "conn 2");
    EXPECT_EQ(second->attempts, 1);
    EXPECT_EQ(server.connections_accepted(), 2u);
    EXPECT_EQ(server.requests_received(), 3u);
}

// Issue 10, point 5 (c): a POST the server may have read is never sent again. Here the server
// reads it and drops the connection (it may have acted: spent a single-use refresh token,
// sent an e-mail); a second copy on a fresh connection would act twice.
TEST_F(BeastHttpClientTest, APostOnAReusedConnectionIsNotResentOnceTheServerMayHaveReadIt) {
    TestHttpServer server([](const ReceivedRequest& r) {
        ScriptedResponse answer = ok("conn " + std::to_string(r.connection));
        answer.drop_unanswered = r.on_connection == 2;
        return answer;
    });
    auto o = options();
    auto client = make_client(o); // retries on: they must not apply either
    auto first = client->send({"POST", server.url("/token"), {}, "grant_type=refresh_token"}, {});
    ASSERT_TRUE(first) << first.error().message;
    auto second = client->send({"POST", server.url("/token"), {}, "grant_type=refresh_token"}, {});
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(second.error().code, "upstream_io_failed");
    EXPECT_EQ(server.requests_received(), 2u) << "the POST was sent twice";
    EXPECT_EQ(server.connections_accepted(), 1u);

    // A caller that says the request is safe to repeat (it carries an idempotency key) gets
    // the fresh connection.
    RequestOptions repeatable;
    repeatable.retry_non_idempotent = true;
    auto third = client->send({"POST", server.url("/token"), {}, "x"}, repeatable);
    ASSERT_TRUE(third) << third.error().message;
    auto fourth = client->send({"POST", server.url("/token"), {}, "x"}, repeatable);
    ASSERT_TRUE(fourth) << fourth.error().message;
    EXPECT_EQ(fourth->body, "conn 3");
}

TEST_F(BeastHttpClientTest, ServerThatNeverAnswersTimesOut) {
    TestHttpServer server([](const ReceivedRequest&) {
        ScriptedResponse r;
        r.never_answer = true;
        return r;
    });
    auto o = options();
    o.read_timeout = milliseconds{300};
    o.max_attempts = 1;
    auto client = make_client(o);
    const auto started = std::chrono::steady_clock::now();
    auto response = client->send({"GET", server.url("/slow"), {}, {}}, {});
    const auto elapsed = std::chrono::steady_clock::now() - started;
    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, "upstream_timeout");
    EXPECT_EQ(response.error().kind, ErrorKind::unavailable);
    EXPECT_GE(elapsed, milliseconds{250});
    EXPECT_LT(elapsed, std::chrono::seconds{10}); // the bound, not a speed measurement
}

TEST_F(BeastHttpClientTest, TheDeadlineBoundsEveryAttempt) {
    TestHttpServer server([](const ReceivedRequest&) {
        ScriptedResponse r;
        r.never_answer = true;
        return r;
    });
    auto client = make_client(options()); // read timeout 5 s, 4 attempts
    RequestOptions request_options;
    request_options.deadline = milliseconds{400};
    const auto started = std::chrono::steady_clock::now();
    auto response = client->send({"GET", server.url("/slow"), {}, {}}, request_options);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, "upstream_timeout");
    EXPECT_LT(elapsed, std::chrono::seconds{4});
    EXPECT_EQ(server.requests_received(), 1u);
}

TEST_F(BeastHttpClientTest, RetriesA503ThenSucceeds) {
    std::atomic<int> calls{0};
    TestHttpServer server([&calls](const ReceivedRequest&) {
        return ++calls <= 2 ? status(503) : ok("finally");
    });
    auto client = make_client(options());
    auto response = client->send({"GET", server.url("/flaky"), {}, {}}, labelled("hubspot"));
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "finally");
    EXPECT_EQ(response->attempts, 3);
    // Full jitter with the draw fixed at 0.5: half of 100 ms, then half of 200 ms.
    EXPECT_THAT(waits->get(), ElementsAre(milliseconds{50}, milliseconds{100}));
    EXPECT_EQ(server.requests_received(), 3u);
}

TEST_F(BeastHttpClientTest, Honours429RetryAfterSecondsEvenForPost) {
    std::atomic<int> calls{0};
    TestHttpServer server([&calls](const ReceivedRequest&) {
        return ++calls == 1 ? status(429, {{"Retry-After", "7"}}) : ok("created");
    });
    auto client = make_client(options());
    auto response = client->send({"POST", server.url("/crm/v3/objects/contacts"), {}, "{}"}, {});
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->attempts, 2);
    EXPECT_THAT(waits->get(), ElementsAre(milliseconds{7000}));
}

std::string http_date(std::chrono::system_clock::time_point when) {
    const std::time_t t = std::chrono::system_clock::to_time_t(when);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buffer;
}

TEST_F(BeastHttpClientTest, Honours429RetryAfterHttpDate) {
    std::atomic<int> calls{0};
    TestHttpServer server([&calls](const ReceivedRequest&) {
        const auto when = std::chrono::system_clock::now() + std::chrono::seconds{12};
        return ++calls == 1 ? status(429, {{"Retry-After", http_date(when)}}) : ok();
    });
    auto client = make_client(options());
    auto response = client->send({"GET", server.url("/x"), {}, {}}, {});
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->attempts, 2);
    auto recorded = waits->get();
    ASSERT_EQ(recorded.size(), 1u);
    // The date has one-second resolution.
    EXPECT_GE(recorded[0], milliseconds{10000});
    EXPECT_LE(recorded[0], milliseconds{12000});
}

TEST_F(BeastHttpClientTest, HubSpotSecondlyLimitWaitsAtLeastASecond) {
    std::atomic<int> calls{0};
    TestHttpServer server([&calls](const ReceivedRequest&) {
        return ++calls == 1 ? status(429, {{"X-HubSpot-RateLimit-Secondly", "10"},
                                           {"X-HubSpot-RateLimit-Secondly-Remaining", "0"}})
                            : ok();
    });
    auto client = make_client(options());
    auto response = client->send({"GET", server.url("/crm/v3/objects/contacts"), {}, {}},
                                 hubspot_request());
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->attempts, 2);
    EXPECT_THAT(waits->get(), ElementsAre(milliseconds{1000}));
}

TEST_F(BeastHttpClientTest, HubSpotDailyLimitIsNotRetried) {
    TestHttpServer server([](const ReceivedRequest&) {
        return status(429, {{"X-HubSpot-RateLimit-Daily", "250000"},
                            {"X-HubSpot-RateLimit-Daily-Remaining", "0"}});
    });
    auto client = make_client(options());
    auto response = client->send({"GET", server.url("/crm/v3/objects/contacts"), {}, {}},
                                 hubspot_request());
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 429);
    EXPECT_EQ(response->attempts, 1);
    EXPECT_TRUE(waits->get().empty());
}

TEST_F(BeastHttpClientTest, RetryAfterBeyondTheDeadlineReturnsThe429AtOnce) {
    TestHttpServer server([](const ReceivedRequest&) {
        return status(429, {{"Retry-After", "120"}});
    });
    auto client = make_client(options()); // deadline 20 s
    auto response = client->send({"GET", server.url("/x"), {}, {}}, {});
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 429);
    EXPECT_EQ(response->attempts, 1);
    EXPECT_TRUE(waits->get().empty());
}

TEST_F(BeastHttpClientTest, PostIsNotRetriedOn5xxUnlessTheRequestAllowsIt) {
    std::atomic<int> calls{0};
    TestHttpServer server([&calls](const ReceivedRequest&) {
        ++calls;
        return status(503);
    });
    auto client = make_client(options());
    auto response = client->send({"POST", server.url("/send"), {}, "{}"}, {});
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 503);
    EXPECT_EQ(response->attempts, 1);
    EXPECT_EQ(calls.load(), 1);

    RequestOptions allow;
    allow.retry_non_idempotent = true;
    response = client->send({"POST", server.url("/send"), {}, "{}"}, allow);
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->attempts, 4);
    EXPECT_EQ(calls.load(), 5);
}

TEST_F(BeastHttpClientTest, MaxAttemptsBoundsRetries) {
    TestHttpServer server([](const ReceivedRequest&) { return status(502); });
    auto o = options();
    o.max_attempts = 3;
    auto client = make_client(o);
    auto response = client->send({"GET", server.url("/down"), {}, {}}, {});
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 502);
    EXPECT_EQ(response->attempts, 3);
    EXPECT_EQ(server.requests_received(), 3u);
    EXPECT_EQ(waits->get().size(), 2u);

    RequestOptions once;
    once.max_attempts = 1;
    response = client->send({"GET", server.url("/down"), {}, {}}, once);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->attempts, 1);
    EXPECT_EQ(server.requests_received(), 4u);
}

TEST_F(BeastHttpClientTest, DroppedResponseIsRetriedForGetButNotForPost) {
    // Every fresh connection's first request is dropped once; later ones are answered.
    std::atomic<int> calls{0};
    TestHttpServer server([&calls](const ReceivedRequest&) {
        ScriptedResponse r = ok();
        r.drop_unanswered = (++calls % 2) == 1;
        return r;
    });
    auto client = make_client(options());
    auto get = client->send({"GET", server.url("/x"), {}, {}}, {});
    ASSERT_TRUE(get) << get.error().message;
    EXPECT_EQ(get->attempts, 2);

    auto o = options();
    auto fresh_client = make_client(o);
    auto post = fresh_client->send({"POST", server.url("/x"), {}, "{}"}, {});
    ASSERT_FALSE(post);
    EXPECT_EQ(post.error().code, "upstream_io_failed");
    EXPECT_EQ(post.error().kind, ErrorKind::unavailable);
}

std::uint16_t unused_port() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(
        io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

TEST_F(BeastHttpClientTest, ConnectionRefusedIsRetriedThenReported) {
    auto o = options();
    o.max_attempts = 2;
    auto client = make_client(o);
    const std::string url = "http://127.0.0.1:" + std::to_string(unused_port()) + "/";
    auto response = client->send({"POST", url, {}, "{}"}, labelled("hubspot"));
    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, "upstream_connect_failed");
    EXPECT_EQ(response.error().kind, ErrorKind::unavailable);
    // Nothing was sent, so even a POST gets its second attempt.
    std::lock_guard lock(metrics->mutex);
    ASSERT_EQ(metrics->attempts.size(), 2u);
    EXPECT_EQ(metrics->attempts[1].error_code, "upstream_connect_failed");
    ASSERT_EQ(metrics->completions.size(), 1u);
    EXPECT_EQ(metrics->completions[0].attempts, 2);
    EXPECT_EQ(metrics->completions[0].label, "hubspot");
}

TEST_F(BeastHttpClientTest, PlainHttpIsRefusedExceptToAllowedLoopback) {
    auto o = options();
    auto client = make_client(o);
    for (const char* url : {"http://example.com/", "http://10.1.2.3:8080/x",
                            "http://localhost.example.com/"}) {
        auto response = client->send({"GET", url, {}, {}}, {});
        ASSERT_FALSE(response) << url;
        EXPECT_EQ(response.error().code, "insecure_url_refused") << url;
        EXPECT_EQ(response.error().kind, ErrorKind::invalid_input);
    }

    TestHttpServer server([](const ReceivedRequest&) { return ok(); });
    o.allow_plain_http_loopback = false;
    auto strict = make_client(o);
    auto response = strict->send({"GET", server.url("/"), {}, {}}, {});
    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, "insecure_url_refused");
    EXPECT_EQ(server.connections_accepted(), 0u);

    auto via_name = client->send({"GET", server.url("/", "localhost"), {}, {}}, {});
    ASSERT_TRUE(via_name) << via_name.error().message;
    EXPECT_EQ(via_name->status, 200);
}

TEST_F(BeastHttpClientTest, ResponseLargerThanTheLimitIsAnError) {
    TestHttpServer server([](const ReceivedRequest& r) {
        return ok(std::string(r.target == "/big" ? 4096 : 1024, 'x'));
    });
    auto o = options();
    o.max_response_body_bytes = 2048;
    auto client = make_client(o);
    auto small = client->send({"GET", server.url("/small"), {}, {}}, {});
    ASSERT_TRUE(small) << small.error().message;
    EXPECT_EQ(small->body.size(), 1024u);
    auto big = client->send({"GET", server.url("/big"), {}, {}}, {});
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error().code, "upstream_response_too_large");
    EXPECT_EQ(server.requests_received(), 2u); // not retried
}

TEST_F(BeastHttpClientTest, RefusesHeaderInjectionAndManagedHeaders) {
    auto client = make_client(options());
    auto injected = client->send(
        {"GET", "http://127.0.0.1:1/", {{"X-A", "v\r\nX-Evil: 1"}}, {}}, {});
    ASSERT_FALSE(injected);
    EXPECT_EQ(injected.error().code, "invalid_http_header");
    EXPECT_EQ(injected.error().message.find("Evil"), std::string::npos);
    auto managed = client->send({"GET", "http://127.0.0.1:1/", {{"Content-Length", "5"}}, {}}, {});
    ASSERT_FALSE(managed);
    EXPECT_EQ(managed.error().code, "invalid_http_header");
    auto bad_method = client->send({"GE T", "http://127.0.0.1:1/", {}, {}}, {});
    ASSERT_FALSE(bad_method);
    EXPECT_EQ(bad_method.error().code, "invalid_http_method");
}

TEST_F(BeastHttpClientTest, MetricsSeeEveryAttemptAndTheCompletionWithoutTheUrl) {
    std::atomic<int> calls{0};
    TestHttpServer server([&calls](const ReceivedRequest&) {
        return ++calls == 1 ? status(500) : ok();
    });
    auto client = make_client(options());
    auto response =
        client->send({"GET", server.url("/p?access_token=secret"), {}, {}}, labelled("google_calendar"));
    ASSERT_TRUE(response);
    std::lock_guard lock(metrics->mutex);
    ASSERT_EQ(metrics->attempts.size(), 2u);
    EXPECT_EQ(metrics->attempts[0].status, 500);
    EXPECT_EQ(metrics->attempts[0].attempt, 1);
    EXPECT_FALSE(metrics->attempts[0].reused);
    EXPECT_EQ(metrics->attempts[1].status, 200);
    EXPECT_TRUE(metrics->attempts[1].reused);
    EXPECT_EQ(metrics->attempts[1].label, "google_calendar");
    ASSERT_EQ(metrics->completions.size(), 1u);
    EXPECT_EQ(metrics->completions[0].status, 200);
    EXPECT_EQ(metrics->completions[0].attempts, 2);
    EXPECT_EQ(metrics->completions[0].method, "GET");
}

TEST_F(BeastHttpClientTest, ConcurrentSendersShareThePoolSafely) {
    TestHttpServer server([](const ReceivedRequest& r) { return ok(r.target); });
    auto client = make_client(options());
    constexpr int kThreads = 6;
    constexpr int kRequests = 25;
    std::atomic<int> good{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kRequests; ++i) {
                const std::string path = "/t" + std::to_string(t) + "/" + std::to_string(i);
                auto response = client->send({"GET", server.url(path), {}, {}}, {});
                if (response && response->status == 200 && response->body == path) {
                    ++good;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(good.load(), kThreads * kRequests);
    // Each sender holds at most one connection at a time.
    EXPECT_LE(server.connections_accepted(), static_cast<std::size_t>(kThreads));
    EXPECT_GE(client->pool_stats().connections_reused,
              static_cast<std::size_t>(kThreads * kRequests - kThreads));
}

// What a module that takes an HttpClient& sees: the interface alone, so a mock stands in.
Result<int> status_of(HttpClient& client, const std::string& url) {
    auto response = client.send({"GET", url, {}, {}}, labelled("probe"));
    if (!response) {
        return response.error();
    }
    return response->status;
}

TEST_F(BeastHttpClientTest, TheInterfaceIsMockable) {
    MockHttpClient mock;
    HttpResponse canned;
    canned.status = 418;
    EXPECT_CALL(mock, send(::testing::Field(&HttpRequest::url, "https://provider.example/x"),
                           ::testing::Field(&RequestOptions::metrics_label, "probe")))
        .WillOnce(::testing::Return(Result<HttpResponse>(canned)));
    auto status = status_of(mock, "https://provider.example/x");
    ASSERT_TRUE(status);
    EXPECT_EQ(*status, 418);
}

TEST_F(BeastHttpClientTest, CreateRejectsBadOptions) {
    auto o = options();
    o.max_attempts = 0;
    auto client = BeastHttpClient::create(o);
    ASSERT_FALSE(client);
    EXPECT_EQ(client.error().code, "invalid_http_client_options");

    o = options();
    o.extra_ca_file = "/nonexistent/ca.pem";
    client = BeastHttpClient::create(o);
    ASSERT_FALSE(client);
    EXPECT_NE(client.error().message.find("/nonexistent/ca.pem"), std::string::npos);
}

} // namespace
} // namespace switchboard::http
