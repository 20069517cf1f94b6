#include "host/app/http_server_entry.hpp"

namespace switchboard {

RuntimeFactory default_runtime_factory() {
    // The connector services (core/connectors) land separately; this is the one function to
    // point at connectors::ConnectorRuntime::create when they do.
    return [](const Config&, const Environment&, std::shared_ptr<const ProviderRegistry>,
              std::shared_ptr<const ConnectorFactory>, std::shared_ptr<prometheus::Registry>)
               -> Result<std::unique_ptr<connectors::ConnectorRuntime>> {
        return Error(ErrorKind::unsupported, "services_not_integrated",
                     "unsupported: the connector services are not integrated in this build");
    };
}

} // namespace switchboard
