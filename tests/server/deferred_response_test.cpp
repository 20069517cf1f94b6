// Deferred answers (long polls) on a real server: completed from another thread, the fallback
// after the timeout, and at once when the server stops; no worker is held meanwhile.
#include "host/server/deferred_response.hpp"
#include "tests/server/server_fixture.hpp"
#include "tests/server/test_client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace switchboard::server::testing {
namespace {

using namespace std::chrono_literals;

class DeferredResponseTest : public TransportTest {
protected:
    std::shared_ptr<DeferredResponse> later;
    std::atomic<bool> parked{false};

    void start_with(std::chrono::milliseconds timeout) {
        options.worker_threads = 1;
        start([this, timeout](Router& router) {
            router.add(http::verb::get, "/poll", [this, timeout](const Request&) {
                later = std::make_shared<DeferredResponse>(
                    timeout, Response::text(http::status::ok, "nothing yet"));
                parked = true;
                return Response::deferred_by(later);
            });
            router.add(http::verb::get, "/other", [](const Request&) {
                return Response::text(http::status::ok, "other");
            });
        });
    }

    void wait_parked() {
        for (int i = 0; i < 500 && !parked; ++i) std::this_thread::sleep_for(10ms);
        ASSERT_TRUE(parked);
    }
};

INSTANTIATE_TRANSPORTS(DeferredResponseTest);

TEST_P(DeferredResponseTest, IsAnsweredWhenCompletedFromAnotherThreadWithoutHoldingAWorker) {
    start_with(10s);
    TestClient poller = connect();
    poller.write_raw("GET /poll HTTP/1.1\r\nHost: x\r\n\r\n");
    wait_parked();
    // The only worker is free: another request is served while the poll waits.
    TestClient other = connect();
    other.write_raw("GET /other HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(other.read().body(), "other");
    std::thread([l = later] { EXPECT_TRUE(l->complete(Response::text(http::status::ok, "news"))); })
        .join();
    EXPECT_FALSE(later->complete(Response::text(http::status::ok, "twice"))) << "answered once";
    auto answer = poller.read();
    EXPECT_EQ(answer.result_int(), 200u);
    EXPECT_EQ(answer.body(), "news");
}

TEST_P(DeferredResponseTest, SendsTheFallbackAfterTheTimeout) {
    start_with(200ms);
    TestClient poller = connect();
    poller.write_raw("GET /poll HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(poller.read().body(), "nothing yet");
    EXPECT_TRUE(later->done());
}

TEST_P(DeferredResponseTest, StoppingTheServerAnswersItAtOnce) {
    start_with(60s);
    TestClient poller = connect();
    poller.write_raw("GET /poll HTTP/1.1\r\nHost: x\r\n\r\n");
    wait_parked();
    const auto started = std::chrono::steady_clock::now();
    server->stop();
    EXPECT_EQ(poller.read().body(), "nothing yet");
    EXPECT_TRUE(stop_and_join());
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s) << "not held for the poll's minute";
}

} // namespace
} // namespace switchboard::server::testing
