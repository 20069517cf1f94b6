#include "tests/provider_sim/admin/request_log.hpp"

#include <algorithm>

namespace switchboard::sim {

nlohmann::json to_json(const RecordedRequest& r) {
    return nlohmann::json{{"sequence", r.sequence}, {"provider", r.provider},
                          {"description", r.description}, {"method_id", r.method_id},
                          {"verb", r.verb}, {"path", r.path}, {"query", r.query},
                          {"body", r.body}, {"valid", r.valid()}, {"errors", r.errors},
                          {"status", r.status}};
}

void RequestLog::add(RecordedRequest request) {
    std::lock_guard lock(mutex_);
    request.sequence = next_sequence_++;
    const std::string key =
        request.method_id.empty() ? request.verb + " " + request.path : request.method_id;
    ++counters_[key];
    requests_.push_back(std::move(request));
}

std::vector<RecordedRequest> RequestLog::all() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

std::vector<RecordedRequest> RequestLog::failures() const {
    std::lock_guard lock(mutex_);
    std::vector<RecordedRequest> out;
    std::copy_if(requests_.begin(), requests_.end(), std::back_inserter(out),
                 [](const RecordedRequest& r) { return !r.valid(); });
    return out;
}

std::map<std::string, std::uint64_t> RequestLog::counters() const {
    std::lock_guard lock(mutex_);
    return {counters_.begin(), counters_.end()};
}

std::uint64_t RequestLog::count(std::string_view method_id) const {
    std::lock_guard lock(mutex_);
    const auto it = counters_.find(method_id);
    return it == counters_.end() ? 0 : it->second;
}

void RequestLog::clear() {
    std::lock_guard lock(mutex_);
    requests_.clear();
    counters_.clear();
}

} // namespace switchboard::sim
