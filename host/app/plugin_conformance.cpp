#include "host/app/plugin_conformance.hpp"

#include "core/plugin/plugin_connector.hpp"
#include "core/plugin/plugin_loader.hpp"
#include "core/plugin/status.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::app {

namespace {

using nlohmann::json;

constexpr std::string_view kTenantId = "conformance-tenant";
constexpr std::string_view kConnectorId = "00000000-0000-4000-8000-00000000c0de";
constexpr std::string_view kUnknownAction = "sb_conformance_unknown_action";

// Records every request a plugin makes and fails it: bad params must never reach a provider.
class RecordingCallContext final : public plugin::CallContext {
public:
    Result<plugin::ProviderHttpResponse> http(const plugin::ProviderHttpRequest& request) override {
        requests.push_back(request.method + " " + request.path);
        return Error(ErrorKind::unavailable, "conformance_no_http",
                     "the conformance check performs no HTTP requests");
    }
    std::vector<std::string> requests;
};

// A value of the wrong type for `schema` (after following references).
json wrong_value(const plugin::ContractCatalog& catalog, const std::string& category,
                 const json& schema, std::uint32_t revision) {
    const json* s = &catalog.resolve(category, schema, revision);
    if (s->contains("allOf") && (*s)["allOf"].is_array() && !(*s)["allOf"].empty()) {
        s = &catalog.resolve(category, (*s)["allOf"][0], revision);
    }
    std::string type;
    if (s->contains("type")) {
        const json& t = (*s)["type"];
        type = t.is_array() && !t.empty() ? t[0].get<std::string>()
               : t.is_string()            ? t.get<std::string>()
                                          : "";
    }
    if (type == "integer" || type == "number") {
        return "not a number";
    }
    if (type == "boolean") {
        return "not a boolean";
    }
    if (type == "array") {
        return json{{"not", "an array"}};
    }
    if (type == "object") {
        return json::array({"not an object"});
    }
    return 12345; // strings, enums of strings, and anything untyped
}

std::string describe(const plugin::InvokeOutcome& outcome) {
    std::string text = "status " + std::to_string(outcome.status) + " (" +
                       std::string(plugin::status_name(outcome.status)) + ")";
    if (outcome.from_host) {
        auto error = json::parse(outcome.json, nullptr, false);
        if (error.is_object() && error.contains("message") && error["message"].is_string()) {
            text += ": " + error["message"].get<std::string>();
        }
    }
    return text;
}

class Checker {
public:
    Checker(ConformanceReport& report, const std::function<void(const ConformanceCheck&)>& sink)
        : report_(report), sink_(sink) {}

    bool record(std::string name, bool passed, std::string detail = {}) {
        report_.checks.push_back({std::move(name), passed, std::move(detail)});
        if (sink_) {
            sink_(report_.checks.back());
        }
        return passed;
    }

private:
    ConformanceReport& report_;
    const std::function<void(const ConformanceCheck&)>& sink_;
};

// Expects a refusal: INVALID_INPUT or UNSUPPORTED, written by the plugin (the host found no
// ABI violation, so the error object is valid), and no HTTP request attempted.
void expect_refusal(Checker& checker, plugin::PluginConnector& connector, const std::string& name,
                    std::string_view action, std::string_view bytes, bool unsupported_only) {
    RecordingCallContext context;
    std::size_t attempts = 0;
    plugin::InvokeOutcome outcome;
    try {
        outcome = connector.invoke_raw(action, bytes, context, &attempts);
    } catch (const std::exception& e) {
        checker.record(name, false, std::string("the host failed: ") + e.what());
        return;
    }
    bool status_ok = unsupported_only ? outcome.status == SB_STATUS_UNSUPPORTED
                                      : (outcome.status == SB_STATUS_INVALID_INPUT ||
                                         outcome.status == SB_STATUS_UNSUPPORTED);
    std::string detail;
    if (outcome.from_host) {
        detail = describe(outcome);
    } else if (!status_ok) {
        detail = "returned " + describe(outcome) + ", expected " +
                 (unsupported_only ? "unsupported" : "invalid_input or unsupported");
    }
    if (attempts > 0) {
        detail += std::string(detail.empty() ? "" : "; ") + "attempted " +
                  std::to_string(attempts) + " HTTP request(s) with invalid params";
    }
    bool passed = status_ok && !outcome.from_host && attempts == 0;
    checker.record(name, passed, passed ? describe(outcome) : detail);
}

} // namespace

