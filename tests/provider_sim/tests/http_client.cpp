#include "tests/provider_sim/tests/http_client.hpp"

#include "tests/provider_sim/common/params.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>

namespace switchboard::sim::testing {
namespace beast = boost::beast;
namespace http = boost::beast::http;

std::string HttpResult::header(const std::string& name) const {
    std::string key = name;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto it = headers.find(key);
    return it == headers.end() ? std::string{} : it->second;
}

nlohmann::json HttpResult::json() const { return nlohmann::json::parse(body); }

HttpResult HttpClient::request(const std::string& method, const std::string& target,
                               const std::vector<std::pair<std::string, std::string>>& headers,
                               const std::string& body) const {
    HttpResult result;
    try {
        boost::asio::io_context ioc;
        beast::tcp_stream stream(ioc);
        stream.expires_after(std::chrono::seconds(30));
        stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port_));
        http::request<http::string_body> req(http::string_to_verb(method), target, 11);
        req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
        for (const auto& [name, value] : headers) {
            req.set(name, value);
        }
        req.body() = body;
        req.prepare_payload();
        http::write(stream, req);
        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(128 * 1024 * 1024);
        http::read(stream, buffer, parser);
        const auto& res = parser.get();
        result.status = static_cast<int>(res.result_int());
        for (const auto& field : res) {
            std::string name(field.name_string());
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            result.headers[name] = std::string(field.value());
        }
        result.body = res.body();
        beast::error_code ec;
        stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    } catch (const std::exception& e) {
        result.status = 0;
        result.error = e.what();
    }
    return result;
}

namespace {
std::vector<std::pair<std::string, std::string>> auth(const std::string& bearer) {
    if (bearer.empty()) {
        return {};
    }
    return {{"Authorization", "Bearer " + bearer}};
}
} // namespace

HttpResult HttpClient::get(const std::string& target, const std::string& bearer) const {
    return request("GET", target, auth(bearer));
}

HttpResult HttpClient::del(const std::string& target, const std::string& bearer) const {
    return request("DELETE", target, auth(bearer));
}

HttpResult HttpClient::post_json(const std::string& target, const nlohmann::json& body,
                                 const std::string& bearer) const {
    auto headers = auth(bearer);
    headers.emplace_back("Content-Type", "application/json");
    return request("POST", target, headers, body.dump());
}

HttpResult HttpClient::patch_json(const std::string& target, const nlohmann::json& body,
                                  const std::string& bearer) const {
    auto headers = auth(bearer);
    headers.emplace_back("Content-Type", "application/json");
    return request("PATCH", target, headers, body.dump());
}

HttpResult HttpClient::post_form(const std::string& target,
                                 const std::vector<std::pair<std::string, std::string>>& form,
                                 const std::vector<std::pair<std::string, std::string>>& headers) const {
    auto all = headers;
    all.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    return request("POST", target, all, form_encode(form));
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& pairs) {
    return encode_params(Params(pairs.begin(), pairs.end()));
}

std::map<std::string, std::string> query_of(const std::string& url) {
    std::map<std::string, std::string> out;
    const auto q = url.find('?');
    if (q == std::string::npos) {
        return out;
    }
    if (const auto params = parse_params(url.substr(q + 1))) {
        for (const auto& [k, v] : *params) {
            out[k] = v;
        }
    }
    return out;
}

} // namespace switchboard::sim::testing
