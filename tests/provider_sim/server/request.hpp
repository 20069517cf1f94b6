// The simulator's own view of an HTTP exchange, free of Beast types so that every handler
// can be read (and unit-tested) without the networking code.
#pragma once

#include "tests/provider_sim/common/params.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::sim {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
    std::string method;                // "GET", "POST", ...
    std::string target;                // as received: "/www.googleapis.com/drive/v3/files?q=..."
    std::string path;                  // the encoded path part of the target
    std::vector<std::string> segments; // the path split on '/', each segment percent-decoded
    std::string raw_query;             // the encoded query, without '?'
    Params query;                      // the decoded query
    Headers headers;
    std::string body;

    // Case-insensitive header lookup; empty when absent.
    std::string_view header(std::string_view name) const;
    bool has_header(std::string_view name) const;
    // The media type of Content-Type, lowercased, without parameters ("application/json").
    std::string media_type() const;
    // "http://" + the Host header (127.0.0.1 without one): where links in answers point.
    std::string base_url() const;
};

// Builds a Request from the parts of an HTTP request. Returns nullopt when the target is
// not a valid origin-form URI (the server answers 400 then).
std::optional<Request> make_request(std::string method, std::string_view target, Headers headers,
                                    std::string body);

struct Response {
    unsigned status = 200;
    Headers headers;
    std::string body;

    // What the fault controls ask of the connection, not of the HTTP message.
    std::chrono::milliseconds delay{0};
    bool drop_connection = false;

    Response& set_header(std::string name, std::string value);
    std::string_view header(std::string_view name) const;

    static Response json(unsigned status, std::string body);
    static Response html(unsigned status, std::string body);
    static Response text(unsigned status, std::string body, std::string content_type);
    static Response redirect(std::string location);
    static Response empty(unsigned status);
};

} // namespace switchboard::sim
