// Streamed bodies over real sockets: a streamed route reads its body piece by piece after its
// gate admitted the caller (never before), within its own limit, answering Expect:
// 100-continue only when it reads; a handler's streamed answer goes out with its announced
// length or chunked, the connection is reused after it, and a producer that fails or a client
// that leaves ends the exchange instead of hanging it.
#include "server_fixture.hpp"
#include "test_client.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <array>
#include <future>
#include <sstream>
#include <string>
#include <vector>

namespace switchboard::server::testing {
namespace {

constexpr std::uint64_t kLimit = 4 * 1024 * 1024;

Gate streaming_bearer_gate() {
    return [](const Request& head) -> Result<Caller> {
        if (head.header("Authorization") == "Bearer good") {
            return Caller{"tenant-1", "user-1"};
        }
        return Error(ErrorKind::unauthenticated, "invalid_token", "the token is not valid");
    };
}

RouteOptions streamed_options() {
    RouteOptions options;
    options.gate = streaming_bearer_gate();
    options.body_mode = BodyMode::streamed;
    options.streamed_body_limit_bytes = kLimit;
    return options;
}

// Reads the whole body in pieces of at most `piece` bytes; reports the count, the largest
// piece and a checksum, or the read's error.
Response consume(const Request& request, std::size_t piece) {
    if (!request.body_stream || !request.body.empty()) {
        return Response::text(http::status::internal_server_error, "no body stream");
    }
    std::vector<char> buffer(piece);
    std::uint64_t total = 0, checksum = 0;
    std::size_t reads = 0, largest = 0;
    while (true) {
        auto got = request.body_stream->read(buffer.data(), buffer.size());
        if (!got) {
            return Response::json(http::status::payload_too_large,
                                  {{"code", got.error().code}, {"total", total}});
        }
        if (*got == 0) break;
        ++reads;
        largest = std::max(largest, *got);
        total += *got;
        for (std::size_t i = 0; i < *got; ++i) {
            checksum = checksum * 31 + static_cast<unsigned char>(buffer[i]);
        }
    }
    return Response::json({{"total", total},
                           {"reads", reads},
                           {"largest", largest},
                           {"checksum", checksum},
                           {"announced", request.body_stream->content_length()
                                             ? nlohmann::json(*request.body_stream->content_length())
                                             : nlohmann::json()}});
}

std::string pattern(std::size_t size) {
    std::string out(size, '\0');
    for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>('a' + (i * 7) % 26);
    return out;
}

std::uint64_t checksum_of(std::string_view text) {
    std::uint64_t checksum = 0;
    for (char c : text) checksum = checksum * 31 + static_cast<unsigned char>(c);
    return checksum;
}

std::string head_of(std::string_view method, std::string_view target, std::string_view extra) {
    return std::string(method) + " " + std::string(target) +
           " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good\r\n" + std::string(extra) + "\r\n";
}

// A producer of `size` bytes of pattern() in pieces of `piece`.
BodyProducer producing(std::size_t size, std::size_t piece) {
    return [size, piece](ResponseBodyWriter& out) -> Result<void> {
        const std::string body = pattern(size);
        for (std::size_t at = 0; at < size; at += piece) {
            if (auto written = out.write(std::string_view(body).substr(at, piece)); !written) {
                return written.error();
            }
        }
        return {};
    };
}

class StreamingTest : public TransportTest {};
INSTANTIATE_TRANSPORTS(StreamingTest);

TEST_P(StreamingTest, HandlerReadsTheBodyPieceByPiece) {
    start([](Router& router) {
        router.add(http::verb::post, "/up",
                   [](const Request& request) { return consume(request, 4096); },
                   streamed_options());
    });
    TestClient client = connect();
    const std::string body = pattern(3 * 1024 * 1024);
    client.write_raw(head_of("POST", "/up", "Content-Length: " + std::to_string(body.size()) +
                                                "\r\n") +
                     body);
    const auto answer = client.read();
    ASSERT_EQ(answer.result(), http::status::ok) << answer.body();
    const auto json = nlohmann::json::parse(answer.body());
    EXPECT_EQ(json["total"], body.size());
    EXPECT_EQ(json["checksum"], checksum_of(body));
    EXPECT_LE(json["largest"].get<std::size_t>(), 4096u);
    EXPECT_GE(json["reads"].get<std::size_t>(), body.size() / 4096);
    EXPECT_EQ(json["announced"], body.size());
    // Keep-alive: the connection serves the next request.
    EXPECT_EQ(client.request(http::verb::get, "/healthz").result(), http::status::ok);
}

TEST_P(StreamingTest, ChunkedBodiesStreamToo) {
    start([](Router& router) {
        router.add(http::verb::post, "/up",
                   [](const Request& request) { return consume(request, 1000); },
                   streamed_options());
    });
    TestClient client = connect();
    std::string chunked = head_of("POST", "/up", "Transfer-Encoding: chunked\r\n");
    std::string sent;
    for (std::size_t size : {5000u, 1u, 70000u}) {
        const std::string piece = pattern(size);
        sent += piece;
        std::ostringstream hex;
        hex << std::hex << size;
        chunked += hex.str() + "\r\n" + piece + "\r\n";
    }
    chunked += "0\r\n\r\n";
    client.write_raw(chunked);
    const auto answer = client.read();
    ASSERT_EQ(answer.result(), http::status::ok) << answer.body();
    const auto json = nlohmann::json::parse(answer.body());
    EXPECT_EQ(json["total"], sent.size());
    EXPECT_EQ(json["checksum"], checksum_of(sent));
    EXPECT_TRUE(json["announced"].is_null());
}

TEST_P(StreamingTest, TheGateDecidesBeforeAnyOfTheBodyIsRead) {
    std::atomic<int> handled{0};
    start([&](Router& router) {
        router.add(http::verb::post, "/up",
                   [&](const Request& request) {
                       ++handled;
                       return consume(request, 4096);
                   },
                   streamed_options());
    });
    TestClient client = connect();
    // A terabyte announced, nothing sent: the answer comes at once.
    client.write_raw("POST /up HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer bad\r\n"
                     "Content-Length: 1099511627776\r\n\r\n");
    const auto answer = client.read();
    EXPECT_EQ(answer.result(), http::status::unauthorized);
    EXPECT_EQ(handled.load(), 0);
    EXPECT_TRUE(client.closed_by_server());
}

TEST_P(StreamingTest, AnAnnouncedBodyOverTheRoutesLimitIsRefusedUnread) {
    start([](Router& router) {
        router.add(http::verb::post, "/up",
                   [](const Request& request) { return consume(request, 4096); },
                   streamed_options());
    });
    TestClient client = connect();
    client.write_raw(head_of("POST", "/up",
                             "Content-Length: " + std::to_string(kLimit + 1) + "\r\n"));
    const auto answer = client.read();
    EXPECT_EQ(answer.result(), http::status::payload_too_large);
    EXPECT_TRUE(client.closed_by_server());
}

TEST_P(StreamingTest, AChunkedBodyOverTheLimitFailsTheReadThatCrossesIt) {
    start([](Router& router) {
        router.add(http::verb::post, "/up",
                   [](const Request& request) { return consume(request, 65536); },
                   streamed_options());
    });
    TestClient client = connect(std::chrono::seconds(20));
    client.write_raw(head_of("POST", "/up", "Transfer-Encoding: chunked\r\n"));
    const std::string piece = pattern(1024 * 1024);
    beast::error_code ec;
    for (int i = 0; i < 6 && !ec; ++i) {
        std::ostringstream hex;
        hex << std::hex << piece.size();
        client.with_stream([&](auto& stream) {
            net::write(stream, net::buffer(hex.str() + "\r\n" + piece + "\r\n"), ec);
        });
    }
    const auto answer = client.read();
    EXPECT_EQ(answer.result(), http::status::payload_too_large);
    const auto json = nlohmann::json::parse(answer.body());
    EXPECT_EQ(json["code"], "body_too_large");
    EXPECT_LE(json["total"].get<std::uint64_t>(), kLimit);
}

TEST_P(StreamingTest, ContinueIsSentOnlyWhenTheHandlerReads) {
    start([](Router& router) {
        router.add(http::verb::post, "/read",
                   [](const Request& request) { return consume(request, 4096); },
                   streamed_options());
        router.add(http::verb::post, "/refuse",
                   [](const Request&) {
                       return Response::json(http::status::not_found, {{"code", "nope"}});
                   },
                   streamed_options());
    });
    {
        TestClient client = connect();
        client.write_raw(head_of("POST", "/refuse", "Expect: 100-continue\r\nContent-Length: 10\r\n"));
        const auto answer = client.read();
        EXPECT_EQ(answer.result(), http::status::not_found); // no 100 before it
        EXPECT_TRUE(client.closed_by_server());                // the body never came
    }
    {
        TestClient client = connect();
        client.write_raw(head_of("POST", "/read", "Expect: 100-continue\r\nContent-Length: 10\r\n"));
        beast::http::response_parser<beast::http::empty_body> interim;
        beast::flat_buffer buffer;
        client.with_stream(
            [&](auto& stream) { beast::http::read_header(stream, buffer, interim); });
        EXPECT_EQ(interim.get().result_int(), 100u);
        // What followed the interim answer's header is the final answer.
        client.write_raw("0123456789");
        std::string rest(static_cast<const char*>(buffer.data().data()), buffer.size());
        beast::http::response_parser<beast::http::string_body> final_answer;
        beast::error_code ec;
        beast::flat_buffer more;
        net::buffer_copy(more.prepare(rest.size()), net::buffer(rest));
        more.commit(rest.size());
        client.with_stream(
            [&](auto& stream) { beast::http::read(stream, more, final_answer, ec); });
        ASSERT_FALSE(ec) << ec.message();
        EXPECT_EQ(final_answer.get().result_int(), 200u);
        EXPECT_EQ(nlohmann::json::parse(final_answer.get().body())["total"], 10);
    }
}

TEST_P(StreamingTest, AStreamedAnswerWithItsLengthThenTheNextRequest) {
    start([](Router& router) {
        router.add(http::verb::get, "/down", [](const Request&) {
            Response response;
            response.content_type = "application/octet-stream";
            response.stream = producing(2 * 1024 * 1024 + 5, 65536);
            response.stream_length = 2 * 1024 * 1024 + 5;
            return response;
        });
    });
    TestClient client = connect();
    const auto answer = client.get("/down");
    ASSERT_EQ(answer.result(), http::status::ok);
    EXPECT_EQ(answer[beast::http::field::content_length], std::to_string(2 * 1024 * 1024 + 5));
    EXPECT_EQ(answer[beast::http::field::content_type], "application/octet-stream");
    EXPECT_FALSE(answer["X-Request-Id"].empty());
    EXPECT_EQ(answer.body(), pattern(2 * 1024 * 1024 + 5));
    EXPECT_EQ(client.get("/healthz").result(), http::status::ok);
}

TEST_P(StreamingTest, AStreamedAnswerOfUnknownLengthGoesChunked) {
    start([](Router& router) {
        router.add(http::verb::get, "/down", [](const Request&) {
            Response response;
            response.stream = producing(300000, 7000);
            return response;
        });
    });
    TestClient client = connect();
    const auto answer = client.get("/down");
    ASSERT_EQ(answer.result(), http::status::ok);
    EXPECT_TRUE(answer.chunked());
    EXPECT_EQ(answer.body(), pattern(300000));
    EXPECT_EQ(client.get("/healthz").result(), http::status::ok);
}

TEST_P(StreamingTest, HeadAnnouncesTheLengthWithoutRunningTheProducer) {
    std::atomic<int> produced{0};
    start([&](Router& router) {
        router.add(http::verb::get, "/down", [&](const Request&) {
            Response response;
            response.stream = [&](ResponseBodyWriter&) -> Result<void> {
                ++produced;
                return {};
            };
            response.stream_length = 12345;
            return response;
        });
    });
    TestClient client = connect();
    const auto answer = client.request(http::verb::head, "/down");
    EXPECT_EQ(answer.result(), http::status::ok);
    EXPECT_EQ(answer[beast::http::field::content_length], "12345");
    EXPECT_TRUE(answer.body().empty());
    EXPECT_EQ(produced.load(), 0);
    EXPECT_EQ(client.get("/healthz").result(), http::status::ok);
}

TEST_P(StreamingTest, AFailingOrShortProducerBreaksTheConnection) {
    start([](Router& router) {
        router.add(http::verb::get, "/fails", [](const Request&) {
            Response response;
            response.stream = [](ResponseBodyWriter& out) -> Result<void> {
                if (auto written = out.write(pattern(1000)); !written) return written.error();
                return Error(ErrorKind::unavailable, "provider_gone", "the provider went away");
            };
            return response;
        });
        router.add(http::verb::get, "/short", [](const Request&) {
            Response response;
            response.stream = producing(1000, 100);
            response.stream_length = 2000;
            return response;
        });
    });
    for (const char* target : {"/fails", "/short"}) {
        TestClient client = connect();
        client.write_raw(head_of("GET", target, ""));
        beast::error_code ec;
        client.try_read(ec);
        EXPECT_TRUE(ec) << target << ": a broken body must not read as a whole answer";
    }
}

TEST_P(StreamingTest, AProducerLearnsThatTheClientLeft) {
    std::promise<std::string> ended;
    start([&](Router& router) {
        router.add(http::verb::get, "/endless", [&](const Request&) {
            Response response;
            response.stream = [&](ResponseBodyWriter& out) -> Result<void> {
                const std::string piece = pattern(65536);
                while (true) {
                    if (auto written = out.write(piece); !written) {
                        ended.set_value(written.error().code);
                        return written.error();
                    }
                }
            };
            return response;
        });
    });
    {
        TestClient client = connect();
        client.write_raw(head_of("GET", "/endless", ""));
        std::array<char, 4096> some{};
        client.with_stream([&](auto& stream) { stream.read_some(net::buffer(some)); });
    } // the client closes without reading on
    auto result = ended.get_future();
    ASSERT_EQ(result.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_EQ(result.get(), "client_gone");
}

TEST_P(StreamingTest, AnEarlierPipelinedAnswerGoesFirst) {
    start([](Router& router) {
        router.add(http::verb::post, "/up",
                   [](const Request& request) { return consume(request, 4096); },
                   streamed_options());
    });
    TestClient client = connect();
    client.write_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" +
                     head_of("POST", "/up", "Content-Length: 5\r\n") + "hello" +
                     "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(client.read().result(), http::status::ok);
    const auto streamed = client.read();
    ASSERT_EQ(streamed.result(), http::status::ok);
    EXPECT_EQ(nlohmann::json::parse(streamed.body())["total"], 5);
    EXPECT_EQ(client.read().result(), http::status::ok);
}

} // namespace
} // namespace switchboard::server::testing
