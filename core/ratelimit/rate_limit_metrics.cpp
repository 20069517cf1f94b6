#include "core/ratelimit/rate_limit_metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <string>

namespace switchboard::ratelimit {

struct RateLimitMetrics::Families {
    explicit Families(std::shared_ptr<prometheus::Registry> owner)
        : registry(std::move(owner)),
          decisions(prometheus::BuildCounter()
                        .Name("switchboard_rate_limit_decisions_total")
                        .Help("Outbound calls to providers by rate-limit decision")
                        .Register(*registry)),
          waits(prometheus::BuildHistogram()
                    .Name("switchboard_rate_limit_wait_seconds")
                    .Help("How long calls admitted by the rate limits waited")
                    .Register(*registry)),
          store_failures(prometheus::BuildCounter()
                             .Name("switchboard_rate_limit_store_failures_total")
                             .Help("Rate-limit decisions the shared buckets could not make")
                             .Register(*registry)) {}

    std::shared_ptr<prometheus::Registry> registry;
    prometheus::Family<prometheus::Counter>& decisions;
    prometheus::Family<prometheus::Histogram>& waits;
    prometheus::Family<prometheus::Counter>& store_failures;
};

RateLimitMetrics::RateLimitMetrics(std::shared_ptr<prometheus::Registry> registry)
    : families_(registry ? std::make_shared<Families>(std::move(registry)) : nullptr) {}

RateLimitMetrics::~RateLimitMetrics() = default;

void RateLimitMetrics::decision(std::string_view provider, std::string_view decision,
                                std::chrono::duration<double> waited) {
    if (!families_) return;
    const std::string id = provider.empty() ? std::string("unknown") : std::string(provider);
    families_->decisions.Add({{"provider", id}, {"decision", std::string(decision)}}).Increment();
    if (decision == "admitted" || decision == "waited") {
        static const prometheus::Histogram::BucketBoundaries buckets = {
            0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
        families_->waits.Add({{"provider", id}}, buckets).Observe(waited.count());
    }
}

void RateLimitMetrics::store_failure() {
    if (!families_) return;
    families_->store_failures.Add({}).Increment();
}

} // namespace switchboard::ratelimit
