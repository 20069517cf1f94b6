// PeriodicTask: one background thread that runs a function, then waits an interval, until
// stopped. For small housekeeping jobs (the pending-connection sweep) that need no more.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace switchboard::connectors {

class PeriodicTask {
public:
    // `name` goes into the log lines; `work` must not throw across (it is caught and logged).
    PeriodicTask(std::string name, std::chrono::milliseconds interval, std::function<void()> work);
    ~PeriodicTask(); // stop()
    PeriodicTask(const PeriodicTask&) = delete;
    PeriodicTask& operator=(const PeriodicTask&) = delete;

    // Starts the thread (a second call does nothing). [main-thread]
    void start();
    // Wakes the thread and waits for it; the run in progress finishes first. [main-thread]
    void stop();

private:
    void loop();

    std::string name_;
    std::chrono::milliseconds interval_;
    std::function<void()> work_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

} // namespace switchboard::connectors
