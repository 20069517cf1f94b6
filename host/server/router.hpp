// Maps method + path to a route handler. Patterns are literal segments and `{name}`
// parameters, each a whole segment: "/api/v1/connectors/{id}/actions/{action}". A pattern may
// end with a rest parameter `{name...}`, which takes one or more whole segments, the rest of
// the path: "/api/v1/connectors/{id}/proxy/{path...}". Its value is that rest as received,
// still percent-encoded (decoding would make an encoded '/' one with the separators) and with
// its trailing '/' if the path had one; the route decodes and checks it.
//
// Matching is per segment on the percent-decoded path; a literal segment beats a parameter
// at the same position (so "/connectors/types" wins over "/connectors/{id}"), and a request
// falls back to the parameter branch when the literal branch has no route for its method.
// A GET route also answers HEAD unless HEAD is registered explicitly. A path with one trailing
// '/' matches as the path without it ("/api/v1/connectors/" is "/api/v1/connectors"): the
// same answer, no redirect.
//
// Routes are registered at start-up, before the server runs; match() is then safe to call
// from any number of threads.
#pragma once

#include "core/common/error.hpp"
#include "host/server/request.hpp"
#include "host/server/response.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::server {

// A handler must not throw on purpose (failures are values: return an error response), but
// if it does, the server answers 500 `internal` and keeps serving.
using Handler = std::function<Response(const Request&)>;

// Where a handler runs. Handlers block (plugins, database, outbound HTTP), so they run on the
// worker pool; only trivial, non-blocking handlers (a health check) may run on the I/O thread.
// The operator's routes (/readyz, /metrics) run on a small pool of their own, so that they
// answer while every worker is busy.
enum class Execution { worker_pool, io_thread, operations };

// How a route takes its body: read whole by the server before the handler runs (buffered), or
// read by the handler as it arrives, from Request::body_stream (streamed: uploads of any size
// in bounded memory; see body_stream.hpp).
enum class BodyMode { buffered, streamed };

// Looks at a request's header alone (Request::body is empty), before the body is read. It runs
// on the connection's I/O thread, so it must be CPU-only and quick: verifying a signature or
// comparing a key digest is, a database query is not. Its error is the answer (401 for
// unauthenticated), sent without reading the body; its Caller reaches the handler in
// Request::caller and the access log.
using Gate = std::function<Result<Caller>(const Request& head)>;

// How large a body a route accepts.
enum class BodyLimit {
    standard,         // ServerOptions::body_limit_bytes, for everyone
    large_after_gate, // ServerOptions::authenticated_body_limit_bytes once the gate admitted the
                      // caller (uploads); the standard limit until then
};

struct RouteOptions {
    Execution execution = Execution::worker_pool;
    Gate gate;
    BodyLimit body_limit = BodyLimit::standard;
    // streamed: only once the gate admitted the caller is the body read at all, and then up to
    // streamed_body_limit_bytes (413 `body_too_large` beyond). Needs a gate and a worker pool.
    BodyMode body_mode = BodyMode::buffered;
    std::uint64_t streamed_body_limit_bytes = 0;
};

struct Route {
    http::verb method;
    std::string pattern;
    Handler handler;
    Execution execution;
    Gate gate;
    BodyLimit body_limit;
    BodyMode body_mode = BodyMode::buffered;
    std::uint64_t streamed_body_limit_bytes = 0;
};

struct RouteMatch {
    enum class Outcome {
        found,                  // route and path_params are set
        not_found,              // no pattern matches the path: 404
        method_not_allowed,     // a pattern matches, not for this method: 405, allow is set
        method_not_implemented, // a method this server does not know at all: 501
    };

    Outcome outcome = Outcome::not_found;
    const Route* route = nullptr;
    Params path_params;
    std::string allow; // "GET, HEAD, POST"
};

class Router {
public:
    Router();
    ~Router();
    Router(Router&&) noexcept;
    Router& operator=(Router&&) noexcept;

    // Registers `handler` for `method` on `pattern`. A malformed pattern (a rest parameter
    // anywhere but last), a method already registered for the same pattern, two parameter
    // names at the same position, or a large or streamed body without a gate (or a streamed
    // one on the I/O thread) are programming errors found at start-up: std::invalid_argument
    // naming the pattern.
    void add(http::verb method, std::string_view pattern, Handler handler,
             RouteOptions options = {});
    void add(http::verb method, std::string_view pattern, Handler handler, Execution execution);

    // `path` is the request's path as received (percent-encoded, no query string).
    RouteMatch match(http::verb method, std::string_view path) const;

    // The methods some route answers on `path` ("GET, HEAD, POST"), empty when none does.
    std::string allowed_methods(std::string_view path) const;

    // Every registered route, in registration order.
    std::vector<const Route*> routes() const;

private:
    struct Node;
    struct Matcher;
    RouteMatch match_path(http::verb method, std::string_view path) const;

    std::unique_ptr<Node> root_;
    std::vector<std::unique_ptr<Route>> routes_;
};

} // namespace switchboard::server
