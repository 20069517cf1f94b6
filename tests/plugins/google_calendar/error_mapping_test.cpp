// Every action maps Google's errors and the host's failures the same way (through
// plugins/common/google_api_error.hpp): status, stable code, Google's message, Retry-After.
#include "tests/plugins/google_calendar/plugin_fixture.hpp"

#include <ostream>

namespace switchboard::plugins::google_calendar::testing {
namespace {

using nlohmann::json;

struct ActionCase {
    const char* action;
    const char* method;
    const char* path_prefix;
    const char* params;
};

const ActionCase actions[] = {
    {"create_event", "POST", "/calendar/v3/calendars/primary/events",
     R"({"summary": "S", "start": {"date": "2024-06-10"}, "end": {"date": "2024-06-11"}})"},
    {"update_event", "PATCH", "/calendar/v3/calendars/primary/events/ev1",
     R"({"event_id": "ev1", "summary": "S"})"},
    {"delete_event", "DELETE", "/calendar/v3/calendars/primary/events/ev1", R"({"event_id": "ev1"})"},
    {"list_events", "GET", "/calendar/v3/calendars/primary/events?",
     R"({"time_min": "2024-06-01T00:00:00Z", "time_max": "2024-07-01T00:00:00Z"})"},
    {"get_availability", "POST", "/calendar/v3/freeBusy",
     R"({"time_min": "2024-06-01T00:00:00Z", "time_max": "2024-06-02T00:00:00Z", "duration_minutes": 30})"},
};

struct ErrorCase {
    const char* name;
    CannedResponse response;
    sb_status status;
    const char* code;
    const char* message_part; // "" when no particular text is expected
};

std::vector<ErrorCase> error_cases() {
    return {
        {"bad_request_400",
         CannedResponse::json(400, google_error(400, "Invalid attendee email.", "invalid", "INVALID_ARGUMENT")),
         SB_STATUS_INVALID_INPUT, "provider_rejected_request", "Invalid attendee email."},
        {"unauthorized_401", CannedResponse::json(401, google_error(401, "Invalid Credentials", "authError", "UNAUTHENTICATED")),
         SB_STATUS_AUTH, "unauthorized", "Invalid Credentials"},
        {"forbidden_403", CannedResponse::json(403, google_error(403, "Forbidden", "forbidden", "PERMISSION_DENIED")),
         SB_STATUS_AUTH, "forbidden", "Forbidden"},
        {"rate_limit_403",
         CannedResponse::json(403, google_error(403, "Rate Limit Exceeded", "rateLimitExceeded")),
         SB_STATUS_RATE_LIMITED, "rate_limited", "Rate Limit Exceeded"},
        {"user_rate_limit_403",
         CannedResponse::json(403, google_error(403, "User Rate Limit Exceeded", "userRateLimitExceeded")),
         SB_STATUS_RATE_LIMITED, "rate_limited", ""},
        {"quota_403", CannedResponse::json(403, google_error(403, "Quota exceeded", "quotaExceeded")),
         SB_STATUS_RATE_LIMITED, "rate_limited", ""},
        {"not_found_404", CannedResponse::json(404, google_error(404, "Not Found", "notFound", "NOT_FOUND")),
         SB_STATUS_NOT_FOUND, "not_found", "Not Found"},
        {"conflict_409", CannedResponse::json(409, google_error(409, "The requested identifier already exists.", "duplicate")),
         SB_STATUS_INVALID_INPUT, "provider_rejected_request", "already exists"},
        {"gone_410", CannedResponse::json(410, google_error(410, "Resource has been deleted", "deleted")),
         SB_STATUS_NOT_FOUND, "not_found", ""},
        {"too_many_429",
         CannedResponse::json(429, google_error(429, "Too Many Requests", "rateLimitExceeded", "RESOURCE_EXHAUSTED"))
             .with_header("retry-after", "30"),
         SB_STATUS_RATE_LIMITED, "rate_limited", ""},
        {"server_500", CannedResponse::json(500, google_error(500, "Backend Error", "backendError", "INTERNAL")),
         SB_STATUS_UNAVAILABLE, "provider_unavailable", "Backend Error"},
        {"unavailable_503", CannedResponse::empty(503), SB_STATUS_UNAVAILABLE, "provider_unavailable", "503"},
        {"html_502", CannedResponse{502, {{"content-type", "text/html"}}, "<html>Bad Gateway</html>", SB_STATUS_OK},
         SB_STATUS_UNAVAILABLE, "provider_unavailable", "502"},
        {"host_no_credentials", CannedResponse::host_failure(SB_STATUS_AUTH), SB_STATUS_AUTH,
         "credentials_unavailable", ""},
        {"host_unreachable", CannedResponse::host_failure(SB_STATUS_UNAVAILABLE), SB_STATUS_UNAVAILABLE,
         "provider_unreachable", ""},
    };
}

struct MappingCase {
    ActionCase action;
    ErrorCase error;
};

void PrintTo(const MappingCase& c, std::ostream* out) { *out << c.action.action << "/" << c.error.name; }

std::vector<MappingCase> mapping_cases() {
    std::vector<MappingCase> out;
    for (const ActionCase& a : actions) {
        for (const ErrorCase& e : error_cases()) out.push_back({a, e});
    }
    return out;
}

class ErrorMapping : public GoogleCalendarTest, public ::testing::WithParamInterface<MappingCase> {};

TEST_P(ErrorMapping, MapsStatusCodeAndMessage) {
    const MappingCase& c = GetParam();
    host.expect_prefix(c.action.method, c.action.path_prefix, c.error.response);
    const Invocation call = run(c.action.action, c.action.params);
    EXPECT_EQ(call.status, c.error.status) << call.error;
    EXPECT_EQ(call.error_code(), c.error.code) << call.error;
    EXPECT_NE(call.error_message().find(c.error.message_part), std::string::npos) << call.error;
    EXPECT_EQ(call.result, "");
    const json error = json::parse(call.error);
    if (std::string_view(c.error.name) == "too_many_429") {
        EXPECT_EQ(error.at("details").at("retry_after_seconds"), 30) << call.error;
    }
    EXPECT_EQ(problems(), "");
}

INSTANTIATE_TEST_SUITE_P(AllActions, ErrorMapping, ::testing::ValuesIn(mapping_cases()),
                         [](const auto& test) {
                             return std::string(test.param.action.action) + "_" + test.param.error.name;
                         });

TEST_F(GoogleCalendarTest, AnUnknownActionIsUnsupported) {
    const Invocation call = run("make_coffee", "{}");
    EXPECT_EQ(call.status, SB_STATUS_UNSUPPORTED);
    EXPECT_EQ(call.error_code(), "unsupported_action");
    EXPECT_TRUE(host.requests().empty());
}

TEST_F(GoogleCalendarTest, DescribesItsProviderWithTheWholeCategory) {
    const auto providers = plugin.providers();
    ASSERT_EQ(providers.size(), 1u);
    EXPECT_EQ(providers[0].id, "google_calendar");
    EXPECT_EQ(providers[0].actions, (std::vector<std::string>{"create_event", "update_event", "delete_event",
                                                              "list_events", "get_availability"}));
    EXPECT_EQ(problems(), "");
}

} // namespace
} // namespace switchboard::plugins::google_calendar::testing

