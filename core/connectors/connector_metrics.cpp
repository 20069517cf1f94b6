#include "core/connectors/connector_metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <string>

namespace switchboard::connectors {

struct ConnectorMetrics::Families {
    explicit Families(std::shared_ptr<prometheus::Registry> owner)
        : registry(std::move(owner)),
          oauth_flows(prometheus::BuildCounter()
                          .Name("switchboard_oauth_flows_total")
                          .Help("OAuth connection flows by provider and outcome (started, "
                                "completed, failed)")
                          .Register(*registry)),
          token_refreshes(prometheus::BuildCounter()
                              .Name("switchboard_token_refreshes_total")
                              .Help("Access token refreshes by provider and outcome")
                              .Register(*registry)),
          plugin_calls(prometheus::BuildCounter()
                           .Name("switchboard_plugin_calls_total")
                           .Help("Plugin action calls by provider, action and status")
                           .Register(*registry)),
          plugin_faults(prometheus::BuildCounter()
                            .Name("switchboard_plugin_faults_total")
                            .Help("Plugin calls the plugin itself failed (timeout, crashed, "
                                  "contract_violation, unavailable), by provider and mode")
                            .Register(*registry)),
          plugin_durations(prometheus::BuildHistogram()
                               .Name("switchboard_plugin_call_duration_seconds")
                               .Help("Duration of plugin action calls")
                               .Register(*registry)),
          provider_requests(prometheus::BuildCounter()
                                .Name("switchboard_provider_http_requests_total")
                                .Help("HTTP requests sent to providers, by provider and status")
                                .Register(*registry)) {}

    std::shared_ptr<prometheus::Registry> registry;
    prometheus::Family<prometheus::Counter>& oauth_flows;
    prometheus::Family<prometheus::Counter>& token_refreshes;
    prometheus::Family<prometheus::Counter>& plugin_calls;
    prometheus::Family<prometheus::Counter>& plugin_faults;
    prometheus::Family<prometheus::Histogram>& plugin_durations;
    prometheus::Family<prometheus::Counter>& provider_requests;
};

namespace {

std::string label(std::string_view value) {
    return value.empty() ? std::string("unknown") : std::string(value);
}

const prometheus::Histogram::BucketBoundaries& duration_buckets() {
    static const prometheus::Histogram::BucketBoundaries buckets = {
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    return buckets;
}

class PrometheusHttpObserver final : public http::HttpMetricsObserver {
public:
    explicit PrometheusHttpObserver(std::shared_ptr<ConnectorMetrics::Families> families)
        : families_(std::move(families)) {}

    void on_attempt(const http::HttpAttemptEvent& event) noexcept override {
        if (!families_) return;
        try {
            std::string status = event.status != 0 ? std::to_string(event.status)
                                                   : label(event.error_code);
            families_->provider_requests.Add({{"provider", label(event.label)}, {"status", status}})
                .Increment();
        } catch (...) {
            // Metrics must never break a request.
        }
    }
    void on_complete(const http::HttpCompletionEvent&) noexcept override {}

private:
    std::shared_ptr<ConnectorMetrics::Families> families_;
};

} // namespace

ConnectorMetrics::ConnectorMetrics(std::shared_ptr<prometheus::Registry> registry)
    : families_(registry ? std::make_shared<Families>(std::move(registry)) : nullptr) {}

ConnectorMetrics::~ConnectorMetrics() = default;

void ConnectorMetrics::oauth_flow(std::string_view provider, std::string_view outcome) {
    if (!families_) return;
    families_->oauth_flows.Add({{"provider", label(provider)}, {"outcome", label(outcome)}})
        .Increment();
}

void ConnectorMetrics::token_refresh(std::string_view provider, std::string_view outcome) {
    if (!families_) return;
    families_->token_refreshes.Add({{"provider", label(provider)}, {"outcome", label(outcome)}})
        .Increment();
}

void ConnectorMetrics::plugin_call(std::string_view provider, std::string_view action,
                                   std::string_view status,
                                   std::chrono::duration<double> duration) {
    if (!families_) return;
    families_->plugin_calls
        .Add({{"provider", label(provider)}, {"action", label(action)}, {"status", label(status)}})
        .Increment();
    families_->plugin_durations
        .Add({{"provider", label(provider)}, {"action", label(action)}}, duration_buckets())
        .Observe(duration.count());
}

void ConnectorMetrics::plugin_fault(std::string_view provider, std::string_view mode,
                                    std::string_view fault) {
    if (!families_) return;
    families_->plugin_faults
        .Add({{"provider", label(provider)}, {"mode", label(mode)}, {"fault", label(fault)}})
        .Increment();
}

std::shared_ptr<http::HttpMetricsObserver> ConnectorMetrics::http_observer() {
    return std::make_shared<PrometheusHttpObserver>(families_);
}

} // namespace switchboard::connectors
