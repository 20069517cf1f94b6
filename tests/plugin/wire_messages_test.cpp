// The plugin-host wire protocol: every message survives the trip, and the host's decoder
// refuses what an untrusted child could send instead (not MessagePack, nesting that would
// exhaust the stack, wrong types, oversized fields, unknown types); frames are bounded on
// receipt and every wait has a deadline.
#include "core/plugin/isolated/frame_channel.hpp"
#include "core/plugin/isolated/wire_messages.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace switchboard::plugin::isolated {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

std::string msgpack(const json& value) {
    const auto bytes = json::to_msgpack(value);
    return std::string(bytes.begin(), bytes.end());
}

TEST(WireMessages, EveryMessageSurvivesTheTrip) {
    InvokeMessage invoke{7, "hubspot", "tenant", "conn", "create_contact",
                         std::string("{\"a\":\"\0\xff\"}", 10), 1500, 1717243200000};
    auto host = decode_host_message(encode(invoke));
    ASSERT_TRUE(host) << host.error().message;
    const auto& i = std::get<InvokeMessage>(*host);
    EXPECT_EQ(i.id, 7u);
    EXPECT_EQ(i.provider_id, "hubspot");
    EXPECT_EQ(i.params, invoke.params) << "bytes, not text";
    EXPECT_EQ(i.timeout_ms, 1500);
    EXPECT_EQ(i.host_now_unix_ms, 1717243200000);

    HttpResultMessage answer{7, SB_STATUS_OK, 201, {{"etag", "x"}}, std::string("\x89PNG\0", 5)};
    host = decode_host_message(encode(answer));
    ASSERT_TRUE(host);
    EXPECT_EQ(std::get<HttpResultMessage>(*host).body, answer.body);
    EXPECT_EQ(std::get<HttpResultMessage>(*host).headers[0].value, "x");

    sdk::ProviderSpec spec;
    spec.id = "hubspot";
    spec.category = "crm";
    spec.oauth.identity_account_field = "/hub_id";
    spec.oauth.extra_authorize_params = {{"prompt", "consent"}};
    spec.actions = {"create_contact"};
    spec.contract_revision = 2;
    spec.allowed_base_urls = {"https://api.hubapi.com", "https://api.hubapi.com/files"};
    spec.access_token = {"Private app access token",
                         "https://api.hubapi.com/account-info/v3/details", "/portalId", ""};
    auto child = decode_child_message(encode(HelloMessage{"hubspot", "1.0.0", {1, 1}, {spec}, {}}));
    ASSERT_TRUE(child) << child.error().message;
    const auto& hello = std::get<HelloMessage>(*child);
    EXPECT_EQ(hello.abi.minor, 1u);
    ASSERT_EQ(hello.providers.size(), 1u);
    EXPECT_EQ(hello.providers[0], spec);
    EXPECT_TRUE(hello.policies.empty());

    // The provider policy crosses the boundary with every field.
    sdk::ProviderPolicySpec policy;
    policy.provider_id = "hubspot";
    policy.credential_prefix = "HUBSPOT";
    policy.rate_limit_headers = {{"X-Daily-Remaining", "", 0, 0, true},
                                 {"X-Remaining", "X-Interval-Ms", 1, 250, false}};
    policy.oauth_error_member = "status";
    policy.oauth_error_description_member = "message";
    policy.oauth_error_codes = {{"BAD_REFRESH_TOKEN", SB_OAUTH_ERROR_INVALID_GRANT}};
    policy.tenant_rate_limit = sdk::RateBucket{50, 5.5};
    policy.credential_headers = {"X-HubSpot-API-Key"};
    child = decode_child_message(
        encode(HelloMessage{"hubspot", "1.0.0", {1, 3}, {spec}, {policy}}));
    ASSERT_TRUE(child) << child.error().message;
    ASSERT_EQ(std::get<HelloMessage>(*child).policies.size(), 1u);
    EXPECT_EQ(std::get<HelloMessage>(*child).policies[0], policy);

    plugin::RawInvocation raw;
    raw.status = SB_STATUS_CONFLICT;
    raw.error = R"({"code":"contact_exists","message":"m"})";
    raw.result_overflowed = true;
    child = decode_child_message(encode(ResultMessage{9, raw}));
    ASSERT_TRUE(child);
    const auto& result = std::get<ResultMessage>(*child);
    EXPECT_EQ(result.id, 9u);
    EXPECT_EQ(result.raw.status, SB_STATUS_CONFLICT);
    EXPECT_EQ(result.raw.error, raw.error);
    EXPECT_TRUE(result.raw.result_overflowed);

    child = decode_child_message(
        encode(HttpMessage{9, {"POST", "/crm/v3/objects/contacts", {{"Accept", "a"}}, "{}"}}));
    ASSERT_TRUE(child);
    EXPECT_EQ(std::get<HttpMessage>(*child).request.path, "/crm/v3/objects/contacts");
    child = decode_child_message(encode(LogMessage{SB_LOG_ERROR, "line"}));
    ASSERT_TRUE(child);
    EXPECT_EQ(std::get<LogMessage>(*child).message, "line");
    child = decode_child_message(encode(FailedMessage{"init_failed", "why"}));
    ASSERT_TRUE(child);
    EXPECT_EQ(std::get<FailedMessage>(*child).reason, "why");
}

