#include "core/oauth/redis_oauth_state_store.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace switchboard::oauth {

namespace {

long long epoch_ms(std::chrono::system_clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

std::chrono::system_clock::time_point from_epoch_ms(long long ms) {
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

redis::RedisOptions with_state_store_errors(redis::RedisOptions redis) {
    redis.role = "the OAuth state store's Redis";
    redis.error_code = "state_store_unavailable";
    return redis;
}

} // namespace

RedisOAuthStateStore::RedisOAuthStateStore(redis::RedisOptions redis,
                                           OAuthStateStoreOptions options, std::string key_prefix)
    : client_(with_state_store_errors(std::move(redis))), options_(std::move(options)),
      key_prefix_(std::move(key_prefix)) {}

RedisOAuthStateStore::~RedisOAuthStateStore() = default;

Result<std::string> RedisOAuthStateStore::key_for(std::string_view state) const {
    auto key = detail::state_key(state);
    if (!key) return key.error();
    return key_prefix_ + *key;
}

Result<redis::RedisReply> RedisOAuthStateStore::run(std::string_view what,
                                                    const std::vector<std::string>& argv) {
    auto reply = client_.run(argv);
    if (!reply) return reply.error();
    if (reply->type == redis::RedisReply::Type::error) {
        return detail::state_store_unavailable("Redis refused " + std::string(what) + ": " +
                                               reply->text);
    }
    return reply;
}

Result<OAuthStateTicket> RedisOAuthStateStore::create(const OAuthStateBinding& binding) {
    auto ticket = detail::make_ticket(binding, options_);
    if (!ticket) return ticket.error();
    auto key = key_for(ticket->state);
    if (!key) return key.error();
    const nlohmann::json value = {
        {"tenant_id", binding.tenant_id},
        {"user_id", binding.user_id},
        {"provider", binding.provider},
        {"category", binding.category},
        {"connector_name", binding.connector_name},
        {"redirect_uri", binding.redirect_uri},
        {"code_verifier", ticket->code_verifier},
        {"created_at_ms", epoch_ms(detail::now(options_))},
        {"expires_at_ms", epoch_ms(ticket->expires_at)},
    };
    auto reply =
        run("SET", {"SET", *key, value.dump(), "EX", std::to_string(options_.ttl.count()), "NX"});
    if (!reply) return reply.error();
    // NIL means the key exists. A 256-bit random key can only already exist if this very SET
    // was applied before a retry (its reply lost with the connection): the state is stored.
    if (reply->type != redis::RedisReply::Type::status &&
        reply->type != redis::RedisReply::Type::nil) {
        return detail::state_store_unavailable("Redis answered SET with an unexpected reply");
    }
    return std::move(*ticket);
}

Result<ConsumedOAuthState> RedisOAuthStateStore::consume(std::string_view state) {
    if (!detail::is_well_formed_state(state)) return detail::invalid_state();
    auto key = key_for(state);
    if (!key) return key.error();
    // GETDEL is atomic: of concurrent consumers exactly one gets the value.
    auto reply = run("GETDEL", {"GETDEL", *key});
    if (!reply) return reply.error();
    if (reply->type == redis::RedisReply::Type::nil) return detail::invalid_state();
    if (reply->type != redis::RedisReply::Type::string) {
        return detail::state_store_unavailable("Redis answered GETDEL with an unexpected reply");
    }
    ConsumedOAuthState out;
    try {
        const auto value = nlohmann::json::parse(reply->text);
        out.binding.tenant_id = value.at("tenant_id").get<std::string>();
        out.binding.user_id = value.at("user_id").get<std::string>();
        out.binding.provider = value.at("provider").get<std::string>();
        out.binding.category = value.at("category").get<std::string>();
        out.binding.connector_name = value.at("connector_name").get<std::string>();
        out.binding.redirect_uri = value.at("redirect_uri").get<std::string>();
        out.code_verifier = value.at("code_verifier").get<std::string>();
        out.created_at = from_epoch_ms(value.at("created_at_ms").get<long long>());
        out.expires_at = from_epoch_ms(value.at("expires_at_ms").get<long long>());
    } catch (const nlohmann::json::exception&) {
        // Not ours (another writer under our prefix): treat as unknown, say nothing of it.
        spdlog::warn("Redis OAuth state under {} is not valid JSON; ignored", key_prefix_);
        return detail::invalid_state();
    }
    // Redis expires the key too; this covers clock-injected tests and a late GETDEL.
    if (out.expires_at <= detail::now(options_)) return detail::invalid_state();
    return out;
}

} // namespace switchboard::oauth
