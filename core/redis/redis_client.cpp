#include "core/redis/redis_client.hpp"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <sys/time.h>

namespace switchboard::redis {

struct RedisClient::Connection {
    explicit Connection(redisContext* c) : context(c) {}
    ~Connection() {
        if (context != nullptr) redisFree(context);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    redisContext* context;
};

namespace {

timeval to_timeval(std::chrono::milliseconds duration) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(duration.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((duration.count() % 1000) * 1000);
    return tv;
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

RedisReply copy(const redisReply* reply) {
    RedisReply out;
    switch (reply->type) {
    case REDIS_REPLY_STRING:
        out.type = RedisReply::Type::string;
        out.text.assign(reply->str, reply->len);
        break;
    case REDIS_REPLY_INTEGER:
        out.type = RedisReply::Type::integer;
        out.integer = reply->integer;
        break;
    case REDIS_REPLY_STATUS:
        out.type = RedisReply::Type::status;
        out.text.assign(reply->str, reply->len);
        break;
    case REDIS_REPLY_ERROR:
        out.type = RedisReply::Type::error;
        out.text.assign(reply->str, reply->len);
        break;
    case REDIS_REPLY_ARRAY: out.type = RedisReply::Type::array; break;
    default: out.type = RedisReply::Type::nil; break;
    }
    return out;
}

struct ReplyGuard {
    explicit ReplyGuard(redisReply* r) : reply(r) {}
    ~ReplyGuard() {
        if (reply != nullptr) freeReplyObject(reply);
    }
    ReplyGuard(const ReplyGuard&) = delete;
    ReplyGuard& operator=(const ReplyGuard&) = delete;
    redisReply* reply;
};

} // namespace

RedisClient::RedisClient(RedisOptions options) : options_(std::move(options)) {
    if (options_.pool_size == 0) options_.pool_size = 1;
    if (options_.tls) {
        auto relay = TlsRelay::create(*options_.tls);
        if (relay) {
            relay_ = std::move(*relay);
        } else {
            relay_error_ = relay.error(); // a config error: start-up's first command reports it
            relay_error_->message = options_.role + ": " + relay_error_->message;
        }
    }
}

RedisClient::~RedisClient() = default;

Error RedisClient::unavailable(const std::string& why) const {
    return Error(ErrorKind::unavailable, options_.error_code,
                 options_.role + " at " + options_.host + ":" + std::to_string(options_.port) +
                     " " + why);
}

Result<std::unique_ptr<RedisClient::Connection>> RedisClient::connect() const {
    std::unique_ptr<Connection> connection;
    if (options_.tls) {
        if (!relay_) return *relay_error_;
        auto plain_end = relay_->open(options_.host, options_.port, options_.connect_timeout);
        if (!plain_end) {
            return unavailable("cannot be reached over TLS: " + plain_end.error().message);
        }
        connection = std::make_unique<Connection>(redisConnectFd(*plain_end));
    } else {
        connection = std::make_unique<Connection>(redisConnectWithTimeout(
            options_.host.c_str(), options_.port, to_timeval(options_.connect_timeout)));
    }
    redisContext* c = connection->context;
    if (c == nullptr) return unavailable("cannot be reached (no memory for a connection)");
    if (c->err != 0) return unavailable(std::string("cannot be reached: ") + c->errstr);
    if (redisSetTimeout(c, to_timeval(options_.command_timeout)) != REDIS_OK) {
        return unavailable("refused a command timeout");
    }
    if (!options_.tls) {
        redisEnableKeepAlive(c); // TCP's; the relay keeps its own TCP socket alive
    }
    auto setup = [&](const std::vector<std::string>& argv, std::string_view what) -> Result<void> {
        ReplyGuard reply(command(c, argv));
        if (reply.reply == nullptr) {
            return unavailable("failed during " + std::string(what) + ": " + c->errstr);
        }
        if (reply.reply->type == REDIS_REPLY_ERROR) {
            // The server's text, never the password.
            return unavailable("refused " + std::string(what) + ": " +
                               std::string(reply.reply->str, reply.reply->len));
        }
        return {};
    };
    if (!options_.password.empty()) {
        if (auto ok = setup({"AUTH", options_.password}, "AUTH"); !ok) return ok.error();
    }
    if (options_.database != 0) {
        if (auto ok = setup({"SELECT", std::to_string(options_.database)}, "SELECT"); !ok) {
            return ok.error();
        }
    }
    return connection;
}

Result<std::pair<std::unique_ptr<RedisClient::Connection>, bool>> RedisClient::acquire() {
    {
        std::unique_lock lock(mutex_);
        const bool got = available_.wait_for(lock, options_.connect_timeout, [&] {
            return !idle_.empty() || open_ < options_.pool_size;
        });
        if (!got) return unavailable("has no free connection");
        if (!idle_.empty()) {
            auto pooled = std::move(idle_.back());
            idle_.pop_back();
            return std::make_pair(std::move(pooled), false);
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
    return std::make_pair(std::move(*connection), true);
}

void RedisClient::release(std::unique_ptr<Connection> connection) {
    std::lock_guard lock(mutex_);
    if (connection && connection->context != nullptr && connection->context->err == 0) {
        idle_.push_back(std::move(connection));
    } else {
        open_ -= 1 + idle_.size();
        idle_.clear();
    }
    available_.notify_one();
}

Result<RedisReply> RedisClient::run(const std::vector<std::string>& argv) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto acquired = acquire();
        if (!acquired) return acquired.error();
        auto [connection, fresh] = std::move(*acquired);
        ReplyGuard reply(command(connection->context, argv));
        if (reply.reply != nullptr) {
            RedisReply out = copy(reply.reply);
            release(std::move(connection));
            return out;
        }
        const std::string reason = connection->context->errstr;
        release(std::move(connection)); // dropped: err is set
        if (fresh || attempt > 0) {
            spdlog::warn("{} at {}:{} failed: {}", options_.role, options_.host, options_.port,
                         reason);
            return unavailable("failed: " + reason);
        }
        // A pooled connection may predate a server restart: once more on a fresh one.
    }
    return unavailable("failed");
}

} // namespace switchboard::redis
