// A thread pool with a bounded queue: past its high-water mark a new task is refused at
// once (the caller answers 503 with Retry-After) instead of waiting behind work that may
// take seconds each, and holding its request's memory meanwhile.
#pragma once

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <cstddef>
#include <utility>

namespace switchboard::server {

class WorkQueue {
public:
    // `threads` run the tasks; up to `queue_limit` more may wait for one of them.
    WorkQueue(unsigned threads, std::size_t queue_limit);

    WorkQueue(const WorkQueue&) = delete;
    WorkQueue& operator=(const WorkQueue&) = delete;

    // Runs `task` on the pool, or answers false (and drops it) when threads + queue_limit
    // tasks are already running or waiting. Thread-safe.
    template <class Task>
    bool try_post(Task&& task) {
        if (pending_.fetch_add(1) >= capacity_) {
            pending_.fetch_sub(1);
            return false;
        }
        boost::asio::post(pool_, [this, task = std::forward<Task>(task)]() mutable {
            struct Done {
                std::atomic<std::size_t>& pending;
                ~Done() { pending.fetch_sub(1); }
            } done{pending_};
            task();
        });
        return true;
    }

    // True when try_post would refuse now (a hint: the answer may change at once).
    bool saturated() const { return pending_.load() >= capacity_; }
    // Tasks running or waiting.
    std::size_t pending() const { return pending_.load(); }

    // Waits for every task posted so far to return.
    void join() { pool_.join(); }

private:
    boost::asio::thread_pool pool_;
    std::size_t capacity_;
    std::atomic<std::size_t> pending_{0};
};

} // namespace switchboard::server
