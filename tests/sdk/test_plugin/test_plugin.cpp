// sdk_test_plugin.so: a plugin built with switchboard_add_plugin, for the tests that load a
// library by path (PluginUnderTest with dlopen) and check its exported symbols.
#include "switchboard/plugin.hpp"

#include <memory>
#include <string>
#include <vector>

namespace {

namespace sdk = switchboard::sdk;

class DriveConnector final : public sdk::Connector {
public:
    sdk::Outcome invoke(sdk::Call& call, std::string_view, std::string_view) override {
        const sdk::HttpResponse response = call.get("/files");
        if (!response.ok()) return sdk::error_from_response(response);
        return sdk::Outcome::success(R"({"files":)" + response.body + "}");
    }
};

class TestPlugin final : public sdk::Plugin {
public:
    static constexpr const char* plugin_name = "sdk_test_plugin";
    static constexpr const char* plugin_version = "0.0.1";

    std::vector<sdk::ProviderSpec> providers() const override {
        sdk::ProviderSpec spec;
        spec.id = "test_drive";
        spec.category = SB_CATEGORY_DRIVE;
        spec.display_name = "Test Drive";
        spec.description = "A drive provider for the SDK's own tests.";
        spec.oauth.authorize_url = "https://auth.example.com/authorize";
        spec.oauth.token_url = "https://auth.example.com/token";
        spec.oauth.default_scopes = {"files"};
        spec.api_base_url = "https://api.example.com";
        spec.actions = {SB_ACTION_DRIVE_LIST_FILES};
        return {spec};
    }
    std::unique_ptr<sdk::Connector> create_connector(const sdk::ConnectorInfo&) override {
        return std::make_unique<DriveConnector>();
    }
};

} // namespace

SWITCHBOARD_PLUGIN(TestPlugin)
