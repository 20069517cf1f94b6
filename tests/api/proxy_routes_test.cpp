// The proxy's route over real sockets with a GoogleMock ProxyService: what reaches the service
// (connector, method, rest of the path still encoded, raw query, headers, the body as a
// stream), the answer sent back as the service gives it (status, headers, body streamed with
// its length or chunked), errors mapped once, and the caller authenticated before any of the
// body is read.
#include "tests/api/api_fixture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace switchboard::api::testing {
namespace {

using connectors::ProxyBody;
using connectors::ProxyRequest;
using connectors::ProxyResponse;
using ::testing::_;
using ::testing::Invoke;

// A provider body handed out in pieces of `piece` bytes; says whether it was read to its end.
class CannedBody final : public ProxyBody {
public:
    CannedBody(std::string text, std::size_t piece, std::shared_ptr<bool> finished)
        : text_(std::move(text)), piece_(piece), finished_(std::move(finished)) {}
    Result<std::size_t> read(char* into, std::size_t size) override {
        const std::size_t n = std::min({size, piece_, text_.size() - at_});
        std::copy_n(text_.data() + at_, n, into);
        at_ += n;
        if (n == 0) *finished_ = true;
        return n;
    }

private:
    std::string text_;
    std::size_t piece_;
    std::size_t at_ = 0;
    std::shared_ptr<bool> finished_;
};

std::string read_all(const ProxyRequest& request) {
    std::string out;
    if (request.body == nullptr) return out;
    std::array<char, 1000> buffer{};
    while (true) {
        auto got = request.body->read(buffer.data(), buffer.size());
        EXPECT_TRUE(got);
        if (!got || *got == 0) break;
        out.append(buffer.data(), *got);
    }
    return out;
}

class ProxyRoutesTest : public ApiFixture {
protected:
    void SetUp() override { start_api(); }
};

TEST_F(ProxyRoutesTest, ForwardsWhatTheCallerSentAndStreamsTheAnswerBack) {
    ProxyRequest seen;
    std::string body_seen;
    auto finished = std::make_shared<bool>(false);
    EXPECT_CALL(proxy, forward(kTenantA, _))
        .WillOnce(Invoke([&](const Principal&, const ProxyRequest& request) -> Result<ProxyResponse> {
            seen = request;
            body_seen = read_all(request);
            ProxyResponse response;
            response.status = 201;
            response.headers = {{"content-type", "application/json"}, {"etag", "\"v2\""}};
            response.content_length = 9000;
            response.body = std::make_unique<CannedBody>(std::string(9000, 'x'), 700, finished);
            return response;
        }));
    const std::string upload(250000, 'u');
    auto answer = as_a(http::verb::put,
                       "/api/v1/connectors/c-1/proxy/upload/drive/v3/files/a%2Fb?uploadType=media&x=%20",
                       upload, {{"Content-Type", "text/plain"}, {"X-Trace", "t-9"}});
    EXPECT_EQ(answer.status, 201u);
    EXPECT_EQ(answer.header("Content-Type"), "application/json");
    EXPECT_EQ(answer.header("ETag"), "\"v2\"");
    EXPECT_EQ(answer.header("Content-Length"), "9000");
    EXPECT_EQ(answer.body, std::string(9000, 'x'));
    EXPECT_TRUE(*finished);

    EXPECT_EQ(seen.connector_id, "c-1");
    EXPECT_EQ(seen.method, "PUT");
    EXPECT_EQ(seen.path, "upload/drive/v3/files/a%2Fb");
    EXPECT_EQ(seen.query, "uploadType=media&x=%20");
    EXPECT_EQ(seen.mount_path, "/api/v1/connectors/c-1/proxy");
    EXPECT_EQ(seen.content_length, upload.size());
    EXPECT_EQ(body_seen, upload);
    const auto has = [&](std::string_view name, std::string_view value) {
        return std::any_of(seen.headers.begin(), seen.headers.end(), [&](const auto& h) {
            return server::iequals(h.first, name) && h.second == value;
        });
    };
    EXPECT_TRUE(has("X-Trace", "t-9"));
    EXPECT_TRUE(has("Content-Type", "text/plain"));
}

TEST_F(ProxyRoutesTest, AnAnswerWithoutALengthGoesChunkedAndABodylessRequestHasNoBody) {
    auto finished = std::make_shared<bool>(false);
    EXPECT_CALL(proxy, forward(kTenantA, _))
        .WillOnce(Invoke([&](const Principal&, const ProxyRequest& request) -> Result<ProxyResponse> {
            EXPECT_EQ(request.body, nullptr);
            EXPECT_EQ(request.method, "GET");
            ProxyResponse response;
            response.status = 200;
            response.body = std::make_unique<CannedBody>("{\"labels\":[]}", 3, finished);
            return response;
        }));
    auto answer = as_a(http::verb::get, "/api/v1/connectors/c-1/proxy/gmail/v1/users/me/labels");
    EXPECT_EQ(answer.status, 200u);
    EXPECT_EQ(answer.header("Transfer-Encoding"), "chunked");
    EXPECT_EQ(answer.body, "{\"labels\":[]}");
}

TEST_F(ProxyRoutesTest, ServiceErrorsAreMappedOnce) {
    EXPECT_CALL(proxy, forward(kTenantA, _))
        .WillOnce(Invoke([](const Principal&, const ProxyRequest&) -> Result<ProxyResponse> {
            return Error(ErrorKind::forbidden, "proxy_target_not_allowed", "not there", "path");
        }))
        .WillOnce(Invoke([](const Principal&, const ProxyRequest&) -> Result<ProxyResponse> {
            return Error(ErrorKind::conflict, "connector_not_active", "pending");
        }));
    auto refused = as_a(http::verb::get, "/api/v1/connectors/c-1/proxy/calendar/v3/x");
    EXPECT_EQ(refused.status, 403u);
    EXPECT_EQ(refused.error_code(), "proxy_target_not_allowed");
    EXPECT_EQ(refused.json()["error"]["field"], "path");
    auto pending = as_a(http::verb::delete_, "/api/v1/connectors/c-1/proxy/drive/v3/files/1");
    EXPECT_EQ(pending.status, 409u);
    EXPECT_EQ(pending.error_code(), "connector_not_active");
}

TEST_F(ProxyRoutesTest, TheCallerIsCheckedBeforeItsBodyAndTheBodyHasALimit) {
    // No call reaches the service in either case (StrictMock).
    TestClient client(port);
    client.write_raw("POST /api/v1/connectors/c-1/proxy/upload/drive/v3/files HTTP/1.1\r\n"
                     "Host: x\r\nContent-Length: 1000000000\r\n\r\n");
    EXPECT_EQ(client.read().result_int(), 401u);

    TestClient too_big(port);
    too_big.write_raw("POST /api/v1/connectors/c-1/proxy/upload/drive/v3/files HTTP/1.1\r\n"
                      "Host: x\r\nAuthorization: Bearer " + kKeyA + "\r\nContent-Length: " +
                      std::to_string(kProxyLimit + 1) + "\r\n\r\n");
    const auto answer = too_big.read();
    EXPECT_EQ(answer.result_int(), 413u);
}

TEST_F(ProxyRoutesTest, EveryMethodIsRoutedAndTheRestNeedsASegment) {
    namespace verb = server::http;
    for (const auto method : {verb::verb::get, verb::verb::post, verb::verb::put,
                              verb::verb::patch, verb::verb::delete_, verb::verb::head}) {
        const auto match =
            server->router().match(method, "/api/v1/connectors/c-1/proxy/crm/v3/objects/companies");
        EXPECT_EQ(match.outcome, server::RouteMatch::Outcome::found) << verb::to_string(method);
        EXPECT_EQ(match.path_params.get("path"), "crm/v3/objects/companies");
    }
    EXPECT_EQ(as_a(http::verb::get, "/api/v1/connectors/c-1/proxy/").status, 404u);
}

} // namespace
} // namespace switchboard::api::testing
