// BackgroundRefresher: a thread that, every interval (at once again after a full batch), leases
// the connectors whose tokens are due (RefreshLeaser: each row to one instance at a time, across instances) and refreshes them
// through the TokenManager, so API calls rarely wait for a refresh.
//
// A pass runs up to `concurrency` refreshes at once, at most `per_provider_concurrency` of
// them against one provider, and asks a provider that fails as unavailable only once per pass
// (RefreshPass). A connector whose refresh failed is deferred with exponential backoff
// (failure_backoff), stored in its row so that every instance honours it: a broken provider
// sees a trickle of attempts, not a storm. The leases are renewed while the pass works on
// them (LeaseHeartbeat), so a long pass cannot let another instance lease the same rows.
// The refresh itself holds the connector's refresh lock (TokenManager), which is what makes
// each token refresh happen once whichever instance or caller starts it.
#pragma once

#include "core/connectors/background_refresh_options.hpp"
#include "core/connectors/token_manager.hpp"
#include "core/store/refresh_lease.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <thread>

namespace boost::asio {
class thread_pool;
}

namespace switchboard::connectors {

class RefreshPass;

class BackgroundRefresher {
public:
    BackgroundRefresher(std::shared_ptr<store::RefreshLeaser> leaser,
                        std::shared_ptr<TokenManager> tokens, BackgroundRefreshOptions options = {},
                        store::WallClock clock = {});
    ~BackgroundRefresher(); // stop()
    BackgroundRefresher(const BackgroundRefresher&) = delete;
    BackgroundRefresher& operator=(const BackgroundRefresher&) = delete;

    // Starts the thread (a second call does nothing). [main-thread]
    void start();
    // Wakes the thread and waits for it: the refreshes in progress finish, the rest of the
    // pass is released. [main-thread]
    void stop();

    // One pass, on the calling thread (and its workers): how many tokens it refreshed.
    std::size_t run_once();

    const BackgroundRefreshOptions& options() const noexcept { return options_; }

private:
    struct PassOutcome {
        std::size_t leased = 0;    // connectors the pass leased (at most options_.batch)
        std::size_t skipped = 0;   // left for a later pass (their provider failed, or stopping)
        std::size_t refreshed = 0;
    };
    PassOutcome run_pass();
    void loop();
    bool stopping();
    void work(RefreshPass& pass, std::size_t& refreshed, std::mutex& count_mutex);
    // Refreshes one leased connector and settles its lease; true when the provider was
    // unavailable (the pass then skips its other connectors).
    bool refresh_one(const store::LeasedConnector& connector, bool& refreshed);
    // Ends a lease this instance holds (a failure is logged: the lease then lapses).
    void end_lease(const store::ConnectorRef& ref);
    std::chrono::system_clock::time_point now() const;

    std::shared_ptr<store::RefreshLeaser> leaser_;
    std::shared_ptr<TokenManager> tokens_;
    BackgroundRefreshOptions options_;
    store::WallClock clock_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
    // The threads that run a pass's refreshes (options_.concurrency of them), made by the first
    // pass that has work and kept: a pass of 50 connectors is over in milliseconds, and
    // starting and joining its threads each time cost more than its refreshes.
    std::unique_ptr<boost::asio::thread_pool> workers_;
};

} // namespace switchboard::connectors
