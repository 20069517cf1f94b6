// How a plugin's non-OK outcome becomes the Error the API reports (ConnectorService::invoke).
#include "core/connectors/action_runner.hpp"
#include "core/connectors/connector_manager.hpp"

#include <gtest/gtest.h>

namespace switchboard::connectors {
namespace {

plugin::InvokeOutcome outcome(sb_status status, std::string json) {
    plugin::InvokeOutcome out;
    out.status = status;
    out.json = std::move(json);
    return out;
}

TEST(OutcomeError, StatusesMapToTheDocumentedKinds) {
    const std::pair<sb_status, ErrorKind> table[] = {
        {SB_STATUS_INVALID_INPUT, ErrorKind::invalid_input},
        {SB_STATUS_AUTH, ErrorKind::conflict},
        {SB_STATUS_NOT_FOUND, ErrorKind::not_found},
        {SB_STATUS_RATE_LIMITED, ErrorKind::rate_limited},
        {SB_STATUS_UNAVAILABLE, ErrorKind::unavailable},
        {SB_STATUS_UNSUPPORTED, ErrorKind::unsupported},
        {SB_STATUS_INTERNAL, ErrorKind::upstream_failed},
        {SB_STATUS_CONFLICT, ErrorKind::conflict}, // 409 with the plugin's code (ABI 1.1)
        {static_cast<sb_status>(42), ErrorKind::upstream_failed},
    };
    for (const auto& [status, kind] : table) {
        Error error = outcome_error(outcome(status, R"({"code":"c","message":"m"})"));
        EXPECT_EQ(error.kind, kind) << status;
        EXPECT_EQ(error.code, "c");
        EXPECT_EQ(error.message, "m");
    }
}

TEST(OutcomeError, TheHostsOwnKindWinsOverTheStatus) {
    plugin::InvokeOutcome timed_out =
        outcome(SB_STATUS_UNAVAILABLE, R"({"code":"plugin_timeout","message":"too slow"})");
    timed_out.error_kind = ErrorKind::timeout;
    const Error error = outcome_error(timed_out);
    EXPECT_EQ(error.kind, ErrorKind::timeout) << "504, not the status's 503";
    EXPECT_EQ(error.code, "plugin_timeout");
}

TEST(OutcomeError, FieldAndRetryAfterComeFromThePluginsError) {
    Error error = outcome_error(outcome(
        SB_STATUS_RATE_LIMITED,
        R"({"code":"rate_limited","message":"slow down","field":"/email","details":{"retry_after_seconds":2.2}})"));
    EXPECT_EQ(error.field, "/email");
    EXPECT_EQ(error.retry_after_seconds, 3);
}

TEST(OutcomeError, AnUnreadableErrorStillHasACode) {
    Error error = outcome_error(outcome(SB_STATUS_UNAVAILABLE, "garbage"));
    EXPECT_EQ(error.kind, ErrorKind::unavailable);
    EXPECT_EQ(error.code, "unavailable");
    EXPECT_FALSE(error.retry_after_seconds);
}

TEST(RequestFingerprint, CanonicalParamsActionAndConnectorMatter) {
    const std::string a = "11111111-1111-4111-8111-111111111111";
    const std::string b = "22222222-2222-4222-8222-222222222222";
    EXPECT_EQ(request_fingerprint("crm", "create_contact", a, R"({"b":1,"a":2})"),
              request_fingerprint("crm", "create_contact", a, "{ \"a\" : 2, \"b\" : 1 }"));
    EXPECT_NE(request_fingerprint("crm", "create_contact", a, R"({"a":2})"),
              request_fingerprint("crm", "update_contact", a, R"({"a":2})"));
    EXPECT_NE(request_fingerprint("crm", "create_contact", a, R"({"a":2})"),
              request_fingerprint("crm", "create_contact", a, R"({"a":3})"));
    // Issue 10, point 5 (d): the connector the action runs on is part of the request.
    EXPECT_NE(request_fingerprint("crm", "create_contact", a, R"({"a":2})"),
              request_fingerprint("crm", "create_contact", b, R"({"a":2})"));
    EXPECT_EQ(request_fingerprint("crm", "x", a, "{}").size(), 64u);
}

} // namespace
} // namespace switchboard::connectors
