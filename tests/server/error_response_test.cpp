#include "host/server/error_response.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <utility>
#include <vector>

namespace switchboard::server {
namespace {

TEST(ErrorResponse, MapsEveryKindToItsStatus) {
    const std::vector<std::pair<ErrorKind, unsigned>> expected = {
        {ErrorKind::invalid_input, 400},     {ErrorKind::unauthenticated, 401},
        {ErrorKind::forbidden, 403},         {ErrorKind::not_found, 404},
        {ErrorKind::conflict, 409},          {ErrorKind::payload_too_large, 413},
        {ErrorKind::unsupported_media_type, 415}, {ErrorKind::rate_limited, 429},
        {ErrorKind::upstream_failed, 502},   {ErrorKind::unavailable, 503},
        {ErrorKind::unsupported, 501},       {ErrorKind::internal, 500},
        {ErrorKind::timeout, 504},
    };
    for (const auto& [kind, status] : expected) {
        EXPECT_EQ(static_cast<unsigned>(http_status(kind)), status) << to_string(kind);
    }
}

TEST(ErrorResponse, HasTheOneJsonShape) {
    const auto response = error_response(
        Error(ErrorKind::invalid_input, "invalid_email", "email has no @", "to"), "rid-1");
    EXPECT_EQ(response.status, http::status::bad_request);
    EXPECT_EQ(response.content_type, "application/json");
    const auto body = nlohmann::json::parse(response.body);
    EXPECT_EQ(body, nlohmann::json::parse(R"({"error": {"code": "invalid_email",
        "message": "email has no @", "field": "to"}, "request_id": "rid-1"})"));
}

TEST(ErrorResponse, LeavesOutAnEmptyField) {
    const auto response =
        error_response(Error(ErrorKind::conflict, "already_connected", "already there"), "r");
    const auto body = nlohmann::json::parse(response.body);
    EXPECT_FALSE(body["error"].contains("field"));
    EXPECT_EQ(response.status, http::status::conflict);
}

TEST(ErrorResponse, UnauthenticatedAsksForABearerToken) {
    const auto response =
        error_response(Error(ErrorKind::unauthenticated, "token_expired", "token expired"), "r");
    EXPECT_EQ(response.status, http::status::unauthorized);
    EXPECT_EQ(response.headers.get(http::field::www_authenticate), "Bearer");
    const auto other = error_response(Error(ErrorKind::forbidden, "no", "no"), "r");
    EXPECT_FALSE(other.headers.contains(http::field::www_authenticate));
}

TEST(ErrorResponse, AnErrorWithoutCodeGetsItsKindName) {
    const auto response = error_response(Error(ErrorKind::unavailable, "", "db down"), "r");
    EXPECT_EQ(nlohmann::json::parse(response.body)["error"]["code"], "unavailable");
}

TEST(ErrorResponse, ServerStatusesWithoutAKind) {
    const auto response = error_response(http::status::request_header_fields_too_large,
                                         "headers_too_large", "too big", "r2");
    EXPECT_EQ(response.status, http::status::request_header_fields_too_large);
    const auto body = nlohmann::json::parse(response.body);
    EXPECT_EQ(body["error"]["code"], "headers_too_large");
    EXPECT_EQ(body["request_id"], "r2");
}

TEST(ErrorResponse, InvalidUtf8InAMessageStillGivesValidJson) {
    const auto response =
        error_response(Error(ErrorKind::invalid_input, "bad", std::string("bad \xff byte")), "r");
    EXPECT_TRUE(nlohmann::json::accept(response.body));
}

} // namespace
} // namespace switchboard::server
