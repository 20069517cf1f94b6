// The sb_host table: the HTTP seam's checks, response lifetime, the clock, and log lines.
#include "core/plugin/call_scope.hpp"
#include "core/plugin/host_services.hpp"
#include "tests/plugin/plugin_test_support.hpp"

#include <gtest/gtest.h>
#include <switchboard/ext/deadline.h>

#include <thread>

namespace switchboard {
namespace {

using testing::CapturingLogger;
using testing::FakeCallContext;

// A request built field by field, the way a C plugin fills it.
struct RequestBuilder {
    std::string method = "GET";
    std::string path = "/calendar/v3/events?maxResults=5";
    std::vector<std::pair<std::string, std::string>> headers = {{"Accept", "application/json"}};
    std::string body;

    std::vector<sb_pair> pairs;
    std::vector<const sb_pair*> pointers;
    sb_http_request request{};

    const sb_http_request* build() {
        pairs.clear();
        pointers.clear();
        for (const auto& [n, v] : headers) {
            pairs.push_back(sb_pair{sizeof(sb_pair), n.c_str(), v.c_str()});
        }
        for (const auto& p : pairs) {
            pointers.push_back(&p);
        }
        request = sb_http_request{sizeof(sb_http_request),
                                  method.c_str(),
                                  path.c_str(),
                                  pointers.empty() ? nullptr : pointers.data(),
                                  pointers.size(),
                                  body.empty() ? nullptr : body.data(),
                                  body.size()};
        return &request;
    }
};

Error refused(RequestBuilder& builder) {
    auto r = plugin::read_http_request(builder.build());
    EXPECT_FALSE(r) << builder.method << " " << builder.path;
    return r ? Error() : r.error();
}

TEST(ReadHttpRequest, CopiesAValidRequest) {
    RequestBuilder b;
    b.method = "POST";
    b.body = R"({"summary":"x"})";
    b.headers.emplace_back("Content-Type", "application/json");
    auto r = plugin::read_http_request(b.build());
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->method, "POST");
    EXPECT_EQ(r->path, "/calendar/v3/events?maxResults=5");
    ASSERT_EQ(r->headers.size(), 2u);
    EXPECT_EQ(r->headers[1].name, "Content-Type");
    EXPECT_EQ(r->body, R"({"summary":"x"})");
}

TEST(ReadHttpRequest, AllowsOnlyTheAbiMethods) {
    for (const char* method : {"GET", "POST", "PATCH", "PUT", "DELETE"}) {
        RequestBuilder b;
        b.method = method;
        EXPECT_TRUE(plugin::read_http_request(b.build())) << method;
    }
    for (const char* method : {"CONNECT", "TRACE", "get", "", "GET "}) {
        RequestBuilder b;
        b.method = method;
        Error e = refused(b);
        EXPECT_EQ(e.code, "invalid_http_request");
        EXPECT_NE(e.message.find("method"), std::string::npos) << e.message;
    }
}

TEST(ReadHttpRequest, RefusesPathsThatLeaveTheProvidersBaseUrl) {
    const std::pair<const char*, const char*> cases[] = {
        {"https://evil.example/steal", "must start with '/'"},
        {"http:/x", "must start with '/'"},
        {"//evil.example/steal", "\"//\""},
        {"events", "must start with '/'"},
        {"", "must start with '/'"},
        {"/a b", "percent-encoded"},
        {"/a\\b", "backslash"},
        {"/a#fragment", "fragment"},
        {"/a/../admin", "segments"},
        {"/./a", "segments"},
        {"/a/%2E%2e/admin", "segments"},
        {"/a\r\nHost: evil", "percent-encoded"},
        {"/caf\xC3\xA9", "percent-encoded"},
        {"/a%zz", "origin-form"},
    };
    for (const auto& [path, why] : cases) {
        RequestBuilder b;
        b.path = path;
        Error e = refused(b);
        EXPECT_EQ(e.kind, ErrorKind::invalid_input);
        EXPECT_NE(e.message.find(why), std::string::npos) << path << ": " << e.message;
    }
}

TEST(ReadHttpRequest, RefusesCredentialAndInjectedHeaders) {
    for (const char* name : {"Authorization", "authorization", "Proxy-Authorization"}) {
        RequestBuilder b;
        b.headers.emplace_back(name, "Bearer secret-token-value");
        Error e = refused(b);
        EXPECT_NE(e.message.find("set by the host"), std::string::npos) << e.message;
        EXPECT_EQ(e.message.find("secret-token-value"), std::string::npos)
            << "a header value must never appear in an error";
    }
    for (const char* name : {"Host", "Content-Length", "transfer-encoding", "Connection"}) {
        RequestBuilder b;
        b.headers.emplace_back(name, "x");
        EXPECT_NE(refused(b).message.find("HTTP client"), std::string::npos) << name;
    }
    RequestBuilder crlf_value;
    crlf_value.headers.emplace_back("X-Note", "a\r\nAuthorization: Bearer sneaky");
    Error e = refused(crlf_value);
    EXPECT_NE(e.message.find("CR, LF"), std::string::npos);
    EXPECT_EQ(e.message.find("sneaky"), std::string::npos);
    RequestBuilder lf_value;
    lf_value.headers.emplace_back("X-Note", "a\nb");
    refused(lf_value);
    for (const char* name : {"X-Bad\r\nInjected", "X Bad", "", "X:Bad"}) {
        RequestBuilder b;
        b.headers.emplace_back(name, "x");
        refused(b);
    }
}

TEST(ReadHttpRequest, RefusesMalformedStructs) {
    EXPECT_FALSE(plugin::read_http_request(nullptr));

    RequestBuilder truncated;
    sb_http_request copy = *truncated.build();
    copy.struct_size = static_cast<uint32_t>(offsetof(sb_http_request, body));
    auto r = plugin::read_http_request(&copy);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("truncated"), std::string::npos);

