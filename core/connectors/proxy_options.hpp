// How large and how long an exchange through the credentialed proxy may be: the config's
// `proxy` section (config/README.md), as the proxy and its route use it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace switchboard::connectors {

// The config's `proxy` section (config/README.md).
struct ProxyOptions {
    // Largest request body a caller may send through the proxy (enforced by its route).
    std::uint64_t max_request_bytes = 5ull * 1024 * 1024 * 1024;
    // Largest response body the proxy passes on.
    std::uint64_t max_response_bytes = 5ull * 1024 * 1024 * 1024;
    // One exchange with the provider, both bodies included.
    std::chrono::milliseconds timeout{600'000};
    // Each wait for the provider to take or send more bytes.
    std::chrono::milliseconds idle_timeout{60'000};
    std::chrono::milliseconds connect_timeout{10'000};
    // A request body up to this size is kept, so the request can go again (after a 401 or a
    // 5xx); a larger one asks the provider to accept it first (Expect: 100-continue).
    std::size_t replay_buffer_bytes = 1024 * 1024;
};

} // namespace switchboard::connectors
