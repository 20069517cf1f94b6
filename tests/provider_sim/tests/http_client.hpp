// A small blocking HTTP/1.1 client for the simulator's own tests (Beast), one connection
// per request, so that a test reads like the curl session it stands for.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace switchboard::sim::testing {

struct HttpResult {
    int status = 0;                             // 0: the connection failed or was dropped
    std::map<std::string, std::string> headers; // lowercased names
    std::string body;
    std::string error; // why status is 0

    std::string header(const std::string& name) const;
    nlohmann::json json() const; // the body parsed (throws if it is not JSON)
};

class HttpClient {
public:
    explicit HttpClient(std::uint16_t port) : port_(port) {}

    HttpResult request(const std::string& method, const std::string& target,
                       const std::vector<std::pair<std::string, std::string>>& headers = {},
                       const std::string& body = {}) const;

    HttpResult get(const std::string& target, const std::string& bearer = {}) const;
    HttpResult del(const std::string& target, const std::string& bearer = {}) const;
    HttpResult post_json(const std::string& target, const nlohmann::json& body, const std::string& bearer = {}) const;
    HttpResult patch_json(const std::string& target, const nlohmann::json& body, const std::string& bearer = {}) const;
    HttpResult post_form(const std::string& target, const std::vector<std::pair<std::string, std::string>>& form,
                         const std::vector<std::pair<std::string, std::string>>& headers = {}) const;

private:
    std::uint16_t port_;
};

// "a=1&b=x%20y": form-encodes pairs.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& pairs);

// The decoded query parameters of a URL (e.g. a redirect Location).
std::map<std::string, std::string> query_of(const std::string& url);

} // namespace switchboard::sim::testing
