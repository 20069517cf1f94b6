#include "core/ratelimit/redis_token_buckets.hpp"

#include <openssl/evp.h>

#include <array>
#include <charconv>
#include <cstdio>

namespace switchboard::ratelimit {
namespace {

// KEYS: the buckets. ARGV: capacity and refill per millisecond of each, in KEYS' order.
// Returns 0 when a token was taken from every bucket, else the milliseconds until every
// bucket holds a whole token (nothing taken).
constexpr std::string_view take_script = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local levels = {}
local wait = 0
for i = 1, #KEYS do
  local capacity = tonumber(ARGV[2 * i - 1])
  local rate = tonumber(ARGV[2 * i])
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'ms')
  local tokens = tonumber(state[1])
  local at = tonumber(state[2])
  if tokens == nil or at == nil then
    tokens = capacity
  elseif now > at then
    tokens = math.min(capacity, tokens + (now - at) * rate)
  end
  levels[i] = tokens
  if tokens < 1 then
    local need = math.ceil((1 - tokens) / rate)
    if need > wait then wait = need end
  end
end
if wait > 0 then return wait end
for i = 1, #KEYS do
  local capacity = tonumber(ARGV[2 * i - 1])
  local rate = tonumber(ARGV[2 * i])
  redis.call('HSET', KEYS[i], 'tokens', tostring(levels[i] - 1), 'ms', now)
  redis.call('PEXPIRE', KEYS[i], math.ceil(capacity / rate) + 1000)
end
return 0
)lua";

std::string sha1_hex(std::string_view text) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha1(), nullptr) != 1) {
        return {};
    }
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += digits[digest[i] >> 4];
        out += digits[digest[i] & 0x0f];
    }
    return out;
}

// A number as Lua's tonumber() reads it back exactly.
std::string number(double value) {
    std::array<char, 64> buffer{};
    auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    if (ec != std::errc()) return "0";
    return std::string(buffer.data(), end);
}

} // namespace

RedisTokenBuckets::RedisTokenBuckets(std::shared_ptr<redis::RedisClient> client, std::string key_prefix)
    : client_(std::move(client)), prefix_(std::move(key_prefix)), sha1_(sha1_hex(take_script)) {}

Result<std::chrono::milliseconds>
RedisTokenBuckets::try_take(const std::vector<BucketClaim>& claims) {
    if (claims.empty()) return std::chrono::milliseconds(0);
    std::vector<std::string> argv = {"EVALSHA", sha1_, std::to_string(claims.size())};
    for (const auto& claim : claims) argv.push_back(prefix_ + claim.key);
    for (const auto& claim : claims) {
        argv.push_back(number(claim.capacity));
        argv.push_back(number(claim.refill_per_second / 1000.0));
    }
    auto reply = client_->run(argv);
    if (reply && reply->type == redis::RedisReply::Type::error && reply->text.rfind("NOSCRIPT", 0) == 0) {
        // First use on this server (or after a restart or SCRIPT FLUSH): send the script; Redis
        // caches it for the EVALSHAs that follow.
        argv[0] = "EVAL";
        argv[1] = std::string(take_script);
        reply = client_->run(argv);
    }
    if (!reply) return reply.error();
    if (reply->type != redis::RedisReply::Type::integer || reply->integer < 0) {
        return Error(ErrorKind::unavailable, "rate_limit_store_unavailable",
                     "the rate limits' Redis answered the bucket script with " +
                         (reply->type == redis::RedisReply::Type::error ? reply->text
                                                                 : std::string("a non-integer")));
    }
    return std::chrono::milliseconds(reply->integer);
}

} // namespace switchboard::ratelimit
