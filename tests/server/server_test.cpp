// The server over real sockets: a Server on 127.0.0.1:0, a blocking client per test.
#include "host/server/error_response.hpp"
#include "host/server/require_json.hpp"
#include "server_fixture.hpp"
#include "test_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <prometheus/counter.h>

#include <atomic>
#include <csignal>
#include <future>
#include <set>
#include <stdexcept>
#include <string>

namespace switchboard::server::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

// Echoes what the handler saw: method, route, params, query, body, id, remote.
Response echo(const Request& request) {
    nlohmann::json params = nlohmann::json::object();
    for (const auto& [name, value] : request.path_params) {
        params[name] = value;
    }
    nlohmann::json query = nlohmann::json::array();
    for (const auto& [name, value] : request.query) {
        query.push_back({name, value});
    }
    return Response::json({{"method", request.method_string},
                           {"path", request.path},
                           {"route", request.route},
                           {"params", params},
                           {"query", query},
                           {"body", request.body},
                           {"request_id", request.request_id},
                           {"remote", request.remote_address},
                           {"trace", std::string(request.header("X-Trace"))}});
}

class ServerTest : public TransportTest {};
INSTANTIATE_TRANSPORTS(ServerTest);

TEST_P(ServerTest, HealthzAnswersWithSecurityHeadersAndARequestId) {
    start();
    TestClient client = connect();
    const auto response = client.get("/healthz");
    EXPECT_EQ(response.result(), http::status::ok);
    EXPECT_EQ(json_of(response), nlohmann::json({{"status", "ok"}}));
    EXPECT_EQ(header(response, "Content-Type"), "application/json");
    EXPECT_EQ(header(response, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(header(response, "Cache-Control"), "no-store");
    EXPECT_THAT(header(response, "X-Request-Id"), MatchesRegex("[0-9a-f]{32}"));
    EXPECT_TRUE(response.keep_alive());
}

TEST_P(ServerTest, RoutesWithDecodedParametersAndQuery) {
    start([](Router& router) {
        router.add(http::verb::post, "/api/v1/connectors/{id}/actions/{action}", echo);
    });
    TestClient client = connect();
    const auto response = client.request(
        http::verb::post,
        "/api/v1/connectors/a%20b%2Fc/actions/email.send?x=1&y=a+b&y=%C3%A9&z=%26&flag",
        R"({"to":"x"})", "application/json");
    ASSERT_EQ(response.result(), http::status::ok) << response.body();
    const auto body = json_of(response);
    EXPECT_EQ(body["route"], "/api/v1/connectors/{id}/actions/{action}");
    EXPECT_EQ(body["path"], "/api/v1/connectors/a%20b%2Fc/actions/email.send");
    EXPECT_EQ(body["params"], nlohmann::json({{"id", "a b/c"}, {"action", "email.send"}}));
    EXPECT_EQ(body["query"], nlohmann::json::parse(
                                 R"([["x","1"],["y","a b"],["y","é"],["z","&"],["flag",""]])"));
    EXPECT_EQ(body["body"], R"({"to":"x"})");
    EXPECT_EQ(body["method"], "POST");
    EXPECT_EQ(body["remote"], "127.0.0.1");
}

TEST_P(ServerTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
    start([](Router& router) {
        router.add(http::verb::get, "/things/{id}", echo);
        router.add(http::verb::delete_, "/things/{id}", echo);
    });
    TestClient client = connect();
    const auto missing = client.get("/nothing/here?code=secret");
    EXPECT_EQ(missing.result(), http::status::not_found);
    const auto missing_body = json_of(missing);
    EXPECT_EQ(missing_body["error"]["code"], "not_found");
    EXPECT_EQ(missing_body["request_id"], header(missing, "X-Request-Id"));

    const auto wrong = client.request(http::verb::put, "/things/1", "{}", "application/json");
    EXPECT_EQ(wrong.result(), http::status::method_not_allowed);
    EXPECT_EQ(header(wrong, "Allow"), "DELETE, GET, HEAD");
    EXPECT_EQ(json_of(wrong)["error"]["code"], "method_not_allowed");
    EXPECT_EQ(header(wrong, "Cache-Control"), "no-store");
}

TEST_P(ServerTest, UnknownMethodIs501) {
    start();
    TestClient client = connect();
    client.write_raw("BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto response = client.read();
    EXPECT_EQ(response.result(), http::status::not_implemented);
    EXPECT_EQ(json_of(response)["error"]["code"], "method_not_implemented");
}

TEST_P(ServerTest, HeadGetsTheHeadersWithoutTheBody) {
    start([](Router& router) {
        router.add(http::verb::get, "/doc", [](const Request&) {
            return Response::text(http::status::ok, std::string(100, 'x'));
        });
    });
    TestClient client = connect();
    const auto head = client.request(http::verb::head, "/doc");
    EXPECT_EQ(head.result(), http::status::ok);
    EXPECT_EQ(header(head, "Content-Length"), "100");
    EXPECT_TRUE(head.body().empty());
    // Had a body been sent, it would be read as the next response and fail to parse.
    const auto get = client.get("/doc");
    EXPECT_EQ(get.body(), std::string(100, 'x'));
}

TEST_P(ServerTest, BodyOverTheLimitIs413AndTheConnectionCloses) {
    options.body_limit_bytes = 1024;
    start([](Router& router) { router.add(http::verb::post, "/echo", echo); });
    TestClient client = connect();
    // Announce 1 MiB, send only the header and a little: the answer must not wait for it.
    client.write_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "X-Request-Id: big-1\r\nContent-Length: 1048576\r\n\r\n" +
                     std::string(512, 'a'));
    const auto response = client.read();
    EXPECT_EQ(response.result(), http::status::payload_too_large);
    const auto body = json_of(response);
    EXPECT_EQ(body["error"]["code"], "body_too_large");
    EXPECT_EQ(body["request_id"], "big-1");
    EXPECT_FALSE(response.keep_alive());
    EXPECT_TRUE(client.closed_by_server());

    // The server itself is fine.
    TestClient other = connect();
    EXPECT_EQ(other.get("/healthz").result(), http::status::ok);
}

TEST_P(ServerTest, ChunkedBodyOverTheLimitIs413) {
    options.body_limit_bytes = 1024;
    start([](Router& router) { router.add(http::verb::post, "/echo", echo); });
    TestClient client = connect();
    const std::string chunk(800, 'b');
    client.write_raw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "320\r\n" + chunk + "\r\n320\r\n" + chunk + "\r\n");
    const auto response = client.read();
    EXPECT_EQ(response.result(), http::status::payload_too_large);
    EXPECT_EQ(json_of(response)["error"]["code"], "body_too_large");
    EXPECT_TRUE(client.closed_by_server());
}

TEST_P(ServerTest, BodyWithinTheLimitIsServed) {
    options.body_limit_bytes = 1024;
    start([](Router& router) { router.add(http::verb::post, "/echo", echo); });
    TestClient client = connect();
    const auto response =
        client.request(http::verb::post, "/echo", std::string(1024, 'c'), "text/plain");
    EXPECT_EQ(response.result(), http::status::ok);
    EXPECT_EQ(json_of(response)["body"], std::string(1024, 'c'));
}

TEST_P(ServerTest, ExpectContinueGetsAnInterimAnswer) {
    start([](Router& router) { router.add(http::verb::post, "/echo", echo); });
    TestClient client = connect();
    client.write_raw("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                     "Content-Length: 5\r\n\r\n");
    beast::http::response_parser<beast::http::empty_body> interim;
    beast::flat_buffer buffer;
    client.with_stream([&](auto& stream) { beast::http::read_header(stream, buffer, interim); });
    EXPECT_EQ(interim.get().result(), http::status::continue_);
    ASSERT_EQ(buffer.size(), 0u);
    client.write_raw("hello");
    const auto response = client.read();
    EXPECT_EQ(response.result(), http::status::ok);
    EXPECT_EQ(json_of(response)["body"], "hello");
}

TEST_P(ServerTest, HeaderOverTheLimitIs431) {
    options.header_limit_bytes = 1024;
    start();
    TestClient client = connect();
    client.write_raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2048, 'h') +
                     "\r\n\r\n");
    const auto response = client.read();
    EXPECT_EQ(response.result(), http::status::request_header_fields_too_large);
    EXPECT_EQ(json_of(response)["error"]["code"], "headers_too_large");
    EXPECT_THAT(header(response, "X-Request-Id"), MatchesRegex("[0-9a-f]{32}"));
    EXPECT_TRUE(client.closed_by_server());
}