namespace switchboard::plugins::google_calendar::testing {
namespace {

TEST_F(GoogleCalendarTest, ErrorBodiesOfAnotherShapeStillMapByStatus) {
    for (const char* body : {R"({"error": "invalid_request"})", R"([1, 2])", R"({"error": {"code": 404}})",
                             R"({"error": {"code": "404", "message": 17, "errors": "x"}})"}) {
        host.expect("DELETE", "/calendar/v3/calendars/primary/events/ev1", CannedResponse::json(404, body));
        const Invocation call = run("delete_event", R"({"event_id": "ev1"})");
        EXPECT_EQ(call.status, SB_STATUS_NOT_FOUND) << body << " -> " << call.error;
        EXPECT_EQ(call.error_code(), "not_found") << body;
    }
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, FreeBusyErrorsOfAnotherShapeAreUnavailable) {
    host.expect("POST", "/calendar/v3/freeBusy", CannedResponse::json(200, R"({
        "calendars": {"primary": {"errors": [{"reason": 5}, "x"]}}})"));
    const Invocation call = run("get_availability", R"({"time_min": "2024-06-01T00:00:00Z",
        "time_max": "2024-06-02T00:00:00Z", "duration_minutes": 30})");
    EXPECT_EQ(call.status, SB_STATUS_UNAVAILABLE) << call.error;
    EXPECT_EQ(problems(), "");
}

} // namespace
} // namespace switchboard::plugins::google_calendar::testing
