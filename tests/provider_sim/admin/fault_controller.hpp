// Faults to inject, scoped by path prefix ("/api.hubapi.com/crm/", "/oauth2.googleapis.com/",
// "/" for everything): added latency, error responses (a rate or a burst, 429 with
// Retry-After, 5xx) and dropped connections. Rules apply in the order they were added.
#pragma once

#include "core/common/error.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::sim {

struct FaultRule {
    enum class Kind { latency, error, drop };
    Kind kind = Kind::error;
    std::string prefix = "/";                        // request paths it applies to
    double probability = 1.0;                        // chance each matching request is hit
    std::optional<unsigned> count;                   // hits left; nullopt: unlimited
    unsigned status = 503;                           // error: the status answered
    std::optional<unsigned> retry_after_seconds;     // error: sent as Retry-After
    std::chrono::milliseconds latency{0};            // latency: added before answering
    bool after_processing = false;                   // drop: the request takes effect first
};

// JSON form used by the admin endpoint: {"kind":"error","prefix":"/api.hubapi.com/",
// "status":429,"count":3,"retry_after":2,"probability":1.0,"latency_ms":0,
// "after_processing":false}.
Result<FaultRule> fault_rule_from_json(const nlohmann::json& json);
nlohmann::json to_json(const FaultRule& rule);

// What the faults decided for one request.
struct FaultDecision {
    std::chrono::milliseconds delay{0};
    std::optional<FaultRule> error; // answer with this error instead of handling
    bool drop_before = false;       // close the connection without handling
    bool drop_after = false;        // handle, then close without answering
};

class FaultController {
public:
    explicit FaultController(std::uint64_t seed) : random_(seed) {}

    // [thread-safe] Every member function.
    std::uint64_t add(FaultRule rule);
    bool remove(std::uint64_t id);
    void clear();
    std::vector<std::pair<std::uint64_t, FaultRule>> rules() const;
    // Consumes counts of the rules that hit.
    FaultDecision decide(std::string_view path);
    // How many requests each kind of fault has hit since the last clear.
    std::uint64_t hits() const;

private:
    mutable std::mutex mutex_;
    std::mt19937_64 random_;
    std::uint64_t next_id_ = 1;
    std::uint64_t hits_ = 0;
    std::vector<std::pair<std::uint64_t, FaultRule>> rules_;
};

} // namespace switchboard::sim
