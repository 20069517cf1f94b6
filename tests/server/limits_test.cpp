// The server's own protection, over real sockets: every request is decided on its header
// (route, gate, body limit) before its body is read; the large body limit only for a caller a
// gate admitted; Expect: 100-continue only once the request is admitted; a bounded worker
// queue (503 + Retry-After) that leaves /healthz and the operations pool answering; caps on
// connections in all and per client address.
#include "server_fixture.hpp"
#include "test_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <future>
#include <string>

namespace switchboard::server::testing {
namespace {

using ::testing::HasSubstr;

// Admits "Bearer good" as tenant-1; counts its calls.
Gate bearer_gate(std::atomic<int>& calls) {
    return [&calls](const Request& head) -> Result<Caller> {
        ++calls;
        EXPECT_TRUE(head.body.empty()) << "a gate sees the header only";
        if (head.header("Authorization") == "Bearer good") {
            return Caller{"tenant-1", "user-1"};
        }
        return Error(ErrorKind::unauthenticated, "invalid_token", "the token is not valid");
    };
}

// What the handler saw: the caller and the body's size.
Handler reporting(std::atomic<int>& calls) {
    return [&calls](const Request& request) {
        ++calls;
        return Response::json({{"tenant", request.caller ? request.caller->tenant : ""},
                               {"bytes", request.body.size()}});
    };
}

std::string post_head(std::string_view target, std::size_t length, std::string_view extra = {}) {
    return "POST " + std::string(target) + " HTTP/1.1\r\nHost: x\r\n" + std::string(extra) +
           "Content-Type: application/json\r\nContent-Length: " + std::to_string(length) +
           "\r\n\r\n";
}

class LimitsTest : public ServerFixture {
protected:
    LimitsTest() {
        options.body_limit_bytes = 1024;
        options.authenticated_body_limit_bytes = 64 * 1024;
    }

    // POST /upload takes large bodies once "Bearer good" is shown; POST /small has the gate
    // and the standard limit; POST /open has neither.
    void start_routes() {
        start([this](Router& router) {
            router.add(http::verb::post, "/upload", reporting(handled),
                       RouteOptions{Execution::worker_pool, bearer_gate(gated),
                                    BodyLimit::large_after_gate});
            router.add(http::verb::post, "/small", reporting(handled),
                       RouteOptions{Execution::worker_pool, bearer_gate(gated),
                                    BodyLimit::standard});
            router.add(http::verb::post, "/open", reporting(handled));
        });
    }

