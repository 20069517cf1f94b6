// JSON-RPC 2.0 message kinds as MCP uses them, and the origin policy against DNS rebinding.
#include "host/mcp/json_rpc.hpp"
#include "host/mcp/origin_policy.hpp"
#include "host/mcp/protocol_version.hpp"

#include <gtest/gtest.h>

namespace switchboard::mcp {
namespace {

using nlohmann::json;
using Kind = jsonrpc::Message::Kind;

TEST(JsonRpc, TellsRequestsNotificationsResponsesAndInvalidMessagesApart) {
    EXPECT_EQ(jsonrpc::classify(json::parse(R"({"jsonrpc":"2.0","id":1,"method":"ping"})")).kind,
              Kind::request);
    EXPECT_EQ(jsonrpc::classify(json::parse(R"({"jsonrpc":"2.0","id":"a","method":"x","params":{}})")).kind,
              Kind::request);
    EXPECT_EQ(jsonrpc::classify(json::parse(R"({"jsonrpc":"2.0","method":"notifications/initialized"})")).kind,
              Kind::notification);
    EXPECT_EQ(jsonrpc::classify(json::parse(R"({"jsonrpc":"2.0","id":1,"result":{}})")).kind,
              Kind::response);
    for (const char* bad : {R"([])", R"({"id":1,"method":"ping"})",
                            R"({"jsonrpc":"1.0","id":1,"method":"ping"})",
                            R"({"jsonrpc":"2.0","id":null,"method":"ping"})",
                            R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})",
                            R"({"jsonrpc":"2.0","id":1,"method":""})",
                            R"({"jsonrpc":"2.0","id":1,"method":"x","params":[1]})",
                            R"({"jsonrpc":"2.0","id":1})"}) {
        EXPECT_EQ(jsonrpc::classify(json::parse(bad)).kind, Kind::invalid) << bad;
    }
    auto invalid = jsonrpc::classify(json::parse(R"({"jsonrpc":"1.0","id":7,"method":"ping"})"));
    EXPECT_EQ(invalid.id, 7) << "a usable id is kept for the error";
}

TEST(JsonRpc, BuildsResultsAndErrors) {
    EXPECT_EQ(jsonrpc::result(3, json::object()), json::parse(R"({"jsonrpc":"2.0","id":3,"result":{}})"));
    EXPECT_EQ(jsonrpc::error(nullptr, jsonrpc::parse_error, "bad"),
              json::parse(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad"}})"));
}

TEST(ProtocolVersion, NegotiatesTheClientsWhenSupportedElseTheLatest) {
    EXPECT_EQ(negotiate_protocol_version("2025-06-18"), "2025-06-18");
    EXPECT_EQ(negotiate_protocol_version("2025-03-26"), "2025-03-26");
    EXPECT_EQ(negotiate_protocol_version("2024-11-05"), "2025-11-25");
    EXPECT_EQ(negotiate_protocol_version("garbage"), "2025-11-25");
    EXPECT_TRUE(allows_batches("2025-03-26"));
    EXPECT_FALSE(allows_batches("2025-11-25"));
    EXPECT_FALSE(has_structured_tools("2025-03-26"));
}

TEST(OriginPolicy, RefusesForeignOriginsAndAllowsLoopbackAndConfiguredOnes) {
    OriginPolicy policy({"https://App.Example.com"});
    EXPECT_TRUE(policy.allows("")) << "no Origin: not a browser";
    EXPECT_TRUE(policy.allows("https://app.example.com"));
    EXPECT_TRUE(policy.allows("http://localhost:6274"));
    EXPECT_TRUE(policy.allows("http://127.0.0.1"));
    EXPECT_TRUE(policy.allows("http://[::1]:8080"));
    for (const char* bad : {"http://evil.example.com", "https://app.example.com.evil.io", "null",
                            "http://localhost.evil.io", "http://localhost:80/path",
                            "file://localhost", "https://app.example.com:444"}) {
        EXPECT_FALSE(policy.allows(bad)) << bad;
    }
}

} // namespace
} // namespace switchboard::mcp
