// delete_event through the fake host.
#include "tests/plugins/google_calendar/plugin_fixture.hpp"

namespace switchboard::plugins::google_calendar::testing {
namespace {

using nlohmann::json;

TEST_F(GoogleCalendarTest, DeleteEventSendsDeleteAndAnswersDeleted) {
    host.expect("DELETE", "/calendar/v3/calendars/primary/events/ev1", CannedResponse::empty(204));
    const json result = result_of(run("delete_event", R"({"event_id": "ev1"})"), "DeleteEventResult");
    EXPECT_EQ(result, json::parse(R"({"deleted": true, "event_id": "ev1"})"));
    EXPECT_EQ(discovery_problems({"calendar.events.delete"}), "");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, DeleteEventInANamedCalendarWithSendUpdates) {
    host.expect("DELETE",
                "/calendar/v3/calendars/c_123%40group.calendar.google.com/events/a%20b?sendUpdates=all",
                CannedResponse::empty(204));
    const json result = result_of(run("delete_event", R"({"calendar_id": "c_123@group.calendar.google.com",
        "event_id": "a b", "send_updates": "all"})"), "DeleteEventResult");
    EXPECT_EQ(result.at("event_id"), "a b");
    EXPECT_EQ(discovery_problems({"calendar.events.delete"}), "");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, DeletingAMissingOrAlreadyDeletedEventIsNotFound) {
    host.expect("DELETE", "/calendar/v3/calendars/primary/events/nope",
                CannedResponse::json(404, google_error(404, "Not Found", "notFound")));
    host.expect("DELETE", "/calendar/v3/calendars/primary/events/gone",
                CannedResponse::json(410, google_error(410, "Resource has been deleted", "deleted")));
    for (const char* id : {"nope", "gone"}) {
        const Invocation call = run("delete_event", std::string(R"({"event_id": ")") + id + "\"}");
        EXPECT_EQ(call.status, SB_STATUS_NOT_FOUND) << id;
        EXPECT_EQ(call.error_code(), "not_found");
        EXPECT_NE(call.error_message().find("Google:"), std::string::npos) << call.error;
    }
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, DeleteEventRefusesBadParams) {
    for (const auto& [params, field] :
         {std::pair{R"({})", "/event_id"}, std::pair{R"({"event_id": 7})", "/event_id"},
          std::pair{R"({"event_id": "e", "send_updates": "some"})", "/send_updates"},
          std::pair{R"({"event_id": "e", "force": true})", "/force"}}) {
        const Invocation call = run("delete_event", params);
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << params;
        EXPECT_EQ(json::parse(call.error).value("field", ""), field) << call.error;
    }
    EXPECT_TRUE(host.requests().empty());
    EXPECT_EQ(problems(), "");
}

} // namespace
} // namespace switchboard::plugins::google_calendar::testing