bool ConformanceReport::passed() const noexcept {
    return !checks.empty() && failures() == 0;
}

std::size_t ConformanceReport::failures() const noexcept {
    std::size_t n = 0;
    for (const auto& c : checks) {
        n += c.passed ? 0 : 1;
    }
    return n;
}

std::vector<BadParams> bad_params_for(const plugin::ContractCatalog& catalog,
                                      const std::string& category,
                                      const plugin::ActionContract& action,
                                      std::uint32_t revision) {
    std::vector<BadParams> cases;
    const json* definition = catalog.definition(category, action.params_definition, revision);
    if (definition == nullptr) {
        return cases;
    }
    const json& schema = catalog.resolve(category, *definition, revision);
    auto refused = [&](const json& instance) {
        return !catalog.validate_params(category, action.name, instance, revision);
    };
    if (schema.contains("required") && !schema["required"].empty() && refused(json::object())) {
        cases.push_back({"{} (required fields missing)", "{}"});
    }
    if (schema.contains("properties") && schema["properties"].is_object()) {
        json wrong = json::object();
        for (const auto& [name, property] : schema["properties"].items()) {
            wrong[name] = wrong_value(catalog, category, property, revision);
        }
        if (!wrong.empty() && refused(wrong)) {
            cases.push_back({"wrong field types", wrong.dump()});
        }
    }
    cases.push_back({"a JSON array instead of an object", "[]"});
    cases.push_back({"non-JSON bytes", std::string("\x01\xfe{not json", 11)});
    cases.push_back({"empty params (0 bytes)", ""});
    return cases;
}

ConformanceReport check_plugin_conformance(
    const std::filesystem::path& file, const plugin::ContractCatalog& catalog,
    const plugin::HostServicesOptions& services,
    const std::function<void(const ConformanceCheck&)>& on_check) {
    ConformanceReport report;
    Checker checker(report, on_check);

    plugin::PluginLoader loader(catalog, services);
    auto loaded = loader.load_library(file);
    if (!loaded) {
        checker.record("load: open, entry function, ABI version, struct sizes, descriptors, init",
                       false, loaded.error().message);
        return report;
    }
    std::shared_ptr<plugin::PluginLibrary> library = std::move(*loaded);
    checker.record("load: open, entry function, ABI version, struct sizes, descriptors, init", true,
                   library->name() + " " + library->version() + ", ABI " +
                       std::to_string(library->abi().major) + "." +
                       std::to_string(library->abi().minor) + ", " +
                       std::to_string(library->providers().size()) + " provider(s)");

    std::vector<std::unique_ptr<plugin::PluginConnector>> connectors;
    for (const auto& provider : library->providers()) {
        std::string actions;
        for (const auto& a : provider.actions) {
            actions += (actions.empty() ? "" : ", ") + a;
        }
        checker.record(provider.id + ": descriptor and actions belong to the '" +
                           provider.category + "/" + std::to_string(provider.contract_revision) +
                           "' contract",
                       true, actions);

        plugin::ProviderEntry entry{std::make_shared<const plugin::ProviderDescriptor>(provider),
                                    config::ProviderConfig{}, library};
        auto connector = plugin::PluginConnector::create(entry, catalog, std::string(kTenantId),
                                                         std::string(kConnectorId));
        if (!checker.record(provider.id + ": create_connector", bool(connector),
                            connector ? std::string() : connector.error().message)) {
            continue;
        }
        for (const auto& action_name : provider.actions) {
            const plugin::ActionContract* action =
                catalog.find_action(provider.category, action_name, provider.contract_revision);
            if (action == nullptr) {
                continue; // the loader refused such libraries already
            }
            for (const auto& bad : bad_params_for(catalog, provider.category, *action,
                                                  provider.contract_revision)) {
                expect_refusal(checker, **connector,
                               provider.id + "." + action_name + " refuses " + bad.label,
                               action_name, bad.bytes, false);
            }
        }
        expect_refusal(checker, **connector,
                       provider.id + ": an unknown action returns unsupported", kUnknownAction,
                       "{}", true);
        connectors.push_back(std::move(*connector));
    }

    try {
        connectors.clear();
        library.reset();
        checker.record("destroy connectors, deinit and unload", true);
    } catch (const std::exception& e) {
        checker.record("destroy connectors, deinit and unload", false, e.what());
    }
    return report;
}

} // namespace switchboard::app