TEST_P(ServerTest, MalformedRequestIs400AndCloses) {
    start();
    TestClient client = connect();
    client.write_raw("GET /healthz HTTP/1.1\r\nHost: x\r\nNot a header line\r\n\r\n");
    const auto response = client.read();
    EXPECT_EQ(response.result(), http::status::bad_request);
    EXPECT_EQ(json_of(response)["error"]["code"], "malformed_request");
    EXPECT_TRUE(client.closed_by_server());
}

TEST_P(ServerTest, TargetThatIsNotAPathIs400) {
    start();
    TestClient client = connect();
    client.write_raw("GET http://elsewhere.example/healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto response = client.read();
    EXPECT_EQ(response.result(), http::status::bad_request);
    EXPECT_EQ(json_of(response)["error"]["code"], "malformed_target");
    // A well-framed request: the connection stays usable.
    EXPECT_EQ(client.get("/healthz").result(), http::status::ok);
}

TEST_P(ServerTest, SlowRequestGets408AndIsClosed) {
    options.read_timeout = std::chrono::milliseconds(200);
    start();
    TestClient client = connect();
    client.write_raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: slow-1\r\n"); // unfinished
    const auto response = client.read();
    EXPECT_EQ(response.result(), http::status::request_timeout);
    EXPECT_EQ(json_of(response)["error"]["code"], "request_timeout");
    EXPECT_TRUE(client.closed_by_server());
}

TEST_P(ServerTest, IdleKeepAliveConnectionIsClosed) {
    options.idle_timeout = std::chrono::milliseconds(200);
    start();
    TestClient client = connect();
    EXPECT_EQ(client.get("/healthz").result(), http::status::ok);
    EXPECT_TRUE(client.closed_by_server());
}

TEST_P(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
    start([](Router& router) { router.add(http::verb::get, "/things/{id}", echo); });
    TestClient client = connect();
    for (int i = 0; i < 5; ++i) {
        const auto response = client.get("/things/" + std::to_string(i));
        ASSERT_EQ(response.result(), http::status::ok);
        EXPECT_EQ(json_of(response)["params"]["id"], std::to_string(i));
        EXPECT_TRUE(response.keep_alive());
    }
    // Connection: close is honoured, after the answer.
    const auto last = client.request(http::verb::get, "/things/last", {}, {}, false);
    EXPECT_EQ(last.result(), http::status::ok);
    EXPECT_FALSE(last.keep_alive());
    EXPECT_TRUE(client.closed_by_server());
}

TEST_P(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
    // The first handler finishes only after the second one did: the answers must still come
    // back in request order.
    std::promise<void> second_done;
    auto second_done_future = second_done.get_future().share();
    start([&](Router& router) {
        router.add(http::verb::get, "/first", [second_done_future](const Request&) {
            const bool in_time =
                second_done_future.wait_for(bound) == std::future_status::ready;
            return Response::text(http::status::ok, in_time ? "first" : "first, alone");
        });
        router.add(http::verb::get, "/second", [&second_done](const Request&) {
            second_done.set_value();
            return Response::text(http::status::ok, "second");
        });
    });
    TestClient client = connect();
    client.write_raw(TestClient::serialize(http::verb::get, "/first") +
                     TestClient::serialize(http::verb::get, "/second"));
    EXPECT_EQ(client.read().body(), "first");
    EXPECT_EQ(client.read().body(), "second");
}

TEST_P(ServerTest, PipelineLimitPausesReadingWithoutLosingRequests) {
    options.pipeline_limit = 1;
    start([](Router& router) { router.add(http::verb::get, "/things/{id}", echo); });
    TestClient client = connect();
    std::string requests;
    for (int i = 0; i < 6; ++i) {
        requests += TestClient::serialize(http::verb::get, "/things/" + std::to_string(i));
    }
    client.write_raw(requests);
    for (int i = 0; i < 6; ++i) {
        EXPECT_EQ(json_of(client.read())["params"]["id"], std::to_string(i));
    }
}

TEST_P(ServerTest, ErrorForAPipelinedRequestComesAfterTheEarlierAnswers) {
    options.body_limit_bytes = 16;
    start([](Router& router) { router.add(http::verb::post, "/echo", echo); });
    TestClient client = connect();
    client.write_raw(TestClient::serialize(http::verb::post, "/echo", "small", "text/plain") +
                     TestClient::serialize(http::verb::post, "/echo", std::string(64, 'x'),
                                           "text/plain"));
    const auto first = client.read();
    EXPECT_EQ(first.result(), http::status::ok);
    EXPECT_EQ(json_of(first)["body"], "small");
    const auto second = client.read();
    EXPECT_EQ(second.result(), http::status::payload_too_large);
    EXPECT_FALSE(second.keep_alive());
    EXPECT_TRUE(client.closed_by_server());
}

TEST_P(ServerTest, RequestIdIsTakenWhenSafeAndGeneratedOtherwise) {
    start([](Router& router) { router.add(http::verb::get, "/echo", echo); });
    TestClient client = connect();
    client.write_raw("GET /echo HTTP/1.1\r\nHost: x\r\nX-Request-Id: caller-42\r\n\r\n");
    const auto taken = client.read();
    EXPECT_EQ(header(taken, "X-Request-Id"), "caller-42");
    EXPECT_EQ(json_of(taken)["request_id"], "caller-42");

    client.write_raw("GET /echo HTTP/1.1\r\nHost: x\r\nX-Request-Id: not safe<>\r\n\r\n");
    const auto generated = client.read();
    const auto id = header(generated, "X-Request-Id");
    EXPECT_THAT(id, MatchesRegex("[0-9a-f]{32}"));
    EXPECT_EQ(json_of(generated)["request_id"], id);

    ASSERT_TRUE(stop_and_join());
    // The access log line and the handler's view carry the same id.
    bool logged = false;
    for (const auto& line : logs->json_lines()) {
        if (line.value("message", "") == "http request" && line.value("request_id", "") == id) {
            logged = true;
            EXPECT_EQ(line["route"], "/echo");
        }
    }
    EXPECT_TRUE(logged);
}

TEST_P(ServerTest, ThrowingHandlerGives500AndTheServerKeepsServing) {
    start([](Router& router) {
        router.add(http::verb::get, "/boom", [](const Request&) -> Response {
            throw std::runtime_error("database password is hunter2");
        });
        router.add(http::verb::get, "/boom-inline", [](const Request&) -> Response {
            throw 42;
        }, Execution::io_thread);
    });
    TestClient client = connect();
    const auto response = client.get("/boom");
    EXPECT_EQ(response.result(), http::status::internal_server_error);
    const auto body = json_of(response);
    EXPECT_EQ(body["error"]["code"], "internal");
    EXPECT_EQ(body["request_id"], header(response, "X-Request-Id"));
    EXPECT_THAT(response.body(), Not(HasSubstr("hunter2")));
    EXPECT_THAT(response.body(), Not(HasSubstr("runtime_error")));

    EXPECT_EQ(client.get("/boom-inline").result(), http::status::internal_server_error);
    EXPECT_EQ(client.get("/healthz").result(), http::status::ok);

    ASSERT_TRUE(stop_and_join());
    int error_lines = 0;
    for (const auto& line : logs->json_lines()) {
        if (line["level"] == "error" &&
            line["message"].get<std::string>().find("threw") != std::string::npos) {
            ++error_lines;
            EXPECT_TRUE(line.contains("request_id"));
        }
    }
    EXPECT_EQ(error_lines, 2);
}

TEST_P(ServerTest, HandlersRunOnWorkersUnlessInline) {
    std::promise<std::thread::id> worker;
    std::promise<std::thread::id> inline_thread;
    start([&](Router& router) {
        router.add(http::verb::get, "/worker", [&](const Request&) {
            worker.set_value(std::this_thread::get_id());
            return Response::no_content();
        });
        router.add(http::verb::get, "/inline", [&](const Request&) {
            inline_thread.set_value(std::this_thread::get_id());
            return Response::no_content();
        }, Execution::io_thread);
    });
    TestClient client = connect();
    EXPECT_EQ(client.get("/worker").result(), http::status::no_content);
    EXPECT_EQ(client.get("/inline").result(), http::status::no_content);
    const auto worker_id = worker.get_future().get();
    EXPECT_NE(worker_id, io_thread);
    EXPECT_NE(worker_id, std::this_thread::get_id());
    EXPECT_EQ(inline_thread.get_future().get(), io_thread);
}

TEST_P(ServerTest, StopLetsTheRequestInFlightFinishAndClosesIdleConnections) {
    options.shutdown_grace = std::chrono::seconds(30); // far beyond the test's own bound
    std::promise<void> entered;
    std::promise<void> stop_called;
    auto stop_called_future = stop_called.get_future().share();
    start([&](Router& router) {
        router.add(http::verb::get, "/slow", [&entered, stop_called_future](const Request&) {
            entered.set_value();
            const bool released = stop_called_future.wait_for(bound) == std::future_status::ready;
            return Response::text(http::status::ok, released ? "finished" : "not released");
        });
    });
    TestClient idle = connect();
    EXPECT_EQ(idle.get("/healthz").result(), http::status::ok);

    TestClient busy = connect();
    busy.write_raw(TestClient::serialize(http::verb::get, "/slow"));
    entered.get_future().wait();
    server->stop();
    stop_called.set_value();

    const auto response = busy.read();
    EXPECT_EQ(response.result(), http::status::ok);
    EXPECT_EQ(response.body(), "finished");
    EXPECT_TRUE(busy.closed_by_server());
    EXPECT_TRUE(idle.closed_by_server());
    ASSERT_EQ(run_result.wait_for(bound), std::future_status::ready);
    EXPECT_TRUE(run_result.get());
    EXPECT_FALSE(TestClient::can_connect(port));
}

TEST_P(ServerTest, GracePeriodCutsRequestsThatTakeTooLong) {
    options.shutdown_grace = std::chrono::milliseconds(100);
    std::promise<void> entered;
    std::promise<void> release;
    auto release_future = release.get_future().share();
    start([&](Router& router) {
        router.add(http::verb::get, "/stuck", [&entered, release_future](const Request&) {
            entered.set_value();
            release_future.wait_for(bound);
            return Response::text(http::status::ok, "too late");
        });
    });
    TestClient client = connect();
    client.write_raw(TestClient::serialize(http::verb::get, "/stuck"));
    entered.get_future().wait();
    server->stop();
    beast::error_code ec;
    client.try_read(ec);
    // Cut: over TLS, without a close_notify.
    EXPECT_TRUE(ec == beast::http::error::end_of_stream || ec == net::error::connection_reset ||
                ec == net::error::eof || ec == net::ssl::error::stream_truncated)
        << ec.message();
    release.set_value(); // run() waits for the handler itself to return
    ASSERT_EQ(run_result.wait_for(bound), std::future_status::ready);
    EXPECT_TRUE(run_result.get());
}

TEST_P(ServerTest, Http10WithoutKeepAliveIsClosedAfterTheAnswer) {
    start();
    TestClient client = connect();
    client.write_raw("GET /healthz HTTP/1.0\r\n\r\n");
    const auto response = client.read();
    EXPECT_EQ(response.result(), http::status::ok);
    EXPECT_EQ(response.version(), 10u);
    EXPECT_TRUE(client.closed_by_server());
}

TEST_P(ServerTest, NothingAfterConnectionCloseIsAnswered) {
    start();
    TestClient client = connect();
    client.write_raw(TestClient::serialize(http::verb::get, "/healthz", {}, {}, false) +
                     TestClient::serialize(http::verb::get, "/healthz"));
    const auto response = client.read();
    EXPECT_EQ(response.result(), http::status::ok);
    EXPECT_FALSE(response.keep_alive());
    EXPECT_TRUE(client.closed_by_server());
}

TEST_P(ServerTest, ClientThatHalfClosesStillGetsItsAnswers) {
    start([](Router& router) { router.add(http::verb::get, "/things/{id}", echo); });
    TestClient client = connect();
    client.write_raw(TestClient::serialize(http::verb::get, "/things/1") +
                     TestClient::serialize(http::verb::get, "/things/2"));
    client.socket().shutdown(tcp::socket::shutdown_send);
    EXPECT_EQ(json_of(client.read())["params"]["id"], "1");
    EXPECT_EQ(json_of(client.read())["params"]["id"], "2");
    EXPECT_TRUE(client.closed_by_server());
}

TEST_P(ServerTest, SigtermStopsTheServer) {
    options.handle_signals = true;
    start();
    TestClient client = connect();
    EXPECT_EQ(client.get("/healthz").result(), http::status::ok);
    ASSERT_EQ(std::raise(SIGTERM), 0);
    ASSERT_EQ(run_result.wait_for(bound), std::future_status::ready);
    EXPECT_TRUE(run_result.get());
    EXPECT_TRUE(client.closed_by_server());
}

TEST_P(ServerTest, StopBeforeRunReturnsPromptly) {
    server = std::make_unique<Server>(options, registry);
    server->stop();
    auto result = std::async(std::launch::async, [this] { return server->run(); });
    ASSERT_EQ(result.wait_for(bound), std::future_status::ready);
    EXPECT_TRUE(result.get());
}

TEST_P(ServerTest, MetricsCountRequestsByRoutePattern) {
    auto& custom = prometheus::BuildCounter()
                       .Name("switchboard_test_things_total")
                       .Help("a metric another module adds")
                       .Register(*registry)
                       .Add({});
    custom.Increment(3);
    start([](Router& router) { router.add(http::verb::get, "/things/{id}", echo); });
    EXPECT_EQ(server->metrics_registry(), registry);
    TestClient client = connect();
    EXPECT_EQ(client.get("/things/secret-id-123").result(), http::status::ok);
    EXPECT_EQ(client.get("/things/other").result(), http::status::ok);
    EXPECT_EQ(client.get("/missing").result(), http::status::not_found);
    const auto metrics = client.get("/metrics");
    EXPECT_EQ(metrics.result(), http::status::ok);
    EXPECT_THAT(header(metrics, "Content-Type"), HasSubstr("text/plain; version=0.0.4"));
    const auto& text = metrics.body();
    EXPECT_THAT(text, HasSubstr("switchboard_http_requests_total{method=\"GET\",route=\"/things/"
                                "{id}\",status=\"200\"} 2"));
    EXPECT_THAT(text, HasSubstr("switchboard_http_requests_total{method=\"GET\",route="
                                "\"unmatched\",status=\"404\"} 1"));
    EXPECT_THAT(text, HasSubstr("switchboard_http_request_duration_seconds_count{method=\"GET\","
                                "route=\"/things/{id}\"} 2"));
    EXPECT_THAT(text, HasSubstr("switchboard_test_things_total 3"));
    EXPECT_THAT(text, HasSubstr("switchboard_http_connections 1"));
    EXPECT_THAT(text, Not(HasSubstr("secret-id-123")));
}

TEST_P(ServerTest, AccessLogHasOneJsonLinePerRequestWithoutTheQuery) {
    start([](Router& router) { router.add(http::verb::get, "/oauth/{provider}/callback", echo); });
    TestClient client = connect();
    client.write_raw("GET /oauth/google/callback?code=SECRETCODE&state=s HTTP/1.1\r\nHost: x\r\n"
                     "X-Request-Id: cb-1\r\n\r\n");
    EXPECT_EQ(client.read().result(), http::status::ok);
    ASSERT_TRUE(stop_and_join());
    std::vector<nlohmann::json> access;
    for (const auto& line : logs->json_lines()) {
        if (line.value("message", "") == "http request") {
            access.push_back(line);
        }
    }
    ASSERT_EQ(access.size(), 1u);
    const auto& line = access[0];
    EXPECT_EQ(line["method"], "GET");
    EXPECT_EQ(line["path"], "/oauth/google/callback");
    EXPECT_EQ(line["route"], "/oauth/{provider}/callback");
    EXPECT_EQ(line["status"], 200);
    EXPECT_EQ(line["request_id"], "cb-1");
    EXPECT_EQ(line["remote"], "127.0.0.1");
    EXPECT_TRUE(line["duration_ms"].is_number());
    EXPECT_GT(line["bytes_out"].get<int>(), 0);
    for (const auto& raw : logs->lines()) {
        EXPECT_THAT(raw, Not(HasSubstr("SECRETCODE")));
    }
}

TEST_P(ServerTest, RequireJsonAnswers415And400ThroughTheErrorMapping) {
    start([](Router& router) {
        router.add(http::verb::post, "/json", [](const Request& request) {
            auto body = require_json(request);
            if (!body) {
                return error_response(body.error(), request.request_id);
            }
            return Response::json(http::status::created, {{"got", *body}});
        });
    });
    TestClient client = connect();
    const auto created = client.request(http::verb::post, "/json", R"({"a":1})",
                                        "application/json; charset=utf-8");
    EXPECT_EQ(created.result(), http::status::created);
    EXPECT_EQ(json_of(created)["got"]["a"], 1);

    const auto wrong_type = client.request(http::verb::post, "/json", "a=1",
                                           "application/x-www-form-urlencoded");
    EXPECT_EQ(wrong_type.result(), http::status::unsupported_media_type);
    EXPECT_EQ(json_of(wrong_type)["error"]["code"], "unsupported_media_type");

    const auto malformed = client.request(http::verb::post, "/json", "{nope", "application/json");
    EXPECT_EQ(malformed.result(), http::status::bad_request);
    EXPECT_EQ(json_of(malformed)["error"]["code"], "malformed_json");
}

TEST_P(ServerTest, SeveralIoThreadsServeConcurrentClients) {
    options.io_threads = 3;
    options.worker_threads = 3;
    start([](Router& router) { router.add(http::verb::get, "/things/{id}", echo); });
    std::vector<std::future<int>> clients;
    for (int c = 0; c < 6; ++c) {
        clients.push_back(std::async(std::launch::async, [this, c] {
            TestClient client = connect();
            int ok = 0;
            for (int i = 0; i < 20; ++i) {
                const auto id = std::to_string(c) + "-" + std::to_string(i);
                const auto response = client.get("/things/" + id);
                ok += response.result() == http::status::ok &&
                      json_of(response)["params"]["id"] == id;
            }
            return ok;
        }));
    }
    for (auto& c : clients) {
        EXPECT_EQ(c.get(), 20);
    }
}

} // namespace
} // namespace switchboard::server::testing
