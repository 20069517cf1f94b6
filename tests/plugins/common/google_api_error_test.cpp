#include "plugins/common/google_api_error.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace switchboard::plugins {
namespace {

sdk::HttpResponse answer(int status, std::string body) {
    sdk::HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    return response;
}

std::string code_of(const sdk::Outcome& outcome) {
    return nlohmann::json::parse(outcome.json()).at("code").get<std::string>();
}

TEST(GoogleApiError, ReadsCodeMessageStatusAndFirstReason) {
    const auto error = parse_google_api_error(
        R"({"error":{"code":403,"message":"no","status":"PERMISSION_DENIED","errors":[{"reason":"forbidden"}]}})");
    EXPECT_EQ(error.code, 403);
    EXPECT_EQ(error.message, "no");
    EXPECT_EQ(error.status, "PERMISSION_DENIED");
    EXPECT_EQ(error.reason, "forbidden");
}

TEST(GoogleApiError, RateLimitReasonsOn403AreRateLimited) {
    for (const char* reason : {"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"}) {
        const auto outcome = google_error_outcome(answer(
            403, std::string(R"({"error":{"code":403,"message":"slow down","errors":[{"reason":")") +
                     reason + R"("}]}})"));
        EXPECT_EQ(outcome.status(), SB_STATUS_RATE_LIMITED) << reason;
        EXPECT_EQ(code_of(outcome), "rate_limited");
    }
}

TEST(GoogleApiError, OtherErrorsKeepTheSdkMappingWithGooglesMessage) {
    const auto outcome =
        google_error_outcome(answer(404, R"({"error":{"code":404,"message":"Not Found"}})"));
    EXPECT_EQ(outcome.status(), SB_STATUS_NOT_FOUND);
    EXPECT_EQ(code_of(outcome), "not_found");
    EXPECT_NE(outcome.json().find("Google: Not Found"), std::string::npos);
}

TEST(GoogleApiError, MembersOfUnexpectedTypesFallBackToTheHttpStatus) {
    const auto outcome = google_error_outcome(
        answer(404, R"({"error":{"code":"404","message":17,"errors":[{"reason":5}]}})"));
    EXPECT_EQ(outcome.status(), SB_STATUS_NOT_FOUND);
    EXPECT_EQ(code_of(outcome), "not_found");
}

TEST(GoogleApiError, BodyThatIsNotJsonFallsBackToTheHttpStatus) {
    const auto outcome = google_error_outcome(answer(503, "<html>busy</html>"));
    EXPECT_EQ(outcome.status(), SB_STATUS_UNAVAILABLE);
}

} // namespace
} // namespace switchboard::plugins
