// Versioned contracts: within a revision a category's contract only gains optional params and
// optional result members (sdk/README.md, "Contracts and their revisions"). Each current
// schema (sdk/schemas/<category>.schema.json) is compared with the released copy of its
// revision (sdk/schemas/<category>/<revision>.schema.json), and the released copies are
// pinned by digest so that a release, once made, is not edited in place.
#include "contract_compat.hpp"
#include "tests/support/sha256_hex.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace {

using switchboard::testing::sha256_hex;

using nlohmann::json;
using switchboard::sdk_tests::revision_breaks;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const std::filesystem::path schemas = SB_SDK_SCHEMA_DIR;

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    EXPECT_TRUE(in) << "cannot read " << file;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A small category document: one action whose params and result are objects.
json contract() {
    return json::parse(R"({
      "$id": "https://example.test/chat.schema.json",
      "x-category": "chat", "x-revision": 1,
      "x-actions": {"send": {"description": "Sends.", "params": {"$ref": "#/definitions/SendParams"},
                             "result": {"$ref": "#/definitions/Message"}}},
      "definitions": {
        "SendParams": {"type": "object", "required": ["text"], "additionalProperties": false,
                       "properties": {"text": {"type": "string", "maxLength": 100},
                                      "to": {"type": "array",
                                             "items": {"type": "object", "required": ["email"],
                                                       "properties": {"email": {"type": "string"}}}}}},
        "Message": {"type": "object", "required": ["id"],
                    "properties": {"id": {"type": "string"}, "sent": {"type": "boolean"}}}
      }})");
}

TEST(RevisionBreaks, NothingChangedOrOnlyAnnotations) {
    EXPECT_THAT(revision_breaks(contract(), contract()), IsEmpty());
    json current = contract();
    current["$id"] = "https://example.test/chat/1.schema.json";
    current["x-actions"]["send"]["description"] = "Sends a message.";
    current["definitions"]["Message"]["properties"]["id"]["description"] = "The message's id.";
    EXPECT_THAT(revision_breaks(contract(), current), IsEmpty());
}

TEST(RevisionBreaks, OptionalParamsAndResultMembersMayBeAdded) {
    json current = contract();
    current["definitions"]["SendParams"]["properties"]["subject"] = {{"type", "string"}};
    current["definitions"]["Message"]["properties"]["thread_id"] = {{"$ref", "#/definitions/Id"}};
    current["definitions"]["Id"] = {{"type", "string"}};
    // Deeper too: an optional member of the recipients' items.
    current["definitions"]["SendParams"]["properties"]["to"]["items"]["properties"]["name"] = {
        {"type", "string"}};
    EXPECT_THAT(revision_breaks(contract(), current), IsEmpty());
}

// A shape moved to a definition of its own is judged by what it accepts, not by its name:
// main moved Drive's download_file params from FileIdParams to DownloadFileParams that way.
TEST(RevisionBreaks, FollowsReferences) {
    json moved = contract();
    moved["definitions"]["SendLaterParams"] = moved["definitions"]["SendParams"];
    moved["definitions"]["SendLaterParams"]["properties"]["at"] = {{"type", "string"}};
    moved["x-actions"]["send"]["params"] = {{"$ref", "#/definitions/SendLaterParams"}};
    EXPECT_THAT(revision_breaks(contract(), moved), IsEmpty());

    // Inlined instead of referenced: the same.
    json inlined = contract();
    inlined["x-actions"]["send"]["result"] = inlined["definitions"]["Message"];
    EXPECT_THAT(revision_breaks(contract(), inlined), IsEmpty());

    // Moved and narrowed: named where it is, under the action.
    moved["definitions"]["SendLaterParams"]["required"].push_back("at");
    EXPECT_THAT(revision_breaks(contract(), moved),
                ElementsAre("/x-actions/send/params/properties/at: added as a required member",
                            "/x-actions/send/params/required: changed"));

    // A recursive shape (a thread of replies) is compared once, not forever.
    json recursive = contract();
    recursive["definitions"]["Message"]["properties"]["replies"] = {
        {"type", "array"}, {"items", {{"$ref", "#/definitions/Message"}}}};
    EXPECT_THAT(revision_breaks(recursive, recursive), IsEmpty());
    json deeper = recursive;
    deeper["definitions"]["Message"]["properties"]["replies"]["maxItems"] = 10;
    EXPECT_THAT(revision_breaks(recursive, deeper),
                ElementsAre("/definitions/Message/properties/replies/maxItems: added"));
}

