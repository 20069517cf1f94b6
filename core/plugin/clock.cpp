#include "core/plugin/clock.hpp"

#include <chrono>

namespace switchboard::plugin {

std::int64_t SystemClock::now_unix_ms() const noexcept {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace switchboard::plugin
