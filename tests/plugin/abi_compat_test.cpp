// ABI growth that works (plugin.h, "Compatibility"): a plugin built against the frozen 1.0
// header loads and runs on this 1.3 host; one built against a newer 1.4 loads with what it
// adds ignored; another major is refused naming both versions; a status is valid only when
// both sides' minors define it.
#include "core/plugin/connector_factory.hpp"
#include "core/plugin/plugin_loader.hpp"
#include "tests/plugin/plugin_test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace switchboard {
namespace {

using nlohmann::json;
using testing::CapturingLogger;
using testing::FakeCallContext;
using testing::deleted_ok;
using testing::PluginsDir;

class AbiCompatTest : public ::testing::Test {
protected:
    plugin::PluginLoader loader() const {
        plugin::HostServicesOptions options;
        options.logger = log_.logger();
        return plugin::PluginLoader(plugin::ContractCatalog::embedded(), options);
    }

    // `library` loaded alone and its first provider registered; nullptr on failure.
    std::unique_ptr<plugin::Connector> connect(std::string_view library) {
        auto lib = loader().load_library(dir_.add_library(library));
        EXPECT_TRUE(lib) << (lib ? "" : lib.error().message);
        if (!lib) {
            return nullptr;
        }
        lib_ = *lib;
        auto registry = std::make_shared<plugin::ProviderRegistry>();
        EXPECT_TRUE(registry->add(
            {std::make_shared<const plugin::ProviderDescriptor>((*lib)->providers().front()),
             config::ProviderConfig{}, *lib}));
        factory_ = std::make_unique<plugin::RegistryConnectorFactory>(
            registry, plugin::ContractCatalog::embedded());
        auto c = factory_->create((*lib)->providers().front().id, "tenant", "c-1");
        EXPECT_TRUE(c);
        return c ? std::move(*c) : nullptr;
    }

    static json parse(const std::string& text) { return json::parse(text); }

    PluginsDir dir_;
    CapturingLogger log_;
    std::shared_ptr<plugin::PluginLibrary> lib_;
    std::unique_ptr<plugin::RegistryConnectorFactory> factory_;
};

TEST_F(AbiCompatTest, APluginBuiltAgainstTheFrozen1_0HeaderLoadsAndWorks) {
    auto c = connect("abi_1_0");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(lib_->abi().major, 1u);
    EXPECT_EQ(lib_->abi().minor, 0u);
    EXPECT_EQ(lib_->table().struct_size, 88u) << "the 1.0 sb_plugin, as the frozen table says";
    const plugin::ProviderDescriptor& p = lib_->providers().front();
    EXPECT_EQ(p.id, "test_abi_1_0");
    EXPECT_EQ(p.oauth.identity_field, "/email");
    EXPECT_TRUE(p.oauth.identity_account_field.empty())
        << "a 1.0 sb_oauth_desc ends before identity_account_field";
    auto context = deleted_ok();
    auto outcome = c->invoke("delete_event", R"({"event_id":"e1"})", context);
    EXPECT_EQ(outcome.status, SB_STATUS_OK) << outcome.json;
    EXPECT_EQ(parse(outcome.json), json({{"deleted", true}, {"event_id", "e1"}}));
    EXPECT_EQ(context.requests().size(), 1u);
}

TEST_F(AbiCompatTest, ANewerMinorLoadsAndWhatItAddsIsIgnored) {
    auto c = connect("abi_minor");
    ASSERT_NE(c, nullptr) << "a plugin for 1.4 must load on a 1.3 host";
    EXPECT_EQ(lib_->abi().major, 1u);
    EXPECT_EQ(lib_->abi().minor, 4u);
    EXPECT_EQ(lib_->table().struct_size, sizeof(sb_plugin) + sizeof(void*))
        << "the declared size is kept; only sizeof(sb_plugin) bytes were read";
    const plugin::ProviderDescriptor& p = lib_->providers().front();
    EXPECT_EQ(p.id, "test_abi_minor");
    EXPECT_EQ(p.oauth.identity_account_field, "/account") << "1.1's field is read";
    // The 1.4 fields hold pointers that would crash if followed: the call shows none was.
    auto context = deleted_ok();
    auto outcome = c->invoke("delete_event", R"({"event_id":"e2"})", context);
    EXPECT_EQ(outcome.status, SB_STATUS_OK) << outcome.json;
}

TEST_F(AbiCompatTest, AnotherMajorIsRefusedNamingBothVersions) {
    auto lib = loader().load_library(dir_.add_library("abi_major"));
    ASSERT_FALSE(lib);
    EXPECT_EQ(lib.error().code, "abi_mismatch");
    EXPECT_EQ(lib.error().message,
              "built against ABI 2.0, another major version than this host's ABI 1.3 (rebuild "
              "the plugin against a 1.x SDK)");
}

TEST_F(AbiCompatTest, ConflictIsAStatusOfABI1_1Only) {
    auto current = connect("good_one");
    ASSERT_NE(current, nullptr);
    FakeCallContext context;
    auto conflict = current->invoke("delete_event", R"({"event_id":"sbt-status-8"})", context);
    EXPECT_EQ(conflict.status, SB_STATUS_CONFLICT);
    EXPECT_FALSE(conflict.from_host);
    EXPECT_EQ(parse(conflict.json)["code"], "contact_exists");

    // A 1.0 plugin cannot mean SB_STATUS_CONFLICT by 8: the lower version wins.
    auto old = connect("abi_1_0");
    ASSERT_NE(old, nullptr);
    auto unknown = old->invoke("delete_event", R"({"event_id":"sbt-status-8"})", context);
    EXPECT_EQ(unknown.status, SB_STATUS_INTERNAL);
    EXPECT_TRUE(unknown.from_host);
    EXPECT_EQ(parse(unknown.json)["code"], "plugin_contract_violation");
    EXPECT_NE(parse(unknown.json)["message"].get<std::string>().find(
                  "unknown status 8 (ABI 1.0 defines 0 to 7)"),
              std::string::npos)
        << unknown.json;
}

} // namespace
} // namespace switchboard