    RequestBuilder no_body;
    copy = *no_body.build();
    copy.body = nullptr;
    copy.body_size = 10;
    EXPECT_FALSE(plugin::read_http_request(&copy));

    RequestBuilder no_headers;
    copy = *no_headers.build();
    copy.headers = nullptr;
    EXPECT_FALSE(plugin::read_http_request(&copy));

    RequestBuilder no_method;
    copy = *no_method.build();
    copy.method = nullptr;
    EXPECT_FALSE(plugin::read_http_request(&copy));

    RequestBuilder null_header;
    null_header.build();
    null_header.pointers[0] = nullptr;
    EXPECT_FALSE(plugin::read_http_request(&null_header.request));
}

class HostTableTest : public ::testing::Test {
protected:
    HostTableTest()
        : clock_(std::make_shared<plugin::ManualClock>(1'700'000'000'000)),
          host_("test_plugin", plugin::HostServicesOptions{log_.logger(), clock_, 64, "9.9.9"}) {}

    CapturingLogger log_;
    std::shared_ptr<plugin::ManualClock> clock_;
    plugin::HostTable host_;
};

TEST_F(HostTableTest, DescribesTheHost) {
    const sb_host* h = host_.table();
    EXPECT_EQ(h->struct_size, sizeof(sb_host));
    EXPECT_EQ(h->abi.major, SB_ABI_VERSION_MAJOR);
    EXPECT_EQ(h->abi.minor, SB_ABI_VERSION_MINOR);
    EXPECT_STREQ(h->host_name, "switchboard");
    EXPECT_STREQ(h->host_version, "9.9.9");
    EXPECT_EQ(h->get_extension(h, "switchboard.cache/1"), nullptr);
    EXPECT_EQ(plugin::HostTable::from(h), &host_);
    sb_host copy = *h;
    EXPECT_EQ(plugin::HostTable::from(&copy), nullptr) << "only the host's own table is trusted";
}

