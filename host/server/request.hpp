// What a route handler sees of one HTTP request. It owns its data, so a handler running on
// the worker pool never reaches back into the connection that read it.
#pragma once

#include "host/server/body_stream.hpp"
#include "host/server/headers.hpp"
#include "host/server/http_types.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::server {

// Ordered name/value pairs, already percent-decoded. Names may repeat (query strings).
class Params {
public:
    using value_type = std::pair<std::string, std::string>;

    void add(std::string name, std::string value);

    // The first value for `name`, if any.
    std::optional<std::string_view> get(std::string_view name) const;
    // Every value for `name`, in order.
    std::vector<std::string_view> all(std::string_view name) const;
    bool contains(std::string_view name) const { return get(name).has_value(); }

    std::size_t size() const { return items_.size(); }
    bool empty() const { return items_.empty(); }
    auto begin() const { return items_.begin(); }
    auto end() const { return items_.end(); }

private:
    std::vector<value_type> items_;
};

// Whom a route's gate admitted: the tenant and the user of the verified credential.
struct Caller {
    std::string tenant;
    std::string user;
};

struct Request {
    http::verb method = http::verb::unknown;
    std::string method_string;   // as received, e.g. "GET"
    std::string path;            // as received (percent-encoded), without the query string
    std::string route;           // the matched route pattern, e.g. "/api/v1/connectors/{id}"
    Params path_params;          // from the pattern's {names}, percent-decoded
    Params query;                // from the query string, percent-decoded, '+' as space
    std::string query_string;    // the query as received (percent-encoded), without '?'
    Headers headers;
    std::string body;            // empty while a gate looks at the request, and when streamed
    // A streamed route's body (BodyMode::streamed), read by the handler; null otherwise.
    std::shared_ptr<RequestBodyStream> body_stream;
    std::optional<Caller> caller; // set when the route's gate admitted the request
    std::string request_id;      // accepted X-Request-Id or a generated one
    std::string remote_address;  // peer IP address

    // The value of the path parameter `name`; the router guarantees each {name} of the
    // matched pattern is present and non-empty.
    std::string_view path_param(std::string_view name) const;
    // The first value of the header `name` (case-insensitive), empty when absent.
    std::string_view header(std::string_view name) const;
};

} // namespace switchboard::server
