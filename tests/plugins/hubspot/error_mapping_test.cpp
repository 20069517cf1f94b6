// How every kind of failed answer reaches the caller (hubspot_error.hpp), through an action.
#include "tests/plugins/hubspot/plugin_fixture.hpp"

namespace switchboard::testing::hubspot {
namespace {

using nlohmann::json;
using sdk_testing::CannedResponse;
using ::testing::HasSubstr;

const std::string get_path =
    "/crm/v3/objects/contacts/512?properties=email%2Cfirstname%2Clastname%2Cphone%2Ccompany%2Cjobtitle";

class ErrorMapping : public HubSpotPluginTest {
protected:
    sdk_testing::Invocation get_after(CannedResponse response) {
        host_.expect("GET", get_path, std::move(response));
        return run("get_contact", {{"contact_id", "512"}});
    }
};

TEST_F(ErrorMapping, ExpiredOrInvalidCredentialsAreAuth) {
    const auto call = get_after(CannedResponse::json(
        401, hubspot_error("EXPIRED_AUTHENTICATION",
                           "The OAuth token used to make this call expired 7 second(s) ago.")));
    EXPECT_EQ(call.status, SB_STATUS_AUTH);
    EXPECT_EQ(call.error_code(), "unauthorized");
    EXPECT_EQ(call.error_message(),
              "HubSpot: The OAuth token used to make this call expired 7 second(s) ago. (HTTP 401)");
}

TEST_F(ErrorMapping, MissingScopesAreAuthWithTheScopes) {
    const auto call = get_after(CannedResponse::json(
        403, R"({"status":"error","message":"This app hasn't been granted all required scopes to make this call.",)"
             R"("correlationId":"2dea5219-07f2-40ce-82ec-9c2e302317a4","category":"MISSING_SCOPES",)"
             R"("context":{"requiredScopes":["crm.objects.contacts.read"]}})"));
    EXPECT_EQ(call.status, SB_STATUS_AUTH);
    EXPECT_EQ(call.error_code(), "missing_scopes");
    EXPECT_THAT(call.error_message(), HasSubstr("hasn't been granted all required scopes"));
    EXPECT_EQ(json_of(call.error).at("details").at("required_scopes"),
              json({"crm.objects.contacts.read"}));
}

TEST_F(ErrorMapping, OtherForbiddenIsAuthForbidden) {
    const auto call = get_after(CannedResponse::json(403, hubspot_error("FORBIDDEN", "no")));
    EXPECT_EQ(call.status, SB_STATUS_AUTH);
    EXPECT_EQ(call.error_code(), "forbidden");
}

TEST_F(ErrorMapping, RateLimitsCarryRetryAfterSeconds) {
    const auto rate_limited = [](std::string policy) {
        return CannedResponse::json(
            429, json({{"status", "error"},
                       {"message", "You have reached your ten_secondly_rolling limit."},
                       {"errorType", "RATE_LIMIT"},
                       {"correlationId", "c033cdaa-2c40-4a64-ae48-b4cec88dad24"},
                       {"policyName", policy}})
                     .dump());
    };
    // Retry-After in seconds.
    auto call = get_after(rate_limited("TEN_SECONDLY_ROLLING").with_header("Retry-After", "7"));
    EXPECT_EQ(call.status, SB_STATUS_RATE_LIMITED);
    EXPECT_EQ(call.error_code(), "rate_limited");
    EXPECT_THAT(call.error_message(), HasSubstr("ten_secondly_rolling limit"));
    EXPECT_EQ(json_of(call.error).at("details").at("retry_after_seconds"), 7);
    EXPECT_EQ(json_of(call.error).at("details").at("policy_name"), "TEN_SECONDLY_ROLLING");

    // Retry-After as an HTTP-date, against the host's clock (2024-06-01T12:00:00Z).
    call = get_after(rate_limited("SECONDLY").with_header("Retry-After", "Sat, 01 Jun 2024 12:00:30 GMT"));
    EXPECT_EQ(json_of(call.error).at("details").at("retry_after_seconds"), 30);

    // HubSpot's burst window headers when the window is used up.
    call = get_after(rate_limited("TEN_SECONDLY_ROLLING")
                         .with_header("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
                         .with_header("X-HubSpot-RateLimit-Max", "100")
                         .with_header("X-HubSpot-RateLimit-Remaining", "0"));
    EXPECT_EQ(json_of(call.error).at("details").at("retry_after_seconds"), 10);

    // The legacy per-second header.
    call = get_after(rate_limited("SECONDLY").with_header("X-HubSpot-RateLimit-Secondly-Remaining", "0"));
    EXPECT_EQ(json_of(call.error).at("details").at("retry_after_seconds"), 1);

    // A daily limit gives no figure (it resets at midnight in the account's time zone).
    call = get_after(rate_limited("DAILY")
                         .with_header("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
                         .with_header("X-HubSpot-RateLimit-Remaining", "57"));
    EXPECT_EQ(call.status, SB_STATUS_RATE_LIMITED);
    EXPECT_FALSE(json_of(call.error).at("details").contains("retry_after_seconds"));
    EXPECT_EQ(json_of(call.error).at("details").at("policy_name"), "DAILY");

    // category RATE_LIMITS and no body at all are rate limits too.
    call = get_after(CannedResponse::json(429, R"({"status":"error","message":"slow down","category":"RATE_LIMITS"})"));
    EXPECT_EQ(call.status, SB_STATUS_RATE_LIMITED);
    call = get_after(CannedResponse::empty(429).with_header("Retry-After", "3"));
    EXPECT_EQ(call.status, SB_STATUS_RATE_LIMITED);
    EXPECT_EQ(call.error_message(), "HubSpot asked to slow down (HTTP 429)");
    EXPECT_EQ(json_of(call.error).at("details").at("retry_after_seconds"), 3);
}

TEST_F(ErrorMapping, ServerErrorsAreUnavailable) {
    for (const int status : {500, 502, 503, 504}) {
        const auto call = get_after(CannedResponse::json(
            status, R"({"status":"error","message":"internal error","correlationId":"bc05f85b-9acb"})"));
        EXPECT_EQ(call.status, SB_STATUS_UNAVAILABLE) << status;
        EXPECT_EQ(call.error_code(), "provider_unavailable") << status;
        EXPECT_EQ(call.error_message(),
                  "HubSpot: internal error (HTTP " + std::to_string(status) + ")");
    }
    const auto html = get_after(CannedResponse{502, {{"content-type", "text/html"}}, "<html>", SB_STATUS_OK});
    EXPECT_EQ(html.status, SB_STATUS_UNAVAILABLE);
    EXPECT_EQ(html.error_message(), "HubSpot failed to answer (HTTP 502)"); // no HTML copied
}

TEST_F(ErrorMapping, OtherClientErrorsAreInvalidInputAndConflictsConflict) {
    auto call = get_after(CannedResponse::json(400, hubspot_error("BAD_REQUEST", "bad")));
    EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(call.error_code(), "provider_rejected_request");
    call = get_after(CannedResponse::json(409, hubspot_error("CONFLICT", "something else")));
    EXPECT_EQ(call.status, SB_STATUS_CONFLICT);
    EXPECT_EQ(call.error_code(), "conflict");
    call = get_after(CannedResponse::json(410, hubspot_error("OBJECT_NOT_FOUND", "gone")));
    EXPECT_EQ(call.status, SB_STATUS_NOT_FOUND);
}

TEST_F(ErrorMapping, AConflictIsInvalidInputForAnABI1_0Host) {
    host_.set_abi({1, 0}); // knows no SB_STATUS_CONFLICT: the SDK's helper maps it down
    const auto call = get_after(CannedResponse::json(
        409, hubspot_error("CONFLICT", "Contact already exists. Existing ID: 9")));
    EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(call.error_code(), "contact_exists");
}

TEST_F(ErrorMapping, HostFailuresKeepTheSdksMapping) {
    auto call = get_after(CannedResponse::host_failure(SB_STATUS_AUTH));
    EXPECT_EQ(call.status, SB_STATUS_AUTH);
    EXPECT_EQ(call.error_code(), "credentials_unavailable");
    call = get_after(CannedResponse::host_failure(SB_STATUS_UNAVAILABLE));
    EXPECT_EQ(call.status, SB_STATUS_UNAVAILABLE);
    EXPECT_EQ(call.error_code(), "provider_unreachable");
}

TEST_F(ErrorMapping, LongProviderMessagesAreCutAndLogLinesCannotBeForged) {
    std::string message(3000, 'x');
    message[499] = '\xC3'; // the cut falls inside a two-byte character
    message[500] = '\xA9';
    const auto call = get_after(CannedResponse::json(
        400, json({{"status", "error"}, {"message", message}, {"category", "VALIDATION_ERROR"},
                   {"correlationId", "x\nFAKE LOG LINE"}})
                 .dump()));
    EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT);
    EXPECT_LT(call.error_message().size(), 530u);
    EXPECT_THAT(call.error_message(), HasSubstr("x... (HTTP 400)"));
    EXPECT_TRUE(host_.logged("hubspot contacts_get: HTTP 400 VALIDATION_ERROR"));
    EXPECT_FALSE(host_.logged("FAKE"));
}

TEST_F(ErrorMapping, UnknownActionsAreRefusedByTheSdk) {
    const auto call = connector_.invoke("delete_contact", R"({"contact_id":"1"})");
    EXPECT_EQ(call.status, SB_STATUS_UNSUPPORTED);
    EXPECT_EQ(call.error_code(), "unsupported_action");
}

} // namespace
} // namespace switchboard::testing::hubspot
