// What a route handler returns. The server adds the framing (Content-Length, Connection),
// X-Request-Id and the security headers; a handler sets only what is about its answer.
#pragma once

#include "host/server/body_stream.hpp"
#include "host/server/headers.hpp"
#include "host/server/http_types.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace switchboard::server {

class DeferredResponse;

inline constexpr const char* json_content_type = "application/json";

struct Response {
    http::status status = http::status::ok;
    std::string content_type = json_content_type;
    std::string body;
    // Extra headers (Location, WWW-Authenticate, Retry-After, Cache-Control...). Framing
    // headers set here are overwritten by the server.
    Headers headers;
    // A body produced as it is sent (a handler on a worker pool only): `body` is then ignored.
    // It goes out with Content-Length when `stream_length` is known, else chunked (to an
    // HTTP/1.0 client: until the connection closes). Not run for HEAD, nor for a status that
    // has no body (1xx, 204, 304).
    BodyProducer stream;
    std::optional<std::uint64_t> stream_length;
    // The tenant the access log line names, for a handler that learns it otherwise than
    // through the route's gate (whose Caller the server logs by itself). Never a credential.
    std::string tenant;
    // Set when the answer comes later (a long poll, see deferred_response.hpp): everything
    // else here is then ignored.
    std::shared_ptr<DeferredResponse> deferred;

    // `value` serialised; invalid UTF-8 in strings is replaced rather than thrown on.
    static Response json(http::status status, const nlohmann::json& value);
    static Response json(const nlohmann::json& value);
    static Response text(http::status status, std::string body,
                         std::string content_type = "text/plain; charset=utf-8");
    static Response no_content();
    static Response deferred_by(std::shared_ptr<DeferredResponse> later);
};

} // namespace switchboard::server