TEST_F(HostTableTest, ClockIsInjected) {
    const sb_host* h = host_.table();
    EXPECT_EQ(h->now_unix_ms(h), 1'700'000'000'000);
    clock_->advance(1500);
    EXPECT_EQ(h->now_unix_ms(h), 1'700'000'001'500);
    plugin::HostTable system("p", plugin::HostServicesOptions{log_.logger(), nullptr, 64, "1"});
    EXPECT_GT(system.table()->now_unix_ms(system.table()), 1'600'000'000'000);
}

TEST_F(HostTableTest, LogLinesNameThePluginAndMapLevels) {
    const sb_host* h = host_.table();
    h->log(h, SB_LOG_DEBUG, "debugging");
    h->log(h, SB_LOG_INFO, "hello");
    h->log(h, SB_LOG_WARNING, "careful");
    h->log(h, SB_LOG_ERROR, "broken");
    h->log(h, 77, "odd level");
    h->log(h, SB_LOG_INFO, nullptr);
    auto lines = log_.lines();
    ASSERT_EQ(lines.size(), 6u);
    EXPECT_EQ(lines[0], "debug [plugin test_plugin] debugging");
    EXPECT_EQ(lines[1], "info [plugin test_plugin] hello");
    EXPECT_EQ(lines[2], "warning [plugin test_plugin] careful");
    EXPECT_EQ(lines[3], "error [plugin test_plugin] broken");
    EXPECT_EQ(lines[4], "warning [plugin test_plugin] odd level (unknown log level 77)");
    EXPECT_EQ(lines[5], "info [plugin test_plugin] (null)");
}

TEST_F(HostTableTest, LogMessagesAreCappedAndCannotForgeLines) {
    const sb_host* h = host_.table();
    std::string long_message(200, 'a');
    h->log(h, SB_LOG_INFO, long_message.c_str());
    h->log(h, SB_LOG_INFO, "first\nwarning [plugin other] forged\r\x01");
    // A cut that would split "é" (2 bytes) moves back to the character boundary.
    std::string accented = std::string(63, 'b') + "\xC3\xA9" + "tail";
    h->log(h, SB_LOG_INFO, accented.c_str());
    auto lines = log_.lines();
    ASSERT_EQ(lines.size(), 3u) << "one sb_host.log call is one line";
    EXPECT_EQ(lines[0], "info [plugin test_plugin] " + std::string(64, 'a') +
                            " [truncated 136 bytes]");
    EXPECT_EQ(lines[1], "info [plugin test_plugin] first\\nwarning [plugin other] forged\\r\\x01");
    EXPECT_EQ(lines[2], "info [plugin test_plugin] " + std::string(63, 'b') +
                            " [truncated 6 bytes]");
}

TEST_F(HostTableTest, LogLinesNameTheProviderDuringACall) {
    FakeCallContext context;
    {
        plugin::CallScope scope(host_, context, "test_calendar", "c-1");
        host_.table()->log(host_.table(), SB_LOG_INFO, "inside");
    }
    host_.table()->log(host_.table(), SB_LOG_INFO, "outside");
    plugin::HostTable other("other_plugin",
                            plugin::HostServicesOptions{log_.logger(), clock_, 64, "1"});
    {
        plugin::CallScope scope(host_, context, "test_calendar", "c-1");
        other.table()->log(other.table(), SB_LOG_INFO, "other library");
    }
    auto lines = log_.lines();
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "info [plugin test_plugin provider test_calendar connector c-1] inside");
    EXPECT_EQ(lines[1], "info [plugin test_plugin] outside");
    EXPECT_EQ(lines[2], "info [plugin other_plugin] other library");
}

