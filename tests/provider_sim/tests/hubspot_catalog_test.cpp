// The HubSpot description drives routing and validation: its own 38 test vectors (the fact
// sheet's, tests/specs/providers/hubspot_test_vectors.json) behave as documented under Valijson, operations route by verb
// and path, and the limits draft-07 cannot express are enforced.
#include "tests/provider_sim/validation/hubspot_catalog.hpp"
#include "tests/provider_sim/tests/spec_files.hpp"

#include <gtest/gtest.h>

namespace switchboard::sim {
namespace {

using nlohmann::json;

const HubSpotCatalog& hubspot_catalog() {
    static const auto loaded = [] {
        auto c = HubSpotCatalog::load(testing::specs_dir());
        if (!c) {
            throw std::runtime_error(c.error().message);
        }
        return *c;
    }();
    return *loaded;
}

// The fact sheet's machine-readable vectors: {name, def, valid, instance} each.
json test_vectors() { return testing::read_spec_json("providers/hubspot_test_vectors.json"); }

std::optional<HubSpotCatalog::Match> route(const std::string& verb, std::vector<std::string> segments) {
    return hubspot_catalog().match(verb, segments);
}

TEST(HubSpotCatalog, TheFactSheetsVectorsValidateAsDocumented) {
    const json vectors = test_vectors();
    ASSERT_EQ(vectors.size(), 38u);
    for (const auto& v : vectors) {
        const auto violations = hubspot_catalog().validate_definition(v.at("def").get<std::string>(), v.at("instance"));
        EXPECT_EQ(violations.empty(), v.at("valid").get<bool>()) << v.at("name");
    }
}

TEST(HubSpotCatalog, RoutesOperations) {
    const auto get = route("GET", {"api.hubapi.com", "crm", "v3", "objects", "contacts", "512"});
    ASSERT_TRUE(get);
    EXPECT_EQ(get->operation->id, "contacts_get");
    EXPECT_EQ(get->path_params.at("contactId"), "512");
    EXPECT_EQ(route("POST", {"api.hubapi.com", "crm", "v3", "objects", "contacts", "search"})->operation->id,
              "contacts_search");
    EXPECT_EQ(route("DELETE", {"api.hubapi.com", "oauth", "v1", "refresh-tokens", "t"})->operation->id,
              "oauth_refresh_token_delete");
    EXPECT_EQ(route("GET", {"app.hubspot.com", "oauth", "authorize"})->operation->id, "oauth_authorize");
    EXPECT_FALSE(route("PUT", {"api.hubapi.com", "crm", "v3", "objects", "contacts", "512"}));
    EXPECT_FALSE(route("GET", {"api.hubapi.com", "crm", "v3", "objects", "tickets"}));
    EXPECT_TRUE(hubspot_catalog().operation("deals_create")->requires_token);
    EXPECT_FALSE(hubspot_catalog().operation("oauth_token")->requires_token);
}

TEST(HubSpotCatalog, ChecksQueryParametersByStyle) {
    const auto list = route("GET", {"api.hubapi.com", "crm", "v3", "objects", "contacts"});
    ASSERT_TRUE(list);
    EXPECT_TRUE(hubspot_catalog().validate_parameters(*list, {{"limit", "100"}, {"properties", "email"},
                                                      {"properties", "firstname"}})
                    .empty()); // csv-or-repeated
    EXPECT_FALSE(hubspot_catalog().validate_parameters(*list, {{"limit", "101"}}).empty());
    EXPECT_FALSE(hubspot_catalog().validate_parameters(*list, {{"limit", "ten"}}).empty());
    EXPECT_FALSE(hubspot_catalog().validate_parameters(*list, {{"archived", "yes"}}).empty());
    EXPECT_FALSE(hubspot_catalog().validate_parameters(*list, {{"limit", "1"}, {"limit", "2"}}).empty());
    EXPECT_FALSE(hubspot_catalog().validate_parameters(*list, {{"sort", "email"}}).empty());
    const auto authorize = route("GET", {"app.hubspot.com", "oauth", "authorize"});
    EXPECT_FALSE(hubspot_catalog().validate_parameters(*authorize, {{"client_id", "c"}, {"redirect_uri", "r"}}).empty());
}

TEST(HubSpotCatalog, EnforcesTheLimitsDraft07CannotExpress) {
    const HubSpotOperation* search = hubspot_catalog().operation("contacts_search");
    ASSERT_TRUE(search);
    json groups = json::array();
    for (int g = 0; g < 3; ++g) {
        json filters = json::array();
        for (int f = 0; f < 9; ++f) {
            filters.push_back({{"propertyName", "p" + std::to_string(f)}, {"operator", "HAS_PROPERTY"}});
        }
        groups.push_back({{"filters", filters}});
    }
    // 27 filters: each group is within its 10, the total is over 25.
    const auto issues = hubspot_catalog().validate_body(*search, {{"filterGroups", groups}});
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_NE(issues[0].message.find("Too many filters"), std::string::npos);
    EXPECT_FALSE(hubspot_catalog().validate_body(*search, {{"after", "9950"}, {"limit", 100}}).empty());
    EXPECT_TRUE(hubspot_catalog().validate_body(*search, {{"after", "9900"}, {"limit", 100}}).empty());
}

} // namespace
} // namespace switchboard::sim
