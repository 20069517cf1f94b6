// The connector services' Prometheus metrics, registered in the registry the process shares:
//
//   switchboard_oauth_flows_total{provider,outcome}          started, parked (pending its
//                                                            confirmation), completed, failed,
//                                                            refused (confirmed by another
//                                                            principal), discarded (a pending
//                                                            connection's tokens revoked)
//   switchboard_token_refreshes_total{provider,outcome}      succeeded, revoked, failed,
//                                                            superseded (another instance did)
//   switchboard_plugin_calls_total{provider,action,status}   status: the plugin's sb_status name
//   switchboard_plugin_call_duration_seconds{provider,action}
//   switchboard_plugin_faults_total{provider,mode,fault}     the plugin itself failed a call:
//                                                            fault timeout (in_process: its
//                                                            thread was abandoned; isolated:
//                                                            its process was killed), crashed,
//                                                            contract_violation, unavailable
//   switchboard_provider_http_requests_total{provider,status} each HTTP attempt to a provider
//                                                            (status code, or the transport
//                                                            error code when none came back)
//
// Label values are provider ids, declared action names and fixed words only — never a URL,
// a token, a tenant or anything else a request could choose ("unknown" stands in for an
// undeclared action or provider).
#pragma once

#include "core/http/http_metrics_observer.hpp"

#include <chrono>
#include <memory>
#include <string_view>

namespace prometheus {
class Registry;
}

namespace switchboard::connectors {

class ConnectorMetrics {
public:
    // `registry` may be null: then nothing is counted. The metrics (and the HTTP observer)
    // keep the registry alive.
    explicit ConnectorMetrics(std::shared_ptr<prometheus::Registry> registry);
    ~ConnectorMetrics();
    ConnectorMetrics(const ConnectorMetrics&) = delete;
    ConnectorMetrics& operator=(const ConnectorMetrics&) = delete;

    // [thread-safe] every method.
    void oauth_flow(std::string_view provider, std::string_view outcome);
    void token_refresh(std::string_view provider, std::string_view outcome);
    void plugin_call(std::string_view provider, std::string_view action, std::string_view status,
                     std::chrono::duration<double> duration);
    void plugin_fault(std::string_view provider, std::string_view mode, std::string_view fault);

    // The observer to give the outbound HTTP client (its metrics_label is the provider id).
    std::shared_ptr<http::HttpMetricsObserver> http_observer();

    struct Families;

private:
    std::shared_ptr<Families> families_;
};

} // namespace switchboard::connectors