TEST_F(HostTableTest, HttpGoesThroughTheCallContextAndKeepsResponsesAlive) {
    FakeCallContext context(
        [](const plugin::ProviderHttpRequest& r) -> Result<plugin::ProviderHttpResponse> {
            return plugin::ProviderHttpResponse{
                201,
                {{"Content-Type", "application/json"}, {"X-Id", "7"}},
                "{\"path\":\"" + r.path + "\"}"};
        });
    plugin::CallScope scope(host_, context, "test_calendar", "c-1");
    const sb_host* h = host_.table();
    RequestBuilder first;
    first.path = "/one";
    RequestBuilder second;
    second.path = "/two";
    const sb_http_response* r1 = nullptr;
    const sb_http_response* r2 = nullptr;
    ASSERT_EQ(h->http(h, scope.call(), first.build(), &r1), SB_STATUS_OK);
    ASSERT_EQ(h->http(h, scope.call(), second.build(), &r2), SB_STATUS_OK);
    ASSERT_NE(r1, nullptr);
    ASSERT_NE(r2, nullptr);
    // The first response is still intact after the second request.
    EXPECT_EQ(r1->struct_size, sizeof(sb_http_response));
    EXPECT_EQ(r1->status, 201);
    EXPECT_EQ(std::string(r1->body, r1->body_size), "{\"path\":\"/one\"}");
    EXPECT_EQ(std::string(r2->body, r2->body_size), "{\"path\":\"/two\"}");
    ASSERT_EQ(r1->header_count, 2u);
    EXPECT_STREQ(r1->headers[0]->name, "content-type") << "names reach the plugin lower-cased";
    EXPECT_STREQ(r1->headers[0]->value, "application/json");
    EXPECT_STREQ(r1->headers[1]->name, "x-id");
    EXPECT_EQ(scope.http_requests(), 2u);
    ASSERT_EQ(context.requests().size(), 2u);
    EXPECT_EQ(context.requests()[0].headers[0].name, "Accept");
}

