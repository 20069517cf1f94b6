#include "host/server/work_queue.hpp"

#include <algorithm>

namespace switchboard::server {

WorkQueue::WorkQueue(unsigned threads, std::size_t queue_limit)
    : pool_(std::max(1u, threads)), capacity_(std::max(1u, threads) + queue_limit) {}

} // namespace switchboard::server
