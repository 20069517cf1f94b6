// The outbound HTTP client interface: small, so that OAuth and the plugin host services can
// be tested against a mock.
#pragma once

#include "core/common/error.hpp"
#include "core/http/http_message.hpp"
#include "core/http/request_options.hpp"

namespace switchboard::http {

class HttpClient {
public:
    virtual ~HttpClient() = default;

    // [thread-safe] Performs `request`, retrying as the options allow, and returns the
    // provider's answer whatever its status (a final 429 or 5xx is a response, not an
    // error). Errors: invalid_input (bad URL or header, refused plain http), unavailable
    // (connect, TLS, timeout or I/O failure after the retries), upstream_failed (response
    // too large or malformed). Blocks the calling thread.
    virtual Result<HttpResponse> send(const HttpRequest& request,
                                      const RequestOptions& options) = 0;
};

} // namespace switchboard::http
