#include "core/events/event_metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <string>

namespace switchboard::events {

struct EventMetrics::Families {
    explicit Families(std::shared_ptr<prometheus::Registry> owner)
        : registry(std::move(owner)),
          attempts(prometheus::BuildCounter()
                       .Name("switchboard_webhook_attempts_total")
                       .Help("Webhook delivery attempts by endpoint and result (delivered, "
                             "failed)")
                       .Register(*registry)),
          failures(prometheus::BuildCounter()
                       .Name("switchboard_webhook_failures_total")
                       .Help("Failed webhook delivery attempts by endpoint and reason")
                       .Register(*registry)),
          backlog(prometheus::BuildGauge()
                      .Name("switchboard_webhook_backlog")
                      .Help("Webhook deliveries not yet taken by their endpoint")
                      .Register(*registry)),
          oldest_age(prometheus::BuildGauge()
                         .Name("switchboard_webhook_oldest_undelivered_age_seconds")
                         .Help("Age of the oldest webhook delivery not yet taken by its "
                               "endpoint")
                         .Register(*registry)) {}

    std::shared_ptr<prometheus::Registry> registry;
    prometheus::Family<prometheus::Counter>& attempts;
    prometheus::Family<prometheus::Counter>& failures;
    prometheus::Family<prometheus::Gauge>& backlog;
    prometheus::Family<prometheus::Gauge>& oldest_age;
};

EventMetrics::EventMetrics(std::shared_ptr<prometheus::Registry> registry)
    : families_(registry ? std::make_shared<Families>(std::move(registry)) : nullptr) {}

EventMetrics::~EventMetrics() = default;

void EventMetrics::attempt(std::string_view endpoint, bool delivered,
                           std::string_view failure_reason) {
    if (!families_) return;
    const std::string name(endpoint);
    families_->attempts.Add({{"endpoint", name}, {"result", delivered ? "delivered" : "failed"}})
        .Increment();
    if (!delivered) {
        families_->failures
            .Add({{"endpoint", name},
                  {"reason", failure_reason.empty() ? "unknown" : std::string(failure_reason)}})
            .Increment();
    }
}

void EventMetrics::backlog(std::string_view endpoint, std::size_t deliveries,
                           std::chrono::duration<double> oldest_age) {
    if (!families_) return;
    const std::string name(endpoint);
    families_->backlog.Add({{"endpoint", name}}).Set(static_cast<double>(deliveries));
    families_->oldest_age.Add({{"endpoint", name}}).Set(oldest_age.count());
}

} // namespace switchboard::events
