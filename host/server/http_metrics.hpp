// The server's own Prometheus metrics, registered in the registry the whole process shares.
// Labels are route patterns, never raw paths, so their number is bounded by the routes.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <string>
#include <string_view>

namespace switchboard::server {

// The route label of requests that matched no route (404, 405, malformed requests).
inline constexpr std::string_view unmatched_route = "unmatched";

class HttpMetrics {
public:
    explicit HttpMetrics(prometheus::Registry& registry);

    // One answered request: switchboard_http_requests_total{method,route,status} and
    // switchboard_http_request_duration_seconds{method,route}.
    void observe_request(std::string_view method, std::string_view route, unsigned status,
                         std::chrono::duration<double> duration);

    void connection_opened() { connections_.Increment(); }
    void connection_closed() { connections_.Decrement(); }
    void request_started() { in_flight_.Increment(); }
    void request_finished() { in_flight_.Decrement(); }

    // A connection or a request the server turned away to protect itself:
    // switchboard_http_refused_total{reason}, `reason` one of the fixed codes
    // too_many_connections, too_many_from_address, server_busy.
    void refused(std::string_view reason);

    // A TLS handshake that did not complete: switchboard_http_tls_handshake_failures_total
    // {reason}, `reason` one of failed, timeout.
    void tls_handshake_failed(std::string_view reason);

private:
    prometheus::Family<prometheus::Counter>& requests_;
    prometheus::Family<prometheus::Counter>& refused_;
    prometheus::Family<prometheus::Counter>& tls_handshake_failures_;
    prometheus::Family<prometheus::Histogram>& durations_;
    prometheus::Gauge& connections_;
    prometheus::Gauge& in_flight_;
};

// `registry` in the Prometheus text exposition format (version 0.0.4).
std::string serialize_metrics(const prometheus::Registry& registry);

inline constexpr const char* metrics_content_type = "text/plain; version=0.0.4; charset=utf-8";

} // namespace switchboard::server
