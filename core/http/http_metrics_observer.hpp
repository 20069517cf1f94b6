// Hook through which the HTTP client reports what it did, without depending on a metrics
// library: the server adapts it to Prometheus.
#pragma once

#include <chrono>
#include <string_view>

namespace switchboard::http {

// One attempt: a single request/response exchange on one connection.
struct HttpAttemptEvent {
    std::string_view label;      // RequestOptions::metrics_label
    std::string_view method;     // "GET", ...
    int status = 0;              // the HTTP status, or 0 when the attempt failed in transport
    std::string_view error_code; // empty, or e.g. "upstream_timeout"
    int attempt = 0;             // 1-based
    bool reused_connection = false;
    std::chrono::microseconds duration{0};
};

// The whole send(): every attempt and every wait between attempts.
struct HttpCompletionEvent {
    std::string_view label;
    std::string_view method;
    int status = 0; // the final HTTP status, or 0 when send() returned an error
    std::string_view error_code;
    int attempts = 0;
    std::chrono::microseconds duration{0};
};

// [thread-safe] Called from the threads that call send(); implementations must be cheap and
// must not throw. The events never carry a URL, a header or a body.
class HttpMetricsObserver {
public:
    virtual ~HttpMetricsObserver() = default;
    virtual void on_attempt(const HttpAttemptEvent& event) noexcept = 0;
    virtual void on_complete(const HttpCompletionEvent& event) noexcept = 0;
};

} // namespace switchboard::http
