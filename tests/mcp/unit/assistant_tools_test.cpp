// The seed's assistant tools over a fake ActionService: what each asks the category action
// for, how it answers (success, the seed's "No calendar connected"), what is an error.
#include "core/connectors/assistant/assistant_contract.hpp"
#include "core/connectors/assistant/assistant_tools.hpp"
#include "core/connectors/assistant/rfc3339_arithmetic.hpp"
#include "host/mcp/tool_schema.hpp"

#include <gtest/gtest.h>

#include <functional>

namespace switchboard::connectors::assistant {
namespace {

using nlohmann::json;

class FakeActions final : public ActionService {
public:
    std::function<Result<ActionResult>(const ActionRequest&)> answer;
    std::vector<ActionRequest> requests;

    Result<ActionResult> run(const auth::Principal&, const ActionRequest& request) override {
        requests.push_back(request);
        return answer(request);
    }
};

const auth::Principal caller{"tenant-a", "alice"};

TEST(AssistantContract, CompilesAndNamesTheSeedTools) {
    const plugin::ContractCatalog& contract = assistant_contract();
    ASSERT_NE(contract.actions(contract_category), nullptr);
    std::vector<std::string> names;
    for (const auto& action : *contract.actions(contract_category)) names.push_back(action.name);
    EXPECT_EQ(names, (std::vector<std::string>{"book_meeting_via_connector", "create_crm_contact",
                                               "send_email_via_connector"}));
}

TEST(AssistantTools, BookMeetingAsksForAnEventWithAVideoConferenceAndAnswersItsLink) {
    FakeActions actions;
    actions.answer = [](const ActionRequest&) -> Result<ActionResult> {
        return ActionResult{json{{"id", "ev1"},
                                 {"status", "confirmed"},
                                 {"start", {{"date_time", "2026-05-05T15:00:00+02:00"}}},
                                 {"end", {{"date_time", "2026-05-05T15:45:00+02:00"}}},
                                 {"video_conference_link", "https://meet.google.com/abc-defg-hij"}},
                            "c1", "google_calendar", false};
    };
    AssistantTools tools(actions);
    auto answered = tools.run(caller, "book_meeting_via_connector",
                              {{"title", "Demo"}, {"start_time", "2026-05-05T15:00:00+02:00"},
                               {"duration_minutes", 45}, {"attendees", {"grace@example.com"}}},
                              std::string("key-1"));
    ASSERT_TRUE(answered) << answered.error().message;
    ASSERT_EQ(actions.requests.size(), 1u);
    const auto& request = actions.requests[0];
    EXPECT_EQ(request.category, "calendar");
    EXPECT_EQ(request.action, "create_event");
    EXPECT_EQ(request.idempotency_key, std::optional<std::string>("key-1"));
    EXPECT_EQ(json::parse(request.params_json),
              json::parse(R"({"summary":"Demo","start":{"date_time":"2026-05-05T15:00:00+02:00"},
                 "end":{"date_time":"2026-05-05T15:45:00+02:00"},"video_conference":true,
                 "attendees":[{"email":"grace@example.com"}]})"));
    EXPECT_EQ(answered->answer["success"], true);
    EXPECT_EQ(answered->answer["event_id"], "ev1");
    EXPECT_EQ(answered->answer["video_link"], "https://meet.google.com/abc-defg-hij");
    EXPECT_EQ(answered->answer["connector_id"], "c1");
}

TEST(AssistantTools, NoConnectorIsTheSeedsAnswerNotAnError) {
    FakeActions actions;
    actions.answer = [](const ActionRequest&) -> Result<ActionResult> {
        return Error(ErrorKind::not_found, "no_active_connector", "the tenant has no active ...");
    };
    AssistantTools tools(actions);
    auto answered = tools.run(caller, "book_meeting_via_connector",
                              {{"title", "x"}, {"start_time", "2026-05-05T15:00:00Z"},
                               {"duration_minutes", 30}, {"attendees", json::array()}},
                              std::nullopt);
    ASSERT_TRUE(answered);
    EXPECT_EQ(answered->answer, json::parse(R"({"success":false,"error":"No calendar connected",
                                              "code":"no_active_connector"})"));
    actions.answer = [](const ActionRequest&) -> Result<ActionResult> {
        Error error(ErrorKind::rate_limited, "rate_limited", "slow down");
        error.retry_after_seconds = 7;
        return error;
    };
    auto limited = tools.run(caller, "send_email_via_connector",
                             {{"to", {"a@example.com"}}, {"subject", "s"}, {"body", "b"},
                              {"connector", "Mail"}},
                             std::nullopt);
    ASSERT_TRUE(limited);
    EXPECT_EQ(limited->answer["success"], false);
    EXPECT_EQ(limited->answer["retry_after_seconds"], 7);
    EXPECT_EQ(actions.requests.back().connector_name, std::optional<std::string>("Mail"));
    EXPECT_EQ(json::parse(actions.requests.back().params_json),
              json::parse(R"({"to":[{"email":"a@example.com"}],"subject":"s","text_body":"b"})"));
}

TEST(AssistantTools, BadArgumentsAndHostFaultsAreErrors) {
    FakeActions actions;
    actions.answer = [](const ActionRequest&) -> Result<ActionResult> {
        return Error(ErrorKind::internal, "database_failed", "boom");
    };
    AssistantTools tools(actions);
    auto bad = tools.run(caller, "create_crm_contact", {{"email", 42}}, std::nullopt);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "invalid_params");
    EXPECT_EQ(bad.error().field, "/email");
    EXPECT_TRUE(actions.requests.empty()) << "nothing runs on bad arguments";
    auto unknown = tools.run(caller, "launch_rocket", json::object(), std::nullopt);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, "unknown_tool");
    auto fault = tools.run(caller, "create_crm_contact",
                           {{"email", "lin@example.com"}, {"name", "Lin Wei Chen"}}, std::nullopt);
    ASSERT_FALSE(fault);
    EXPECT_EQ(fault.error().kind, ErrorKind::internal);
    EXPECT_EQ(json::parse(actions.requests.back().params_json),
              json::parse(R"({"email":"lin@example.com","first_name":"Lin","last_name":"Wei Chen"})"));
}

