// HttpClient::open against the loopback test server: request bodies read from a source piece
// by piece (with a length or chunked), response bodies read piece by piece, the connection
// pooled only after a whole answer, retries only when the body starts over, and
// Expect: 100-continue letting a refusal come before the body is spent.
#include "core/http/beast_http_client.hpp"

#include "test_http_server.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

namespace switchboard::http {
namespace {

using std::chrono::milliseconds;
using ::testing::Optional;
using namespace switchboard::http::test_support;

std::string pattern(std::size_t size) {
    std::string out(size, '\0');
    for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>('A' + (i * 13) % 26);
    return out;
}

// A body from a string, read in pieces no larger than asked; counts reads and rewinds.
class StringSource final : public RequestBodySource {
public:
    explicit StringSource(std::string text, bool can_rewind = false)
        : text_(std::move(text)), can_rewind_(can_rewind) {}

    Result<std::size_t> read(char* into, std::size_t size) override {
        ++reads;
        const std::size_t n = std::min(size, text_.size() - at_);
        std::copy_n(text_.data() + at_, n, into);
        at_ += n;
        return n;
    }
    bool rewind() override {
        if (!can_rewind_) return false;
        ++rewinds;
        at_ = 0;
        return true;
    }

    int reads = 0;
    int rewinds = 0;

private:
    std::string text_;
    bool can_rewind_;
    std::size_t at_ = 0;
};

class FailingSource final : public RequestBodySource {
public:
    Result<std::size_t> read(char*, std::size_t) override {
        return Error(ErrorKind::unavailable, "caller_went_away", "the caller's body broke off");
    }
};

std::string read_all(ResponseStream& stream, std::size_t piece = 1000) {
    std::string out;
    std::vector<char> buffer(piece);
    while (true) {
        auto got = stream.read(buffer.data(), buffer.size());
        EXPECT_TRUE(got) << (got ? "" : got.error().message);
        if (!got || *got == 0) break;
        EXPECT_LE(*got, piece);
        out.append(buffer.data(), *got);
    }
    return out;
}

class StreamedExchangeTest : public ::testing::Test {
protected:
    std::unique_ptr<BeastHttpClient> client(int max_attempts = 3) {
        BeastHttpClientOptions o;
        o.allow_plain_http_loopback = true;
        o.read_timeout = milliseconds{5000};
        o.total_deadline = milliseconds{20000};
        o.max_attempts = max_attempts;
        o.base_backoff = milliseconds{1};
        o.max_backoff = milliseconds{2};
        o.sleep = [](milliseconds) {};
        auto made = BeastHttpClient::create(std::move(o));
        EXPECT_TRUE(made) << made.error().message;
        return std::move(*made);
    }
};

TEST_F(StreamedExchangeTest, UploadsWithALengthAndDownloadsInPieces) {
    const std::string upload = pattern(3 * 1024 * 1024 + 17);
    TestHttpServer server([](const ReceivedRequest& r) {
        ScriptedResponse answer;
        answer.body = "echo:" + r.body;
        answer.headers = {{"Content-Type", "application/octet-stream"}};
        return answer;
    });
    auto http = client();
    StringSource source(upload);
    StreamedRequest request{"PUT", server.url("/files/1"), {{"X-Trace", "t"}}, &source,
                            upload.size(), false};
    auto stream = http->open(request, {});
    ASSERT_TRUE(stream) << stream.error().message;
    EXPECT_EQ((*stream)->status(), 200);
    EXPECT_EQ((*stream)->content_length(), upload.size() + 5);
    EXPECT_THAT((*stream)->header("content-type"),
                Optional(std::string_view("application/octet-stream")));
    EXPECT_TRUE((*stream)->request_body_sent());
    EXPECT_EQ(read_all(**stream, 4096), "echo:" + upload);
    EXPECT_GT(source.reads, 40); // 64 KiB at a time, not the whole body at once
    const auto received = server.requests();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_THAT(received[0].header("content-length"),
                Optional(std::string_view(std::to_string(upload.size()))));
    EXPECT_THAT(received[0].header("x-trace"), Optional(std::string_view("t")));
    EXPECT_EQ(received[0].body, upload);

    // Read to its end, the connection serves the next exchange.
    stream->reset();
    auto again = http->open({"GET", server.url("/again"), {}, nullptr, {}, false}, {});
    ASSERT_TRUE(again);
    read_all(**again);
    EXPECT_EQ(server.connections_accepted(), 1u);
}

TEST_F(StreamedExchangeTest, BodiesOfUnknownLengthGoChunked) {
    TestHttpServer server([](const ReceivedRequest& r) {
        ScriptedResponse answer;
        answer.body = std::to_string(r.body.size());
        return answer;
    });
    auto http = client();
    StringSource source(pattern(200000));
    auto stream = http->open({"POST", server.url("/up"), {}, &source, std::nullopt, false}, {});
    ASSERT_TRUE(stream) << stream.error().message;
    EXPECT_EQ(read_all(**stream), "200000");
    EXPECT_THAT(server.requests().at(0).header("transfer-encoding"),
                Optional(std::string_view("chunked")));
}

TEST_F(StreamedExchangeTest, AnEmptyPostStillAnnouncesItsLength) {
    TestHttpServer server([](const ReceivedRequest&) { return ScriptedResponse{}; });
    auto http = client();
    auto stream = http->open({"POST", server.url("/x"), {}, nullptr, {}, false}, {});
    ASSERT_TRUE(stream);
    EXPECT_THAT(server.requests().at(0).header("content-length"), Optional(std::string_view("0")));
}

TEST_F(StreamedExchangeTest, AnUnreadBodyClosesTheConnection) {
    TestHttpServer server([](const ReceivedRequest&) {
        ScriptedResponse answer;
        answer.body = pattern(500000);
        return answer;
    });
    auto http = client();
    {
        auto stream = http->open({"GET", server.url("/big"), {}, nullptr, {}, false}, {});
        ASSERT_TRUE(stream);
        std::array<char, 100> some{};
        ASSERT_TRUE((*stream)->read(some.data(), some.size()));
    } // dropped half-read: the connection cannot be reused
    auto next = http->open({"GET", server.url("/big"), {}, nullptr, {}, false}, {});
    ASSERT_TRUE(next);
    EXPECT_EQ(read_all(**next, 65536).size(), 500000u);
    EXPECT_EQ(server.connections_accepted(), 2u);
}

TEST_F(StreamedExchangeTest, AnAnnouncedBodyOverTheLimitIsRefusedWithTheHeader) {
    TestHttpServer server([](const ReceivedRequest&) {
        ScriptedResponse answer;
        answer.body = pattern(10000);
        return answer;
    });
    auto http = client();
    RequestOptions options;
    options.max_response_body_bytes = 5000;
    // The Content-Length says it all: no byte of the body is handed out.
    auto stream = http->open({"GET", server.url("/big"), {}, nullptr, {}, false}, options);
    ASSERT_FALSE(stream);
    EXPECT_EQ(stream.error().code, "upstream_response_too_large");
    options.max_response_body_bytes = 10000;
    auto fits = http->open({"GET", server.url("/big"), {}, nullptr, {}, false}, options);
    ASSERT_TRUE(fits) << fits.error().message;
}

TEST_F(StreamedExchangeTest, RetriesAFailedStatusOnlyWhenTheBodyStartsOver) {
    std::atomic<int> calls{0};
    TestHttpServer server([&](const ReceivedRequest& r) {
        ScriptedResponse answer;
        answer.status = ++calls == 1 ? 503 : 200;
        answer.body = r.body;
        return answer;
    });
    auto http = client();
    StringSource rewindable("payload", true);
    auto stream = http->open({"PUT", server.url("/x"), {}, &rewindable, 7u, false}, {});
    ASSERT_TRUE(stream);
    EXPECT_EQ((*stream)->status(), 200);
    EXPECT_EQ((*stream)->attempts(), 2);
    EXPECT_EQ(rewindable.rewinds, 1);
    EXPECT_EQ(read_all(**stream), "payload");

    calls = 0;
    StringSource once("payload", false);
    auto answered = http->open({"PUT", server.url("/x"), {}, &once, 7u, false}, {});
    ASSERT_TRUE(answered);
    EXPECT_EQ((*answered)->status(), 503); // the body is spent: the first answer stands
    EXPECT_EQ((*answered)->attempts(), 1);
}

TEST_F(StreamedExchangeTest, ASourceFailureAbortsTheRequest) {
    TestHttpServer server([](const ReceivedRequest&) { return ScriptedResponse{}; });
    auto http = client();
    FailingSource broken;
    auto stream = http->open({"POST", server.url("/x"), {}, &broken, 100u, false}, {});
    ASSERT_FALSE(stream);
    EXPECT_EQ(stream.error().code, "caller_went_away");
    EXPECT_EQ(server.requests_received(), 0u); // the server never took a partial body
}

TEST_F(StreamedExchangeTest, ExpectContinueLetsARefusalComeBeforeTheBody) {
    TestHttpServer server([](const ReceivedRequest& r) {
        ScriptedResponse answer;
        answer.body = "stored " + std::to_string(r.body.size());
        return answer;
    });
    server.on_expect([](const ReceivedRequest& head) -> std::optional<ScriptedResponse> {
        if (head.header("authorization") == std::optional<std::string_view>("Bearer old")) {
            ScriptedResponse refusal;
            refusal.status = 401;
            refusal.body = "expired";
            return refusal;
        }
        return std::nullopt;
    });
    auto http = client();
    StringSource source(pattern(100000)); // cannot rewind
    auto refused = http->open({"POST", server.url("/up"), {{"Authorization", "Bearer old"}},
                               &source, 100000u, true},
                              {});
    ASSERT_TRUE(refused) << refused.error().message;
    EXPECT_EQ((*refused)->status(), 401);
    EXPECT_FALSE((*refused)->request_body_sent());
    EXPECT_EQ(source.reads, 0); // untouched: it can go with the next attempt
    EXPECT_EQ(read_all(**refused), "expired");
    refused->reset();

    auto accepted = http->open({"POST", server.url("/up"), {{"Authorization", "Bearer new"}},
                                &source, 100000u, true},
                               {});
    ASSERT_TRUE(accepted) << accepted.error().message;
    EXPECT_EQ((*accepted)->status(), 200);
    EXPECT_TRUE((*accepted)->request_body_sent());
    EXPECT_EQ(read_all(**accepted), "stored 100000");
}

TEST_F(StreamedExchangeTest, ABodyGoesAnywayWhenTheServerIgnoresExpect) {
    TestHttpServer server([](const ReceivedRequest& r) {
        ScriptedResponse answer;
        answer.body = std::to_string(r.body.size());
        return answer;
    });
    server.on_expect(nullptr, /*send_continue=*/false);
    auto http = client();
    StringSource source(pattern(5000));
    auto stream = http->open({"PUT", server.url("/up"), {}, &source, 5000u, true}, {});
    ASSERT_TRUE(stream) << stream.error().message;
    EXPECT_EQ(read_all(**stream), "5000");
    EXPECT_THAT(server.requests().at(0).header("expect"),
                Optional(std::string_view("100-continue")));
}

TEST_F(StreamedExchangeTest, ManagedHeadersAreRefused) {
    TestHttpServer server([](const ReceivedRequest&) { return ScriptedResponse{}; });
    auto http = client();
    for (const char* name : {"Content-Length", "Transfer-Encoding", "Expect", "Host"}) {
        auto stream = http->open({"GET", server.url("/x"), {{name, "1"}}, nullptr, {}, false}, {});
        ASSERT_FALSE(stream) << name;
        EXPECT_EQ(stream.error().code, "invalid_http_header");
    }
}

} // namespace
} // namespace switchboard::http
