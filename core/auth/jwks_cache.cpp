#include "core/auth/jwks_cache.hpp"

#include <spdlog/spdlog.h>

namespace switchboard::auth {

JwksCache::JwksCache(JwksCacheOptions options) : options_(std::move(options)) {
    if (!options_.now) {
        options_.now = [] { return Clock::now(); };
    }
}

Result<void> JwksCache::refresh() {
    std::lock_guard fetch_lock(fetch_mutex_);
    return fetch_locked();
}

Result<void> JwksCache::fetch_locked() {
    {
        std::lock_guard lock(state_mutex_);
        attempted_at_ = options_.now();
    }
    auto document = options_.fetch();
    if (!document) {
        return document.error();
    }
    auto parsed = parse_jwks(*document);
    if (!parsed) {
        return parsed.error();
    }
    auto fresh = std::make_shared<const PublicKeys>(std::move(*parsed));
    std::lock_guard lock(state_mutex_);
    keys_ = std::move(fresh);
    fetched_at_ = options_.now();
    return {};
}

void JwksCache::fetch_if_due(std::chrono::seconds spacing) {
    {
        std::lock_guard lock(state_mutex_);
        if (attempted_at_ && options_.now() - *attempted_at_ < spacing) {
            return;
        }
    }
    if (auto fetched = fetch_locked(); !fetched) {
        spdlog::warn("auth.jwt.jwks_url: the JWKS could not be fetched ({}: {}); the keys "
                     "fetched before stay in use",
                     fetched.error().code, fetched.error().message);
    }
}

std::shared_ptr<const PublicKeys> JwksCache::keys() {
    bool stale = false;
    {
        std::lock_guard lock(state_mutex_);
        stale = !fetched_at_ || options_.now() - *fetched_at_ >= options_.max_age;
        if (!stale) {
            return keys_;
        }
    }
    // One caller fetches; the others go on with the copy they have (if any).
    std::unique_lock fetch_lock(fetch_mutex_, std::try_to_lock);
    if (fetch_lock.owns_lock()) {
        // A failing identity provider is asked again only after the minimum interval.
        fetch_if_due(options_.min_refetch_interval);
    }
    std::lock_guard lock(state_mutex_);
    return keys_;
}

std::shared_ptr<const PublicKeys> JwksCache::keys_after_unknown_key(
    const std::shared_ptr<const PublicKeys>& seen) {
    // Waits for a fetch in progress: it may bring the key.
    std::lock_guard fetch_lock(fetch_mutex_);
    fetch_if_due(options_.min_refetch_interval);
    std::lock_guard lock(state_mutex_);
    return keys_ == seen ? nullptr : keys_;
}

} // namespace switchboard::auth
