// Requests with arbitrary headers over the server tests' blocking client.
#pragma once

#include "tests/server/test_client.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace switchboard::api::testing {

using server::testing::TestClient;
namespace http = boost::beast::http;

struct ApiResponse {
    unsigned status = 0;
    http::fields headers;
    std::string body;

    nlohmann::json json() const { return nlohmann::json::parse(body); }
    std::string header(std::string_view name) const {
        const auto it = headers.find(name);
        return it == headers.end() ? std::string() : std::string(it->value());
    }
    // The `error.code` of an error body.
    std::string error_code() const { return json().at("error").at("code").get<std::string>(); }
};

inline ApiResponse send(std::uint16_t port, http::verb method, std::string_view target,
                        const std::map<std::string, std::string>& headers = {},
                        std::string body = {}) {
    http::request<http::string_body> request{method, target, 11};
    request.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) {
        request.set(name, value);
    }
    request.body() = std::move(body);
    request.prepare_payload();
    std::ostringstream raw;
    raw << request;
    TestClient client(port);
    client.write_raw(raw.str());
    auto response = client.read(method == http::verb::head);
    ApiResponse out;
    out.status = response.result_int();
    out.headers = static_cast<const http::fields&>(response.base());
    out.body = response.body();
    return out;
}

} // namespace switchboard::api::testing
