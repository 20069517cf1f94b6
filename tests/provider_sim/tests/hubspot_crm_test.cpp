// HubSpot CRM v3: contacts create, patch, get, list with paging, search by e-mail, archive;
// deals with an association to a contact; HubSpot's error shapes (400, 401, 403, 404, 409)
// and its 429 with rate-limit headers. Answers are checked against the description.
#include "tests/provider_sim/tests/sim_fixture.hpp"

#include "tests/provider_sim/validation/hubspot_catalog.hpp"

namespace switchboard::sim::testing {
namespace {

using nlohmann::json;

constexpr const char* kDeals = "/api.hubapi.com/crm/v3/objects/deals";

class HubSpotCrmTest : public SimTest {
protected:
    std::string token = hubspot_token({"oauth", "crm.objects.contacts.read", "crm.objects.contacts.write",
                                       "crm.objects.deals.read", "crm.objects.deals.write"});

    static void expect_valid(const std::string& definition, const json& instance) {
        const auto violations = sim().hubspot_catalog().validate_definition(definition, instance);
        EXPECT_TRUE(violations.empty()) << definition << ": "
                                        << (violations.empty() ? "" : violations[0].path + " " + violations[0].description)
                                        << " in " << instance.dump();
    }

    static void expect_error(const HttpResult& r, int status, const std::string& category) {
        ASSERT_EQ(r.status, status) << r.body;
        EXPECT_EQ(r.json().at("category"), category) << r.body;
        expect_valid(status == 409 ? "ConflictError" : status == 404 ? "NotFoundError" : "Error", r.json());
        EXPECT_EQ(r.header("X-HubSpot-Correlation-Id"), r.json().at("correlationId"));
    }

