#include "core/config/sections.hpp"

#include <boost/url/parse.hpp>

#include <cmath>

namespace switchboard::config::detail {
namespace {

constexpr double max_capacity = 1'000'000;
constexpr double max_refill = 1'000'000;

double positive_number(const ConfigSection& s, std::string_view key, double min, double max) {
    const nlohmann::json* value = s.value(key);
    if (value == nullptr) {
        s.fail(key, "is required");
    }
    if (!value->is_number() || !std::isfinite(value->get<double>()) ||
        value->get<double>() < min || value->get<double>() > max) {
        s.fail(key, "must be a number between " + std::to_string(static_cast<long long>(min)) +
                        " and " + std::to_string(static_cast<long long>(max)));
    }
    return value->get<double>();
}

// A bucket, or null to have none.
std::optional<RateBucketConfig> parse_bucket(const ConfigSection& provider, std::string_view key) {
    const nlohmann::json* value = provider.value(key);
    if (value == nullptr || value->is_null()) {
        return std::nullopt;
    }
    ConfigSection s(*value, provider.path_of(key), {"capacity", "refill_per_second"});
    RateBucketConfig bucket;
    bucket.capacity = positive_number(s, "capacity", 1, max_capacity);
    // A refill slower than one request a day is a typo, not a limit.
    const nlohmann::json* refill = s.value("refill_per_second");
    if (refill != nullptr && refill->is_number() && refill->get<double>() > 0 &&
        refill->get<double>() < 1.0 / 86'400) {
        s.fail("refill_per_second", "must be at least one request a day (0.0000116)");
    }
    bucket.refill_per_second = positive_number(s, "refill_per_second", 0, max_refill);
    if (bucket.refill_per_second <= 0) {
        s.fail("refill_per_second", "must be more than 0");
    }
    return bucket;
}

} // namespace

RateLimitsConfig parse_rate_limits_section(const ConfigSection& s, const ParseContext& context) {
    RateLimitsConfig c;
    c.enabled = s.boolean("enabled").value_or(c.enabled);
    if (auto backend = s.choice("backend", {"local", "redis"})) {
        c.backend = *backend == "redis" ? RateLimitBackend::redis : RateLimitBackend::local;
    }
    c.max_wait_ms = s.integer_as<std::uint32_t>("max_wait_ms", 0, 60'000).value_or(c.max_wait_ms);
    c.timeout_ms = s.integer_as<std::uint32_t>("timeout_ms", 1, 60'000).value_or(c.timeout_ms);
    c.redis = parse_redis_server(s, c.backend == RateLimitBackend::redis, context);
    if (const nlohmann::json* providers = s.value("providers")) {
        ConfigSection all = ConfigSection::with_any_keys(*providers, s.path_of("providers"));
        for (const auto& [id, value] : providers->items()) {
            ConfigSection provider(value, all.path_of(id), {"provider", "tenant"});
            // An entry replaces the provider's defaults as a whole; a key left out or null
            // means no bucket of that kind.
            c.providers[id] = ProviderRateLimits{parse_bucket(provider, "provider"),
                                                 parse_bucket(provider, "tenant")};
        }
    }
    return c;
}

} // namespace switchboard::config::detail
