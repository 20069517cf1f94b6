#include "core/events/webhook_deliverer.hpp"

#include "core/events/event_json.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <random>

namespace switchboard::events {
namespace {

double default_unit_random() {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

} // namespace

std::chrono::milliseconds retry_delay(int failures, std::chrono::seconds base,
                                      std::chrono::seconds max, double unit_random) {
    const double exponent = std::min(std::max(failures, 1) - 1, 40);
    const double full = std::min(static_cast<double>(base.count()) * std::pow(2.0, exponent),
                                 static_cast<double>(max.count())) *
                        1000.0;
    const double share = std::clamp(unit_random, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<long long>(full / 2 + full / 2 * (1 - share)));
}

WebhookDeliverer::WebhookDeliverer(WebhookDelivererParts parts, WebhookDeliveryOptions options)
    : parts_(std::move(parts)), options_(options) {
    if (!parts_.unit_random) parts_.unit_random = default_unit_random;
    for (const auto& endpoint : parts_.endpoints) {
        endpoints_.push_back(Endpoint{endpoint, WebhookSigner(endpoint.secret)});
    }
}

WebhookDeliverer::~WebhookDeliverer() { stop(); }

std::chrono::system_clock::time_point WebhookDeliverer::now() const {
    return parts_.clock ? parts_.clock() : std::chrono::system_clock::now();
}

void WebhookDeliverer::start() {
    std::lock_guard guard(mutex_);
    if (thread_.joinable() || endpoints_.empty()) return;
    stop_ = false;
    thread_ = std::thread([this] { loop(); });
}

void WebhookDeliverer::stop() {
    {
        std::lock_guard guard(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void WebhookDeliverer::loop() {
    spdlog::info("webhook delivery started ({} endpoint(s); polling every {} ms, {} at once)",
                 endpoints_.size(), options_.poll_interval.count(), options_.concurrency);
    std::unique_lock lock(mutex_);
    while (!stop_) {
        lock.unlock();
        Poll poll;
        try {
            poll = run_once();
        } catch (const std::exception& error) {
            spdlog::error("webhook delivery poll failed: {}", error.what());
        }
        lock.lock();
        if (!poll.full) wake_.wait_for(lock, options_.poll_interval, [this] { return stop_; });
    }
    spdlog::info("webhook delivery stopped");
}

WebhookDeliverer::Poll WebhookDeliverer::run_once() {
    struct Job {
        const Endpoint* endpoint;
        store::WebhookDelivery delivery;
    };
    Poll poll;
    std::vector<Job> jobs;
    for (const auto& endpoint : endpoints_) {
        auto claimed = parts_.queue->claim(endpoint.config.name, options_.batch, options_.lease);
        if (!claimed) {
            spdlog::warn("webhook {}: cannot claim deliveries: {}", endpoint.config.name,
                         claimed.error().message);
            continue;
        }
        if (claimed->size() >= options_.batch) poll.full = true;
        for (auto& delivery : *claimed) jobs.push_back(Job{&endpoint, std::move(delivery)});
    }
    poll.claimed = jobs.size();
    if (!jobs.empty()) {
        std::atomic<std::size_t> next{0}, delivered{0};
        auto work = [&] {
            for (std::size_t i = next++; i < jobs.size(); i = next++) {
                if (attempt(*jobs[i].endpoint, jobs[i].delivery)) ++delivered;
            }
        };
        const std::size_t workers =
            std::clamp<std::size_t>(options_.concurrency, 1, jobs.size());
        std::vector<std::thread> threads;
        threads.reserve(workers - 1);
        for (std::size_t i = 1; i < workers; ++i) threads.emplace_back(work);
        work();
        for (auto& thread : threads) thread.join();
        poll.delivered = delivered.load();
    }
    update_backlog();
    return poll;
}

bool WebhookDeliverer::attempt(const Endpoint& endpoint, const store::WebhookDelivery& delivery) {
    auto event = parts_.log->get(delivery.event_position);
    if (!event) {
        retry_later(endpoint, delivery, event.error().code);
        return false;
    }
    const std::string body = event_json(*event).dump();
    auto signature = endpoint.signer.sign(body, now());
    if (!signature) {
        retry_later(endpoint, delivery, signature.error().code);
        return false;
    }
    http::HttpRequest request;
    request.method = "POST";
    request.url = endpoint.config.url;
    request.headers = {{"Content-Type", "application/json"},
                       {std::string(signature_header), *signature},
                       {"Switchboard-Event-Id", event->id},
                       {"Switchboard-Event-Type", std::string(store::to_string(event->type))},
                       {"Switchboard-Delivery-Attempt", std::to_string(delivery.attempt)}};
    request.body = body;
    http::RequestOptions options;
    options.metrics_label = "webhook";
    options.connect_timeout = options_.timeout;
    options.read_timeout = options_.timeout;
    options.deadline = options_.timeout;
    options.max_attempts = 1;
    auto response = parts_.http->send(request, options);
    if (response && response->status >= 200 && response->status < 300) {
        if (parts_.metrics) parts_.metrics->attempt(endpoint.config.name, true);
        auto settled = parts_.queue->delivered(delivery);
        if (!settled) {
            // The endpoint has it; the row stays, so it will get it again (at least once).
            spdlog::warn("webhook {}: event {} was delivered but cannot be marked so: {}",
                         endpoint.config.name, event->id, settled.error().message);
        } else if (!*settled) {
            spdlog::warn("webhook {}: event {} was delivered after its lease lapsed; another "
                         "instance may deliver it again",
                         endpoint.config.name, event->id);
        }
        return true;
    }
    retry_later(endpoint, delivery,
                response ? "http_" + std::to_string(response->status) : response.error().code);
    return false;
}

void WebhookDeliverer::retry_later(const Endpoint& endpoint,
                                   const store::WebhookDelivery& delivery,
                                   const std::string& reason) {
    if (parts_.metrics) parts_.metrics->attempt(endpoint.config.name, false, reason);
    const auto wait = retry_delay(delivery.attempt, options_.retry_base, options_.retry_max,
                                  parts_.unit_random());
    spdlog::warn("webhook {}: delivery of outbox event {} (connector {}) failed ({}; attempt "
                 "{}): next attempt in {} ms",
                 endpoint.config.name, delivery.event_position, delivery.connector_id, reason,
                 delivery.attempt, wait.count());
    if (auto rescheduled = parts_.queue->failed(delivery, now() + wait, reason); !rescheduled) {
        // The lease lapses instead, and the delivery is due again then.
        spdlog::warn("webhook {}: cannot reschedule a delivery: {}", endpoint.config.name,
                     rescheduled.error().message);
    }
}

void WebhookDeliverer::update_backlog() {
    if (!parts_.metrics) return;
    auto backlog = parts_.queue->backlog();
    if (!backlog) {
        spdlog::warn("cannot read the webhook backlog: {}", backlog.error().message);
        return;
    }
    const auto at = now();
    for (const auto& endpoint : endpoints_) {
        std::size_t waiting = 0;
        std::chrono::duration<double> age{0};
        for (const auto& row : *backlog) {
            if (row.endpoint != endpoint.config.name) continue;
            waiting = row.deliveries;
            if (row.oldest) {
                age = std::max(std::chrono::duration<double>(0),
                               std::chrono::duration<double>(at - *row.oldest));
            }
        }
        parts_.metrics->backlog(endpoint.config.name, waiting, age);
    }
}

} // namespace switchboard::events
