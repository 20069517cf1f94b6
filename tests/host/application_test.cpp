// The Application and the conformance check over real test libraries.
#include "host/app/application.hpp"
#include "host/app/plugin_conformance.hpp"
#include "tests/plugin/plugin_test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace switchboard {
namespace {

using testing::CapturingLogger;
using testing::FakeCallContext;
using testing::PluginsDir;

plugin::HostServicesOptions quiet(const CapturingLogger& log) {
    plugin::HostServicesOptions options;
    options.logger = log.logger();
    return options;
}

TEST(ApplicationWithPlugins, BuildsRegistryAndFactoryFromTheConfig) {
    PluginsDir dir;
    dir.add_library("good_one");
    dir.add_library("good_two");
    dir.add_library("abi_major");
    CapturingLogger log;
    app::ApplicationOptions options;
    options.config.providers["test_calendar"] = testing::provider_in("good_one");
    options.config.providers["test_crm"] = testing::provider_in("good_two");
    options.plugins_directory = dir.path();
    options.services = quiet(log);
    auto app = app::Application::create(std::move(options));
    ASSERT_TRUE(app) << app.error().message;
    EXPECT_EQ((*app)->providers().size(), 2u);
    EXPECT_TRUE((*app)->plugin_report().skipped.empty())
        << "abi_major is named by no enabled provider: it is not even opened";
    EXPECT_EQ((*app)->plugin_report().providers.size(), 3u) << "test_drive: loaded, not enabled";

    auto connector = (*app)->connectors().create("test_crm", "tenant", "conn");
    ASSERT_TRUE(connector) << connector.error().message;
    FakeCallContext context([](const plugin::ProviderHttpRequest&)
                                -> Result<plugin::ProviderHttpResponse> {
        return plugin::ProviderHttpResponse{200, {}, R"({"id":"c1","email":"ada@example.com"})"};
    });
    auto outcome = (*connector)->invoke("get_contact", R"({"contact_id":"c1"})", context);
    EXPECT_EQ(outcome.status, SB_STATUS_OK) << outcome.json;
    EXPECT_FALSE((*app)->connectors().create("test_drive", "tenant", "conn"))
        << "not enabled in the config";
}

TEST(ConformanceCheck, PassesTheGoodLibraries) {
    for (const char* name : {"good_one", "good_two"}) {
        CapturingLogger log;
        std::vector<std::string> seen;
        auto report = app::check_plugin_conformance(
            testing::test_library(name), plugin::ContractCatalog::embedded(), quiet(log),
            [&](const app::ConformanceCheck& c) { seen.push_back(c.name); });
        EXPECT_TRUE(report.passed()) << name;
        EXPECT_EQ(seen.size(), report.checks.size()) << "every check is reported as it happens";
        for (const auto& c : report.checks) {
            EXPECT_TRUE(c.passed) << c.name << ": " << c.detail;
        }
    }
}

TEST(ConformanceCheck, FailsALibraryThatTrustsItsParams) {
    CapturingLogger log;
    auto report = app::check_plugin_conformance(testing::test_library("sloppy"),
                                                plugin::ContractCatalog::embedded(), quiet(log));
    EXPECT_FALSE(report.passed());
    EXPECT_EQ(report.failures(), 6u);
    for (const auto& c : report.checks) {
        if (!c.passed) {
            EXPECT_NE(c.detail.find("HTTP request"), std::string::npos) << c.name;
        }
    }
}

TEST(ConformanceCheck, StopsAtALibraryTheHostRefuses) {
    CapturingLogger log;
    auto report = app::check_plugin_conformance(testing::test_library("missing_field"),
                                                plugin::ContractCatalog::embedded(), quiet(log));
    ASSERT_EQ(report.checks.size(), 1u);
    EXPECT_FALSE(report.checks[0].passed);
    EXPECT_NE(report.checks[0].detail.find("display_name is missing"), std::string::npos);
}

} // namespace
} // namespace switchboard
