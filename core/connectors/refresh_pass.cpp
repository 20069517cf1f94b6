#include "core/connectors/refresh_pass.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

namespace switchboard::connectors {

RefreshPass::RefreshPass(std::vector<store::LeasedConnector> leased, std::size_t per_provider)
    : per_provider_(std::max<std::size_t>(1, per_provider)),
      queue_(std::make_move_iterator(leased.begin()), std::make_move_iterator(leased.end())) {}

bool RefreshPass::may_start(const store::LeasedConnector& connector) const {
    auto it = running_per_provider_.find(connector.provider);
    return it == running_per_provider_.end() || it->second < per_provider_;
}

std::optional<store::LeasedConnector> RefreshPass::next() {
    std::unique_lock lock(mutex_);
    while (true) {
        if (cancelled_ || queue_.empty()) return std::nullopt;
        auto it = std::find_if(queue_.begin(), queue_.end(),
                               [this](const auto& c) { return may_start(c); });
        if (it != queue_.end()) {
            store::LeasedConnector picked = std::move(*it);
            queue_.erase(it);
            ++running_per_provider_[picked.provider];
            running_.push_back(picked.ref);
            return picked;
        }
        // Every connector left waits for its provider: one of the running ones ends first.
        changed_.wait(lock);
    }
}

void RefreshPass::finish(const store::LeasedConnector& connector, bool provider_down) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = running_per_provider_.find(connector.provider);
            it != running_per_provider_.end() && it->second > 0) {
            --it->second;
        }
        if (auto it = std::find(running_.begin(), running_.end(), connector.ref);
            it != running_.end()) {
            running_.erase(it);
        }
        if (provider_down && down_.insert(connector.provider).second) {
            auto first_down = std::stable_partition(
                queue_.begin(), queue_.end(),
                [&](const auto& c) { return c.provider != connector.provider; });
            std::move(first_down, queue_.end(), std::back_inserter(skipped_));
            queue_.erase(first_down, queue_.end());
        }
    }
    changed_.notify_all();
}

void RefreshPass::cancel() {
    {
        std::lock_guard lock(mutex_);
        cancelled_ = true;
        std::move(queue_.begin(), queue_.end(), std::back_inserter(skipped_));
        queue_.clear();
    }
    changed_.notify_all();
}

std::vector<store::ConnectorRef> RefreshPass::unfinished() const {
    std::lock_guard lock(mutex_);
    std::vector<store::ConnectorRef> out = running_;
    for (const auto& c : queue_) out.push_back(c.ref);
    return out;
}

std::vector<store::LeasedConnector> RefreshPass::take_skipped() {
    std::lock_guard lock(mutex_);
    return std::exchange(skipped_, {});
}

} // namespace switchboard::connectors
