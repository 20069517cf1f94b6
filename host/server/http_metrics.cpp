#include "host/server/http_metrics.hpp"

#include <prometheus/text_serializer.h>

namespace switchboard::server {
namespace {

// Methods outside the standard set collapse into one label value: a client must not be able
// to create time series by inventing method names.
std::string method_label(std::string_view method) {
    static constexpr std::string_view known[] = {"GET",    "HEAD",    "POST",  "PUT",
                                                 "DELETE", "OPTIONS", "PATCH", "CONNECT",
                                                 "TRACE"};
    for (const auto m : known) {
        if (m == method) {
            return std::string(m);
        }
    }
    return "other";
}

} // namespace

HttpMetrics::HttpMetrics(prometheus::Registry& registry)
    : requests_(prometheus::BuildCounter()
                    .Name("switchboard_http_requests_total")
                    .Help("HTTP requests answered, by method, route pattern and status")
                    .Register(registry)),
      refused_(prometheus::BuildCounter()
                   .Name("switchboard_http_refused_total")
                   .Help("Connections and requests turned away to protect the server, by reason")
                   .Register(registry)),
      tls_handshake_failures_(
          prometheus::BuildCounter()
              .Name("switchboard_http_tls_handshake_failures_total")
              .Help("TLS handshakes that failed or timed out, by reason (failed, timeout)")
              .Register(registry)),
      durations_(prometheus::BuildHistogram()
                     .Name("switchboard_http_request_duration_seconds")
                     .Help("Time from a request's first byte to its response written, by "
                           "method and route pattern")
                     .Register(registry)),
      connections_(prometheus::BuildGauge()
                       .Name("switchboard_http_connections")
                       .Help("Open HTTP connections")
                       .Register(registry)
                       .Add({})),
      in_flight_(prometheus::BuildGauge()
                     .Name("switchboard_http_requests_in_flight")
                     .Help("HTTP requests being handled")
                     .Register(registry)
                     .Add({})) {}

void HttpMetrics::observe_request(std::string_view method, std::string_view route,
                                  unsigned status, std::chrono::duration<double> duration) {
    static const prometheus::Histogram::BucketBoundaries buckets{
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    const auto method_value = method_label(method);
    const std::string route_value(route);
    requests_
        .Add({{"method", method_value}, {"route", route_value}, {"status", std::to_string(status)}})
        .Increment();
    durations_.Add({{"method", method_value}, {"route", route_value}}, buckets)
        .Observe(duration.count());
}

void HttpMetrics::refused(std::string_view reason) {
    refused_.Add({{"reason", std::string(reason)}}).Increment();
}

void HttpMetrics::tls_handshake_failed(std::string_view reason) {
    tls_handshake_failures_.Add({{"reason", std::string(reason)}}).Increment();
}

std::string serialize_metrics(const prometheus::Registry& registry) {
    return prometheus::TextSerializer{}.Serialize(registry.Collect());
}

} // namespace switchboard::server
