#include "core/oauth/redis_oauth_state_store.hpp"

#include <hiredis/hiredis.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <sys/time.h>

namespace switchboard::oauth {

struct RedisOAuthStateStore::Connection {
    explicit Connection(redisContext* c) : context(c) {}
    ~Connection() {
        if (context != nullptr) redisFree(context);
    }
    redisContext* context;
};

struct RedisOAuthStateStore::Reply {
    explicit Reply(redisReply* r) : reply(r) {}
    ~Reply() {
        if (reply != nullptr) freeReplyObject(reply);
    }
    redisReply* reply;
};

struct RedisOAuthStateStore::Acquired {
    std::unique_ptr<Connection> connection;
    bool fresh = false;
};

namespace {

timeval to_timeval(std::chrono::milliseconds duration) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(duration.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((duration.count() % 1000) * 1000);
    return tv;
}

long long epoch_ms(std::chrono::system_clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

std::chrono::system_clock::time_point from_epoch_ms(long long ms) {
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

// Runs argv on one connection; nullptr when the connection failed (context->err set).
redisReply* command(redisContext* context, const std::vector<std::string>& argv) {
    std::vector<const char*> args;
    std::vector<size_t> lengths;
    for (const auto& arg : argv) {
        args.push_back(arg.data());
        lengths.push_back(arg.size());
    }
    return static_cast<redisReply*>(
        redisCommandArgv(context, static_cast<int>(args.size()), args.data(), lengths.data()));
}

} // namespace

RedisOAuthStateStore::RedisOAuthStateStore(RedisOptions redis, OAuthStateStoreOptions options)
    : redis_(std::move(redis)), options_(std::move(options)) {
    if (redis_.pool_size == 0) redis_.pool_size = 1;
}

RedisOAuthStateStore::~RedisOAuthStateStore() = default;

Result<std::string> RedisOAuthStateStore::key_for(std::string_view state) const {
    auto key = detail::state_key(state);
    if (!key) return key.error();
    return redis_.key_prefix + *key;
}

Result<std::unique_ptr<RedisOAuthStateStore::Connection>> RedisOAuthStateStore::connect() const {
    const std::string where = redis_.host + ":" + std::to_string(redis_.port);
    auto connection = std::make_unique<Connection>(redisConnectWithTimeout(
        redis_.host.c_str(), redis_.port, to_timeval(redis_.connect_timeout)));
    redisContext* c = connection->context;
    if (c == nullptr) return detail::state_store_unavailable("cannot allocate a Redis connection");
    if (c->err != 0) {
        return detail::state_store_unavailable("cannot connect to Redis at " + where + ": " +
                                               c->errstr);
    }
    if (redisSetTimeout(c, to_timeval(redis_.command_timeout)) != REDIS_OK) {
        return detail::state_store_unavailable("cannot set the Redis command timeout for " + where);
    }
    redisEnableKeepAlive(c);
    auto setup = [&](const std::vector<std::string>& argv, std::string_view what) -> Result<void> {
        Reply reply(command(c, argv));
        if (reply.reply == nullptr) {
            return detail::state_store_unavailable("Redis at " + where + " failed during " +
                                                   std::string(what) + ": " + c->errstr);
        }
        if (reply.reply->type == REDIS_REPLY_ERROR) {
            // The server's text, never the password.
            return detail::state_store_unavailable("Redis at " + where + " refused " +
                                                   std::string(what) + ": " +
                                                   std::string(reply.reply->str, reply.reply->len));
        }
        return {};
    };
    if (!redis_.password.empty()) {
        if (auto ok = setup({"AUTH", redis_.password}, "AUTH"); !ok) return ok.error();
    }
    if (redis_.database != 0) {
        if (auto ok = setup({"SELECT", std::to_string(redis_.database)}, "SELECT"); !ok)
            return ok.error();
    }
    return connection;
}

Result<RedisOAuthStateStore::Acquired> RedisOAuthStateStore::acquire() {
    {
        std::unique_lock lock(mutex_);
        const bool got = available_.wait_for(lock, redis_.connect_timeout, [&] {
            return !idle_.empty() || open_ < redis_.pool_size;
        });
        if (!got) return detail::state_store_unavailable("every Redis connection is busy");
        if (!idle_.empty()) {
            Acquired pooled{std::move(idle_.back()), false};
            idle_.pop_back();
            return pooled;
        }
        ++open_; // reserve a slot, then connect without holding the lock
    }
    auto connection = connect();
    if (!connection) {
        std::lock_guard lock(mutex_);
        --open_;
        available_.notify_one();
        return connection.error();
    }
    return Acquired{std::move(*connection), true};
}

void RedisOAuthStateStore::release(std::unique_ptr<Connection> connection) {
    std::lock_guard lock(mutex_);
    if (connection && connection->context != nullptr && connection->context->err == 0) {
        idle_.push_back(std::move(connection));
    } else {
        // Broken: drop it, and the idle ones too. They reach the same server, so after a
        // restart they are stale as well, and the retry must get a fresh connection.
        open_ -= 1 + idle_.size();
        idle_.clear();
    }
    available_.notify_one();
}

Result<std::unique_ptr<RedisOAuthStateStore::Reply>>
RedisOAuthStateStore::run(std::string_view what, const std::vector<std::string>& argv) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto acquired = acquire();
        if (!acquired) return acquired.error();
        std::unique_ptr<Connection> connection = std::move(acquired->connection);
        const bool retry_allowed = !acquired->fresh && attempt == 0;

        auto reply = std::make_unique<Reply>(command(connection->context, argv));
        if (reply->reply != nullptr) {
            release(std::move(connection));
            if (reply->reply->type == REDIS_REPLY_ERROR) {
                return detail::state_store_unavailable(
                    "Redis refused " + std::string(what) + ": " +
                    std::string(reply->reply->str, reply->reply->len));
            }
            return reply;
        }
        const std::string reason = connection->context->errstr;
        release(std::move(connection)); // dropped: err is set
        if (!retry_allowed) {
            spdlog::warn("Redis {} failed at {}:{}: {}", what, redis_.host, redis_.port, reason);
            return detail::state_store_unavailable("Redis at " + redis_.host + ":" +
                                                   std::to_string(redis_.port) + " failed during " +
                                                   std::string(what) + ": " + reason);
        }
        // A pooled connection may predate a server restart: try once more on a fresh one.
    }
    return detail::state_store_unavailable("Redis failed during " + std::string(what));
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
    const int type = (*reply)->reply->type;
    if (type != REDIS_REPLY_STATUS && type != REDIS_REPLY_NIL) {
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
    const redisReply* r = (*reply)->reply;
    if (r->type == REDIS_REPLY_NIL) return detail::invalid_state();
    if (r->type != REDIS_REPLY_STRING) {
        return detail::state_store_unavailable("Redis answered GETDEL with an unexpected reply");
    }
    ConsumedOAuthState out;
    try {
        const auto value = nlohmann::json::parse(std::string_view(r->str, r->len));
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
        spdlog::warn("Redis OAuth state under {} is not valid JSON; ignored", redis_.key_prefix);
        return detail::invalid_state();
    }
    // Redis expires the key too; this covers clock-injected tests and a late GETDEL.
    if (out.expires_at <= detail::now(options_)) return detail::invalid_state();
    return out;
}

} // namespace switchboard::oauth
