// The category contracts, checked against the real schema files of sdk/schemas.
#include "core/plugin/contract_catalog.hpp"
#include "core/plugin/invocation_checks.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#ifndef SB_SCHEMAS_DIR
#error "SB_SCHEMAS_DIR must name sdk/schemas"
#endif

namespace switchboard {
namespace {

using nlohmann::json;

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    EXPECT_TRUE(in) << "cannot read " << file;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

const plugin::ContractCatalog& catalog() {
    return plugin::ContractCatalog::embedded();
}

// Expects `instance` to fail params validation of category/action at `pointer`, with a
// message naming the pointer and containing `rule`.
void expect_invalid_params(std::string_view category, std::string_view action,
                           const json& instance, const std::string& pointer,
                           std::string_view rule) {
    auto r = catalog().validate_params(category, action, instance);
    ASSERT_FALSE(r) << category << "." << action << " accepted " << instance.dump();
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(r.error().code, "invalid_params");
    EXPECT_EQ(r.error().field, pointer) << r.error().message;
    EXPECT_NE(r.error().message.find(rule), std::string::npos) << r.error().message;
    if (!pointer.empty()) {
        EXPECT_NE(r.error().message.find(pointer), std::string::npos) << r.error().message;
    }
}

void expect_valid_params(std::string_view category, std::string_view action, const json& instance) {
    auto r = catalog().validate_params(category, action, instance);
    EXPECT_TRUE(r) << category << "." << action << ": " << (r ? "" : r.error().message);
}

TEST(ContractCatalog, EmbeddedCatalogHasEveryCategoryAndActionOfTheSchemaFiles) {
    std::set<std::string> categories_on_disk;
    for (const auto& entry : std::filesystem::directory_iterator(SB_SCHEMAS_DIR)) {
        const auto name = entry.path().filename().string();
        if (!name.ends_with(".schema.json") || name == "common.schema.json") {
            continue;
        }
        json doc = json::parse(read_file(entry.path()));
        std::string category = doc.at("x-category");
        categories_on_disk.insert(category);
        const auto* actions = catalog().actions(category);
        ASSERT_NE(actions, nullptr) << category;
        std::set<std::string> embedded;
        for (const auto& a : *actions) {
            embedded.insert(a.name);
            EXPECT_FALSE(a.description.empty()) << a.name;
            EXPECT_NE(catalog().definition(category, a.params_definition), nullptr);
            EXPECT_NE(catalog().definition(category, a.result_definition), nullptr);
        }
        std::set<std::string> on_disk;
        for (const auto& [action, unused] : doc.at("x-actions").items()) {
            on_disk.insert(action);
        }
        EXPECT_EQ(embedded, on_disk) << category;
    }
    EXPECT_EQ(categories_on_disk, (std::set<std::string>{"calendar", "crm", "drive", "email"}));
    auto ids = catalog().categories();
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), categories_on_disk);
}

TEST(ContractCatalog, BuildsFromTheSchemaFilesOnDisk) {
    std::vector<std::string> texts;
    for (const char* name : {"calendar", "email", "crm", "drive"}) {
        texts.push_back(read_file(std::filesystem::path(SB_SCHEMAS_DIR) /
                                  (std::string(name) + ".schema.json")));
    }
    std::vector<std::string_view> views(texts.begin(), texts.end());
    auto built = plugin::ContractCatalog::from_documents(
        views, read_file(std::filesystem::path(SB_SCHEMAS_DIR) / "common.schema.json"));
    ASSERT_TRUE(built) << built.error().message;
    EXPECT_EQ((*built)->categories(), catalog().categories());
    EXPECT_NE((*built)->find_action("crm", "create_deal"), nullptr);
}

TEST(ContractCatalog, RefusesBrokenSchemaDocuments) {
    const std::string common = R"({"definitions": {"Error": {"type": "object"}}})";
    auto not_json = plugin::ContractCatalog::from_documents({"{"}, common);
    ASSERT_FALSE(not_json);
    EXPECT_EQ(not_json.error().code, "invalid_contract");

    auto no_category = plugin::ContractCatalog::from_documents({R"({"definitions": {}})"}, common);
    ASSERT_FALSE(no_category);
    EXPECT_NE(no_category.error().message.find("x-category"), std::string::npos);

    auto dangling = plugin::ContractCatalog::from_documents(
        {R"({"x-category": "chat", "x-revision": 1, "definitions": {},
             "x-actions": {"send": {"params": {"$ref": "#/definitions/Nope"},
                                    "result": {"$ref": "#/definitions/Nope"}}}})"},
        common);
    ASSERT_FALSE(dangling);
    EXPECT_NE(dangling.error().message.find("Nope"), std::string::npos);

    auto no_error = plugin::ContractCatalog::from_documents({}, R"({"definitions": {}})");
    ASSERT_FALSE(no_error);
}

