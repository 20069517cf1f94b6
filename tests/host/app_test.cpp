// host/app without the command line: default paths, JSON log lines, the bad params the
// conformance check sends, and the Application's start-up failure.
#include "core/logging/logging.hpp"
#include "host/app/application.hpp"
#include "host/app/logging.hpp"
#include "host/app/paths.hpp"
#include "host/app/plugin_conformance.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

namespace switchboard {
namespace {

using nlohmann::json;

TEST(Paths, DefaultsFollowTheBuildAndInstallLayouts) {
    auto config = app::default_config_candidates("/src/repo/build/bin", "/home/me");
    ASSERT_EQ(config.size(), 4u);
    EXPECT_EQ(config[0], "/src/repo/config/switchboard.json");
    EXPECT_EQ(config[1], "/src/repo/build/etc/switchboard/switchboard.json");
    EXPECT_EQ(config[2], "/home/me/config/switchboard.json");
    EXPECT_EQ(config[3], "/etc/switchboard/switchboard.json");
    auto plugins = app::default_plugin_directories("/usr/local/bin");
    ASSERT_EQ(plugins.size(), 2u);
    EXPECT_EQ(plugins[0], "/usr/local/plugins");
    EXPECT_EQ(plugins[1], "/usr/local/lib/switchboard/plugins");
    EXPECT_FALSE(app::first_existing({"/nonexistent/a", "/nonexistent/b"}));
    EXPECT_EQ(app::first_existing({"/nonexistent/a", "/"}), std::filesystem::path("/"));
    EXPECT_TRUE(std::filesystem::exists(app::executable_directory()));
}

TEST(Logging, JsonLinesAreValidJsonWithTheMessageEscaped) {
    std::ostringstream stream;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream);
    sink->set_formatter(logging::make_formatter(logging::Format::json));
    spdlog::logger logger("switchboard", sink);
    logger.warn("quote \" backslash \\ newline \n tab \t and bad utf-8 \xff");
    logger.info("second");
    std::istringstream lines(stream.str());
    std::string first;
    std::string second;
    ASSERT_TRUE(std::getline(lines, first));
    ASSERT_TRUE(std::getline(lines, second));
    json a = json::parse(first);
    EXPECT_EQ(a["level"], "warning");
    EXPECT_EQ(a["logger"], "switchboard");
    EXPECT_EQ(a["message"].get<std::string>().substr(0, 38),
              "quote \" backslash \\ newline \n tab \t an");
    EXPECT_EQ(a["time"].get<std::string>().back(), 'Z');
    EXPECT_EQ(json::parse(second)["message"], "second");
}

TEST(Logging, LevelsMapToSpdlog) {
    EXPECT_EQ(app::to_spdlog_level(config::LogLevel::warning), spdlog::level::warn);
    EXPECT_EQ(app::to_spdlog_level(config::LogLevel::off), spdlog::level::off);
    EXPECT_EQ(app::to_spdlog_level(config::LogLevel::trace), spdlog::level::trace);
}

TEST(Conformance, BadParamsAreRefusedByTheContractItself) {
    const auto& catalog = plugin::ContractCatalog::embedded();
    for (const auto& category : catalog.categories()) {
        for (const auto& action : *catalog.actions(category)) {
            auto cases = app::bad_params_for(catalog, category, action);
            ASSERT_GE(cases.size(), 3u) << category << "." << action.name;
            for (const auto& bad : cases) {
                auto parsed = json::parse(bad.bytes, nullptr, false);
                if (!parsed.is_discarded()) {
                    EXPECT_FALSE(catalog.validate_params(category, action.name, parsed))
                        << category << "." << action.name << ": " << bad.label << " "
                        << bad.bytes;
                }
            }
        }
    }
    const auto* create = catalog.find_action("calendar", "create_event");
    auto cases = app::bad_params_for(catalog, "calendar", *create);
    EXPECT_EQ(cases[0].bytes, "{}");
    EXPECT_EQ(cases[1].label, "wrong field types");
    json wrong = json::parse(cases[1].bytes);
    EXPECT_EQ(wrong["summary"], 12345);
    EXPECT_TRUE(wrong["start"].is_array()) << "an object field gets an array";
    EXPECT_TRUE(wrong["attendees"].is_object()) << "an array field gets an object";
    EXPECT_EQ(wrong["video_conference"], "not a boolean");
    // list_emails has no required field, so "{}" is valid and not among the cases.
    auto list = app::bad_params_for(catalog, "email", *catalog.find_action("email", "list_emails"));
    for (const auto& bad : list) {
        EXPECT_NE(bad.bytes, "{}");
    }
}

TEST(ApplicationTest, FailsWhenThePluginsDirectoryIsMissing) {
    app::ApplicationOptions options;
    options.plugins_directory = "/nonexistent/switchboard/plugins";
    auto app = app::Application::create(std::move(options));
    ASSERT_FALSE(app);
    EXPECT_EQ(app.error().code, "plugins_directory_not_found");
}

} // namespace
} // namespace switchboard