TEST_F(HostTableTest, HttpRefusesInvalidRequestsWithoutReachingTheContext) {
    FakeCallContext context;
    plugin::CallScope scope(host_, context, "test_calendar", "c-1");
    const sb_host* h = host_.table();
    RequestBuilder absolute;
    absolute.path = "https://evil.example/steal";
    const sb_http_response* response = reinterpret_cast<const sb_http_response*>(0x1);
    EXPECT_EQ(h->http(h, scope.call(), absolute.build(), &response), SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(response, nullptr) << "the response pointer is cleared on failure";
    RequestBuilder auth;
    auth.headers.emplace_back("Authorization", "Bearer x");
    EXPECT_EQ(h->http(h, scope.call(), auth.build(), &response), SB_STATUS_INVALID_INPUT);
    EXPECT_TRUE(context.requests().empty());
    EXPECT_EQ(scope.refused_http_requests(), 2u);
    EXPECT_EQ(log_.matching({"warning", "host refused", "must start with '/'"}).size(), 1u);
}

TEST_F(HostTableTest, HttpMapsContextErrorsToStatuses) {
    const std::pair<ErrorKind, sb_status> cases[] = {
        {ErrorKind::unauthenticated, SB_STATUS_AUTH},
        {ErrorKind::forbidden, SB_STATUS_AUTH},
        {ErrorKind::unavailable, SB_STATUS_UNAVAILABLE},
        {ErrorKind::rate_limited, SB_STATUS_UNAVAILABLE},
        {ErrorKind::invalid_input, SB_STATUS_INVALID_INPUT},
        {ErrorKind::internal, SB_STATUS_INTERNAL},
    };
    for (const auto& [kind, status] : cases) {
        FakeCallContext context(
            [kind =
                 kind](const plugin::ProviderHttpRequest&) -> Result<plugin::ProviderHttpResponse> {
                return Error(kind, "x", "failed");
            });
        plugin::CallScope scope(host_, context, "p", "c");
        RequestBuilder b;
        const sb_http_response* response = nullptr;
        EXPECT_EQ(host_.table()->http(host_.table(), scope.call(), b.build(), &response), status)
            << to_string(kind);
        EXPECT_EQ(response, nullptr);
    }
}

TEST_F(HostTableTest, HttpChecksTheCallItIsGiven) {
    FakeCallContext context;
    const sb_host* h = host_.table();
    RequestBuilder b;
    const sb_http_response* response = nullptr;
    EXPECT_EQ(h->http(h, nullptr, b.build(), &response), SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(h->http(h, nullptr, b.build(), nullptr), SB_STATUS_INVALID_INPUT);

    sb_call stray{0, nullptr};
    EXPECT_EQ(h->http(h, &stray, b.build(), &response), SB_STATUS_INVALID_INPUT);

    plugin::HostTable other("other_plugin",
                            plugin::HostServicesOptions{log_.logger(), clock_, 64, "1"});
    plugin::CallScope foreign(other, context, "p", "c");
    EXPECT_EQ(h->http(h, foreign.call(), b.build(), &response), SB_STATUS_INVALID_INPUT)
        << "a call of another library is refused";

    plugin::CallScope scope(host_, context, "p", "c");
    sb_status from_other_thread = SB_STATUS_OK;
    std::thread([&] { from_other_thread = h->http(h, scope.call(), b.build(), &response); })
        .join();
    EXPECT_EQ(from_other_thread, SB_STATUS_INVALID_INPUT) << "sb_host.http is [call-thread]";

    scope.close();
    EXPECT_EQ(h->http(h, scope.call(), b.build(), &response), SB_STATUS_INVALID_INPUT)
        << "a call whose invoke returned is refused";
    EXPECT_TRUE(context.requests().empty());
}

TEST_F(HostTableTest, TheDeadlineExtensionAnswersForTheCurrentCallOnly) {
    const sb_host* h = host_.table();
    const auto* ext =
        static_cast<const sb_host_deadline*>(h->get_extension(h, SB_EXT_DEADLINE));
    ASSERT_NE(ext, nullptr);
    EXPECT_EQ(ext->struct_size, sizeof(sb_host_deadline));
    EXPECT_EQ(h->get_extension(h, "switchboard.deadline/2"), nullptr) << "unknown revision";
    sb_host copy = *h;
    EXPECT_EQ(copy.get_extension(&copy, SB_EXT_DEADLINE), nullptr) << "only the host's own table";

    FakeCallContext context;
    {
        plugin::CallScope unbounded(host_, context, "p", "c");
        EXPECT_EQ(ext->remaining_ms(h, unbounded.call()), SB_DEADLINE_NONE);
        EXPECT_EQ(ext->is_cancelled(h, unbounded.call()), 0);
    }
    auto deadline = std::make_shared<plugin::CallDeadline>(plugin::CallDeadline::Clock::now() +
                                                           std::chrono::milliseconds(60'000));
    plugin::CallScope scope(host_, context, "p", "c", deadline);
    const int64_t left = ext->remaining_ms(h, scope.call());
    EXPECT_GT(left, 59'000);
    EXPECT_LE(left, 60'000);
    EXPECT_EQ(ext->is_cancelled(h, scope.call()), 0);
    int64_t from_other_thread = -1;
    std::thread([&] { from_other_thread = ext->remaining_ms(h, scope.call()); }).join();
    EXPECT_EQ(from_other_thread, 0) << "[call-thread]";
    sb_call stray{0, nullptr};
    EXPECT_EQ(ext->remaining_ms(h, &stray), 0);
    EXPECT_EQ(ext->is_cancelled(h, &stray), 1);

    deadline->cancel();
    EXPECT_EQ(ext->is_cancelled(h, scope.call()), 1);
    EXPECT_EQ(ext->remaining_ms(h, scope.call()), 0);
    RequestBuilder b;
    const sb_http_response* response = nullptr;
    EXPECT_EQ(h->http(h, scope.call(), b.build(), &response), SB_STATUS_UNAVAILABLE)
        << "no request for a call the host gave up on";
    EXPECT_TRUE(context.requests().empty());
}

} // namespace
} // namespace switchboard