// A category document for the revision tests: "chat/<revision>" with one action, send, whose
// params require `required` (and allow `optional`) and whose result requires
// `result_required`.
std::string chat_contract(int revision, const json& required, const json& optional,
                          const json& result_required = json::array()) {
    json properties = json::object();
    for (const auto& name : required) properties[name.get<std::string>()] = {{"type", "string"}};
    for (const auto& name : optional) properties[name.get<std::string>()] = {{"type", "string"}};
    return json({{"x-category", "chat"},
                 {"x-revision", revision},
                 {"x-actions",
                  {{"send",
                    {{"description", "Sends a message."},
                     {"params", {{"$ref", "#/definitions/SendParams"}}},
                     {"result", {{"$ref", "#/definitions/Sent"}}}}}}},
                 {"definitions",
                  {{"SendParams",
                    {{"type", "object"},
                     {"required", required},
                     {"properties", properties},
                     {"additionalProperties", false}}},
                   {"Sent", {{"type", "object"}, {"required", result_required}}}}}})
        .dump();
}

TEST(ContractCatalog, KeepsEveryRevisionAndValidatesAgainstTheOneAsked) {
    const std::string common = R"({"definitions": {"Error": {"type": "object"}}})";
    const std::string one = chat_contract(1, {"text"}, {"channel"});
    const std::string two = chat_contract(2, {"text", "thread"}, json::array());
    auto built = plugin::ContractCatalog::from_documents({two, one}, common);
    ASSERT_TRUE(built) << built.error().message;
    const plugin::ContractCatalog& c = **built;
    EXPECT_EQ(c.revisions("chat"), (std::vector<std::uint32_t>{1, 2}));
    EXPECT_EQ(c.current_revision("chat"), 2u);
    EXPECT_TRUE(c.has_revision("chat", 1));
    EXPECT_FALSE(c.has_revision("chat", 3));
    EXPECT_FALSE(c.has_revision("chat", 0)) << "0 is no revision";
    EXPECT_TRUE(c.revisions("calendar").empty());
    EXPECT_EQ(c.current_revision("calendar"), 0u);

    const json old_shape = {{"text", "hi"}, {"channel", "general"}};
    const json new_shape = {{"text", "hi"}, {"thread", "t-1"}};
    EXPECT_TRUE(c.validate_params("chat", "send", old_shape, 1));
    EXPECT_FALSE(c.validate_params("chat", "send", old_shape, 2));
    EXPECT_TRUE(c.validate_params("chat", "send", new_shape, 2));
    EXPECT_FALSE(c.validate_params("chat", "send", new_shape, 1));
    EXPECT_TRUE(c.validate_params("chat", "send", new_shape)) << "0: the current revision";
    auto unknown = c.validate_params("chat", "send", new_shape, 3);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().kind, ErrorKind::unsupported);
    EXPECT_NE(unknown.error().message.find("'chat/3'"), std::string::npos)
        << unknown.error().message;
    EXPECT_NE(c.definition("chat", "SendParams", 1), nullptr);
    EXPECT_EQ(c.definition("chat", "SendParams", 1)->at("required"), json({"text"}));

    auto twice = plugin::ContractCatalog::from_documents({one, one}, common);
    ASSERT_FALSE(twice);
    EXPECT_NE(twice.error().message.find("chat/1"), std::string::npos) << twice.error().message;
    auto unnumbered = plugin::ContractCatalog::from_documents(
        {R"({"x-category": "chat", "x-actions": {}, "definitions": {}})"}, common);
    ASSERT_FALSE(unnumbered);
    EXPECT_NE(unnumbered.error().message.find("x-revision"), std::string::npos);
}

