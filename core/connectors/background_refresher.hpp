// BackgroundRefresher: a thread that, every interval, leases the connectors whose tokens
// expire soon (RefreshLeaser: each row to one instance at a time, across instances) and
// refreshes them through the TokenManager, so API calls rarely wait for a refresh.
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

namespace switchboard::connectors {

class BackgroundRefresher {
public:
    BackgroundRefresher(std::shared_ptr<store::RefreshLeaser> leaser,
                        std::shared_ptr<TokenManager> tokens, BackgroundRefreshOptions options = {});
    ~BackgroundRefresher(); // stop()
    BackgroundRefresher(const BackgroundRefresher&) = delete;
    BackgroundRefresher& operator=(const BackgroundRefresher&) = delete;

    // Starts the thread (a second call does nothing). [main-thread]
    void start();
    // Wakes the thread and waits for it: at most the refresh in progress finishes. [main-thread]
    void stop();

    // One pass, on the calling thread: how many tokens it refreshed.
    std::size_t run_once();

private:
    void loop();
    bool stopping();

    std::shared_ptr<store::RefreshLeaser> leaser_;
    std::shared_ptr<TokenManager> tokens_;
    BackgroundRefreshOptions options_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

} // namespace switchboard::connectors
