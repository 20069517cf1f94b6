#include "core/config/sections.hpp"

#include <set>

namespace switchboard::config::detail {
namespace {

bool is_endpoint_name(std::string_view name) {
    if (name.empty() || name.size() > 64) {
        return false;
    }
    for (char c : name) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
            return false;
        }
    }
    return true;
}

WebhookConfig parse_webhook(const ConfigSection& s) {
    WebhookConfig w;
    auto name = s.string("name");
    if (!name || !is_endpoint_name(*name)) {
        s.fail("name", "is required: 1 to 64 characters from a-z, 0-9, _ and -");
    }
    w.name = *name;
    auto url = s.secure_url("url");
    if (!url) {
        s.fail("url", "is required: where the events are POSTed");
    }
    w.url = *url;
    auto secret = s.env_name("secret_env");
    if (!secret) {
        s.fail("secret_env", "is required: the environment variable holding the signing secret");
    }
    w.secret_env = *secret;
    return w;
}

} // namespace

EventsConfig parse_events_section(const ConfigSection& s) {
    constexpr std::uint32_t day = 86'400;
    EventsConfig c;
    if (const nlohmann::json* list = s.value("webhooks")) {
        if (!list->is_array()) {
            s.fail("webhooks", "must be an array of {name, url, secret_env} objects");
        }
        std::set<std::string> names;
        for (std::size_t i = 0; i < list->size(); ++i) {
            ConfigSection entry((*list)[i], s.path_of("webhooks") + "[" + std::to_string(i) + "]",
                                {"name", "url", "secret_env"});
            WebhookConfig webhook = parse_webhook(entry);
            if (!names.insert(webhook.name).second) {
                entry.fail("name", "duplicates an earlier webhook's name");
            }
            c.webhooks.push_back(std::move(webhook));
        }
    }
    c.retention_days =
        s.integer_as<std::uint32_t>("retention_days", 1, 3650).value_or(c.retention_days);
    c.poll_interval_ms = s.integer_as<std::uint32_t>("poll_interval_ms", 10, 60'000)
                             .value_or(c.poll_interval_ms);
    c.batch = s.integer_as<std::uint32_t>("batch", 1, 1000).value_or(c.batch);
    c.concurrency = s.integer_as<std::uint32_t>("concurrency", 1, 64).value_or(c.concurrency);
    c.timeout_ms = s.integer_as<std::uint32_t>("timeout_ms", 100, 300'000).value_or(c.timeout_ms);
    c.retry_base_seconds = s.integer_as<std::uint32_t>("retry_base_seconds", 1, day)
                               .value_or(c.retry_base_seconds);
    c.retry_max_seconds = s.integer_as<std::uint32_t>("retry_max_seconds", 1, 7 * day)
                              .value_or(c.retry_max_seconds);
    if (c.retry_max_seconds < c.retry_base_seconds) {
        s.fail("retry_max_seconds", "must be at least retry_base_seconds (" +
                                        std::to_string(c.retry_base_seconds) + ")");
    }
    c.lease_seconds =
        s.integer_as<std::uint32_t>("lease_seconds", 2, 3600).value_or(c.lease_seconds);
    if (static_cast<std::uint64_t>(c.lease_seconds) * 1000 <= c.timeout_ms) {
        s.fail("lease_seconds", "must be longer than timeout_ms (" +
                                    std::to_string(c.timeout_ms) +
                                    " ms): a delivery in flight must not be handed to another "
                                    "instance");
    }
    return c;
}

} // namespace switchboard::config::detail