// The host's checks around a call validate a provider against the revision it declared:
// params and result of chat/1 for a chat/1 provider, of chat/2 for a chat/2 one.
TEST(ContractCatalog, ACallIsCheckedAgainstTheProvidersRevision) {
    const std::string common = R"({"definitions": {"Error": {"type": "object"}}})";
    auto built = plugin::ContractCatalog::from_documents(
        {chat_contract(1, {"text"}, {"channel"}),
         chat_contract(2, {"text", "thread"}, json::array(), {"id"})},
        common);
    ASSERT_TRUE(built) << built.error().message;
    const plugin::ContractCatalog& c = **built;
    const auto provider = [](std::uint32_t revision) {
        plugin::ProviderDescriptor p;
        p.id = "acme_chat";
        p.category = "chat";
        p.contract_revision = revision;
        p.actions = {"send"};
        return p;
    };
    const std::string old_params = R"({"text": "hi", "channel": "general"})";
    const std::string new_params = R"({"text": "hi", "thread": "t-1"})";
    EXPECT_FALSE(plugin::check_call_input(provider(1), "send", old_params, c));
    EXPECT_FALSE(plugin::check_call_input(provider(2), "send", new_params, c));
    const auto refused = plugin::check_call_input(provider(1), "send", new_params, c);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, SB_STATUS_INVALID_INPUT);
    EXPECT_NE(refused->json.find("invalid_params"), std::string::npos) << refused->json;
    EXPECT_TRUE(plugin::check_call_input(provider(2), "send", old_params, c));

    spdlog::logger quiet("quiet"); // no sinks
    const plugin::InvocationSource source{"acme_chat.so", "acme_chat", {1, 3}};
    const auto result = [&](std::uint32_t revision, const char* json_text) {
        plugin::InvokeOutcome outcome;
        outcome.status = SB_STATUS_OK;
        outcome.json = json_text;
        return plugin::check_call_result(std::move(outcome), provider(revision), "send", source, c,
                                         quiet);
    };
    EXPECT_EQ(result(1, "{}").status, SB_STATUS_OK) << "chat/1 requires nothing of a result";
    EXPECT_EQ(result(2, R"({"id": "m-1"})").status, SB_STATUS_OK);
    const plugin::InvokeOutcome bad = result(2, "{}");
    EXPECT_EQ(bad.status, SB_STATUS_INTERNAL);
    EXPECT_NE(bad.json.find("plugin_bad_result"), std::string::npos) << bad.json;
    EXPECT_NE(bad.json.find("breaks the 'chat/2' contract"), std::string::npos) << bad.json;
}

TEST(ContractCatalog, EmbedsEveryReleasedRevision) {
    std::size_t released = 0;
    for (const auto& entry : std::filesystem::directory_iterator(SB_SCHEMAS_DIR)) {
        if (!entry.is_directory()) {
            continue;
        }
        const std::string category = entry.path().filename().string();
        for (const auto& file : std::filesystem::directory_iterator(entry.path())) {
            const json doc = json::parse(read_file(file.path()));
            EXPECT_EQ(doc.at("x-category"), category) << file.path();
            const auto revision = doc.at("x-revision").get<std::uint32_t>();
            EXPECT_EQ(file.path().filename().string(), std::to_string(revision) + ".schema.json");
            EXPECT_TRUE(catalog().has_revision(category, revision)) << category << "/" << revision;
            ++released;
        }
    }
    EXPECT_GE(released, 4u) << "every category has released revision 1";
    for (const char* category : {"calendar", "email", "crm", "drive"}) {
        EXPECT_EQ(catalog().current_revision(category), 1u) << category;
    }
}

TEST(ContractCatalog, UnknownCategoryOrActionIsUnsupported) {
    EXPECT_FALSE(catalog().has_category("chat"));
    EXPECT_EQ(catalog().actions("chat"), nullptr);
    auto r = catalog().validate_params("calendar", "launch_rockets", json::object());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::unsupported);
    EXPECT_FALSE(catalog().validate_result("chat", "send", json::object()));
}

