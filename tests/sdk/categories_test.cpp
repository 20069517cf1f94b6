// categories.h must name exactly the categories and actions of sdk/schemas, in the schemas'
// order, and each macro's name must spell its value (SB_ACTION_<CATEGORY>_<ACTION>).
#include "switchboard/categories.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace {

using nlohmann::ordered_json;

struct Macro {
    std::string name;
    std::string value;
};

#define SB_TEST_MACRO(m) Macro{#m, m},
const std::vector<Macro> categories = {SB_CATEGORIES(SB_TEST_MACRO)};
const std::vector<std::pair<std::string, std::vector<Macro>>> actions_by_category = {
    {SB_CATEGORY_CALENDAR, {SB_CALENDAR_ACTIONS(SB_TEST_MACRO)}},
    {SB_CATEGORY_EMAIL, {SB_EMAIL_ACTIONS(SB_TEST_MACRO)}},
    {SB_CATEGORY_CRM, {SB_CRM_ACTIONS(SB_TEST_MACRO)}},
    {SB_CATEGORY_DRIVE, {SB_DRIVE_ACTIONS(SB_TEST_MACRO)}}};
#undef SB_TEST_MACRO

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

ordered_json read_schema(const std::string& category) {
    const std::filesystem::path path =
        std::filesystem::path(SB_SDK_SCHEMA_DIR) / (category + ".schema.json");
    std::ifstream in(path);
    if (!in) ADD_FAILURE() << "cannot read " << path;
    return ordered_json::parse(in, nullptr, /*allow_exceptions=*/false);
}

TEST(Categories, OneSchemaFilePerCategory) {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(SB_SDK_SCHEMA_DIR)) {
        const std::string name = entry.path().filename().string();
        if (name.ends_with(".schema.json") && name != "common.schema.json") {
            files.push_back(name.substr(0, name.size() - std::string(".schema.json").size()));
        }
    }
    std::sort(files.begin(), files.end());
    std::vector<std::string> declared;
    for (const auto& c : categories) declared.push_back(c.value);
    std::sort(declared.begin(), declared.end());
    EXPECT_EQ(files, declared) << "in " << SB_SDK_SCHEMA_DIR;
}

TEST(Categories, MacroNamesSpellTheirValues) {
    for (const auto& c : categories) EXPECT_EQ(c.name, "SB_CATEGORY_" + upper(c.value));
    ASSERT_EQ(actions_by_category.size(), categories.size());
    for (const auto& [category, actions] : actions_by_category) {
        for (const auto& a : actions) {
            EXPECT_EQ(a.name, "SB_ACTION_" + upper(category) + "_" + upper(a.value));
        }
    }
}

TEST(Categories, RevisionsMatchTheSchemas) {
    const std::vector<std::pair<std::string, unsigned>> revisions = {
        {SB_CATEGORY_CALENDAR, SB_CONTRACT_REVISION_CALENDAR},
        {SB_CATEGORY_EMAIL, SB_CONTRACT_REVISION_EMAIL},
        {SB_CATEGORY_CRM, SB_CONTRACT_REVISION_CRM},
        {SB_CATEGORY_DRIVE, SB_CONTRACT_REVISION_DRIVE}};
    ASSERT_EQ(revisions.size(), categories.size());
    for (const auto& [category, revision] : revisions) {
        const ordered_json schema = read_schema(category);
        ASSERT_TRUE(schema.is_object()) << category;
        EXPECT_EQ(schema.at("x-revision"), revision) << category;
    }
}

TEST(Categories, ActionsMatchTheSchemas) {
    for (const auto& [category, actions] : actions_by_category) {
        const ordered_json schema = read_schema(category);
        ASSERT_TRUE(schema.is_object()) << category << ".schema.json is not valid JSON";
        EXPECT_EQ(schema.at("x-category"), category);
        std::vector<std::string> in_schema;
        for (const auto& [name, action] : schema.at("x-actions").items()) {
            in_schema.push_back(name);
            EXPECT_TRUE(action.contains("params") && action.contains("result")) << name;
        }
        std::vector<std::string> in_header;
        for (const auto& a : actions) in_header.push_back(a.value);
        EXPECT_EQ(in_header, in_schema) << category;
    }
}

} // namespace