    std::string contact(const std::string& email, const std::string& first = "Jane") {
        const auto r = client().post_json(kContacts, {{"properties", {{"email", email}, {"firstname", first}}}}, token);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json().at("id");
    }
};

TEST_F(HubSpotCrmTest, CreateGetPatchContact) {
    const auto created = client().post_json(
        kContacts, {{"properties", {{"email", "Jane@Example.com"}, {"firstname", "Jane"}, {"lifecyclestage", "lead"}}}},
        token);
    ASSERT_EQ(created.status, 201) << created.body;
    expect_valid("SimplePublicObject", created.json());
    const std::string id = created.json().at("id");
    EXPECT_EQ(created.json().at("properties").at("email"), "jane@example.com"); // HubSpot lowercases e-mails

    const auto by_email = client().get(std::string(kContacts) + "/jane%40example.com?idProperty=email&properties=firstname,phone", token);
    ASSERT_EQ(by_email.status, 200) << by_email.body;
    expect_valid("SimplePublicObjectWithAssociations", by_email.json());
    EXPECT_EQ(by_email.json().at("id"), id);
    EXPECT_EQ(by_email.json().at("properties").at("firstname"), "Jane");
    EXPECT_TRUE(by_email.json().at("properties").at("phone").is_null());

    const auto patched = client().patch_json(std::string(kContacts) + "/" + id, {{"properties", {{"phone", "+1 555 0100"}}}}, token);
    ASSERT_EQ(patched.status, 200) << patched.body;
    expect_valid("SimplePublicObject", patched.json());
    EXPECT_EQ(patched.json().at("properties").at("phone"), "+1 555 0100");
    EXPECT_TRUE(sim().validation_failures().empty());
    EXPECT_EQ(sim().hubspot_records(kUser, "contacts").size(), 1u);
}

TEST_F(HubSpotCrmTest, DuplicateEmailIsAConflict) {
    const std::string id = contact("dup@example.com");
    const auto again = client().post_json(kContacts, {{"properties", {{"email", "DUP@example.com"}}}}, token);
    expect_error(again, 409, "CONFLICT");
    EXPECT_EQ(again.json().at("message"), "Contact already exists. Existing ID: " + id);
}

TEST_F(HubSpotCrmTest, ListPagesWithAfter) {
    for (int i = 0; i < 5; ++i) {
        contact("p" + std::to_string(i) + "@example.com");
    }
    const auto page1 = client().get(std::string(kContacts) + "?limit=2&properties=email", token);
    ASSERT_EQ(page1.status, 200) << page1.body;
    expect_valid("CollectionResponseSimplePublicObjectWithAssociations", page1.json());
    ASSERT_EQ(page1.json().at("results").size(), 2u);
    const std::string after = page1.json().at("paging").at("next").at("after");
    const auto page2 = client().get(std::string(kContacts) + "?limit=2&properties=email&after=" + after, token);
    EXPECT_EQ(page2.json().at("results").at(0).at("properties").at("email"), "p2@example.com");
    const auto last = client().get(std::string(kContacts) + "?limit=10&after=" + after, token);
    EXPECT_EQ(last.json().at("results").size(), 3u);
    EXPECT_FALSE(last.json().contains("paging"));
    EXPECT_EQ(last.header("X-HubSpot-RateLimit-Max"), "100");
    EXPECT_FALSE(last.header("X-HubSpot-RateLimit-Remaining").empty());
}

TEST_F(HubSpotCrmTest, SearchByEmail) {
    contact("alice@example.com", "Alice");
    const std::string bob = contact("bob@example.com", "Bob");
    const json request = {{"filterGroups", json::array({{{"filters", json::array({{{"propertyName", "email"},
                                                                                  {"operator", "EQ"},
                                                                                  {"value", "BOB@example.com"}}})}}})},
                          {"properties", json::array({"email", "firstname"})}};
    const auto r = client().post_json(std::string(kContacts) + "/search", request, token);
    ASSERT_EQ(r.status, 200) << r.body;
    expect_valid("CollectionResponseWithTotalSimplePublicObject", r.json());
    EXPECT_EQ(r.json().at("total"), 1);
    EXPECT_EQ(r.json().at("results").at(0).at("id"), bob);
    EXPECT_TRUE(r.header("X-HubSpot-RateLimit-Max").empty()); // search answers carry none
    const auto all = client().post_json(std::string(kContacts) + "/search",
                                        {{"sorts", json::array({{{"propertyName", "firstname"}, {"direction", "DESCENDING"}}})}},
                                        token);
    EXPECT_EQ(all.json().at("total"), 2);
    EXPECT_EQ(all.json().at("results").at(0).at("properties").at("firstname"), "Bob");
    expect_error(client().post_json(std::string(kContacts) + "/search",
                                    {{"filterGroups", json::array({{{"filters", json::array({{{"propertyName", "email"},
                                                                                              {"operator", "LIKE"},
                                                                                              {"value", "b"}}})}}})}},
                                    token),
                 400, "VALIDATION_ERROR");
}

TEST_F(HubSpotCrmTest, DealWithAContactAssociation) {
    const std::string contact_id = contact("buyer@example.com");
    const json deal = {{"properties", {{"dealname", "Big one"}, {"dealstage", "appointmentscheduled"}, {"amount", "1500.00"}}},
                       {"associations", json::array({{{"to", {{"id", contact_id}}},
                                                      {"types", json::array({{{"associationCategory", "HUBSPOT_DEFINED"},
                                                                              {"associationTypeId", 3}}})}}})}};
    const auto created = client().post_json(kDeals, deal, token);
    ASSERT_EQ(created.status, 201) << created.body;
    expect_valid("SimplePublicObject", created.json());
    EXPECT_EQ(created.json().at("properties").at("pipeline"), "default");
    const std::string deal_id = created.json().at("id");
    const auto got = client().get(std::string(kDeals) + "/" + deal_id + "?associations=contacts", token);
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.json().at("associations").at("contacts").at("results").at(0).at("id"), contact_id);
    EXPECT_EQ(got.json().at("associations").at("contacts").at("results").at(0).at("type"), "deal_to_contact");
    const auto back = client().get(std::string(kContacts) + "/" + contact_id + "?associations=deals", token);
    EXPECT_EQ(back.json().at("associations").at("deals").at("results").at(0).at("id"), deal_id);

