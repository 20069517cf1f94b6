#include "core/connectors/periodic_task.hpp"

#include <spdlog/spdlog.h>

namespace switchboard::connectors {

PeriodicTask::PeriodicTask(std::string name, std::chrono::milliseconds interval,
                           std::function<void()> work)
    : name_(std::move(name)), interval_(interval), work_(std::move(work)) {}

PeriodicTask::~PeriodicTask() { stop(); }

void PeriodicTask::start() {
    std::lock_guard guard(mutex_);
    if (thread_.joinable()) return;
    stop_ = false;
    thread_ = std::thread([this] { loop(); });
}

void PeriodicTask::stop() {
    {
        std::lock_guard guard(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void PeriodicTask::loop() {
    spdlog::info("{} started (every {} ms)", name_, interval_.count());
    std::unique_lock lock(mutex_);
    while (!stop_) {
        lock.unlock();
        try {
            work_();
        } catch (const std::exception& error) {
            spdlog::error("{} failed: {}", name_, error.what());
        }
        lock.lock();
        wake_.wait_for(lock, interval_, [this] { return stop_; });
    }
    spdlog::info("{} stopped", name_);
}

} // namespace switchboard::connectors