TEST(RevisionBreaks, NamesEveryOtherChange) {
    json required = contract();
    required["definitions"]["SendParams"]["properties"]["channel"] = {{"type", "string"}};
    required["definitions"]["SendParams"]["required"].push_back("channel");
    EXPECT_THAT(revision_breaks(contract(), required),
                ElementsAre("/definitions/SendParams/properties/channel: added as a required member",
                            "/definitions/SendParams/required: changed"));

    json removed = contract();
    removed["definitions"]["Message"]["properties"].erase("sent");
    EXPECT_THAT(revision_breaks(contract(), removed),
                ElementsAre("/definitions/Message/properties/sent: removed"));

    json retyped = contract();
    retyped["definitions"]["Message"]["properties"]["sent"]["type"] = "string";
    EXPECT_THAT(revision_breaks(contract(), retyped),
                ElementsAre("/definitions/Message/properties/sent/type: changed"));

    json tightened = contract();
    tightened["definitions"]["SendParams"]["properties"]["text"]["maxLength"] = 50;
    EXPECT_THAT(revision_breaks(contract(), tightened),
                ElementsAre("/definitions/SendParams/properties/text/maxLength: changed"));

    json new_keyword = contract();
    new_keyword["definitions"]["SendParams"]["properties"]["text"]["pattern"] = "^[a-z]+$";
    EXPECT_THAT(revision_breaks(contract(), new_keyword),
                ElementsAre("/definitions/SendParams/properties/text/pattern: added"));

    json nested = contract();
    nested["definitions"]["SendParams"]["properties"]["to"]["items"]["required"].push_back("name");
    EXPECT_THAT(revision_breaks(contract(), nested),
                ElementsAre("/definitions/SendParams/properties/to/items/required: changed"));

    json actions = contract();
    actions["x-actions"]["edit"] = actions["x-actions"]["send"];
    actions["x-actions"]["send"]["result"] = {{"$ref", "#/definitions/SendParams"}};
    EXPECT_THAT(revision_breaks(contract(), actions),
                ElementsAre("/x-actions/send/result/additionalProperties: added",
                            "/x-actions/send/result/properties/id: removed",
                            "/x-actions/send/result/properties/sent: removed",
                            "/x-actions/send/result/properties/text: added as a required member",
                            "/x-actions/send/result/required: changed", "/x-actions/edit: added"));

    json gone = contract();
    gone["x-actions"].erase("send");
    gone["definitions"].erase("Message");
    gone["x-revision"] = 2;
    EXPECT_THAT(revision_breaks(contract(), gone),
                ElementsAre("/x-revision: changed", "/x-actions/send: removed",
                            "/definitions/Message: removed"));
}

// The released revisions of every category, by category: revision -> file.
std::map<std::string, std::map<unsigned, std::filesystem::path>> released_revisions() {
    std::map<std::string, std::map<unsigned, std::filesystem::path>> out;
    for (const auto& folder : std::filesystem::directory_iterator(schemas)) {
        if (!folder.is_directory()) continue;
        for (const auto& file : std::filesystem::directory_iterator(folder.path())) {
            const std::string name = file.path().filename().string();
            const auto dot = name.find('.');
            out[folder.path().filename().string()][static_cast<unsigned>(
                std::stoul(name.substr(0, dot)))] = file.path();
        }
    }
    return out;
}

TEST(ContractRevisions, EachCurrentSchemaOnlyAddsOptionalMembersToItsReleasedRevision) {
    const auto released = released_revisions();
    for (const char* category : {"calendar", "email", "crm", "drive"}) {
        const json current =
            json::parse(read_file(schemas / (std::string(category) + ".schema.json")));
        const unsigned revision = current.at("x-revision").get<unsigned>();
        ASSERT_TRUE(released.count(category)) << category << " has no released revision";
        const auto& files = released.at(category);
        const auto same = files.find(revision);
        if (same == files.end()) {
            // A new revision in the making may change anything; the ones before it stay.
            EXPECT_LT(files.rbegin()->first, revision) << category;
            continue;
        }
        const json last = json::parse(read_file(same->second));
        EXPECT_THAT(revision_breaks(last, current), IsEmpty())
            << category << ".schema.json breaks " << category << "/" << revision
            << ": make it revision " << revision + 1
            << " (a new released file) or only add optional members";
    }
}

// A released revision is never edited (its digest is pinned here); a release that adds
// optional members to a revision replaces the file and this table together.
TEST(ContractRevisions, ReleasedRevisionsAreFrozen) {
    const std::map<std::string, std::string> pinned = {
#include "released_schemas.inc"
    };
    std::map<std::string, std::string> on_disk;
    for (const auto& [category, files] : released_revisions()) {
        for (const auto& [revision, file] : files) {
            on_disk[category + "/" + std::to_string(revision)] = sha256_hex(read_file(file));
        }
    }
    EXPECT_EQ(on_disk, pinned);
}

} // namespace
