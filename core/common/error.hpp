// Failures as values: every fallible call on the request path returns Result<T>, and the
// API edge maps an Error once to an HTTP status and its stable JSON code.
#pragma once

#include <boost/system/result.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace switchboard {

// What kind of failure: decides the HTTP status at the API edge.
enum class ErrorKind {
    invalid_input,          // 400: malformed or invalid request data
    unauthenticated,        // 401: no or bad caller credentials
    forbidden,              // 403
    not_found,              // 404: missing, or another tenant's
    conflict,               // 409
    payload_too_large,      // 413
    unsupported_media_type, // 415
    rate_limited,           // 429
    upstream_failed,        // 502: a provider answered badly
    unavailable,            // 503: a dependency (database, state store, provider) is down
    unsupported,            // 501: not implemented by this provider or build
    internal,               // 500: a bug
    timeout,                // 504: a dependency (a provider plugin) did not answer in time
};

// A failure. `code` is a stable snake_case identifier clients may match on; `message` is
// for people and never contains a secret; `field` names the offending input, if any.
struct Error {
    Error() = default;
    Error(ErrorKind kind_, std::string code_, std::string message_, std::string field_ = {})
        : kind(kind_), code(std::move(code_)), message(std::move(message_)),
          field(std::move(field_)) {}

    ErrorKind kind = ErrorKind::internal;
    std::string code;
    std::string message;
    std::string field;
    // How long the caller should wait before retrying (rate limits, outages), if known. The
    // API edge turns it into a Retry-After header.
    std::optional<int> retry_after_seconds;
};

std::string_view to_string(ErrorKind kind) noexcept;

// Thrown only by Result<T>::value() on an error; the request path checks results instead.
class ErrorException : public std::exception {
public:
    explicit ErrorException(Error error) : error_(std::move(error)) {}
    const char* what() const noexcept override { return error_.message.c_str(); }
    const Error& error() const noexcept { return error_; }

private:
    Error error_;
};

[[noreturn]] void throw_exception_from_error(const Error& error, const boost::source_location&);

template <class T>
using Result = boost::system::result<T, Error>;

} // namespace switchboard
