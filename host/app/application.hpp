// Everything the running host is made of, built once at start-up: the config, the category
// contracts, the plugins (registry) and the connector factory. The HTTP server's routes use
// it; `switchboard serve` builds it and hands it to run_http_server().
#pragma once

#include "core/common/error.hpp"
#include "core/config/config.hpp"
#include "core/plugin/connector_factory.hpp"
#include "core/plugin/contract_catalog.hpp"
#include "core/plugin/host_services.hpp"
#include "core/plugin/plugin_loader.hpp"
#include "core/plugin/provider_registry.hpp"

#include <filesystem>
#include <memory>

namespace switchboard::app {

struct ApplicationOptions {
    config::Config config;
    // The resolved plugins directory (see host/app/paths.hpp for the defaults).
    std::filesystem::path plugins_directory;
    // Logger and clock handed to plugins; defaults are spdlog's default logger and the
    // system clock.
    plugin::HostServicesOptions services;
    plugin::OutputLimits output_limits;
};

class Application {
public:
    // Loads the plugins and builds the registry and factory. Fails (unavailable/not_found)
    // only when the plugins directory cannot be read; bad libraries are skipped and logged.
    // [main-thread]
    static Result<std::unique_ptr<Application>> create(ApplicationOptions options);

    Application(const Application&) = delete;
    Application& operator=(const Application&) = delete;

    const config::Config& config() const noexcept { return options_.config; }
    const plugin::ContractCatalog& contracts() const noexcept {
        return plugin::ContractCatalog::embedded();
    }
    const plugin::ProviderRegistry& providers() const noexcept { return *registry_; }
    std::shared_ptr<const plugin::ProviderRegistry> provider_registry() const noexcept {
        return registry_;
    }
    // [thread-safe]
    const plugin::ConnectorFactory& connectors() const noexcept { return *factory_; }
    // The same, shared, for the ConnectorRuntime (which outlives nothing it shares).
    std::shared_ptr<const plugin::ConnectorFactory> connector_factory() const noexcept {
        return factory_;
    }
    const plugin::PluginLoadReport& plugin_report() const noexcept { return report_; }
    const std::filesystem::path& plugins_directory() const noexcept {
        return options_.plugins_directory;
    }

private:
    explicit Application(ApplicationOptions options) : options_(std::move(options)) {}

    ApplicationOptions options_;
    std::shared_ptr<const plugin::ProviderRegistry> registry_;
    std::shared_ptr<plugin::RegistryConnectorFactory> factory_;
    plugin::PluginLoadReport report_;
};

} // namespace switchboard::app
