#include "core/connectors/background_refresher.hpp"

#include <spdlog/spdlog.h>

namespace switchboard::connectors {

BackgroundRefresher::BackgroundRefresher(std::shared_ptr<store::RefreshLeaser> leaser,
                                         std::shared_ptr<TokenManager> tokens,
                                         BackgroundRefreshOptions options)
    : leaser_(std::move(leaser)), tokens_(std::move(tokens)), options_(options) {}

BackgroundRefresher::~BackgroundRefresher() { stop(); }

void BackgroundRefresher::start() {
    std::lock_guard guard(mutex_);
    if (thread_.joinable()) return;
    stop_ = false;
    thread_ = std::thread([this] { loop(); });
}

void BackgroundRefresher::stop() {
    {
        std::lock_guard guard(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

bool BackgroundRefresher::stopping() {
    std::lock_guard guard(mutex_);
    return stop_;
}

void BackgroundRefresher::loop() {
    spdlog::info("background token refresh started (every {} ms, {} s ahead)",
                 options_.interval.count(), options_.refresh_ahead.count());
    std::unique_lock lock(mutex_);
    while (!stop_) {
        lock.unlock();
        try {
            run_once();
        } catch (const std::exception& error) {
            spdlog::error("background token refresh pass failed: {}", error.what());
        }
        lock.lock();
        wake_.wait_for(lock, options_.interval, [this] { return stop_; });
    }
    spdlog::info("background token refresh stopped");
}

std::size_t BackgroundRefresher::run_once() {
    store::LeaseOptions lease;
    lease.refresh_ahead = options_.refresh_ahead;
    lease.lease_duration = options_.lease_duration;
    lease.limit = options_.batch;
    auto due = leaser_->lease_due(lease);
    if (!due) {
        spdlog::warn("background token refresh: cannot lease due connectors: {}",
                     due.error().message);
        return 0;
    }
    std::size_t refreshed = 0;
    for (const auto& ref : *due) {
        if (stopping()) break; // the remaining leases lapse on their own
        auto done = tokens_->refresh_if_due(ref.tenant_id, ref.connector_id, options_.refresh_ahead);
        if (!done) {
            // The lease stays until it lapses: that is the back-off before the next attempt.
            spdlog::warn("background refresh of connector {} failed: {}", ref.connector_id,
                         done.error().code);
            continue;
        }
        if (*done) {
            ++refreshed;
        } else if (auto released = leaser_->release(ref); !released) {
            spdlog::warn("cannot release the refresh lease of connector {}: {}", ref.connector_id,
                         released.error().code);
        }
    }
    return refreshed;
}

} // namespace switchboard::connectors
