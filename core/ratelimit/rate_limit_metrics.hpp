// The rate limiter's Prometheus metrics:
//
//   switchboard_rate_limit_decisions_total{provider,decision}   admitted (at once), waited
//                                                               (admitted after a wait), refused
//                                                               (429), unchecked (the buckets'
//                                                               store failed and nothing else
//                                                               could decide)
//   switchboard_rate_limit_wait_seconds{provider}               how long admitted calls waited
//   switchboard_rate_limit_store_failures_total                 the shared buckets (Redis) failed
//                                                               and the local ones decided
//
// Labels are provider ids only (never a tenant: the label set would grow with them).
#pragma once

#include <chrono>
#include <memory>
#include <string_view>

namespace prometheus {
class Registry;
}

namespace switchboard::ratelimit {

class RateLimitMetrics {
public:
    // `registry` may be null: then nothing is counted.
    explicit RateLimitMetrics(std::shared_ptr<prometheus::Registry> registry);
    ~RateLimitMetrics();
    RateLimitMetrics(const RateLimitMetrics&) = delete;
    RateLimitMetrics& operator=(const RateLimitMetrics&) = delete;

    // [thread-safe]
    void decision(std::string_view provider, std::string_view decision,
                  std::chrono::duration<double> waited = {});
    void store_failure();

    struct Families;

private:
    std::shared_ptr<Families> families_;
};

} // namespace switchboard::ratelimit