    std::atomic<int> gated{0};
    std::atomic<int> handled{0};
};

TEST_F(LimitsTest, UnauthenticatedRequestIsAnswered401WithoutItsBodyBeingRead) {
    start_routes();
    TestClient client(port);
    // The head of a 16 MiB upload and nothing else: the answer must not wait for the body.
    client.write_raw(post_head("/upload", 16 * 1024 * 1024, "X-Request-Id: anon-1\r\n"));
    const auto response = client.read();
    EXPECT_EQ(response.result(), http::status::unauthorized);
    EXPECT_EQ(json_of(response)["error"]["code"], "invalid_token");
    EXPECT_EQ(json_of(response)["request_id"], "anon-1");
    EXPECT_EQ(header(response, "WWW-Authenticate"), "Bearer");
    EXPECT_FALSE(response.keep_alive()) << "the unread body ends the connection";
    EXPECT_TRUE(client.closed_by_server());
    EXPECT_EQ(gated.load(), 1);
    EXPECT_EQ(handled.load(), 0);
}

TEST_F(LimitsTest, AdmittedCallerReachesTheHandlerWithTheLargeLimit) {
    start_routes();
    TestClient client(port);
    const std::string body(32 * 1024, 'x'); // over the standard 1 KiB, within the large 64 KiB
    client.write_raw(post_head("/upload", body.size(), "Authorization: Bearer good\r\n") + body);
    const auto response = client.read();
    ASSERT_EQ(response.result(), http::status::ok) << response.body();
    EXPECT_EQ(json_of(response)["tenant"], "tenant-1");
    EXPECT_EQ(json_of(response)["bytes"], body.size());
    EXPECT_TRUE(response.keep_alive());
    // Over the large limit: refused on the header, after the gate.
    client.write_raw(post_head("/upload", 65 * 1024, "Authorization: Bearer good\r\n"));
    const auto too_large = client.read();
    EXPECT_EQ(too_large.result(), http::status::payload_too_large);
    EXPECT_THAT(json_of(too_large)["error"]["message"].get<std::string>(), HasSubstr("65536"));
    EXPECT_EQ(handled.load(), 1);
}

TEST_F(LimitsTest, StandardLimitHoldsForRoutesWithoutUploadsAndWithoutAGate) {
    start_routes();
    const std::string body(2048, 'x');
    TestClient gated_client(port);
    gated_client.write_raw(post_head("/small", body.size(), "Authorization: Bearer good\r\n"));
    const auto gated_answer = gated_client.read();
    EXPECT_EQ(gated_answer.result(), http::status::payload_too_large);
    EXPECT_THAT(json_of(gated_answer)["error"]["message"].get<std::string>(), HasSubstr("1024"));

    TestClient open_client(port);
    open_client.write_raw(post_head("/open", body.size()));
    EXPECT_EQ(open_client.read().result(), http::status::payload_too_large);
    EXPECT_EQ(handled.load(), 0);
}

TEST_F(LimitsTest, ChunkedUploadIsHeldToTheLimitOfItsCaller) {
    start_routes();
    const std::string chunk(800, 'c');
    const std::string chunks = "320\r\n" + chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n";
    TestClient admitted(port);
    admitted.write_raw("POST /upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good\r\n"
                       "Transfer-Encoding: chunked\r\n\r\n" + chunks);
    const auto ok = admitted.read();
    ASSERT_EQ(ok.result(), http::status::ok) << ok.body();
    EXPECT_EQ(json_of(ok)["bytes"], 1600);

    TestClient open(port);
    open.write_raw("POST /open HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks);
    EXPECT_EQ(open.read().result(), http::status::payload_too_large);
    EXPECT_TRUE(open.closed_by_server());
}

TEST_F(LimitsTest, ExpectContinueComesOnlyForAnAdmittedRequest) {
    start_routes();
    {
        // Refused by the gate: the final answer instead of 100 Continue.
        TestClient client(port);
        client.write_raw(post_head("/upload", 5000, "Expect: 100-continue\r\n"));
        const auto response = client.read();
        EXPECT_EQ(response.result(), http::status::unauthorized);
        EXPECT_TRUE(client.closed_by_server());
    }
    {
        // Admitted, but announcing too much: 413 instead of 100 Continue.
        TestClient client(port);
        client.write_raw(post_head("/upload", 1024 * 1024,
                                   "Authorization: Bearer good\r\nExpect: 100-continue\r\n"));
        EXPECT_EQ(client.read().result(), http::status::payload_too_large);
    }
    {
        // Admitted: 100 Continue, then the body, then the answer.
        TestClient client(port);
        client.write_raw(post_head("/upload", 5000,
                                   "Authorization: Bearer good\r\nExpect: 100-continue\r\n"));
        beast::http::response_parser<beast::http::empty_body> interim;
        beast::flat_buffer buffer;
        beast::http::read_header(client.socket(), buffer, interim);
        EXPECT_EQ(interim.get().result(), http::status::continue_);
        client.write_raw(std::string(5000, 'b'));
        const auto response = client.read();
        ASSERT_EQ(response.result(), http::status::ok);
        EXPECT_EQ(json_of(response)["bytes"], 5000);
    }
    EXPECT_EQ(handled.load(), 1);
}

TEST_F(LimitsTest, AGateThatThrowsIs500AndTheServerKeepsServing) {
    start([](Router& router) {
        router.add(http::verb::get, "/boom",
                   [](const Request&) { return Response::no_content(); },
                   RouteOptions{Execution::worker_pool,
                                [](const Request&) -> Result<Caller> {
                                    throw std::runtime_error("bad key store");
                                },
                                BodyLimit::standard});
    });
    TestClient client(port);
    EXPECT_EQ(client.get("/boom").result(), http::status::internal_server_error);
    EXPECT_EQ(client.get("/healthz").result(), http::status::ok);
}

TEST(RouterOptions, ALargeBodyWithoutAGateIsRefusedAtRegistration) {
    Router router;
    EXPECT_THROW(router.add(http::verb::post, "/upload",
                            [](const Request&) { return Response::no_content(); },
                            RouteOptions{Execution::worker_pool, {}, BodyLimit::large_after_gate}),
                 std::invalid_argument);
}

// Holds every handler of /block until release() (bounded by the test's own wait).
class Blocker {
public:
    Handler handler() {
        return [this](const Request&) {
            ++entered_;
            release_future_.wait_for(std::chrono::seconds(10));
            return Response::text(http::status::ok, "released");
        };
    }
    void release() { release_.set_value(); }
    int entered() const { return entered_.load(); }

private:
    std::promise<void> release_;
    std::shared_future<void> release_future_ = release_.get_future().share();
    std::atomic<int> entered_{0};
};

bool wait_until(const std::function<bool()>& condition) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

TEST_F(LimitsTest, FullWorkerQueueIs503WithRetryAfterWhileHealthAndOperationsAnswer) {
    options.worker_threads = 1;
    options.worker_queue_limit = 1;
    options.retry_after_seconds = 7;
    Blocker blocker;
    start([&](Router& router) {
        router.add(http::verb::get, "/block", blocker.handler());
        router.add(
            http::verb::get, "/ops",
            [](const Request&) { return Response::text(http::status::ok, "ops"); },
            Execution::operations);
    });
    TestClient running(port);
    running.write_raw(TestClient::serialize(http::verb::get, "/block"));
    ASSERT_TRUE(wait_until([&] { return blocker.entered() == 1; }));
    TestClient queued(port);
    queued.write_raw(TestClient::serialize(http::verb::get, "/block"));
    // Wait until the second one waits for the worker: two in flight, plus the /metrics
    // request that reports it.
    TestClient refused(port);
    ASSERT_TRUE(wait_until([&] {
        return refused.get("/metrics").body().find("switchboard_http_requests_in_flight 3") !=
               std::string::npos;
    }));
    const auto busy = refused.get("/block");
    ASSERT_EQ(busy.result(), http::status::service_unavailable);
    EXPECT_EQ(json_of(busy)["error"]["code"], "server_busy");
    EXPECT_EQ(header(busy, "Retry-After"), "7");
    EXPECT_TRUE(busy.keep_alive()) << "a request without a body keeps its connection";

    EXPECT_EQ(refused.get("/healthz").result(), http::status::ok);
    const auto ops = refused.get("/ops");
    EXPECT_EQ(ops.result(), http::status::ok);
    EXPECT_EQ(ops.body(), "ops");
    const auto metrics = refused.get("/metrics");
    EXPECT_THAT(metrics.body(),
                HasSubstr("switchboard_http_refused_total{reason=\"server_busy\"}"));

    blocker.release();
    EXPECT_EQ(running.read().body(), "released");
    EXPECT_EQ(queued.read().body(), "released");
    EXPECT_EQ(refused.get("/block").body(), "released") << "room again once the queue drained";
}

TEST_F(LimitsTest, ConnectionsPastTheTotalCapGet503AndAreClosed) {
    options.max_connections = 2;
    options.max_connections_per_address = 0;
    start();
    TestClient first(port);
    TestClient second(port);
    ASSERT_EQ(first.get("/healthz").result(), http::status::ok);
    ASSERT_EQ(second.get("/healthz").result(), http::status::ok);
    {
        TestClient third(port);
        const auto response = third.read(); // answered without a request
        EXPECT_EQ(response.result(), http::status::service_unavailable);
        EXPECT_EQ(json_of(response)["error"]["code"], "too_many_connections");
        EXPECT_EQ(header(response, "Retry-After"), "5");
        EXPECT_FALSE(response.keep_alive());
        EXPECT_TRUE(third.closed_by_server());
    }
    // The admitted ones are unaffected; once one leaves, a new one is admitted.
    EXPECT_EQ(first.get("/healthz").result(), http::status::ok);
    second.socket().close();
    ASSERT_TRUE(wait_until([&] {
        TestClient again(port);
        return again.get("/healthz").result() == http::status::ok;
    }));
}

TEST_F(LimitsTest, ConnectionsPastThePerAddressCapGet503OthersStillConnect) {
    options.max_connections_per_address = 2;
    start();
    TestClient a1(port, bound, "127.0.0.1");
    TestClient a2(port, bound, "127.0.0.1");
    ASSERT_EQ(a1.get("/healthz").result(), http::status::ok);
    ASSERT_EQ(a2.get("/healthz").result(), http::status::ok);
    TestClient a3(port, bound, "127.0.0.1");
    const auto refused = a3.read();
    EXPECT_EQ(refused.result(), http::status::service_unavailable);
    EXPECT_EQ(json_of(refused)["error"]["code"], "too_many_connections");
    // Another client address has its own allowance.
    TestClient b1(port, bound, "127.0.0.2");
    EXPECT_EQ(b1.get("/healthz").result(), http::status::ok);
    const auto metrics = b1.get("/metrics");
    EXPECT_THAT(metrics.body(),
                HasSubstr("switchboard_http_refused_total{reason=\"too_many_from_address\"} 1"));
}

TEST_F(LimitsTest, AClientThatNeverReadsItsAnswersStopsBeingReadAhead) {
    options.pipeline_limit = 64;
    std::atomic<int> answered{0};
    start([&](Router& router) {
        router.add(
            http::verb::get, "/big",
            [&](const Request&) {
                ++answered;
                return Response::text(http::status::ok, std::string(1024 * 1024, 'b'));
            },
            Execution::io_thread);
    });
    net::io_context io;
    tcp::socket socket(io);
    socket.open(tcp::v4());
    socket.set_option(net::socket_base::receive_buffer_size(4096)); // reads nothing anyway
    socket.connect({net::ip::make_address("127.0.0.1"), port});
    std::string requests;
    for (int i = 0; i < 64; ++i) {
        requests += TestClient::serialize(http::verb::get, "/big");
    }
    net::write(socket, net::buffer(requests));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    // Each answer is 1 MiB: once one waits unsent, no further request is read. What the
    // kernel's socket buffers took is all that was answered.
    EXPECT_LT(answered.load(), 16) << "the host kept answering a client that reads nothing";
    EXPECT_GE(answered.load(), 1);
}

TEST_F(LimitsTest, MetricsCanMoveToTheirOwnEndpoint) {
    options.metrics_endpoint = ListenEndpoint{"127.0.0.1", 0};
    start();
    ASSERT_NE(server->metrics_port(), 0);
    ASSERT_NE(server->metrics_port(), port);
    TestClient public_client(port);
    EXPECT_EQ(public_client.get("/metrics").result(), http::status::not_found);
    EXPECT_EQ(public_client.get("/healthz").result(), http::status::ok);
    TestClient monitoring(server->metrics_port());
    const auto metrics = monitoring.get("/metrics");
    EXPECT_EQ(metrics.result(), http::status::ok);
    EXPECT_THAT(metrics.body(), HasSubstr("switchboard_http_requests_total"));
    EXPECT_EQ(monitoring.get("/healthz").result(), http::status::not_found)
        << "the metrics endpoint serves the metrics only";
}

TEST_F(LimitsTest, TheMetricsEndpointAnswersWhileThePublicOneIsFull) {
    options.metrics_endpoint = ListenEndpoint{"127.0.0.1", 0};
    options.max_connections = 1;
    start();
    TestClient holder(port);
    ASSERT_EQ(holder.get("/healthz").result(), http::status::ok);
    TestClient refused(port);
    EXPECT_EQ(refused.read().result(), http::status::service_unavailable);
    TestClient monitoring(server->metrics_port());
    const auto metrics = monitoring.get("/metrics");
    EXPECT_EQ(metrics.result(), http::status::ok);
    EXPECT_THAT(metrics.body(),
                HasSubstr("switchboard_http_refused_total{reason=\"too_many_connections\"} 1"));
}

} // namespace
} // namespace switchboard::server::testing
