// The judge judged: Valijson, as these tests use it on the HubSpot description, gives the
// expected verdict on every test vector of the fact sheet (tests/specs/providers/
// hubspot_test_vectors.json, as Python's jsonschema did when the description was written),
// and the request checker tells a valid request from invalid ones.
#include "tests/plugins/hubspot/hubspot_api.hpp"

#include "tests/support/specs.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace switchboard::testing::hubspot {
namespace {

using nlohmann::json;
using ::testing::IsEmpty;
using ::testing::Not;

// The fact sheet's machine-readable vectors: {name, def, valid, instance} each.
json test_vectors() { return json::parse(read_spec("providers/hubspot_test_vectors.json")); }

TEST(HubSpotDescription, ValijsonAgreesWithEveryTestVector) {
    HubSpotApi api;
    const json vectors = test_vectors();
    ASSERT_GE(vectors.size(), 38u);
    for (const json& v : vectors) {
        const auto problems = api.schema().problems(v.at("def"), v.at("instance"));
        EXPECT_EQ(problems.empty(), v.at("valid").get<bool>())
            << v.at("name") << ": " << ::testing::PrintToString(problems);
    }
}

TEST(HubSpotDescription, PropertyNamesAreCheckedWhereverTheMapIsReferenced) {
    // The maps HubSpot takes and returns allow ^[A-Za-z0-9_]+$ names only (propertyNames),
    // also when reached through $ref (the Valijson workaround in json_schema.cpp).
    HubSpotApi api;
    EXPECT_THAT(api.schema().problems("SimplePublicObjectInput", {{"properties", {{"ok_1", "x"}}}}),
                IsEmpty());
    EXPECT_THAT(api.schema().problems("SimplePublicObjectInput", {{"properties", {{"a b", "x"}}}}),
                Not(IsEmpty()));
    EXPECT_THAT(api.schema().problems("ContactCreateInput", {{"properties", {{"email", "x"}, {"é", "x"}}}}),
                Not(IsEmpty()));
    EXPECT_THAT(api.schema().problems("PropertyInputMap", {{"a-b", "x"}}), Not(IsEmpty()));
    EXPECT_THAT(api.schema().problems("PropertyInputMap", {{"ab", "x"}}), IsEmpty());
    EXPECT_THAT(api.schema().problems("PropertyInputMap", {{"ab", 1}}), Not(IsEmpty()));
    EXPECT_THAT(api.schema().problems("SimplePublicObject",
                                      {{"id", "1"}, {"properties", {{"x.y", "1"}}},
                                       {"createdAt", "2024-05-01T12:00:00Z"},
                                       {"updatedAt", "2024-05-01T12:00:00Z"}}),
                Not(IsEmpty()));
}

TEST(HubSpotDescription, TheRequestCheckerSeesWhatIsWrong) {
    HubSpotApi api;
    const std::string json_type = "application/json";
    const auto check = [&](const char* method, const char* path, const std::string& body,
                           const std::string& type) { return api.check(method, path, body, type); };

    RequestCheck ok = check("POST", "/crm/v3/objects/contacts",
                            R"({"properties":{"email":"a@b.example"}})", json_type);
    EXPECT_EQ(ok.operation, "contacts_create");
    EXPECT_THAT(ok.problems, IsEmpty());
    ok = check("GET", "/crm/v3/objects/contacts/5?properties=email%2Cfirstname", "", "");
    EXPECT_EQ(ok.operation, "contacts_get");
    EXPECT_THAT(ok.problems, IsEmpty());
    ok = check("GET", "/crm/v3/objects/contacts?limit=100&after=x", "", "");
    EXPECT_EQ(ok.operation, "contacts_list");
    EXPECT_THAT(ok.problems, IsEmpty());

    EXPECT_THAT(check("POST", "/crm/v3/objects/contacts", R"({"email":"a@b.example"})", json_type)
                    .problems,
                Not(IsEmpty()));
    EXPECT_THAT(check("POST", "/crm/v3/objects/contacts", R"({"properties":{"email":"a"}})",
                      "text/plain")
                    .problems,
                Not(IsEmpty()));
    EXPECT_THAT(check("GET", "/crm/v3/objects/contacts?limit=101", "", "").problems, Not(IsEmpty()));
    EXPECT_THAT(check("GET", "/crm/v3/objects/contacts?limit=10&limit=20", "", "").problems,
                Not(IsEmpty()));
    EXPECT_THAT(check("GET", "/crm/v3/objects/contacts?color=red", "", "").problems, Not(IsEmpty()));
    EXPECT_THAT(check("GET", "/crm/v3/objects/contacts/5?properties=a%20b", "", "").problems,
                Not(IsEmpty()));
    EXPECT_THAT(check("DELETE", "/crm/v3/objects/deals/5", "", "").problems, Not(IsEmpty()));
    EXPECT_THAT(check("POST", "/crm/v3/objects/contacts/search", R"({"limit":100,"after":"9950"})",
                      json_type)
                    .problems,
                Not(IsEmpty()));
}

} // namespace
} // namespace switchboard::testing::hubspot
