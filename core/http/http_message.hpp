// The request and response values exchanged with an HttpClient.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::http {

// Header fields in the order they were given or received. Response header names are lower
// case; request header names are sent as given.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
    std::string method; // "GET", "POST", ...
    std::string url;    // absolute http(s) URL, already percent-encoded
    HttpHeaders headers;
    std::string body;
};

struct HttpResponse {
    int status = 0;
    HttpHeaders headers; // names in lower case
    std::string body;
    int attempts = 0; // how many attempts the client made to get this response

    // The value of the first header named `lower_case_name`, if any.
    std::optional<std::string_view> header(std::string_view lower_case_name) const;
};

} // namespace switchboard::http
