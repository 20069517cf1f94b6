// Bodies that travel as they arrive, for routes that take or send more than fits in memory
// (the credentialed proxy: files of any size up and down). A route registered with
// BodyMode::streamed reads its request body from Request::body_stream, after its gate
// admitted the caller; any worker-pool route may answer with a streamed body
// (Response::stream). Both block the handler's worker thread, never an I/O thread: each read
// or write hands one step to the connection's strand and waits for it, so memory stays
// bounded by the buffers the handler passes, whatever the size of the body.
#pragma once

#include "core/common/error.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

namespace switchboard::server {

// The request body of a streamed route. Used by one thread at a time (the handler's, or the
// producer it hands it to); valid for as long as the handler or its producer holds it.
class RequestBodyStream {
public:
    virtual ~RequestBodyStream() = default;

    // Reads up to `size` bytes of the body into `into`, blocking until some arrive; 0 once the
    // body has been read whole (at once when there is none). An `Expect: 100-continue` is
    // answered on the first read, so a handler that refuses the request before reading has
    // not made the client send its body. Errors: invalid_input / `body_too_large` (the route's
    // limit), unavailable / `request_timeout` (nothing arrived within the server's
    // read_timeout), unavailable / `request_body_interrupted` (the client closed, the body was
    // malformed, or the server is stopping).
    virtual Result<std::size_t> read(char* into, std::size_t size) = 0;

    // The body's announced Content-Length; nullopt when it comes chunked.
    virtual std::optional<std::uint64_t> content_length() const = 0;
};

// Where a streamed response body goes.
class ResponseBodyWriter {
public:
    virtual ~ResponseBodyWriter() = default;

    // Sends `data` (copied) to the client, blocking while earlier bytes are still unsent, so
    // a slow client slows the producer down instead of filling memory. Errors: unavailable /
    // `client_gone` (the client closed or stopped reading within the server's write_timeout,
    // or the server is stopping), internal / `response_length_exceeded` (more bytes than the
    // announced Response::stream_length).
    virtual Result<void> write(std::string_view data) = 0;
};

// Writes a streamed response's body. It runs on the worker that ran the handler, once the
// handler has returned (the status and headers are then on their way), and returns when the
// body is complete. An error, or fewer bytes than an announced length, ends the connection
// without completing the body, so that the client sees a broken answer rather than a short
// one that looks whole. It must not throw (a throw counts as an error).
using BodyProducer = std::function<Result<void>(ResponseBodyWriter&)>;

} // namespace switchboard::server
