#include "tests/plugins/support/plugin_sim_harness.hpp"

#include "core/http/beast_http_client.hpp"
#include "core/plugin/connector_factory.hpp"
#include "core/plugin/contract_catalog.hpp"
#include "core/plugin/plugin_loader.hpp"
#include "core/plugin/provider_registry.hpp"

#include <boost/url/parse.hpp>
#include <gtest/gtest.h>

#include <utility>

#ifndef SB_PLUGINS_DIR
#error "SB_PLUGINS_DIR must name the build's plugins directory"
#endif

namespace switchboard::testing {

namespace {

// "https://www.googleapis.com" -> "<sim>/www.googleapis.com": each real host is a path
// prefix of the simulator (see tests/provider_sim/README.md).
std::string simulated_url(const sim::ProviderSim& sim, const std::string& real_url) {
    const auto parsed = boost::urls::parse_uri(real_url);
    if (!parsed) return {};
    std::string host_and_path = std::string(parsed->encoded_host());
    host_and_path += std::string(parsed->encoded_path());
    return sim.url(host_and_path);
}

// Serves the plugin's requests from the simulator with the issued bearer token.
class SimCallContext final : public plugin::CallContext {
public:
    SimCallContext(http::HttpClient& client, std::string base_url, std::string token,
                   std::vector<plugin::ProviderHttpRequest>& log)
        : client_(client), base_url_(std::move(base_url)), token_(std::move(token)), log_(log) {}

    Result<plugin::ProviderHttpResponse> http(const plugin::ProviderHttpRequest& request) override {
        log_.push_back(request);
        http::HttpRequest outbound;
        outbound.method = request.method;
        outbound.url = base_url_ + request.path;
        for (const auto& header : request.headers) {
            outbound.headers.emplace_back(header.name, header.value);
        }
        outbound.headers.emplace_back("Authorization", "Bearer " + token_);
        outbound.body = request.body;
        http::RequestOptions options;
        options.metrics_label = "sim";
        auto response = client_.send(outbound, options);
        if (!response) return response.error();
        plugin::ProviderHttpResponse out;
        out.status = response->status;
        for (const auto& [name, value] : response->headers) out.headers.push_back({name, value});
        out.body = std::move(response->body);
        return out;
    }

private:
    http::HttpClient& client_;
    std::string base_url_;
    std::string token_;
    std::vector<plugin::ProviderHttpRequest>& log_;
};

} // namespace

struct PluginSimHarness::Impl {
    PluginSimOptions options;
    std::unique_ptr<sim::ProviderSim> sim;
    std::shared_ptr<plugin::ProviderRegistry> registry;
    std::unique_ptr<plugin::RegistryConnectorFactory> factory;
    std::unique_ptr<plugin::Connector> connector;
    std::unique_ptr<http::BeastHttpClient> client;
    std::shared_ptr<const plugin::ProviderDescriptor> descriptor;
    std::string access_token;
    std::vector<plugin::ProviderHttpRequest> requests;
};

PluginSimHarness::PluginSimHarness(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PluginSimHarness::~PluginSimHarness() {
    // The connector before the library it came from; the simulator last.
    if (impl_) {
        impl_->connector.reset();
        impl_->factory.reset();
        impl_->registry.reset();
    }
}

std::unique_ptr<PluginSimHarness> PluginSimHarness::start(std::string provider_id) {
    PluginSimOptions options;
    options.provider_id = std::move(provider_id);
    return start(std::move(options));
}

std::unique_ptr<PluginSimHarness> PluginSimHarness::start(PluginSimOptions options) {
    auto impl = std::make_unique<Impl>();
    impl->options = std::move(options);
    const std::string& id = impl->options.provider_id;

    auto sim = sim::ProviderSim::start(impl->options.sim);
    if (!sim) {
        ADD_FAILURE() << "provider simulator did not start: " << sim.error().message;
        return nullptr;
    }
    impl->sim = std::move(*sim);

    const auto& catalog = plugin::ContractCatalog::embedded();
    plugin::PluginLoader loader(catalog);
    const std::filesystem::path file = std::filesystem::path(SB_PLUGINS_DIR) / (id + ".so");
    auto library = loader.load_library(file);
    if (!library) {
        ADD_FAILURE() << "cannot load " << file << ": " << library.error().message;
        return nullptr;
    }
    const plugin::ProviderDescriptor* original = nullptr;
    for (const auto& provider : (*library)->providers()) {
        if (provider.id == id) original = &provider;
    }
    if (original == nullptr) {
        ADD_FAILURE() << file << " has no provider " << id;
        return nullptr;
    }

    config::ProviderConfig config;
    config.overrides.api_base_url = simulated_url(*impl->sim, original->api_base_url);
    config.overrides.authorize_url = simulated_url(*impl->sim, original->oauth.authorize_url);
    config.overrides.token_url = simulated_url(*impl->sim, original->oauth.token_url);
    if (!original->oauth.revoke_url.empty()) {
        config.overrides.revoke_url = simulated_url(*impl->sim, original->oauth.revoke_url);
    }
    impl->descriptor = std::make_shared<const plugin::ProviderDescriptor>(
        plugin::apply_overrides(*original, config.overrides));

    impl->registry = std::make_shared<plugin::ProviderRegistry>();
    if (auto added = impl->registry->add({impl->descriptor, config, *library}); !added) {
        ADD_FAILURE() << "cannot register " << id << ": " << added.error().message;
        return nullptr;
    }
    impl->factory = std::make_unique<plugin::RegistryConnectorFactory>(impl->registry, catalog);
    auto connector = impl->factory->create(id, "tenant-1", "00000000-0000-4000-8000-000000000001");
    if (!connector) {
        ADD_FAILURE() << "cannot create a " << id << " connector: " << connector.error().message;
        return nullptr;
    }
    impl->connector = std::move(*connector);

    http::BeastHttpClientOptions client_options;
    client_options.allow_plain_http_loopback = true;
    client_options.max_attempts = impl->options.max_attempts;
    client_options.base_backoff = impl->options.base_backoff;
    client_options.max_backoff = impl->options.max_backoff;
    auto client = http::BeastHttpClient::create(std::move(client_options));
    if (!client) {
        ADD_FAILURE() << "cannot create the HTTP client: " << client.error().message;
        return nullptr;
    }
    impl->client = std::move(*client);

    std::vector<std::string> scopes = impl->options.scopes;
    if (scopes.empty()) scopes = original->oauth.default_scopes;
    const auto provider = original->category == "crm" ? sim::Provider::hubspot : sim::Provider::google;
    impl->access_token =
        impl->sim->issue_tokens(provider, impl->options.user, std::move(scopes)).access_token;

    return std::unique_ptr<PluginSimHarness>(new PluginSimHarness(std::move(impl)));
}

sim::ProviderSim& PluginSimHarness::sim() { return *impl_->sim; }
const plugin::ProviderDescriptor& PluginSimHarness::provider() const { return *impl_->descriptor; }
const std::string& PluginSimHarness::access_token() const { return impl_->access_token; }
const std::vector<plugin::ProviderHttpRequest>& PluginSimHarness::last_requests() const {
    return impl_->requests;
}
void PluginSimHarness::set_access_token(std::string token) { impl_->access_token = std::move(token); }

plugin::InvokeOutcome PluginSimHarness::invoke(std::string_view action,
                                               std::string_view params_json) {
    impl_->requests.clear();
    SimCallContext context(*impl_->client, impl_->descriptor->api_base_url, impl_->access_token,
                           impl_->requests);
    return impl_->connector->invoke(action, params_json, context);
}

} // namespace switchboard::testing