TEST(CalendarContract, CreateEventParams) {
    json valid = {
        {"summary", "Standup"},
        {"start", {{"date_time", "2024-05-01T09:00:00+02:00"}}},
        {"end", {{"date_time", "2024-05-01T09:30:00+02:00"}, {"time_zone", "Europe/Paris"}}},
        {"attendees", {{{"email", "ada@example.com"}, {"optional", true}}}},
        {"video_conference", true},
        {"send_updates", "all"},
    };
    expect_valid_params("calendar", "create_event", valid);

    json missing = valid;
    missing.erase("summary");
    expect_invalid_params("calendar", "create_event", missing, "/summary", "is required");

    json bad_time = valid;
    bad_time["start"]["date_time"] = "tomorrow morning";
    expect_invalid_params("calendar", "create_event", bad_time, "/start/date_time", "date-time");

    json wrong_type = valid;
    wrong_type["start"]["date_time"] = 5;
    expect_invalid_params("calendar", "create_event", wrong_type, "/start/date_time", "type");

    json unknown = valid;
    unknown["colour"] = "blue";
    expect_invalid_params("calendar", "create_event", unknown, "/colour", "unknown property");

    json bad_attendee = valid;
    bad_attendee["attendees"][0]["email"] = 42;
    expect_invalid_params("calendar", "create_event", bad_attendee, "/attendees/0/email", "type");

    json bad_enum = valid;
    bad_enum["send_updates"] = "everyone";
    expect_invalid_params("calendar", "create_event", bad_enum, "/send_updates", "enum");
}

TEST(CalendarContract, OtherActions) {
    expect_valid_params("calendar", "list_events",
                        {{"time_min", "2024-05-01T00:00:00Z"}, {"time_max", "2024-05-08T00:00:00Z"}});
    expect_invalid_params("calendar", "list_events",
                          {{"time_min", "2024-05-01T00:00:00Z"},
                           {"time_max", "2024-05-08T00:00:00Z"},
                           {"max_results", 0}},
                          "/max_results", "greater than or equal to 1");
    expect_valid_params("calendar", "get_availability",
                        {{"time_min", "2024-05-01T00:00:00Z"},
                         {"time_max", "2024-05-08T00:00:00Z"},
                         {"duration_minutes", 30},
                         {"working_hours",
                          {{"start", "09:00"}, {"end", "17:30"}, {"time_zone", "Europe/Paris"}}}});
    expect_invalid_params("calendar", "get_availability",
                          {{"time_min", "2024-05-01T00:00:00Z"},
                           {"time_max", "2024-05-08T00:00:00Z"},
                           {"duration_minutes", 30},
                           {"working_hours",
                            {{"start", "9am"}, {"end", "17:30"}, {"time_zone", "Europe/Paris"}}}},
                          "/working_hours/start", "pattern");
    // update_event needs at least one field to change besides event_id (anyOf).
    EXPECT_FALSE(catalog().validate_params("calendar", "update_event", {{"event_id", "e1"}}));
    expect_valid_params("calendar", "update_event", {{"event_id", "e1"}, {"summary", "Moved"}});
    expect_invalid_params("calendar", "delete_event", json::object(), "/event_id", "is required");
    expect_invalid_params("calendar", "delete_event", json::array(), "", "type");
}

TEST(CalendarContract, Results) {
    json event = {{"id", "e1"},
                  {"start", {{"date", "2024-05-01"}}},
                  {"end", {{"date", "2024-05-02"}}},
                  {"status", "confirmed"},
                  {"provider_extra", {{"kept", true}}}};
    EXPECT_TRUE(catalog().validate_result("calendar", "create_event", event))
        << "results may carry extra provider fields";
    event["status"] = "maybe";
    auto r = catalog().validate_result("calendar", "create_event", event);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "invalid_result");
    EXPECT_EQ(r.error().field, "/status");
    EXPECT_TRUE(catalog().validate_result("calendar", "delete_event",
                                          {{"deleted", true}, {"event_id", "e1"}}));
    EXPECT_FALSE(catalog().validate_result("calendar", "delete_event",
                                           {{"deleted", false}, {"event_id", "e1"}}));
}

TEST(EmailContract, SendAndList) {
    json mail = {{"to", {{{"email", "bob@example.com"}, {"name", "Bob"}}}},
                 {"subject", "Hello"},
                 {"text_body", "Hi Bob"}};
    expect_valid_params("email", "send_email", mail);
    json nobody = mail;
    nobody.erase("text_body");
    EXPECT_FALSE(catalog().validate_params("email", "send_email", nobody))
        << "a message needs text_body or html_body";
    json empty_to = mail;
    empty_to["to"] = json::array();
    expect_invalid_params("email", "send_email", empty_to, "/to", "no fewer than 1");
    json extra = mail;
    extra["priority"] = "high";
    expect_invalid_params("email", "send_email", extra, "/priority", "unknown property");

    expect_valid_params("email", "list_emails", json::object());
    expect_invalid_params("email", "list_emails", {{"max_results", "10"}}, "/max_results", "type");
    expect_invalid_params("email", "get_email", {{"email_id", ""}}, "/email_id", "fewer than 1");

    EXPECT_TRUE(catalog().validate_result("email", "send_email", {{"id", "m1"}}));
    auto r = catalog().validate_result("email", "send_email", json::object());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "/id");
}

