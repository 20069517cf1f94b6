// The action routes: the connector route passes the body through as the params; the tools
// route reads the envelope, the tool name and the Idempotency-Key, and marks replays.
#include "host/api/action_routes.hpp"
#include "tests/api/api_fixture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace switchboard::api::testing {
namespace {

using ::testing::_;
using ::testing::AllOf;
using ::testing::Field;
using ::testing::Return;
using nlohmann::json;

class ActionRoutesTest : public ApiFixture {
protected:
    void SetUp() override { start_api(); }
};

constexpr std::string_view kEventParams =
    R"({"summary":"Kick-off","start":{"date_time":"2024-05-01T10:00:00Z"},"end":{"date_time":"2024-05-01T11:00:00Z"}})";

TEST_F(ActionRoutesTest, ConnectorActionPassesTheBodyAsParams) {
    EXPECT_CALL(connectors, invoke(kTenantA, std::string_view("c-1"),
                                   std::string_view("create_event"), kEventParams))
        .WillOnce(Return(json{{"id", "ev-1"}, {"summary", "Kick-off"}}));
    auto r = as_a(http::verb::post, "/api/v1/connectors/c-1/actions/create_event",
                  std::string(kEventParams));
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json(), json::parse(R"({"result":{"id":"ev-1","summary":"Kick-off"}})"));
}

TEST_F(ActionRoutesTest, ConnectorActionRefusesBadJsonBeforeTheService) {
    auto malformed = as_a(http::verb::post, "/api/v1/connectors/c-1/actions/create_event", "{\"a\":");
    EXPECT_EQ(malformed.status, 400u);
    EXPECT_EQ(malformed.error_code(), "malformed_json");
    auto media = call(http::verb::post, "/api/v1/connectors/c-1/actions/create_event",
                      {{"Authorization", "Bearer " + kKeyA}, {"Content-Type", "text/plain"}}, "{}");
    EXPECT_EQ(media.status, 415u);
    std::string deep;
    for (int i = 0; i < 100; ++i) deep += "[";
    for (int i = 0; i < 100; ++i) deep += "]";
    auto too_deep = as_a(http::verb::post, "/api/v1/connectors/c-1/actions/create_event", deep);
    EXPECT_EQ(too_deep.status, 400u);
    EXPECT_EQ(too_deep.error_code(), "json_too_deep");
}

TEST_F(ActionRoutesTest, ConnectorActionMapsEveryServiceFailure) {
    Error limited(ErrorKind::rate_limited, "rate_limited", "HubSpot: ten requests per second");
    limited.retry_after_seconds = 7;
    EXPECT_CALL(connectors, invoke(kTenantA, _, _, _))
        .WillOnce(Return(Error(ErrorKind::invalid_input, "invalid_params",
                               "/start/date_time: string should be a valid date-time",
                               "/start/date_time")))
        .WillOnce(Return(limited))
        .WillOnce(Return(Error(ErrorKind::unsupported, "not_implemented",
                               "google_calendar does not implement create_event yet")))
        .WillOnce(Return(Error(ErrorKind::conflict, "reconnect_required", "grant revoked")))
        .WillOnce(Return(Error(ErrorKind::upstream_failed, "invalid_result", "/id: missing")))
        .WillOnce(Return(Error(ErrorKind::unavailable, "provider_unavailable", "timeout")));
    const std::string target = "/api/v1/connectors/c-1/actions/create_event";
    auto invalid = as_a(http::verb::post, target, "{}");
    EXPECT_EQ(invalid.status, 400u);
    EXPECT_EQ(invalid.json().at("error").at("field"), "/start/date_time")
        << "the body is the params: the pointer is already into the body";
    auto rate = as_a(http::verb::post, target, "{}");
    EXPECT_EQ(rate.status, 429u);
    EXPECT_EQ(rate.header("Retry-After"), "7");
    auto unimplemented = as_a(http::verb::post, target, "{}");
    EXPECT_EQ(unimplemented.status, 501u);
    EXPECT_EQ(unimplemented.error_code(), "not_implemented");
    EXPECT_EQ(as_a(http::verb::post, target, "{}").status, 409u);
    EXPECT_EQ(as_a(http::verb::post, target, "{}").status, 502u);
    EXPECT_EQ(as_a(http::verb::post, target, "{}").status, 503u);
}

