// An in-process plugin that crashes takes the host with it; its last words name the call:
// one line on stderr (written by an async-signal-safe handler), then death by the signal.
#include "core/plugin/connector_factory.hpp"
#include "core/plugin/fatal_signal_report.hpp"
#include "core/plugin/plugin_loader.hpp"
#include "tests/plugin/plugin_test_support.hpp"

#include <gtest/gtest.h>

#include <csignal>

namespace switchboard {
namespace {

using testing::CapturingLogger;
using testing::FakeCallContext;
using testing::PluginsDir;

TEST(FatalSignalContext, FormatsTheCallAndNests) {
    EXPECT_TRUE(plugin::current_fatal_signal_context().empty());
    {
        plugin::FatalSignalContext outer("hubspot.so", "hubspot", "create_contact", "c-1");
        EXPECT_EQ(plugin::current_fatal_signal_context(),
                  "library hubspot.so, provider hubspot, action create_contact, connector c-1");
        {
            plugin::FatalSignalContext inner("x.so", "x", "a\nb", "c");
            EXPECT_EQ(plugin::current_fatal_signal_context(),
                      "library x.so, provider x, action a?b, connector c")
                << "one line, whatever the names hold";
        }
        EXPECT_EQ(plugin::current_fatal_signal_context(),
                  "library hubspot.so, provider hubspot, action create_contact, connector c-1");
    }
    EXPECT_TRUE(plugin::current_fatal_signal_context().empty());
}

// Runs in the death test's child: loads the crashing library in-process and calls it.
void call_the_crashing_plugin() {
    PluginsDir dir;
    dir.add_library("crashes");
    CapturingLogger log;
    plugin::HostServicesOptions options;
    options.logger = log.logger();
    plugin::PluginLoader loader(plugin::ContractCatalog::embedded(), options);
    auto registry = std::make_shared<plugin::ProviderRegistry>();
    std::map<std::string, config::ProviderConfig> providers;
    providers["test_crashes"] = testing::provider_in("crashes");
    if (!loader.load_directory(dir.path(), providers, *registry) || registry->empty()) {
        std::_Exit(100);
    }
    plugin::RegistryConnectorFactory factory(registry, plugin::ContractCatalog::embedded());
    auto connector = factory.create("test_crashes", "tenant-1", "conn-7");
    if (!connector) {
        std::_Exit(101);
    }
    FakeCallContext context;
    (void)(*connector)->invoke("delete_event", R"({"event_id":"e1"})", context);
    std::_Exit(0); // not reached: the plugin raises SIGSEGV
}

TEST(FatalSignalReportDeathTest, AnInProcessCrashNamesTheCallThenDiesByTheSignal) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(call_the_crashing_plugin(), ::testing::KilledBySignal(SIGSEGV),
                "switchboard: fatal signal 11 \\(SIGSEGV\\) in a plugin call: library "
                "sbt_crashes.so, provider test_crashes, action delete_event, connector conn-7");
}

} // namespace
} // namespace switchboard
