#include "core/store/lease_heartbeat.hpp"

#include <algorithm>

namespace switchboard::store {

LeaseHeartbeat::LeaseHeartbeat(std::chrono::milliseconds period, std::function<void()> renew)
    : thread_([this, period, renew = std::move(renew)](std::stop_token stop) {
          std::unique_lock lock(mutex_);
          while (true) {
              // Wakes early only when stop is requested (the predicate never holds).
              wake_.wait_for(lock, stop, period, [] { return false; });
              if (stop.stop_requested()) return;
              lock.unlock();
              renew();
              lock.lock();
          }
      }) {}

LeaseHeartbeat::~LeaseHeartbeat() {
    thread_.request_stop();
    thread_.join();
}

std::chrono::milliseconds heartbeat_period(std::chrono::milliseconds lease) {
    return std::max(std::chrono::milliseconds(1), lease / 3);
}

} // namespace switchboard::store
