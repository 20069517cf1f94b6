// Requests and responses whose bodies travel while they are read (HttpClient::open): a file of
// any size goes through in the memory of a few buffers. The body source is read, and the
// response stream read from, on the thread that called open(); each step on the wire runs on
// the client's I/O threads while that thread waits.
#pragma once

#include "core/common/error.hpp"
#include "core/http/http_message.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace switchboard::http {

// A request body, read while it is sent.
class RequestBodySource {
public:
    virtual ~RequestBodySource() = default;

    // Reads up to `size` bytes into `into`; 0 at the end. An error aborts the request (the
    // connection is dropped, so the server never takes a partial body for a whole one).
    virtual Result<std::size_t> read(char* into, std::size_t size) = 0;

    // Starts the body over for another attempt (a retry, or a repeat after a refreshed
    // token); false when it cannot, because what was read is gone. A body that cannot start
    // over is sent once at most.
    virtual bool rewind() { return false; }
};

struct StreamedRequest {
    std::string method; // "GET", "POST", ...
    std::string url;    // absolute http(s) URL, already percent-encoded
    HttpHeaders headers;
    RequestBodySource* body = nullptr; // null: no body (borrowed for the call to open())
    // With a body: its length, sent as Content-Length; chunked when unknown.
    std::optional<std::uint64_t> content_length;
    // Asks the server to accept the request before the body goes (Expect: 100-continue,
    // RFC 9110 section 10.1.1): a refusal (a 401, a 413) then comes before the body is spent,
    // so the body can go again after it. The body goes anyway when the server says nothing
    // within a second, as RFC 9110 asks of a client.
    bool expect_continue = false;
};

// A response whose header has arrived; its body is read from here. Owns the connection until
// destroyed (a connection whose body was read to its end goes back to the pool). Use from one
// thread at a time; destroy before the client that opened it.
class ResponseStream {
public:
    virtual ~ResponseStream() = default;

    virtual int status() const = 0;
    virtual const HttpHeaders& headers() const = 0; // names in lower case
    // The body's Content-Length, when the server announced one.
    virtual std::optional<std::uint64_t> content_length() const = 0;
    // How many attempts the client made to get this response.
    virtual int attempts() const = 0;
    // False when the server answered before it had the whole request body (it refused the
    // request, e.g. after Expect: 100-continue): the body was not, or not all, sent.
    virtual bool request_body_sent() const = 0;

    // Reads up to `size` bytes of the body into `into`; 0 once it is complete. Errors:
    // unavailable (`upstream_timeout`, `upstream_io_failed`: the connection failed or went
    // quiet for the read timeout, or the deadline passed), upstream_failed
    // (`upstream_response_too_large`, `upstream_protocol_error`).
    virtual Result<std::size_t> read(char* into, std::size_t size) = 0;

    // The value of the first header named `lower_case_name`, if any.
    std::optional<std::string_view> header(std::string_view lower_case_name) const;
};

} // namespace switchboard::http
