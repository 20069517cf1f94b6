// The webhook delivery's Prometheus metrics, registered in the registry the process shares:
//
//   switchboard_webhook_attempts_total{endpoint,result}   every delivery attempt; result:
//                                                         delivered, failed
//   switchboard_webhook_failures_total{endpoint,reason}   failed attempts by reason: http_<status>,
//                                                         or the transport error's code
//   switchboard_webhook_backlog{endpoint}                 deliveries not yet taken by the
//                                                         endpoint (all instances together)
//   switchboard_webhook_oldest_undelivered_age_seconds{endpoint}  how long the oldest of them
//                                                         has waited (0 with none)
//
// The gauges are read from the database on every poll of the delivery, so every instance
// shows the same backlog. Labels are endpoint names from the config and fixed words only.
#pragma once

#include <chrono>
#include <memory>
#include <string_view>

namespace prometheus {
class Registry;
}

namespace switchboard::events {

class EventMetrics {
public:
    // `registry` may be null: then nothing is counted.
    explicit EventMetrics(std::shared_ptr<prometheus::Registry> registry);
    ~EventMetrics();
    EventMetrics(const EventMetrics&) = delete;
    EventMetrics& operator=(const EventMetrics&) = delete;

    // [thread-safe] every method.
    void attempt(std::string_view endpoint, bool delivered, std::string_view failure_reason = {});
    void backlog(std::string_view endpoint, std::size_t deliveries,
                 std::chrono::duration<double> oldest_age);

    struct Families;

private:
    std::shared_ptr<Families> families_;
};

} // namespace switchboard::events
