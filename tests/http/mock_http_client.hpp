// A GoogleMock HttpClient for the tests of modules that call out over HTTP (OAuth token
// exchange, the plugin host's HTTP service): link sb_http_test_support and include this.
#pragma once

#include "core/http/http_client.hpp"

#include <gmock/gmock.h>

#include <ostream>

namespace switchboard::http {

// GoogleMock prints arguments and results; boost::system::result's own operator<< needs one
// for HttpResponse, so these are found by argument-dependent lookup instead. Bodies and
// header values are left out: they may hold tokens.
inline void PrintTo(const HttpResponse& response, std::ostream* out) {
    *out << "HttpResponse{status=" << response.status << ", attempts=" << response.attempts
         << ", body bytes=" << response.body.size() << "}";
}

inline void PrintTo(const Result<HttpResponse>& result, std::ostream* out) {
    if (result) {
        PrintTo(*result, out);
    } else {
        *out << "Error{" << to_string(result.error().kind) << ", " << result.error().code << "}";
    }
}

inline void PrintTo(const HttpRequest& request, std::ostream* out) {
    *out << "HttpRequest{" << request.method << ", body bytes=" << request.body.size() << "}";
}

} // namespace switchboard::http

namespace switchboard::http::test_support {

class MockHttpClient : public HttpClient {
public:
    MOCK_METHOD(Result<HttpResponse>, send,
                (const HttpRequest& request, const RequestOptions& options), (override));
};

} // namespace switchboard::http::test_support
