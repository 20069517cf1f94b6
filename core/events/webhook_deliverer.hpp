// WebhookDeliverer: a thread that, every poll interval, claims the due webhook deliveries of
// each configured endpoint (WebhookQueue: a lease each, of each connector only its oldest
// undelivered event), POSTs each event's JSON signed with the endpoint's secret, and settles
// them: taken (a 2xx answer) leaves the queue; anything else is retried later with
// exponential backoff and jitter, until the endpoint takes it. So every event reaches every
// endpoint at least once, a connector's events in order, whichever instance delivers them and
// whatever happens to the instances: the outbox is in the database, and a lease outlives a
// dead holder by its length only.
#pragma once

#include "core/events/event_metrics.hpp"
#include "core/events/webhook_signer.hpp"
#include "core/http/http_client.hpp"
#include "core/store/event_log.hpp"
#include "core/store/webhook_queue.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace switchboard::events {

// One configured endpoint, its secret read from the environment (never logged).
struct WebhookEndpoint {
    std::string name;
    std::string url;
    std::string secret;
};

struct WebhookDeliveryOptions {
    std::chrono::milliseconds poll_interval{1000};
    std::size_t batch = 100;       // claimed per endpoint and poll
    std::size_t concurrency = 4;   // attempts in flight at once
    std::chrono::milliseconds timeout{10000}; // one attempt, connect to answer
    std::chrono::seconds retry_base{5};
    std::chrono::seconds retry_max{3600};
    std::chrono::seconds lease{60}; // longer than `timeout`
};

struct WebhookDelivererParts {
    std::shared_ptr<store::WebhookQueue> queue;
    std::shared_ptr<store::EventLog> log;
    std::shared_ptr<http::HttpClient> http; // no retries of its own: the queue retries
    std::vector<WebhookEndpoint> endpoints;
    std::shared_ptr<EventMetrics> metrics;  // may be null
    store::WallClock clock;
    std::function<double()> unit_random;    // [0, 1) for the jitter; default a PRNG
};

// The wait before the attempt that follows `failures` failed ones: base x 2^(failures - 1),
// at most `max`, of which a random share of the second half is taken off (equal jitter), so
// retries of many deliveries spread out instead of arriving together.
std::chrono::milliseconds retry_delay(int failures, std::chrono::seconds base,
                                      std::chrono::seconds max, double unit_random);

class WebhookDeliverer {
public:
    WebhookDeliverer(WebhookDelivererParts parts, WebhookDeliveryOptions options);
    ~WebhookDeliverer(); // stop()
    WebhookDeliverer(const WebhookDeliverer&) = delete;
    WebhookDeliverer& operator=(const WebhookDeliverer&) = delete;

    // Starts the thread (a second call does nothing; with no endpoint, nothing). [main-thread]
    void start();
    // Wakes the thread and waits for it; attempts in flight finish first. [main-thread]
    void stop();

    struct Poll {
        std::size_t claimed = 0;
        std::size_t delivered = 0;
        bool full = false; // an endpoint had more due than `batch`: poll again at once
    };
    // One poll on the calling thread (and its workers); then the backlog gauges.
    Poll run_once();

private:
    struct Endpoint {
        WebhookEndpoint config;
        WebhookSigner signer;
    };
    void loop();
    bool attempt(const Endpoint& endpoint, const store::WebhookDelivery& delivery);
    void retry_later(const Endpoint& endpoint, const store::WebhookDelivery& delivery,
                     const std::string& reason);
    void update_backlog();
    std::chrono::system_clock::time_point now() const;

    WebhookDelivererParts parts_;
    WebhookDeliveryOptions options_;
    std::vector<Endpoint> endpoints_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

} // namespace switchboard::events
