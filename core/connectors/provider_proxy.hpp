// ProviderProxy: the ProxyService behind /api/v1/connectors/{id}/proxy/{path...} (see
// proxy_service.hpp for what it promises). The connector is checked as the actions check it
// (ConnectorManager::active_connector), the target by proxy_target.hpp, the headers by
// proxy_headers.hpp; the access token comes from the TokenManager (a 401 refreshes it once and
// the request goes again when its body can start over: kept in memory up to
// replay_buffer_bytes, or not yet sent because the provider refused it on Expect:
// 100-continue, which a larger body asks for); the bodies stream through the HTTP client's
// open().
#pragma once

#include "core/connectors/connector_manager.hpp"
#include "core/connectors/provider_directory.hpp"
#include "core/connectors/proxy_options.hpp"
#include "core/connectors/proxy_service.hpp"
#include "core/connectors/token_manager.hpp"
#include "core/http/http_client.hpp"
#include "core/store/action_audit_log.hpp"

#include <chrono>
#include <memory>

namespace switchboard::connectors {

struct ProviderProxyParts {
    std::shared_ptr<ConnectorManager> connectors;
    std::shared_ptr<const ProviderDirectory> providers;
    std::shared_ptr<TokenManager> tokens;
    std::shared_ptr<http::HttpClient> http;
    std::shared_ptr<store::ActionAuditLog> audit;
};

class ProviderProxy final : public ProxyService {
public:
    ProviderProxy(ProviderProxyParts parts, ProxyOptions options);

    Result<ProxyResponse> forward(const auth::Principal& caller,
                                  const ProxyRequest& request) override;

    const ProxyOptions& options() const noexcept { return options_; }

private:
    Result<ProxyResponse> exchange(const ProxyRequest& request,
                                   const store::ConnectorSummary& connector,
                                   const plugin::ProviderDescriptor& provider,
                                   store::ActionAuditEntry& audit,
                                   std::chrono::steady_clock::time_point started);
    void record(store::ActionAuditEntry entry);

    ProviderProxyParts parts_;
    ProxyOptions options_;
};

} // namespace switchboard::connectors