TEST_F(ActionRoutesTest, ToolReadsTheEnvelopeAndTheIdempotencyKey) {
    ActionResult result{json{{"id", "ev-1"}}, "c-9", "google_calendar", false};
    EXPECT_CALL(actions,
                run(kTenantA, AllOf(Field(&ActionRequest::category, "calendar"),
                                    Field(&ActionRequest::action, "create_event"),
                                    Field(&ActionRequest::connector_id, std::optional<std::string>()),
                                    Field(&ActionRequest::connector_name,
                                          std::optional<std::string>("Work calendar")),
                                    Field(&ActionRequest::params_json, json::parse(kEventParams).dump()),
                                    Field(&ActionRequest::idempotency_key,
                                          std::optional<std::string>("key-1")))))
        .WillOnce(Return(result));
    auto r = as_a(http::verb::post, "/api/v1/actions/calendar.create_event",
                  R"({"connector_name":"Work calendar","params":)" + std::string(kEventParams) + "}",
                  {{"Idempotency-Key", "key-1"}});
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json(), json::parse(R"({"result":{"id":"ev-1"},"connector_id":"c-9",
        "provider":"google_calendar","replayed":false})"));
    EXPECT_EQ(r.header("Idempotent-Replayed"), "");
}

TEST_F(ActionRoutesTest, ToolMarksAReplay) {
    EXPECT_CALL(actions, run(kTenantA, AllOf(Field(&ActionRequest::connector_id,
                                                   std::optional<std::string>("c-9")),
                                             Field(&ActionRequest::params_json, "{}"),
                                             Field(&ActionRequest::idempotency_key,
                                                   std::optional<std::string>()))))
        .WillOnce(Return(ActionResult{json{{"contacts", json::array()}}, "c-9", "hubspot", true}));
    auto r = as_a(http::verb::post, "/api/v1/actions/crm.list_contacts", R"({"connector_id":"c-9"})");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.header("Idempotent-Replayed"), "true");
    EXPECT_EQ(r.json().at("replayed"), true);
}

TEST_F(ActionRoutesTest, ToolRefusesUnknownToolsAndBadEnvelopesBeforeTheService) {
    struct Case {
        std::string target;
        std::string body;
        std::map<std::string, std::string> headers;
        unsigned status;
        std::string code;
        std::string field;
    };
    const std::string ok_target = "/api/v1/actions/calendar.create_event";
    const std::vector<Case> cases = {
        {"/api/v1/actions/calendar", "{}", {}, 404, "unknown_action", ""},
        {"/api/v1/actions/calendar.fly_to_the_moon", "{}", {}, 404, "unknown_action", ""},
        {"/api/v1/actions/fax.send", "{}", {}, 404, "unknown_action", ""},
        {"/api/v1/actions/.create_event", "{}", {}, 404, "unknown_action", ""},
        {ok_target, "[]", {}, 400, "invalid_body", ""},
        {ok_target, R"({"params":[]})", {}, 400, "invalid_field", "/params"},
        {ok_target, R"({"params":{},"tenant_id":"tenant-b"})", {}, 400, "unknown_field", "/tenant_id"},
        {ok_target, R"({"connector_id":"a","connector_name":"b"})", {}, 400, "invalid_field",
         "/connector_name"},
        {ok_target, R"({"connector_id":5})", {}, 400, "invalid_field", "/connector_id"},
        {ok_target, "{}", {{"Idempotency-Key", std::string(256, 'k')}}, 400,
         "invalid_idempotency_key", "Idempotency-Key"},
        {ok_target, "{}", {{"Idempotency-Key", "two words"}}, 400, "invalid_idempotency_key",
         "Idempotency-Key"},
    };
    for (const auto& c : cases) {
        auto r = as_a(http::verb::post, c.target, c.body, c.headers);
        EXPECT_EQ(r.status, c.status) << c.target << " " << c.body;
        EXPECT_EQ(r.error_code(), c.code) << c.target << " " << c.body;
        EXPECT_EQ(r.json().at("error").value("field", ""), c.field) << r.body;
    }
}

TEST_F(ActionRoutesTest, ToolPointsParamsErrorsIntoTheEnvelope) {
    EXPECT_CALL(actions, run(kTenantA, _))
        .WillOnce(Return(Error(ErrorKind::invalid_input, "invalid_params",
                               "/start/date_time: string should be a valid date-time",
                               "/start/date_time")))
        .WillOnce(Return(Error(ErrorKind::not_found, "no_active_connector",
                               "the tenant has no active calendar connector", "connector_name")))
        .WillOnce(Return(Error(ErrorKind::conflict, "idempotency_key_reused",
                               "the Idempotency-Key was used with other params")));
    const std::string target = "/api/v1/actions/calendar.create_event";
    auto invalid = as_a(http::verb::post, target, R"({"params":{}})");
    EXPECT_EQ(invalid.status, 400u);
    EXPECT_EQ(invalid.json().at("error").at("field"), "/params/start/date_time");
    auto none = as_a(http::verb::post, target, R"({"params":{}})");
    EXPECT_EQ(none.status, 404u);
    EXPECT_EQ(none.error_code(), "no_active_connector");
    EXPECT_EQ(none.json().at("error").at("field"), "/connector_name");
    auto reused = as_a(http::verb::post, target, R"({"params":{}})", {{"Idempotency-Key", "k"}});
    EXPECT_EQ(reused.status, 409u);
    EXPECT_EQ(reused.error_code(), "idempotency_key_reused");
}

} // namespace
} // namespace switchboard::api::testing