TEST(Rfc3339Arithmetic, AddsMinutesKeepingTheOffset) {
    EXPECT_EQ(*add_minutes("2026-05-05T15:00:00+02:00", 45, "start_time"), "2026-05-05T15:45:00+02:00");
    EXPECT_EQ(*add_minutes("2026-12-31T23:30:00.250Z", 60, "start_time"), "2027-01-01T00:30:00Z");
    EXPECT_EQ(*add_minutes("2028-02-28T23:00:00-05:00", 120, "start_time"), "2028-02-29T01:00:00-05:00");
    for (const char* bad : {"2026-05-05T15:00:00", "2026-02-30T10:00:00Z", "2026-05-05 15:00:00Z",
                            "2026-05-05T25:00:00Z", "2026-05-05T15:00:00+2:00", "tomorrow"}) {
        auto result = add_minutes(bad, 30, "start_time");
        ASSERT_FALSE(result) << bad;
        EXPECT_EQ(result.error().field, "/start_time");
    }
}

TEST(Rfc3339Arithmetic, RefusesAnEndPastTheYear9999) {
    // RFC 3339 has four-digit years: "10000-01-01T00:30:00Z" is no date-time a provider takes.
    EXPECT_EQ(*add_minutes("9999-12-31T22:30:00Z", 60, "start_time"), "9999-12-31T23:30:00Z");
    const auto result = add_minutes("9999-12-31T23:30:00Z", 60, "start_time");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(result.error().code, "invalid_params");
    EXPECT_EQ(result.error().field, "/start_time");
    EXPECT_NE(result.error().message.find("9999"), std::string::npos) << result.error().message;
}

TEST(ToolSchema, IsSelfContained) {
    const auto schema =
        mcp::tool_schema(plugin::ContractCatalog::embedded(), "calendar", "CreateEventParams");
    EXPECT_EQ(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    EXPECT_EQ(schema["type"], "object");
    for (const char* name : {"EventTime", "DateTime", "TimeZone", "AttendeeInput", "CalendarId"}) {
        EXPECT_TRUE(schema["definitions"].contains(name)) << name;
    }
    EXPECT_FALSE(schema["definitions"].contains("Event")) << "only what it references";
}

} // namespace
} // namespace switchboard::connectors::assistant
