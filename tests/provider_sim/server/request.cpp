#include "tests/provider_sim/server/request.hpp"

#include "tests/provider_sim/common/text.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>

namespace switchboard::sim {
namespace {

std::string_view find_header(const Headers& headers, std::string_view name) {
    for (const auto& [key, value] : headers) {
        if (iequals(key, name)) {
            return value;
        }
    }
    return {};
}

} // namespace

std::string_view Request::header(std::string_view name) const {
    return find_header(headers, name);
}

bool Request::has_header(std::string_view name) const {
    return std::any_of(headers.begin(), headers.end(),
                       [&](const auto& h) { return iequals(h.first, name); });
}

std::string Request::media_type() const {
    std::string_view value = header("Content-Type");
    value = value.substr(0, value.find(';'));
    while (!value.empty() && value.back() == ' ') {
        value.remove_suffix(1);
    }
    std::string out(value);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string Request::base_url() const {
    const std::string_view host = header("Host");
    return "http://" + std::string(host.empty() ? "127.0.0.1" : host);
}

std::optional<Request> make_request(std::string method, std::string_view target, Headers headers,
                                    std::string body) {
    const auto url = boost::urls::parse_origin_form(target);
    if (!url) {
        return std::nullopt;
    }
    Request request;
    request.method = std::move(method);
    request.target = std::string(target);
    request.path = std::string(url->encoded_path());
    request.raw_query = std::string(url->encoded_query());
    const auto query = parse_params(request.raw_query);
    if (!query) {
        return std::nullopt;
    }
    request.query = *query;
    std::string_view rest = request.path;
    if (!rest.empty() && rest.front() == '/') {
        rest.remove_prefix(1);
    }
    while (!rest.empty()) {
        const auto slash = rest.find('/');
        const auto segment = percent_decode(rest.substr(0, slash));
        if (!segment) {
            return std::nullopt;
        }
        request.segments.push_back(*segment);
        if (slash == std::string_view::npos) {
            break;
        }
        rest.remove_prefix(slash + 1);
        if (rest.empty()) {
            request.segments.emplace_back(); // a trailing slash is an empty last segment
        }
    }
    request.headers = std::move(headers);
    request.body = std::move(body);
    return request;
}

Response& Response::set_header(std::string name, std::string value) {
    for (auto& [key, existing] : headers) {
        if (iequals(key, name)) {
            existing = std::move(value);
            return *this;
        }
    }
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
}

std::string_view Response::header(std::string_view name) const {
    return find_header(headers, name);
}

Response Response::json(unsigned status, std::string body) {
    return text(status, std::move(body), "application/json; charset=UTF-8");
}

Response Response::html(unsigned status, std::string body) {
    return text(status, std::move(body), "text/html; charset=utf-8");
}

Response Response::text(unsigned status, std::string body, std::string content_type) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.set_header("Content-Type", std::move(content_type));
    return r;
}

Response Response::redirect(std::string location) {
    Response r;
    r.status = 302;
    r.set_header("Location", std::move(location));
    return r;
}

Response Response::empty(unsigned status) {
    Response r;
    r.status = status;
    return r;
}

} // namespace switchboard::sim
