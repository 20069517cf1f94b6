#include "host/server/require_json.hpp"

#include <gtest/gtest.h>

#include <string>

namespace switchboard::server {
namespace {

Request with_body(std::string content_type, std::string body) {
    Request request;
    if (!content_type.empty()) {
        request.headers.set(http::field::content_type, content_type);
    }
    request.body = std::move(body);
    return request;
}

TEST(RequireJson, ParsesAJsonBody) {
    const auto result = require_json(with_body("application/json", R"({"a": [1, 2]})"));
    ASSERT_TRUE(result);
    EXPECT_EQ((*result)["a"][1], 2);
}

TEST(RequireJson, AcceptsParametersAndAnyCase) {
    EXPECT_TRUE(require_json(with_body("Application/JSON; charset=utf-8", "{}")));
    EXPECT_TRUE(require_json(with_body(" application/json ;charset=UTF-8", "[]")));
}

TEST(RequireJson, OtherMediaTypesAre415) {
    for (const char* type : {"", "text/plain", "application/jsonx", "application/x-www-form-urlencoded"}) {
        const auto result = require_json(with_body(type, "{}"));
        ASSERT_FALSE(result) << type;
        EXPECT_EQ(result.error().kind, ErrorKind::unsupported_media_type);
        EXPECT_EQ(result.error().code, "unsupported_media_type");
    }
}

TEST(RequireJson, MalformedJsonGivesThePositionButNotTheText) {
    const auto result =
        require_json(with_body("application/json", R"({"secret": "hunter2", oops})"));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(result.error().code, "malformed_json");
    EXPECT_NE(result.error().message.find("byte offset 22"), std::string::npos) << result.error().message;
    EXPECT_EQ(result.error().message.find("hunter2"), std::string::npos);
    EXPECT_EQ(result.error().message.find("oops"), std::string::npos);
}

// Found by the action_request fuzzer: nlohmann reports a number too large for a double as
// out_of_range, not parse_error, and it escaped as a 500.
TEST(RequireJson, ANumberTooLargeForADoubleIsMalformedNotAServerError) {
    const auto result = require_json(with_body("application/json", R"({"amount": 1e999})"));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(result.error().code, "malformed_json");
    EXPECT_EQ(result.error().message.find("1e999"), std::string::npos);
}

TEST(RequireJson, EmptyBodyIsMalformed) {
    const auto result = require_json(with_body("application/json", ""));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, "malformed_json");
}

TEST(RequireJson, RefusesDeepNesting) {
    const std::string deep(std::size_t{100000}, '[');
    const auto result = require_json(with_body("application/json", deep));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, "json_too_deep");

    const std::string ok = std::string(max_json_depth, '[') + std::string(max_json_depth, ']');
    EXPECT_TRUE(require_json(with_body("application/json", ok)));
}

} // namespace
} // namespace switchboard::server
