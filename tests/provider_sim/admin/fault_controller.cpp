#include "tests/provider_sim/admin/fault_controller.hpp"

#include <algorithm>

namespace switchboard::sim {

Result<FaultRule> fault_rule_from_json(const nlohmann::json& json) {
    const auto bad = [](std::string message) {
        return Error(ErrorKind::invalid_input, "invalid_fault", std::move(message));
    };
    if (!json.is_object()) {
        return bad("a fault rule must be a JSON object");
    }
    FaultRule rule;
    try {
        const std::string kind = json.value("kind", "error");
        if (kind == "latency") {
            rule.kind = FaultRule::Kind::latency;
        } else if (kind == "error") {
            rule.kind = FaultRule::Kind::error;
        } else if (kind == "drop") {
            rule.kind = FaultRule::Kind::drop;
        } else {
            return bad("kind must be latency, error or drop, not '" + kind + "'");
        }
        rule.prefix = json.value("prefix", "/");
        if (rule.prefix.empty() || rule.prefix.front() != '/') {
            return bad("prefix must start with '/'");
        }
        rule.probability = json.value("probability", 1.0);
        if (rule.probability < 0.0 || rule.probability > 1.0) {
            return bad("probability must be between 0 and 1");
        }
        if (json.contains("count")) {
            rule.count = json.at("count").get<unsigned>();
        }
        rule.status = json.value("status", 503u);
        if (rule.kind == FaultRule::Kind::error && rule.status != 429 &&
            (rule.status < 400 || rule.status > 599)) {
            return bad("status must be an HTTP error status (4xx or 5xx)");
        }
        if (json.contains("retry_after")) {
            rule.retry_after_seconds = json.at("retry_after").get<unsigned>();
        }
        rule.latency = std::chrono::milliseconds(json.value("latency_ms", 0u));
        rule.after_processing = json.value("after_processing", false);
    } catch (const nlohmann::json::exception& e) {
        return bad(std::string("a fault rule field has the wrong type: ") + e.what());
    }
    return rule;
}

nlohmann::json to_json(const FaultRule& rule) {
    nlohmann::json j{{"kind", rule.kind == FaultRule::Kind::latency ? "latency"
                              : rule.kind == FaultRule::Kind::error ? "error"
                                                                    : "drop"},
                     {"prefix", rule.prefix},
                     {"probability", rule.probability},
                     {"status", rule.status},
                     {"latency_ms", rule.latency.count()},
                     {"after_processing", rule.after_processing}};
    if (rule.count) {
        j["count"] = *rule.count;
    }
    if (rule.retry_after_seconds) {
        j["retry_after"] = *rule.retry_after_seconds;
    }
    return j;
}

std::uint64_t FaultController::add(FaultRule rule) {
    std::lock_guard lock(mutex_);
    rules_.emplace_back(next_id_, std::move(rule));
    return next_id_++;
}

bool FaultController::remove(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    return std::erase_if(rules_, [&](const auto& r) { return r.first == id; }) > 0;
}

void FaultController::clear() {
    std::lock_guard lock(mutex_);
    rules_.clear();
    hits_ = 0;
}

std::vector<std::pair<std::uint64_t, FaultRule>> FaultController::rules() const {
    std::lock_guard lock(mutex_);
    return rules_;
}

std::uint64_t FaultController::hits() const {
    std::lock_guard lock(mutex_);
    return hits_;
}

FaultDecision FaultController::decide(std::string_view path) {
    std::lock_guard lock(mutex_);
    FaultDecision decision;
    std::uniform_real_distribution<double> coin(0.0, 1.0);
    for (auto& [id, rule] : rules_) {
        if (path.substr(0, rule.prefix.size()) != rule.prefix) {
            continue;
        }
        if (rule.count && *rule.count == 0) {
            continue;
        }
        // An error or drop already chosen wins; later rules of those kinds do not apply.
        const bool decided = decision.error || decision.drop_before || decision.drop_after;
        if (rule.kind != FaultRule::Kind::latency && decided) {
            continue;
        }
        if (rule.probability < 1.0 && coin(random_) >= rule.probability) {
            continue;
        }
        if (rule.count) {
            --*rule.count;
        }
        ++hits_;
        switch (rule.kind) {
        case FaultRule::Kind::latency: decision.delay += rule.latency; break;
        case FaultRule::Kind::error: decision.error = rule; break;
        case FaultRule::Kind::drop:
            (rule.after_processing ? decision.drop_after : decision.drop_before) = true;
            break;
        }
    }
    // Spent bursts leave the list, so that GET /_admin/faults shows what is still armed.
    std::erase_if(rules_, [](const auto& r) { return r.second.count && *r.second.count == 0; });
    return decision;
}

} // namespace switchboard::sim