    json dangling = deal;
    dangling["associations"][0]["to"]["id"] = "999999";
    expect_error(client().post_json(kDeals, dangling, token), 400, "VALIDATION_ERROR");
    json bad_stage = deal;
    bad_stage["properties"]["dealstage"] = "won";
    const auto stage = client().post_json(kDeals, bad_stage, token);
    expect_error(stage, 400, "VALIDATION_ERROR");
    EXPECT_EQ(stage.json().at("errors").at(0).at("code"), "INVALID_OPTION");
}

TEST_F(HubSpotCrmTest, PropertyAndBodyErrors) {
    const auto unknown = client().post_json(kContacts, {{"properties", {{"email", "x@example.com"}, {"favourite_colour", "red"}}}},
                                            token);
    expect_error(unknown, 400, "VALIDATION_ERROR");
    EXPECT_EQ(unknown.json().at("errors").at(0).at("code"), "PROPERTY_DOESNT_EXIST");
    const auto bad_email = client().post_json(kContacts, {{"properties", {{"email", "not-an-email"}}}}, token);
    EXPECT_EQ(bad_email.json().at("errors").at(0).at("code"), "INVALID_EMAIL");
    // Invalid against the description: a number where HubSpot takes strings.
    expect_error(client().post_json(kContacts, {{"properties", {{"email", "n@example.com"}, {"annualrevenue", 1000}}}}, token),
                 400, "VALIDATION_ERROR");
    const auto failures = sim().validation_failures();
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_EQ(failures[0].method_id, "contacts_create");
    expect_error(client().request("POST", kContacts, {{"Authorization", "Bearer " + token}, {"Content-Type", "text/plain"}}, "x"),
                 415, "UNSUPPORTED_MEDIA_TYPE");
    expect_error(client().get(std::string(kContacts) + "/123456789", token), 404, "OBJECT_NOT_FOUND");
}

TEST_F(HubSpotCrmTest, AuthenticationAndScopeErrors) {
    expect_error(client().get(kContacts), 401, "INVALID_AUTHENTICATION");
    expect_error(client().get(kContacts, "CKnot-a-token"), 401, "INVALID_AUTHENTICATION");
    sim().expire_access_tokens(Provider::hubspot);
    sim().advance_clock(std::chrono::seconds(7));
    const auto expired = client().get(kContacts, token);
    expect_error(expired, 401, "EXPIRED_AUTHENTICATION");
    EXPECT_EQ(expired.json().at("message"), "The OAuth token used to make this call expired 7 second(s) ago.");
    const auto read_only = client().post_json(kContacts, {{"properties", {{"email", "r@example.com"}}}},
                                              hubspot_token({"oauth", "crm.objects.contacts.read"}));
    expect_error(read_only, 403, "MISSING_SCOPES");
    EXPECT_EQ(read_only.json().at("errors").at(0).at("context").at("requiredGranularScopes"),
              json::array({"crm.objects.contacts.write"}));
    // A Google token is not a HubSpot token.
    expect_error(client().get(kContacts, google_token({kCalendarScope})), 401, "INVALID_AUTHENTICATION");
}

TEST_F(HubSpotCrmTest, ArchiveHidesTheContact) {
    const std::string id = contact("gone@example.com");
    EXPECT_EQ(client().del(std::string(kContacts) + "/" + id, token).status, 204);
    expect_error(client().get(std::string(kContacts) + "/" + id, token), 404, "OBJECT_NOT_FOUND");
    EXPECT_EQ(client().get(std::string(kContacts) + "/" + id + "?archived=true", token).status, 200);
    // Its e-mail is free again.
    EXPECT_EQ(client().post_json(kContacts, {{"properties", {{"email", "gone@example.com"}}}}, token).status, 201);
}

TEST(HubSpotRateLimit, BurstLimitAnswers429WithItsHeaders) {
    SimOptions options;
    options.hubspot_burst_limit = 3;
    auto own = ProviderSim::start(options);
    ASSERT_TRUE(own) << own.error().message;
    ProviderSim& sim = **own;
    const HttpClient c(sim.port());
    const std::string token = sim.issue_tokens(Provider::hubspot, kUser, {"crm.objects.contacts.read"}).access_token;
    for (int i = 2; i >= 0; --i) {
        const auto ok = c.get(kContacts, token);
        ASSERT_EQ(ok.status, 200);
        EXPECT_EQ(ok.header("X-HubSpot-RateLimit-Remaining"), std::to_string(i));
    }
    const auto limited = c.get(kContacts, token);
    ASSERT_EQ(limited.status, 429);
    EXPECT_EQ(limited.json().at("errorType"), "RATE_LIMIT");
    EXPECT_EQ(limited.json().at("policyName"), "TEN_SECONDLY_ROLLING");
    EXPECT_EQ(limited.header("X-HubSpot-RateLimit-Remaining"), "0");
    EXPECT_TRUE(sim.hubspot_catalog().validate_definition("RateLimitError", limited.json()).empty());
    // Another account has its own budget; the window rolls on.
    EXPECT_EQ(c.get(kContacts, sim.issue_tokens(Provider::hubspot, "other@example.com", {"crm.objects.contacts.read"})
                                   .access_token)
                  .status,
              200);
    sim.advance_clock(std::chrono::seconds(10));
    EXPECT_EQ(c.get(kContacts, token).status, 200);
}

} // namespace
} // namespace switchboard::sim::testing
