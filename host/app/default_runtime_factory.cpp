#include "host/app/http_server_entry.hpp"

namespace switchboard::app {

RuntimeFactory default_runtime_factory() {
    return [](const config::Config& config, const config::Environment& environment,
              std::shared_ptr<const plugin::ProviderRegistry> providers,
              std::shared_ptr<const plugin::ConnectorFactory> factory,
              std::shared_ptr<prometheus::Registry> metrics)
               -> Result<std::unique_ptr<connectors::ConnectorRuntime>> {
        return connectors::ConnectorRuntime::create(config, environment, std::move(providers), std::move(factory),
                                                    std::move(metrics));
    };
}

} // namespace switchboard::app
