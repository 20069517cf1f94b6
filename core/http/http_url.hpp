// Where a request goes: an absolute http(s) URL split into what the transport needs.
#pragma once

#include "core/common/error.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace switchboard::http {

struct HttpTarget {
    bool tls = false;
    std::string host;        // name or address, IPv6 without brackets, for DNS and TLS checks
    std::uint16_t port = 0;  // explicit or the scheme's default
    std::string host_header; // the Host field: host as written (brackets kept), port if explicit
    std::string target;      // origin-form: encoded path (at least "/") and "?query" if any
    std::string pool_key;    // "https://host:port", what connections are pooled by
};

// Parses an absolute http or https URL. Refuses user-info, other schemes, an empty host and
// port 0. Error messages never repeat the URL (its query may hold a token).
Result<HttpTarget> parse_http_url(std::string_view url);

// True for "localhost", 127.0.0.0/8 and ::1 (also written as an IPv4-mapped address).
bool is_loopback_host(std::string_view host);

} // namespace switchboard::http
