// create_contact, update_contact and get_contact through the fake host: the exact requests
// (method, path, query, body) and the contract results.
#include "tests/plugins/hubspot/plugin_fixture.hpp"

namespace switchboard::testing::hubspot {
namespace {

using nlohmann::json;
using sdk_testing::CannedResponse;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class CreateContact : public HubSpotPluginTest {};

TEST_F(CreateContact, SendsEveryMappedFieldAndPassesOtherPropertiesThrough) {
    host_.expect("POST", "/crm/v3/objects/contacts",
                 CannedResponse::json(201, hubspot_record("512", {{"email", "jane@example.com"},
                                                                  {"firstname", "Jane"},
                                                                  {"lastname", "Smith"},
                                                                  {"phone", "+1 555 0100"},
                                                                  {"company", "Acme"},
                                                                  {"jobtitle", "CTO"},
                                                                  {"lifecyclestage", "lead"},
                                                                  {"hs_object_id", "512"},
                                                                  {"createdate", "2024-05-01T12:00:00.000Z"},
                                                                  {"website", nullptr}})
                                                  .dump()));
    const auto call = run("create_contact", {{"email", "jane@example.com"},
                                             {"first_name", "Jane"},
                                             {"last_name", "Smith"},
                                             {"phone", "+1 555 0100"},
                                             {"company", "Acme"},
                                             {"job_title", "CTO"},
                                             {"properties", {{"lifecyclestage", "lead"}}}});
    ASSERT_TRUE(call.ok()) << call.error;

    ASSERT_EQ(host_.requests().size(), 1u);
    EXPECT_EQ(*host_.requests()[0].header("content-type"), "application/json");
    EXPECT_EQ(sent_body(), json({{"properties",
                                  {{"email", "jane@example.com"},
                                   {"firstname", "Jane"},
                                   {"lastname", "Smith"},
                                   {"phone", "+1 555 0100"},
                                   {"company", "Acme"},
                                   {"jobtitle", "CTO"},
                                   {"lifecyclestage", "lead"}}}}));
    // Mapped properties become contract fields; the rest stays under properties; no url.
    EXPECT_EQ(json_of(call.result),
              json({{"id", "512"},
                    {"email", "jane@example.com"},
                    {"first_name", "Jane"},
                    {"last_name", "Smith"},
                    {"phone", "+1 555 0100"},
                    {"company", "Acme"},
                    {"job_title", "CTO"},
                    {"properties",
                     {{"lifecyclestage", "lead"},
                      {"hs_object_id", "512"},
                      {"createdate", "2024-05-01T12:00:00.000Z"},
                      {"website", nullptr}}},
                    {"created_at", "2024-05-01T12:00:00.000Z"},
                    {"updated_at", "2024-05-02T08:30:00.000Z"}}));
}

TEST_F(CreateContact, EmailAloneIsEnough) {
    host_.expect("POST", "/crm/v3/objects/contacts",
                 CannedResponse::json(201, hubspot_record("7", {{"email", "a@b.example"}}).dump()));
    const auto call = run("create_contact", {{"email", "a@b.example"}});
    ASSERT_TRUE(call.ok()) << call.error;
    EXPECT_EQ(sent_body(), json({{"properties", {{"email", "a@b.example"}}}}));
    EXPECT_EQ(json_of(call.result).at("email"), "a@b.example");
    EXPECT_FALSE(json_of(call.result).contains("properties"));
}

TEST_F(CreateContact, UnicodeAndQuotesTravelIntactInTheBody) {
    host_.expect("POST", "/crm/v3/objects/contacts",
                 CannedResponse::json(201, hubspot_record("8", {}).dump()));
    const auto call = run("create_contact", {{"email", "zoë+crm@example.com"},
                                             {"last_name", "O'Neil \"Quote\" Łukasz"}});
    ASSERT_TRUE(call.ok()) << call.error;
    EXPECT_EQ(sent_body().at("properties").at("lastname"), "O'Neil \"Quote\" Łukasz");
    EXPECT_EQ(sent_body().at("properties").at("email"), "zoë+crm@example.com");
}

TEST_F(CreateContact, ExistingEmailIsContactExistsWithTheExistingId) {
    host_.expect("POST", "/crm/v3/objects/contacts",
                 CannedResponse::json(409, hubspot_error("CONFLICT",
                                                         "Contact already exists. Existing ID: "
                                                         "37765128953")));
    const auto call = run("create_contact", {{"email", "jane@example.com"}});
    EXPECT_EQ(call.status, SB_STATUS_CONFLICT) << "the host answers 409";
    EXPECT_EQ(call.error_code(), "contact_exists");
    EXPECT_THAT(call.error_message(),
                HasSubstr("HubSpot: Contact already exists. Existing ID: 37765128953 (HTTP 409)"));
    const json error = json_of(call.error);
    EXPECT_EQ(error.at("field"), "/email");
    EXPECT_EQ(error.at("details").at("existing_id"), "37765128953");
    EXPECT_EQ(error.at("details").at("category"), "CONFLICT");
    EXPECT_EQ(error.at("details").at("correlation_id"), "2dea5219-07f2-40ce-82ec-9c2e302317a4");
    EXPECT_TRUE(host_.logged("hubspot contacts_create: HTTP 409 CONFLICT (correlation id "
                             "2dea5219-07f2-40ce-82ec-9c2e302317a4)"));
}

TEST_F(CreateContact, ValidationErrorIsInvalidInputWithHubSpotsMessage) {
    host_.expect("POST", "/crm/v3/objects/contacts",
                 CannedResponse::json(400, hubspot_error("VALIDATION_ERROR",
                                                         "Property values were not valid: "
                                                         "Email address jane@ is invalid")));
    const auto call = run("create_contact", {{"email", "jane@example.com"},
                                             {"properties", {{"hs_foo", "x"}}}});
    EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(call.error_code(), "provider_rejected_request");
    EXPECT_EQ(call.error_message(),
              "HubSpot: Property values were not valid: Email address jane@ is invalid (HTTP 400)");
    EXPECT_EQ(json_of(call.error).at("details").at("category"), "VALIDATION_ERROR");
}

TEST_F(CreateContact, APropertyContradictingItsFieldIsRefusedBeforeAnyRequest) {
    const auto call = run("create_contact", {{"email", "jane@example.com"},
                                             {"first_name", "Jane"},
                                             {"properties", {{"firstname", "Janet"}}}});
    EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(call.error_code(), "invalid_params");
    EXPECT_EQ(json_of(call.error).at("field"), "/properties/firstname");
    EXPECT_THAT(call.error_message(), HasSubstr("first_name"));
    EXPECT_TRUE(host_.requests().empty());
}

TEST_F(CreateContact, APropertyRepeatingItsFieldIsAccepted) {
    host_.expect("POST", "/crm/v3/objects/contacts",
                 CannedResponse::json(201, hubspot_record("9", {}).dump()));
    const auto call = run("create_contact", {{"email", "jane@example.com"},
                                             {"first_name", "Jane"},
                                             {"properties", {{"firstname", "Jane"}}}});
    ASSERT_TRUE(call.ok()) << call.error;
    EXPECT_EQ(sent_body().at("properties").at("firstname"), "Jane");
}

TEST_F(CreateContact, PropertyNamesHubSpotCannotTakeAreRefused) {
    // The host validated the params already; these checks are defence in depth.
    const std::pair<std::string, std::string> cases[] = {{"first name", "/properties/first name"},
                                                         {"a/b", "/properties/a~1b"},
                                                         {"", "/properties/"},
                                                         {"é", "/properties/é"}};
    for (const auto& [name, field] : cases) {
        const auto call = run("create_contact", {{"email", "jane@example.com"},
                                                 {"properties", {{name, "x"}}}});
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << name;
        EXPECT_EQ(json_of(call.error).value("field", ""), field) << name;
    }
    EXPECT_TRUE(host_.requests().empty());
}

TEST_F(CreateContact, MalformedParamsAreRefusedWithTheField) {
    struct Case {
        std::string params;
        std::string field;
    };
    const Case cases[] = {
        {R"({})", "/email"},
        {R"({"email": 5})", "/email"},
        {R"({"email": ""})", "/email"},
        {R"({"email": "a@b.example", "first_name": ["x"]})", "/first_name"},
        {R"({"email": "a@b.example", "properties": "lead"})", "/properties"},
        {R"({"email": "a@b.example", "properties": {"lifecyclestage": 3}})",
         "/properties/lifecyclestage"},
    };
    for (const Case& c : cases) {
        const auto call = connector_.invoke("create_contact", c.params);
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << c.params;
        EXPECT_EQ(json_of(call.error).value("field", ""), c.field) << c.params;
    }
    for (const std::string_view text : {"", "[]", "{", "\"x\"", "null"}) {
        const auto call = connector_.invoke("create_contact", text);
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << text;
        EXPECT_EQ(call.error_code(), "invalid_params") << text;
    }
    EXPECT_TRUE(host_.requests().empty());
}

TEST_F(CreateContact, AnAnswerWithoutARecordIsUnreadable) {
    host_.expect("POST", "/crm/v3/objects/contacts", CannedResponse::json(201, "not json"));
    host_.expect("POST", "/crm/v3/objects/contacts",
                 CannedResponse::json(201, R"({"properties": {"email": "a@b.example"}})"));
    host_.expect("POST", "/crm/v3/objects/contacts", CannedResponse::json(201, R"({"id": ""})"));
    for (int i = 0; i < 3; ++i) {
        const auto call = run("create_contact", {{"email", "a@b.example"}});
        EXPECT_EQ(call.status, SB_STATUS_UNAVAILABLE) << i;
        EXPECT_EQ(call.error_code(), "invalid_provider_response") << i;
    }
}

class UpdateContact : public HubSpotPluginTest {};

TEST_F(UpdateContact, PatchesOnlyTheGivenFields) {
    host_.expect("PATCH", "/crm/v3/objects/contacts/512",
                 CannedResponse::json(200, hubspot_record("512", {{"firstname", "Janet"},
                                                                  {"jobtitle", ""},
                                                                  {"email", "jane@example.com"}})
                                               .dump()));
    const auto call = run("update_contact", {{"contact_id", "512"},
                                             {"first_name", "Janet"},
                                             {"job_title", ""},
                                             {"properties", {{"lifecyclestage", "customer"}}}});
    ASSERT_TRUE(call.ok()) << call.error;
    EXPECT_EQ(sent_body(), json({{"properties",
                                  {{"firstname", "Janet"},
                                   {"jobtitle", ""},
                                   {"lifecyclestage", "customer"}}}}));
    const json contact = json_of(call.result);
    EXPECT_EQ(contact.at("id"), "512");
    EXPECT_EQ(contact.at("first_name"), "Janet");
    EXPECT_EQ(contact.at("job_title"), "");
    EXPECT_EQ(contact.at("email"), "jane@example.com");
}

TEST_F(UpdateContact, AnUnknownContactIsNotFound) {
    host_.expect("PATCH", "/crm/v3/objects/contacts/999",
                 CannedResponse::json(404, R"({"status":"error","message":"resource not found",)"
                                           R"("correlationId":"bc05f85b-9acb-4442-a9d0-935b4405f248"})"));
    const auto call = run("update_contact", {{"contact_id", "999"}, {"phone", "1"}});
    EXPECT_EQ(call.status, SB_STATUS_NOT_FOUND);
    EXPECT_EQ(call.error_code(), "not_found");
    EXPECT_EQ(call.error_message(), "HubSpot: resource not found (HTTP 404)");
}

TEST_F(UpdateContact, AnIdThatIsNotAHubSpotIdIsRefused) {
    for (const std::string id : {"jane@example.com", "12a", "../512", " 512"}) {
        const auto call = run("update_contact", {{"contact_id", id}, {"phone", "1"}});
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << id;
        EXPECT_EQ(call.error_code(), "invalid_contact_id") << id;
        EXPECT_EQ(json_of(call.error).at("field"), "/contact_id");
    }
    EXPECT_TRUE(host_.requests().empty());
}

TEST_F(UpdateContact, NothingToChangeIsRefused) {
    const auto call = run("update_contact", {{"contact_id", "512"}, {"properties", json::object()}});
    EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(call.error_code(), "nothing_to_update");
    EXPECT_TRUE(host_.requests().empty());
}

TEST_F(UpdateContact, TheSameEmailOnAnotherContactIsContactExists) {
    host_.expect("PATCH", "/crm/v3/objects/contacts/512",
                 CannedResponse::json(409, hubspot_error("CONFLICT",
                                                         "Contact already exists. Existing ID: 77")));
    const auto call = run("update_contact", {{"contact_id", "512"}, {"email", "taken@example.com"}});
    EXPECT_EQ(call.status, SB_STATUS_CONFLICT);
    EXPECT_EQ(call.error_code(), "contact_exists");
    EXPECT_EQ(json_of(call.error).at("details").at("existing_id"), "77");
}

class GetContact : public HubSpotPluginTest {};

TEST_F(GetContact, AsksForTheMappedPropertiesAndMapsThemBack) {
    host_.expect("GET", "/crm/v3/objects/contacts/512?" + std::string(mapped_query),
                 CannedResponse::json(200, hubspot_record("512", {{"email", "jane@example.com"},
                                                                  {"firstname", "Jane"},
                                                                  {"lastname", nullptr},
                                                                  {"phone", nullptr},
                                                                  {"company", "Acme"},
                                                                  {"jobtitle", nullptr},
                                                                  {"hs_object_id", "512"}})
                                               .dump()));
    const auto call = run("get_contact", {{"contact_id", "512"}});
    ASSERT_TRUE(call.ok()) << call.error;
    // Unset (null) mapped properties are absent fields, not empty strings.
    EXPECT_EQ(json_of(call.result), json({{"id", "512"},
                                          {"email", "jane@example.com"},
                                          {"first_name", "Jane"},
                                          {"company", "Acme"},
                                          {"properties", {{"hs_object_id", "512"}}},
                                          {"created_at", "2024-05-01T12:00:00.000Z"},
                                          {"updated_at", "2024-05-02T08:30:00.000Z"}}));
}

TEST_F(GetContact, AnUnknownIdIsNotFound) {
    host_.expect("GET", "/crm/v3/objects/contacts/404404?" + std::string(mapped_query),
                 CannedResponse::json(404, hubspot_error("OBJECT_NOT_FOUND", "resource not found")));
    const auto call = run("get_contact", {{"contact_id", "404404"}});
    EXPECT_EQ(call.status, SB_STATUS_NOT_FOUND);
    EXPECT_EQ(call.error_code(), "not_found");
    EXPECT_THAT(call.error_message(), HasSubstr("resource not found"));
}

TEST_F(GetContact, TimestampsThatAreNotRfc3339AreLeftOut) {
    json record = hubspot_record("5", {{"email", "a@b.example"}});
    record["createdAt"] = "yesterday";
    record["updatedAt"] = "1714564800000"; // epoch milliseconds: converted
    host_.expect("GET", "/crm/v3/objects/contacts/5?" + std::string(mapped_query),
                 CannedResponse::json(200, record.dump()));
    const auto call = run("get_contact", {{"contact_id", "5"}});
    ASSERT_TRUE(call.ok()) << call.error;
    EXPECT_FALSE(json_of(call.result).contains("created_at"));
    EXPECT_EQ(json_of(call.result).at("updated_at"), "2024-05-01T12:00:00.000Z");
}

} // namespace
} // namespace switchboard::testing::hubspot
