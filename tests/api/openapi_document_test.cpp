// The OpenAPI document: generated from the very route table the router holds (every route
// documented, nothing documented that is not routed), every $ref resolving, the category
// contracts carried over with the same meaning, and the routes' real answers valid against
// the schemas the document gives them. (Validation against the official OAS 3.1 schema runs
// in the e2e tests, with node; see tests/e2e/openapi/.)
#include "core/plugin/embedded_schemas.hpp"
#include "host/api/connector_json.hpp"
#include "host/server/error_response.hpp"
#include "tests/api/api_fixture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <regex>
#include <set>

namespace switchboard::api::testing {
namespace {

using nlohmann::json;

std::string lower(std::string_view method) {
    std::string out(method);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Every value of `key` anywhere in `node`, with where it was found.
void collect(const json& node, const std::string& key, const std::string& at,
             std::vector<std::pair<std::string, std::string>>& out) {
    if (node.is_object()) {
        for (const auto& [k, v] : node.items()) {
            if (k == key && v.is_string()) out.emplace_back(at + "/" + k, v.get<std::string>());
            collect(v, key, at + "/" + k, out);
        }
    } else if (node.is_array()) {
        for (std::size_t i = 0; i < node.size(); ++i) collect(node[i], key, at + "/" + std::to_string(i), out);
    }
}

// Validates `instance` against components.schemas.<name> of `document` with Valijson (draft 7
// semantics, which the keywords used share with 2020-12).
bool valid_against(const json& document, const std::string& name, const json& instance,
                   std::string* why = nullptr) {
    json wrapper = {{"$ref", "#/components/schemas/" + name},
                    {"components", {{"schemas", document.at("components").at("schemas")}}}};
    valijson::Schema schema;
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter schema_adapter(wrapper);
    parser.populateSchema(schema_adapter, schema);
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(instance);
    const bool ok = validator.validate(schema, target, &results);
    if (!ok && why != nullptr) {
        valijson::ValidationResults::Error error;
        while (results.popError(error)) *why += error.description + "; ";
    }
    return ok;
}

class OpenApiDocumentTest : public ApiFixture {
protected:
    void SetUp() override {
        start_api();
        auto r = call(http::verb::get, "/api/v1/openapi.json");
        ASSERT_EQ(r.status, 200u);
        EXPECT_EQ(r.header("Content-Type"), "application/json");
        document = r.json();
    }
    json document;
};

TEST_F(OpenApiDocumentTest, IsServedAsGeneratedFromTheTable) {
    EXPECT_EQ(document, table.openapi);
    EXPECT_EQ(document.at("openapi"), "3.1.0");
    EXPECT_EQ(document.at("info").at("version"), "0.1.0-test");
    EXPECT_EQ(document.at("servers").at(0).at("url"), "https://api.example.com");
}

TEST_F(OpenApiDocumentTest, DocumentsEveryRegisteredRoute) {
    const auto& paths = document.at("paths");
    const auto& catalog = plugin::ContractCatalog::embedded();
    std::size_t tools = 0;
    for (const server::Route* route : server->router().routes()) {
        const std::string method = lower(server::http::to_string(route->method));
        if (route->pattern == "/api/v1/actions/{tool}") {
            for (const auto& category : catalog.categories()) {
                for (const auto& action : *catalog.actions(category)) {
                    const std::string path = "/api/v1/actions/" + category + "." + action.name;
                    EXPECT_TRUE(paths.contains(path) && paths[path].contains(method)) << path;
                    ++tools;
                }
            }
            continue;
        }
        if (route->pattern == "/api/v1/assistant/{tool}") {
            for (const char* tool : {"book_meeting_via_connector", "send_email_via_connector",
                                     "create_crm_contact"}) {
                const std::string path = std::string("/api/v1/assistant/") + tool;
                EXPECT_TRUE(paths.contains(path) && paths[path].contains(method)) << path;
            }
            continue;
        }
        // A rest parameter {path...} is documented as {path} (OpenAPI has none).
        const std::string documented =
            std::regex_replace(route->pattern, std::regex(R"(\.\.\.\})"), "}");
        EXPECT_TRUE(paths.contains(documented) && paths[documented].contains(method))
            << method << " " << route->pattern << " is routed but not documented";
    }
    EXPECT_EQ(tools, 19u) << "5 calendar + 3 email + 6 crm + 5 drive actions";
    for (const std::string expected :
         {"/healthz", "/readyz", "/metrics", "/api/v1/openapi.json", "/api/v1/connectors",
          "/api/v1/connectors/providers", "/api/v1/connectors/{id}", "/api/v1/connectors/authorize",
          "/api/v1/connectors/callback", "/api/v1/connectors/{id}/refresh",
          "/api/v1/connectors/{id}/actions/{action}", "/api/v1/connectors/{id}/proxy/{path}"}) {
        EXPECT_TRUE(paths.contains(expected)) << expected;
    }
}

TEST_F(OpenApiDocumentTest, DocumentsNothingThatIsNotRouted) {
    static const std::regex parameter(R"(\{[A-Za-z_]+\})");
    std::set<std::string> operation_ids;
    for (const auto& [path, item] : document.at("paths").items()) {
        if (path == "/mcp") {
            continue; // registered by host/mcp, not by the API table (tests/mcp drives it)
        }
        const std::string concrete = std::regex_replace(path, parameter, "x1");
        for (const auto& [method, operation] : item.items()) {
            const auto verb = server::http::string_to_verb(
                [&] { std::string m = method; for (char& c : m) c = static_cast<char>(std::toupper(c)); return m; }());
            const auto match = server->router().match(verb, concrete);
            EXPECT_EQ(match.outcome, server::RouteMatch::Outcome::found) << method << " " << path;
            EXPECT_TRUE(operation_ids.insert(operation.at("operationId").get<std::string>()).second)
                << "operationId repeated: " << operation.at("operationId");
            // Each {name} of the path is a declared path parameter.
            for (auto it = std::sregex_iterator(path.begin(), path.end(), parameter);
                 it != std::sregex_iterator(); ++it) {
                const std::string name = it->str().substr(1, it->str().size() - 2);
                bool declared = false;
                for (const auto& p : operation.value("parameters", json::array())) {
                    declared |= p.at("in") == "path" && p.at("name") == name && p.at("required") == true;
                }
                EXPECT_TRUE(declared) << method << " " << path << " does not declare {" << name << "}";
            }
        }
    }
}

TEST_F(OpenApiDocumentTest, AuthenticatedRoutesNeedTheBearerSchemeAndOthersNone) {
    for (const auto& route : table.routes) {
        for (const auto& doc : route.docs) {
            const auto& operation =
                document.at("paths").at(doc.path).at(lower(server::http::to_string(route.method)));
            const json expected = route.authenticated ? json::parse(R"([{"bearerAuth":[]}])")
                                                      : json::array();
            EXPECT_EQ(operation.at("security"), expected) << doc.path;
            EXPECT_EQ(operation.at("responses").contains("401"), route.authenticated) << doc.path;
        }
    }
    EXPECT_EQ(document.at("components").at("securitySchemes").at("bearerAuth").at("scheme"), "bearer");
}

TEST_F(OpenApiDocumentTest, EveryReferenceResolves) {
    std::vector<std::pair<std::string, std::string>> refs;
    collect(document, "$ref", "", refs);
    ASSERT_GT(refs.size(), 100u);
    for (const auto& [at, ref] : refs) {
        ASSERT_EQ(ref.rfind("#/", 0), 0u) << at << ": " << ref;
        const json::json_pointer pointer(ref.substr(1));
        EXPECT_TRUE(document.contains(pointer)) << at << ": " << ref << " does not resolve";
        EXPECT_EQ(ref.find("/definitions/"), std::string::npos) << at;
    }
}

TEST_F(OpenApiDocumentTest, CarriesEveryContractDefinitionUnderItsCategoryName) {
    const auto& schemas = document.at("components").at("schemas");
    std::size_t definitions = 0;
    for (const auto& embedded : plugin::embedded_schemas()) {
        if (!embedded.is_current()) continue; // the API documents the current contracts
        const json file = json::parse(embedded.text());
        const std::string category = file.value("x-category", "common");
        for (const auto& [name, definition] : file.at("definitions").items()) {
            const std::string component = contract_schema_name(category, name);
            ASSERT_TRUE(schemas.contains(component)) << component;
            EXPECT_EQ(schemas[component].value("type", json()), definition.value("type", json()))
                << component;
            ++definitions;
        }
    }
    EXPECT_GT(definitions, 50u);
    EXPECT_TRUE(schemas.contains("CalendarCreateEventParams"));
    EXPECT_TRUE(schemas.contains("CommonError"));
    EXPECT_EQ(contract_schema_name("some_category", "Thing"), "SomeCategoryThing");
}

TEST_F(OpenApiDocumentTest, ContractSchemasMeanWhatTheCatalogMeans) {
    // The rewritten schemas accept and refuse the same params as the catalog the host
    // validates with.
    const auto& catalog = plugin::ContractCatalog::embedded();
    const std::vector<json> samples = {
        json::object(),
        json::parse(R"({"summary":"Kick-off","start":{"date_time":"2024-05-01T10:00:00Z"},
                        "end":{"date_time":"2024-05-01T11:00:00Z"}})"),
        json::parse(R"({"summary":"x","start":{"date_time":"yesterday"},"end":{"date":"2024-05-01"}})"),
        json::parse(R"({"to":[{"email":"jane@example.com"}],"subject":"Hi","text":"Hello"})"),
        json::parse(R"({"email":"jane@example.com"})"),
        json::parse(R"({"name":"report.txt","content_base64":"aGVsbG8=","mime_type":"text/plain"})"),
        json::parse(R"({"max_results":5})"),
        json::parse(R"({"unknown_field":1})"),
    };
    std::size_t accepted = 0;
    for (const auto& category : catalog.categories()) {
        for (const auto& action : *catalog.actions(category)) {
            const std::string name = contract_schema_name(category, action.params_definition);
            for (const auto& sample : samples) {
                std::string why;
                const bool ours = valid_against(document, name, sample, &why);
                const bool theirs = catalog.validate_params(category, action.name, sample).has_value();
                EXPECT_EQ(ours, theirs) << category << "." << action.name << " " << sample.dump()
                                        << " " << why;
                accepted += ours ? 1 : 0;
            }
        }
    }
    EXPECT_GT(accepted, 5u) << "some samples must be valid, or the comparison proves little";
}

TEST_F(OpenApiDocumentTest, RealAnswersMatchTheirDocumentedSchemas) {
    std::string why;
    EXPECT_TRUE(valid_against(document, "Connector", connector_json(summary("c-1")), &why)) << why;
    auto bare = summary("c-2");
    bare.account_identity.clear();
    bare.token_expires_at.reset();
    bare.status = store::ConnectorStatus::revoked;
    bare.last_error = "invalid_grant";
    bare.last_refreshed_at = bare.updated_at;
    EXPECT_TRUE(valid_against(document, "Connector", connector_json(bare), &why)) << why;
    EXPECT_FALSE(valid_against(document, "Connector", json{{"id", "c"}}));
    auto by_token = summary("c-3");
    by_token.auth_method = store::AuthMethod::access_token;
    by_token.has_refresh_token = false;
    by_token.token_expires_at.reset();
    EXPECT_TRUE(valid_against(document, "Connector", connector_json(by_token), &why)) << why;
    EXPECT_TRUE(valid_against(document, "AccessTokenRequest",
                              json{{"provider", "hubspot"}, {"access_token", "pat-na1-x"}}, &why))
        << why;
    EXPECT_FALSE(valid_against(document, "AccessTokenRequest", json{{"provider", "hubspot"}}));

    EXPECT_TRUE(valid_against(document, "Provider",
                              provider_json({"gmail", "email", "Gmail", "Mail", true, true, {"send_email"}, ""}),
                              &why))
        << why;
    EXPECT_TRUE(valid_against(document, "Provider",
                              provider_json({"hubspot", "crm", "HubSpot", "CRM", true, false,
                                             {"create_contact"}, "Private app access token"}),
                              &why))
        << why;
    const json error = json::parse(server::error_body("invalid_field", "bad", "/name", "rid-1"));
    EXPECT_TRUE(valid_against(document, "ApiError", error, &why)) << why;
    const json no_field = json::parse(server::error_body("missing_token", "no token", "", "rid-2"));
    EXPECT_TRUE(valid_against(document, "ApiError", no_field, &why)) << why;
}

TEST(OpenApiGeneration, RefusesATableThatDocumentsARouteTwice) {
    ApiRoute a{server::http::verb::get, "/x", server::Execution::worker_pool, {}, false, {},
               {{"/x", {{"operationId", "a"}, {"responses", json::object()}}}}};
    ApiRoute b = a;
    EXPECT_THROW(build_openapi_document({a, b}, {}), std::logic_error);
    ApiRoute undocumented_status = a;
    undocumented_status.error_statuses = {418};
    EXPECT_THROW(build_openapi_document({undocumented_status}, {}), std::logic_error);
}

} // namespace
} // namespace switchboard::api::testing