TEST(CrmContract, ContactsAndDeals) {
    expect_valid_params("crm", "create_contact",
                        {{"email", "ada@example.com"}, {"first_name", "Ada"},
                         {"properties", {{"lifecyclestage", "lead"}}}});
    expect_invalid_params("crm", "create_contact", {{"first_name", "Ada"}}, "/email", "is required");
    // JSON Pointer escaping: '/' in a property name is "~1".
    expect_invalid_params("crm", "create_contact",
                          {{"email", "ada@example.com"}, {"properties", {{"a/b", 5}}}},
                          "/properties/a~1b", "type");
    expect_valid_params("crm", "list_contacts", json::object());
    expect_invalid_params("crm", "create_deal", {{"name", "Big"}, {"amount", -1}}, "/amount",
                          "greater than or equal to 0");
    expect_invalid_params("crm", "create_deal", {{"name", "Big"}, {"currency", "eur"}},
                          "/currency", "pattern");
    EXPECT_TRUE(catalog().validate_result("crm", "find_contact_by_email", {{"contact", nullptr}}));
    EXPECT_FALSE(catalog().validate_result("crm", "find_contact_by_email", {{"contact", 5}}));
    EXPECT_TRUE(catalog().validate_result("crm", "create_deal", {{"id", "d1"}, {"name", "Big"}}));
}

TEST(DriveContract, FilesAndFolders) {
    json upload = {{"name", "notes.txt"}, {"mime_type", "text/plain"},
                   {"content_base64", "aGVsbG8="}};
    expect_valid_params("drive", "upload_file", upload);
    json bad_mime = upload;
    bad_mime["mime_type"] = "text";
    expect_invalid_params("drive", "upload_file", bad_mime, "/mime_type", "pattern");
    expect_valid_params("drive", "list_files", json::object());
    expect_invalid_params("drive", "list_files", {{"max_results", 5000}}, "/max_results",
                          "less than or equal to 1000");
    expect_invalid_params("drive", "create_folder", json::object(), "/name", "is required");
    EXPECT_TRUE(catalog().validate_result("drive", "delete_file",
                                          {{"deleted", true}, {"file_id", "f1"}}));
    auto r = catalog().validate_result(
        "drive", "download_file",
        {{"file", {{"id", "f1"}, {"name", "a"}, {"mime_type", "text/plain"}, {"is_folder", "no"}}},
         {"content_base64", ""}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "/file/is_folder");
}

// Every patterned or formatted string of the contracts is bounded, so the regex work of one
// validation is bounded too (RE2 is linear, but a contract should not accept megabytes where
// a time zone goes).
void expect_bounded(const json& node, const std::string& where, int& patterned) {
    if (node.is_object()) {
        const bool has_regex = (node.contains("pattern") && node["pattern"].is_string()) ||
                               (node.contains("format") && node["format"].is_string());
        if (has_regex) {
            ++patterned;
            EXPECT_TRUE(node.contains("maxLength")) << where << " has a pattern or a format but no maxLength";
        }
        for (const auto& [key, value] : node.items()) {
            expect_bounded(value, where + "/" + key, patterned);
        }
    } else if (node.is_array()) {
        for (std::size_t i = 0; i < node.size(); ++i) {
            expect_bounded(node[i], where + "/" + std::to_string(i), patterned);
        }
    }
}

TEST(ContractCatalog, EveryPatternedOrFormattedStringHasAMaxLength) {
    int patterned = 0;
    for (const auto& entry : std::filesystem::directory_iterator(SB_SCHEMAS_DIR)) {
        if (entry.path().extension() == ".json") {
            expect_bounded(json::parse(read_file(entry.path())), entry.path().filename().string(), patterned);
        }
    }
    EXPECT_GT(patterned, 10) << "the walk found too few patterns to be looking at the schemas";
}

TEST(ContractCatalog, MegabyteStringsInPatternedFieldsAreRefusedByLength) {
    const std::string huge(1 << 20, '1');
    json event = {{"summary", "t"},
                  {"start", {{"date_time", huge}}},
                  {"end", {{"date_time", "2026-01-01T10:00:00Z"}}}};
    auto r = catalog().validate_params("calendar", "create_event", event);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "/start/date_time") << r.error().message;
    json upload = {{"name", "a"}, {"mime_type", huge}, {"content_base64", ""}};
    auto u = catalog().validate_params("drive", "upload_file", upload);
    ASSERT_FALSE(u);
    EXPECT_EQ(u.error().field, "/mime_type") << u.error().message;
    // A large file's contents carry no pattern: they pass the contract (the plugin decodes).
    upload["mime_type"] = "text/plain";
    upload["content_base64"] = std::string(4 << 20, 'A');
    EXPECT_TRUE(catalog().validate_params("drive", "upload_file", upload));
}

