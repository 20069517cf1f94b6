// A response a handler cannot give at once: a long poll (the MCP server's event stream waits
// for a notification). The handler returns a Response whose `deferred` is set; the server
// keeps the request open, with no worker held, and sends what complete() is given — from any
// thread — or the fallback when `timeout` passes first, or at once when the server stops.
//
//   auto later = std::make_shared<DeferredResponse>(std::chrono::seconds(25), fallback);
//   remember(later);                       // e.g. in a session, until there is news
//   return Response::deferred_by(later);
//   ...
//   later->complete(Response::text(...));  // from anywhere; false if already answered
#pragma once

#include "host/server/response.hpp"

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>

namespace switchboard::server {

class DeferredResponse {
public:
    DeferredResponse(std::chrono::milliseconds timeout, Response fallback);

    DeferredResponse(const DeferredResponse&) = delete;
    DeferredResponse& operator=(const DeferredResponse&) = delete;

    // [thread-safe] Sends `response` (its own `deferred` is ignored) unless an answer was
    // already given or the client went away; says whether it will be sent.
    bool complete(Response response);
    // [thread-safe] Answered, timed out, or abandoned: complete() would do nothing.
    bool done() const;

    std::chrono::milliseconds timeout() const noexcept { return timeout_; }

    // For the server's connection, once, on its strand: where the answer goes.
    void attach(std::function<void(Response)> deliver);
    // For the server: the timeout passed, or the server stops: the fallback is sent.
    void expire();
    // For the server: the connection closed before an answer; nothing will be sent.
    void abandon();

private:
    const std::chrono::milliseconds timeout_;
    mutable std::mutex mutex_;
    Response fallback_;
    std::optional<Response> early_; // completed before the connection attached
    std::function<void(Response)> deliver_;
    bool done_ = false;
};

} // namespace switchboard::server
