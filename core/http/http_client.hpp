// The outbound HTTP client interface: small, so that OAuth and the plugin host services can
// be tested against a mock.
#pragma once

#include "core/common/error.hpp"
#include "core/http/http_message.hpp"
#include "core/http/http_stream.hpp"
#include "core/http/request_options.hpp"

#include <memory>

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

    // [thread-safe] Sends `request`, its body read from request.body while it goes, and
    // returns once the response's header has arrived; the body is then read from the stream
    // (the options' read timeout bounds each wait, their deadline the whole exchange, and
    // max_response_body_bytes its size). Retries as send() does, except that a request whose
    // body has been read is repeated only when the body rewinds. Errors: send()'s, and the
    // body source's. Blocks the calling thread. A client that cannot stream answers
    // unsupported / `streaming_unsupported`.
    virtual Result<std::unique_ptr<ResponseStream>> open(const StreamedRequest& request,
                                                         const RequestOptions& options);
};

} // namespace switchboard::http
