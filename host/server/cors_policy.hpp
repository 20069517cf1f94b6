// Cross-origin resource sharing (the Fetch standard's CORS protocol) for the configured
// origins: which browser pages may call the API and read its answers.
//
// With no origin configured the server sends no CORS header at all. Otherwise every answer
// carries `Vary: Origin` (it depends on the Origin header, and a cache must know), and an
// answer to an allowed origin carries Access-Control-Allow-Origin echoing it, the headers a
// browser client may read (Access-Control-Expose-Headers) and, when configured,
// Access-Control-Allow-Credentials. A disallowed origin gets no CORS header, so the browser
// keeps the answer from the page.
#pragma once

#include "host/server/headers.hpp"
#include "host/server/response.hpp"
#include "host/server/server_options.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::server {

// The request headers a preflight may ask for: those the API reads.
inline constexpr std::string_view cors_allowed_headers =
    "Authorization, Content-Type, Idempotency-Key, X-Request-Id";
// The answer headers a browser client needs to read: the request id for support, Retry-After
// for 429 and 503, and whether an idempotent action was replayed.
inline constexpr std::string_view cors_exposed_headers =
    "X-Request-Id, Retry-After, Idempotent-Replayed";

class CorsPolicy {
public:
    explicit CorsPolicy(const CorsOptions& options);

    bool enabled() const { return !options_.allowed_origins.empty(); }
    bool allows(std::string_view origin) const;

    // Adds the CORS headers of an answer to a request whose Origin header is `origin` (empty
    // when it had none).
    void decorate(Headers& headers, std::string_view origin) const;

    // An OPTIONS request carrying Origin and Access-Control-Request-Method.
    static bool is_preflight(const Headers& request_headers, bool is_options);

    // The answer to an OPTIONS request on a path whose routes answer `methods` ("GET, POST"):
    // 204 with Allow; for a preflight from an allowed origin also the Access-Control-Allow-*
    // headers and Access-Control-Max-Age.
    Response options_answer(std::string_view methods, std::string_view origin,
                            bool preflight) const;

private:
    CorsOptions options_;
};

} // namespace switchboard::server
