// The discovery documents drive routing and validation: every method converts and compiles,
// requests route to the right method id, and parameters and bodies are checked by what the
// documents (and the reference-page rules) say, without per-endpoint code.
#include "tests/provider_sim/validation/discovery_schema_converter.hpp"
#include "tests/provider_sim/validation/google_catalog.hpp"
#include "tests/provider_sim/tests/spec_files.hpp"

#include <gtest/gtest.h>

namespace switchboard::sim {
namespace {

using nlohmann::json;

const GoogleCatalog& catalog() {
    static const auto loaded = [] {
        auto c = GoogleCatalog::load(testing::specs_dir());
        if (!c) {
            throw std::runtime_error(c.error().message);
        }
        return *c;
    }();
    return *loaded;
}

std::vector<std::string> segments(const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 1;
    while (start <= path.size()) {
        const auto slash = path.find('/', start);
        out.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
        if (slash == std::string::npos) {
            break;
        }
        start = slash + 1;
    }
    return out;
}

std::string match_id(const std::string& verb, const std::string& path) {
    const auto m = catalog().match(verb, segments(path));
    return m ? m->method->id : "";
}

bool mentions(const std::vector<ValidationIssue>& issues, const std::string& text) {
    return std::any_of(issues.begin(), issues.end(),
                       [&](const ValidationIssue& i) { return i.to_string().find(text) != std::string::npos; });
}

TEST(GoogleCatalog, EveryMethodOfTheThreeDocumentsCompiles) {
    const auto all = catalog().compile_all();
    EXPECT_TRUE(all) << (all ? "" : all.error().message);
    std::size_t methods = 0;
    for (const auto& doc : catalog().documents()) {
        methods += doc.methods().size();
    }
    EXPECT_GT(methods, 150u);
}

TEST(GoogleCatalog, RoutesByVerbAndPathToTheMethodId) {
    EXPECT_EQ(match_id("POST", "/www.googleapis.com/calendar/v3/calendars/primary/events"), "calendar.events.insert");
    EXPECT_EQ(match_id("GET", "/www.googleapis.com/calendar/v3/calendars/primary/events"), "calendar.events.list");
    EXPECT_EQ(match_id("PATCH", "/www.googleapis.com/calendar/v3/calendars/primary/events/abc"),
              "calendar.events.patch");
    EXPECT_EQ(match_id("POST", "/www.googleapis.com/calendar/v3/calendars/primary/events/quickAdd"),
              "calendar.events.quickAdd");
    EXPECT_EQ(match_id("POST", "/www.googleapis.com/calendar/v3/freeBusy"), "calendar.freebusy.query");
    EXPECT_EQ(match_id("POST", "/gmail.googleapis.com/gmail/v1/users/me/messages/send"), "gmail.users.messages.send");
    EXPECT_EQ(match_id("POST", "/gmail.googleapis.com/upload/gmail/v1/users/me/messages/send"),
              "gmail.users.messages.send");
    EXPECT_EQ(match_id("GET", "/www.googleapis.com/drive/v3/files/generateIds"), "drive.files.generateIds");
    EXPECT_EQ(match_id("GET", "/www.googleapis.com/drive/v3/files/1abc"), "drive.files.get");
    EXPECT_EQ(match_id("POST", "/www.googleapis.com/upload/drive/v3/files"), "drive.files.create");
    EXPECT_EQ(match_id("POST", "/gmail.googleapis.com/gmail/v1/users/me/settings/cse/keypairs/k1:disable"),
              "gmail.users.settings.cse.keypairs.disable");
    EXPECT_EQ(match_id("PUT", "/www.googleapis.com/calendar/v3/freeBusy"), "");
    EXPECT_EQ(match_id("GET", "/www.googleapis.com/calendar/v4/calendars/primary/events"), "");
}

TEST(GoogleCatalog, ChecksParametersByTheirDeclaredTypes) {
    const auto m = catalog().match("GET", segments("/www.googleapis.com/calendar/v3/calendars/primary/events"));
    ASSERT_TRUE(m);
    EXPECT_TRUE(catalog().validate_parameters(*m, {{"timeMin", "2024-05-01T00:00:00Z"}, {"maxResults", "10"},
                                                   {"singleEvents", "true"}, {"orderBy", "startTime"}})
                    .empty());
    EXPECT_TRUE(mentions(catalog().validate_parameters(*m, {{"timeMin", "2024-05-01"}}), "timeMin"));
    EXPECT_TRUE(mentions(catalog().validate_parameters(*m, {{"maxResults", "ten"}}), "maxResults"));
    EXPECT_TRUE(mentions(catalog().validate_parameters(*m, {{"maxResults", "0"}}), "maxResults")); // minimum 1
    EXPECT_TRUE(mentions(catalog().validate_parameters(*m, {{"orderBy", "title"}}), "orderBy"));  // enum
    EXPECT_TRUE(mentions(catalog().validate_parameters(*m, {{"singleEvents", "yes"}}), "singleEvents"));
    EXPECT_TRUE(mentions(catalog().validate_parameters(*m, {{"timemin", "x"}}), "unknown parameter"));
    EXPECT_TRUE(mentions(catalog().validate_parameters(*m, {{"q", "a"}, {"q", "b"}}), "more than once"));
    // Repeated parameters may repeat.
    EXPECT_TRUE(catalog().validate_parameters(*m, {{"eventTypes", "default"}, {"eventTypes", "focusTime"}}).empty());
}

TEST(GoogleCatalog, ChecksBodiesAgainstTheRequestSchema) {
    const DiscoveryMethod* insert = catalog().method("calendar.events.insert");
    ASSERT_TRUE(insert);
    const json good = {{"summary", "s"},
                       {"start", {{"dateTime", "2024-05-01T10:00:00+02:00"}}},
                       {"end", {{"dateTime", "2024-05-01T11:00:00+02:00"}}},
                       {"attendees", json::array({{{"email", "a@example.com"}}})}};
    EXPECT_TRUE(catalog().validate_body(*insert, good, false).empty());

    json unknown_field = good;
    unknown_field["start"]["datetime"] = "2024-05-01T10:00:00Z"; // wrong case: not in EventDateTime
    EXPECT_TRUE(mentions(catalog().validate_body(*insert, unknown_field, false), "start"));

    json wrong_type = good;
    wrong_type["attendees"] = "a@example.com";
    EXPECT_TRUE(mentions(catalog().validate_body(*insert, wrong_type, false), "attendees"));
}

TEST(GoogleCatalog, ChecksEnumsOfBodyFields) {
    const DiscoveryMethod* create = catalog().method("gmail.users.labels.create");
    ASSERT_TRUE(create);
    json label = {{"name", "Clients"}, {"labelListVisibility", "labelShow"}, {"messageListVisibility", "show"}};
    EXPECT_TRUE(catalog().validate_body(*create, label, false).empty());
    label["labelListVisibility"] = "sometimes";
    EXPECT_TRUE(mentions(catalog().validate_body(*create, label, false), "labelListVisibility"));
}

TEST(GoogleCatalog, AddsTheReferencePagesRules) {
    const DiscoveryMethod* insert = catalog().method("calendar.events.insert");
    ASSERT_TRUE(insert);
    // start and end are required by the discovery annotations; the rule adds Google's message.
    EXPECT_TRUE(mentions(catalog().validate_body(*insert, {{"start", {{"date", "2024-05-01"}}}}, false),
                         "Missing end time."));
    // No offset and no timeZone.
    const json no_zone = {{"start", {{"dateTime", "2024-05-01T10:00:00"}}},
                          {"end", {{"dateTime", "2024-05-01T11:00:00"}}}};
    EXPECT_TRUE(mentions(catalog().validate_body(*insert, no_zone, false), "Missing time zone definition"));
    json named_zone = no_zone;
    named_zone["start"]["timeZone"] = "Europe/Paris";
    named_zone["end"]["timeZone"] = "Europe/Paris";
    EXPECT_TRUE(catalog().validate_body(*insert, named_zone, false).empty());
    // All-day start with a timed end.
    EXPECT_TRUE(mentions(catalog().validate_body(*insert,
                                                 {{"start", {{"date", "2024-05-01"}}},
                                                  {"end", {{"dateTime", "2024-05-01T11:00:00Z"}}}},
                                                 false),
                         "both be date or both be dateTime"));
    const DiscoveryMethod* freebusy = catalog().method("calendar.freebusy.query");
    ASSERT_TRUE(freebusy);
    EXPECT_TRUE(mentions(catalog().validate_body(*freebusy, {{"timeMin", "2024-05-01T00:00:00Z"}}, false), "items"));
}

TEST(GoogleCatalog, MethodRequirementsFollowTheAnnotations) {
    const DiscoveryMethod* send = catalog().method("gmail.users.messages.send");
    ASSERT_TRUE(send);
    EXPECT_TRUE(mentions(catalog().validate_body(*send, json::object(), false), "raw"));
    EXPECT_TRUE(catalog().validate_body(*send, json::object(), true).empty()); // raw travels as media
    EXPECT_TRUE(mentions(catalog().validate_body(*send, {{"raw", "not base64!"}}, false), "raw"));
    const DiscoveryMethod* create = catalog().method("drive.files.create");
    ASSERT_TRUE(create);
    EXPECT_TRUE(catalog().validate_body(*create, {{"name", "a"}, {"size", "12"}}, false).empty()); // int64 string
    EXPECT_FALSE(catalog().validate_body(*create, {{"name", 5}}, false).empty());
}

TEST(GoogleCatalog, ResponsesAreCheckedStrictly) {
    const DiscoveryMethod* insert = catalog().method("calendar.events.insert");
    ASSERT_TRUE(insert);
    EXPECT_TRUE(catalog().validate_response(*insert, {{"id", "abc"}, {"summary", "s"}}).empty());
    EXPECT_FALSE(catalog().validate_response(*insert, {{"id", "abc"}, {"meetLink", "x"}}).empty());
    EXPECT_FALSE(catalog().validate_response(*insert, {{"sequence", "1"}}).empty());
}

TEST(DiscoverySchemaConverter, MapsFormatsAndAnnotations) {
    const json schemas = json::parse(R"({
      "T": {"id": "T", "type": "object", "properties": {
        "n": {"type": "integer", "format": "int32"},
        "big": {"type": "string", "format": "int64"},
        "when": {"type": "string", "format": "date-time"},
        "data": {"type": "string", "format": "byte"},
        "kids": {"type": "array", "items": {"$ref": "T"}},
        "tags": {"type": "object", "additionalProperties": {"type": "string"}},
        "must": {"type": "string", "annotations": {"required": ["api.t.insert"]}}}}})");
    ConversionOptions options;
    options.method_id = "api.t.insert";
    const json defs = discovery_definitions(schemas, options);
    const json& t = defs.at("T");
    EXPECT_EQ(t.at("additionalProperties"), false);
    EXPECT_EQ(t.at("required"), json::array({"must"}));
    EXPECT_EQ(t.at("properties").at("n").at("maximum"), 2147483647LL);
    EXPECT_EQ(t.at("properties").at("when").at("format"), "date-time");
    EXPECT_EQ(t.at("properties").at("kids").at("items").at("$ref"), "#/definitions/T");
    EXPECT_EQ(t.at("properties").at("tags").at("additionalProperties").at("type"), "string");
    EXPECT_TRUE(t.at("properties").at("big").contains("anyOf"));
    EXPECT_TRUE(t.at("properties").at("data").contains("pattern"));
    EXPECT_FALSE(t.contains("id")); // discovery ids would confuse JSON Schema's scope rules
}

} // namespace
} // namespace switchboard::sim
