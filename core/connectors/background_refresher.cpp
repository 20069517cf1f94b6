#include "core/connectors/background_refresher.hpp"

#include "core/connectors/refresh_pass.hpp"
#include "core/oauth/oauth_errors.hpp"
#include "core/store/lease_heartbeat.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <latch>

namespace switchboard::connectors {
namespace {

// Errors after which the connector is no longer active (revoked, expired, error): it leaves
// the background refresh until it is reconnected, so there is nothing to back off.
bool left_active(const Error& error) {
    return error.code == "connector_revoked" || error.code == "connector_expired" ||
           error.code == oauth::invalid_client || error.code == "connector_not_found";
}

} // namespace

BackgroundRefresher::BackgroundRefresher(std::shared_ptr<store::RefreshLeaser> leaser,
                                         std::shared_ptr<TokenManager> tokens,
                                         BackgroundRefreshOptions options, store::WallClock clock)
    : leaser_(std::move(leaser)), tokens_(std::move(tokens)), options_(options),
      clock_(std::move(clock)) {}

BackgroundRefresher::~BackgroundRefresher() {
    stop();
    if (workers_) workers_->join();
}

std::chrono::system_clock::time_point BackgroundRefresher::now() const {
    return clock_ ? clock_() : std::chrono::system_clock::now();
}

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
    spdlog::info("background token refresh started (every {} ms; due {} s before expiry, up to "
                 "{} s earlier by jitter; {} at once, {} per provider)",
                 options_.interval.count(), options_.window.count(), options_.jitter.count(),
                 options_.concurrency, options_.per_provider_concurrency);
    std::unique_lock lock(mutex_);
    while (!stop_) {
        lock.unlock();
        bool backlog = false;
        try {
            // A full batch refreshed without a provider failing means more are probably due (a
            // mass reconnect, an instance back from an outage): the next pass starts at once
            // rather than an interval later, which would cap the rate at a batch per interval.
            const PassOutcome outcome = run_pass();
            backlog = outcome.leased >= options_.batch && outcome.skipped == 0;
        } catch (const std::exception& error) {
            spdlog::error("background token refresh pass failed: {}", error.what());
        }
        lock.lock();
        if (!backlog) {
            wake_.wait_for(lock, options_.interval, [this] { return stop_; });
        }
    }
    spdlog::info("background token refresh stopped");
}

std::size_t BackgroundRefresher::run_once() {
    return run_pass().refreshed;
}

BackgroundRefresher::PassOutcome BackgroundRefresher::run_pass() {
    store::LeaseOptions lease;
    lease.window = options_.window;
    lease.jitter = options_.jitter;
    lease.lease_duration = options_.lease_duration;
    lease.limit = options_.batch;
    auto due = leaser_->lease_due(lease);
    if (!due) {
        spdlog::warn("background token refresh: cannot lease due connectors: {}",
                     due.error().message);
        return {};
    }
    if (due->empty()) return {};
    PassOutcome outcome;
    outcome.leased = due->size();

    const std::size_t workers = std::clamp<std::size_t>(options_.concurrency, 1, due->size());
    RefreshPass pass(std::move(*due), options_.per_provider_concurrency);
    std::size_t refreshed = 0;
    std::mutex count_mutex;
    {
        // Keep the leases of the pass alive until the pass is done with them.
        store::LeaseHeartbeat heartbeat(
            store::heartbeat_period(options_.lease_duration), [this, &pass] {
                auto held = pass.unfinished();
                if (held.empty()) return;
                if (auto renewed = leaser_->renew(held, options_.lease_duration); !renewed) {
                    spdlog::warn("background token refresh: cannot renew its leases: {}",
                                 renewed.error().code);
                }
            });
        if (!workers_) {
            workers_ = std::make_unique<boost::asio::thread_pool>(
                std::max<std::size_t>(options_.concurrency, 1));
        }
        std::latch finished(static_cast<std::ptrdiff_t>(workers));
        for (std::size_t i = 0; i < workers; ++i) {
            boost::asio::post(*workers_, [&] {
                struct CountDown {
                    std::latch& latch;
                    ~CountDown() { latch.count_down(); }
                } count_down{finished};
                work(pass, refreshed, count_mutex);
            });
        }
        finished.wait();
    }
    // Skipped (their provider failed, or stopping): they come due again on a later pass.
    const auto skipped = pass.take_skipped();
    for (const auto& connector : skipped) {
        end_lease(connector.ref);
    }
    outcome.skipped = skipped.size();
    outcome.refreshed = refreshed;
    return outcome;
}

void BackgroundRefresher::end_lease(const store::ConnectorRef& ref) {
    if (auto released = leaser_->release(ref); !released) {
        spdlog::warn("cannot release the refresh lease of connector {}: {}", ref.connector_id,
                     released.error().code);
    }
}

void BackgroundRefresher::work(RefreshPass& pass, std::size_t& refreshed,
                               std::mutex& count_mutex) {
    while (true) {
        if (stopping()) pass.cancel();
        auto connector = pass.next();
        if (!connector) return;
        bool done = false;
        const bool provider_down = refresh_one(*connector, done);
        pass.finish(*connector, provider_down);
        if (done) {
            std::lock_guard guard(count_mutex);
            ++refreshed;
        }
    }
}

bool BackgroundRefresher::refresh_one(const store::LeasedConnector& connector, bool& refreshed) {
    const auto& ref = connector.ref;
    // The test of lease_due, made again under the refresh lock: another instance or an API
    // call may have refreshed it since the lease.
    const auto window =
        options_.window + store::refresh_jitter_offset(ref.connector_id, options_.jitter);
    auto done = tokens_->refresh_if_due(ref.tenant_id, ref.connector_id, window);
    if (done) {
        refreshed = *done;
        if (!*done) end_lease(ref); // a refresh ended it already (update_tokens)
        return false;
    }
    const Error& error = done.error();
    if (error.code == "rate_limited") {
        // Nothing was sent: not a failure of the provider. The connector comes due again.
        end_lease(ref);
        return false;
    }
    if (left_active(error)) {
        spdlog::warn("background refresh of connector {} ({}): {}", ref.connector_id,
                     connector.provider, error.code);
        end_lease(ref);
        return false;
    }
    const int failures = connector.failures + 1;
    const auto wait =
        failure_backoff(failures, options_.failure_backoff_base, options_.failure_backoff_max);
    const auto retry_at = std::chrono::time_point_cast<std::chrono::seconds>(now()) + wait;
    spdlog::warn("background refresh of connector {} ({}) failed ({}; {} in a row): next attempt "
                 "in {} s",
                 ref.connector_id, connector.provider, error.code, failures, wait.count());
    if (auto deferred = leaser_->defer(ref, failures, retry_at); !deferred) {
        spdlog::warn("cannot defer the refresh of connector {}: {}", ref.connector_id,
                     deferred.error().code);
    }
    return error.code == oauth::provider_unavailable;
}

} // namespace switchboard::connectors