// A catalog of one category "probe" whose action "check" takes {"value": <schema>}.
Result<std::shared_ptr<const plugin::ContractCatalog>> probe_catalog(const json& value_schema) {
    const json category = {
        {"x-category", "probe"},
        {"x-revision", 1},
        {"definitions",
         {{"Params",
           {{"type", "object"}, {"properties", {{"value", value_schema}}}, {"additionalProperties", false}}},
          {"Result", {{"type", "object"}}}}},
        {"x-actions",
         {{"check",
           {{"description", "d"},
            {"params", {{"$ref", "#/definitions/Params"}}},
            {"result", {{"$ref", "#/definitions/Result"}}}}}}}};
    const std::string text = category.dump();
    return plugin::ContractCatalog::from_documents(
        {text}, R"({"definitions": {"Error": {"type": "object"}}})");
}

// std::regex (Valijson's engine) recurses once per character and overflowed the stack on a
// long string, which is why the catalog used to check lengths in a first pass; RE2 does not
// recurse, so even a pattern without a maxLength takes megabytes.
TEST(ContractCatalog, LongStringsAreMatchedWithoutAMaxLength) {
    auto digits = probe_catalog({{"type", "string"}, {"pattern", "^[0-9]+$"}});
    ASSERT_TRUE(digits) << digits.error().message;
    const std::string huge(4 << 20, '1');
    EXPECT_TRUE((*digits)->validate_params("probe", "check", {{"value", huge}}));
    auto refused = (*digits)->validate_params("probe", "check", {{"value", huge + "x"}});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().field, "/value");
    EXPECT_NE(refused.error().message.find("pattern"), std::string::npos) << refused.error().message;

    auto date_time = probe_catalog({{"type", "string"}, {"format", "date-time"}});
    ASSERT_TRUE(date_time) << date_time.error().message;
    auto long_time = (*date_time)->validate_params("probe", "check", {{"value", huge}});
    ASSERT_FALSE(long_time);
    EXPECT_NE(long_time.error().message.find("date-time"), std::string::npos);
}

TEST(ContractCatalog, PatternsSearchAnywhereUnlessAnchored) {
    auto unanchored = probe_catalog({{"pattern", "b+"}});
    ASSERT_TRUE(unanchored) << unanchored.error().message;
    EXPECT_TRUE((*unanchored)->validate_params("probe", "check", {{"value", "abbc"}}));
    EXPECT_FALSE((*unanchored)->validate_params("probe", "check", {{"value", "ac"}}));
    // `pattern` applies to strings only: other types are `type`'s business.
    EXPECT_TRUE((*unanchored)->validate_params("probe", "check", {{"value", 5}}));
}

TEST(ContractCatalog, RefusesPatternsItCannotCompile) {
    const std::string common = R"({"definitions": {"Error": {"type": "object"}}})";
    for (const char* pattern : {"(a)\\\\1", "^(?=a)", "[z-a]"}) {
        const std::string category =
            std::string(R"({"x-category": "probe", "x-revision": 1, "definitions": {"P": {"type": "string", "pattern": ")") +
            pattern +
            R"("}}, "x-actions": {"check": {"params": {"$ref": "#/definitions/P"},
                                            "result": {"$ref": "#/definitions/P"}}}})";
        auto built = plugin::ContractCatalog::from_documents({category}, common);
        ASSERT_FALSE(built) << pattern;
        EXPECT_EQ(built.error().code, "invalid_contract");
        EXPECT_NE(built.error().message.find("cannot be compiled"), std::string::npos)
            << built.error().message;
    }
    auto reserved = probe_catalog({{"type", "string"}, {"x-switchboard-pattern", "a"}});
    ASSERT_FALSE(reserved) << "the keyword the catalog renames `pattern` to is not for schemas";
    EXPECT_NE(reserved.error().message.find("reserved"), std::string::npos);
}