TEST(WireMessages, WhatAnUntrustedChildCouldSendInsteadIsRefused) {
    const auto refused = [](const std::string& payload) {
        auto decoded = decode_child_message(payload);
        EXPECT_FALSE(decoded);
        if (decoded) {
            return std::string();
        }
        EXPECT_EQ(decoded.error().code, "plugin_host_protocol_violation");
        return decoded.error().message;
    };
    EXPECT_NE(refused("not a frame at all").find("not a MessagePack message"), std::string::npos);
    EXPECT_NE(refused(msgpack(json::array({1, 2}))).find("not a map"), std::string::npos);
    EXPECT_NE(refused(msgpack({{"t", "shell"}})).find("unknown message type 'shell'"),
              std::string::npos);
    EXPECT_NE(refused(msgpack({{"t", "log"}, {"level", "loud"}, {"message", "m"}}))
                  .find("'level' is not an integer"),
              std::string::npos);
    EXPECT_NE(refused(msgpack({{"t", "log"}, {"level", 1}, {"message", std::string(70'000, 'x')}}))
                  .find("'message' is longer than"),
              std::string::npos);
    EXPECT_NE(refused(msgpack({{"t", "result"}, {"id", 1}, {"status", 0}, {"result", "text"},
                               {"error", json::binary({})}, {"result_overflowed", false},
                               {"error_overflowed", false}, {"thrown", ""}}))
                  .find("'result' is not binary"),
              std::string::npos);
    EXPECT_NE(refused(msgpack({{"t", "result"}, {"id", -1}})).find("'id' is out of range"),
              std::string::npos);
    json providers = json::array();
    for (int i = 0; i < 65; ++i) {
        providers.push_back(json::object());
    }
    EXPECT_NE(refused(msgpack({{"t", "hello"}, {"name", "x"}, {"version", "1"}, {"abi_major", 1},
                               {"abi_minor", 1}, {"providers", providers}}))
                  .find("'providers' has more than 64 items"),
              std::string::npos);

    // A provider's contract revision is what a C struct can hold; which ones are honoured
    // the host decides afterwards, as for an in-process plugin.
    json provider = json::parse(
        R"({"id": "p", "category": "crm", "display_name": "P", "description": "D",
            "api_base_url": "https://x.test", "actions": [], "allowed_base_urls": [],
            "access_token": null, "oauth": {
            "authorize_url": "", "token_url": "", "revoke_url": null, "revoke_style": 0,
            "default_scopes": [], "extra_authorize_params": [], "pkce": true,
            "client_auth": 0, "identity_url": null, "identity_field": null,
            "identity_scopes": [], "identity_account_field": null}})");
    const auto hello_with = [&](const json& p) {
        return msgpack({{"t", "hello"}, {"name", "x"}, {"version", "1"}, {"abi_major", 1},
                        {"abi_minor", 2}, {"providers", json::array({p})}});
    };
    EXPECT_NE(refused(hello_with(provider)).find("'contract_revision'"), std::string::npos)
        << "the field is required";
    provider["contract_revision"] = -1;
    EXPECT_NE(refused(hello_with(provider)).find("'contract_revision' is out of range"),
              std::string::npos);
    provider["contract_revision"] = 4294967296LL;
    EXPECT_NE(refused(hello_with(provider)).find("'contract_revision' is out of range"),
              std::string::npos);
    provider["contract_revision"] = 3;
    auto decoded = decode_child_message(hello_with(provider));
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(std::get<HelloMessage>(*decoded).providers.at(0).contract_revision, 3u);

    // A provider's allowed base URLs of the wrong shape.
    sdk::ProviderSpec spec;
    spec.id = "hubspot";
    const std::string hello = encode(HelloMessage{"hubspot", "1.0.0", {1, 2}, {spec}, {}});
    json tampered = json::from_msgpack(hello);
    tampered["providers"][0]["allowed_base_urls"] = json::array({1});
    EXPECT_NE(refused(msgpack(tampered)).find("an item of 'allowed_base_urls' is not a string"),
              std::string::npos);

    // A provider's access-token description without its label, of the wrong shape, or absent.
    spec.access_token = {"Private app access token", "https://api.hubapi.com/x", "/id", ""};
    json with_token = json::from_msgpack(encode(HelloMessage{"hubspot", "1.0.0", {1, 2}, {spec}, {}}));
    with_token["providers"][0]["access_token"]["label"] = "";
    EXPECT_NE(refused(msgpack(with_token)).find("access_token has no label"), std::string::npos);
    with_token["providers"][0]["access_token"] = "pat-na1-00000000";
    EXPECT_NE(refused(msgpack(with_token)).find("access_token is not a map"), std::string::npos);
    with_token["providers"][0].erase("access_token");
    EXPECT_NE(refused(msgpack(with_token)).find("field 'access_token' is missing"),
              std::string::npos);

    // {"t": [[[...]]]} a million deep: a recursive decoder would overflow its stack.
    std::string deep = "\x81\xa1t" + std::string(1'000'000, '\x91') + "\xc0";
    EXPECT_EQ(refused(deep), "the message nests deeper than 8 levels");
    std::string nine = "\x81\xa1t" + std::string(8, '\x91') + "\xc0";
    EXPECT_EQ(refused(nine), "the message nests deeper than 8 levels");
    std::string eight = "\x81\xa1t" + std::string(7, '\x91') + "\xc0";
    EXPECT_EQ(refused(eight), "field 't' is not a string") << "eight levels parse";
}

class FrameChannelTest : public ::testing::Test {
protected:
    void SetUp() override {
        int fds[2];
        ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
        a_ = std::make_unique<FrameChannel>(fds[0]);
        b_fd_ = fds[1];
    }
    void TearDown() override {
        if (b_fd_ >= 0) ::close(b_fd_);
    }
    std::unique_ptr<FrameChannel> a_;
    int b_fd_ = -1;
};

TEST_F(FrameChannelTest, FramesArriveWholeAndInOrder) {
    FrameChannel b(b_fd_);
    b_fd_ = -1;
    const std::string big(3u << 20, 'z');
    std::thread writer([&] {
        EXPECT_EQ(b.send("one"), FrameChannel::Status::ok);
        EXPECT_EQ(b.send(big), FrameChannel::Status::ok);
        EXPECT_EQ(b.send(""), FrameChannel::Status::ok);
    });
    std::string payload;
    EXPECT_EQ(a_->receive(payload), FrameChannel::Status::ok);
    EXPECT_EQ(payload, "one");
    EXPECT_EQ(a_->receive(payload), FrameChannel::Status::ok);
    EXPECT_EQ(payload, big);
    EXPECT_EQ(a_->receive(payload), FrameChannel::Status::ok);
    EXPECT_EQ(payload, "");
    writer.join();
    b.close();
    EXPECT_EQ(a_->receive(payload), FrameChannel::Status::closed);
}

TEST_F(FrameChannelTest, AnOversizedFrameIsRefusedBeforeItIsRead) {
    const char header[] = {'\x7f', '\x00', '\x00', '\x00'}; // 2 GiB announced
    ASSERT_EQ(::write(b_fd_, header, sizeof header), 4);
    std::string payload;
    EXPECT_EQ(a_->receive(payload), FrameChannel::Status::too_large);
    const char small[] = {'\x00', '\x00', '\x04', '\x01'}; // 1025 bytes, limit 1024
    FrameChannel fresh([&] {
        int fds[2];
        EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
        EXPECT_EQ(::write(fds[1], small, sizeof small), 4);
        ::close(fds[1]);
        return fds[0];
    }());
    EXPECT_EQ(fresh.receive(payload, std::nullopt, 1024), FrameChannel::Status::too_large);
}

TEST_F(FrameChannelTest, WaitsEndAtTheirDeadline) {
    std::string payload;
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(a_->receive(payload, started + milliseconds(100)), FrameChannel::Status::timeout);
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_GE(waited, milliseconds(95));
    EXPECT_LT(waited, milliseconds(2000));
    // A peer that reads nothing: the socket buffer fills and the send gives up in time.
    const std::string chunk(1u << 20, 'x');
    FrameChannel::Status sent = FrameChannel::Status::ok;
    for (int i = 0; i < 64 && sent == FrameChannel::Status::ok; ++i) {
        sent = a_->send(chunk, std::chrono::steady_clock::now() + milliseconds(50));
    }
    EXPECT_EQ(sent, FrameChannel::Status::timeout);
}

} // namespace
} // namespace switchboard::plugin::isolated