TEST(ContractCatalog, DateAndTimeFormatsKeepTheirRules) {
    auto date = probe_catalog({{"type", "string"}, {"format", "date"}});
    ASSERT_TRUE(date) << date.error().message;
    for (const char* good : {"2024-02-29", "2024-04-30", "2024-12-31", "12345-01-01"}) {
        EXPECT_TRUE((*date)->validate_params("probe", "check", {{"value", good}})) << good;
    }
    for (const char* bad : {"2024-02-30", "2024-04-31", "2024-09-31", "2024-13-01", "2024-1-01",
                            "2024-01-01T00:00:00Z", " 2024-01-01", "2024-01-01\n"}) {
        auto r = (*date)->validate_params("probe", "check", {{"value", bad}});
        ASSERT_FALSE(r) << bad;
        EXPECT_NE(r.error().message.find("valid date"), std::string::npos) << r.error().message;
    }

    auto time = probe_catalog({{"type", "string"}, {"format", "time"}});
    ASSERT_TRUE(time) << time.error().message;
    for (const char* good : {"16:52:45Z", "23:59:60+02:00", "00:00:00.123-11:30", "10:00:00z"}) {
        EXPECT_TRUE((*time)->validate_params("probe", "check", {{"value", good}})) << good;
    }
    for (const char* bad : {"24:00:00Z", "16:52:45", "16:52Z", "16:52:45+2:00"}) {
        EXPECT_FALSE((*time)->validate_params("probe", "check", {{"value", bad}})) << bad;
    }

    auto date_time = probe_catalog({{"type", "string"}, {"format", "date-time"}});
    ASSERT_TRUE(date_time) << date_time.error().message;
    for (const char* good : {"2024-05-01T09:00:00+02:00", "2024-05-01t09:00:00.5Z"}) {
        EXPECT_TRUE((*date_time)->validate_params("probe", "check", {{"value", good}})) << good;
    }
    for (const char* bad : {"2024-06-31T09:00:00Z", "2024-05-01 09:00:00Z", "2024-05-01T09:00:00"}) {
        EXPECT_FALSE((*date_time)->validate_params("probe", "check", {{"value", bad}})) << bad;
    }

    // Formats Valijson does not check (email, uri) stay unchecked.
    auto email = probe_catalog({{"type", "string"}, {"format", "email"}});
    ASSERT_TRUE(email) << email.error().message;
    EXPECT_TRUE((*email)->validate_params("probe", "check", {{"value", "not an address"}}));
}

TEST(CommonContract, ErrorObject) {
    EXPECT_TRUE(catalog().validate_error({{"code", "not_found"}, {"message", "no such event"}}));
    EXPECT_TRUE(catalog().validate_error({{"code", "rate_limited"},
                                          {"message", "slow down"},
                                          {"field", "/event_id"},
                                          {"details", {{"retry_after_seconds", 3}}}}));
    auto bad_code = catalog().validate_error({{"code", "NotFound"}, {"message", "x"}});
    ASSERT_FALSE(bad_code);
    EXPECT_EQ(bad_code.error().code, "invalid_error");
    EXPECT_EQ(bad_code.error().field, "/code");
    auto no_message = catalog().validate_error({{"code", "x"}});
    ASSERT_FALSE(no_message);
    EXPECT_EQ(no_message.error().field, "/message");
    EXPECT_FALSE(catalog().validate_error({{"code", "x"}, {"message", "y"}, {"stack", "z"}}));
    EXPECT_FALSE(catalog().validate_error("not an object"));
}

TEST(ContractCatalog, ResolveFollowsLocalReferences) {
    const json* params = catalog().definition("calendar", "CreateEventParams");
    ASSERT_NE(params, nullptr);
    const json& start = catalog().resolve("calendar", params->at("properties").at("start"));
    EXPECT_EQ(start.at("type"), "object");
    EXPECT_TRUE(start.at("properties").contains("date_time"));
}

} // namespace
} // namespace switchboard
