#include "core/http/http_url.hpp"

#include "core/common/ascii.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cctype>

namespace switchboard::http {
namespace {

Error invalid_url(std::string message) {
    return Error(ErrorKind::invalid_input, "invalid_url", std::move(message), "url");
}

} // namespace

Result<HttpTarget> parse_http_url(std::string_view url) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) {
        return invalid_url("url is not a valid absolute URI");
    }
    const boost::urls::url_view& u = *parsed;

    HttpTarget out;
    if (u.scheme_id() == boost::urls::scheme::https) {
        out.tls = true;
        out.port = 443;
    } else if (u.scheme_id() == boost::urls::scheme::http) {
        out.tls = false;
        out.port = 80;
    } else {
        return invalid_url("url scheme must be http or https");
    }
    if (u.has_userinfo()) {
        return invalid_url("url must not contain user information");
    }
    switch (u.host_type()) {
    case boost::urls::host_type::name: out.host = u.host(); break;
    case boost::urls::host_type::ipv4: out.host = u.host_address(); break;
    case boost::urls::host_type::ipv6: out.host = u.host_address(); break;
    default: return invalid_url("url host is missing or not supported");
    }
    if (out.host.empty()) {
        return invalid_url("url host is empty");
    }
    if (out.host.find_first_of(std::string_view("\0\r\n /", 5)) != std::string::npos) {
        return invalid_url("url host contains a forbidden character");
    }
    out.host_header = u.encoded_host();
    if (u.has_port()) {
        if (u.port().empty() || u.port_number() == 0) {
            return invalid_url("url port is empty or zero");
        }
        out.port = u.port_number();
        out.host_header += ':';
        out.host_header += u.port();
    }
    out.target = u.encoded_path();
    if (out.target.empty()) {
        out.target = "/";
    }
    if (out.target.front() != '/') {
        return invalid_url("url path must be absolute");
    }
    if (u.has_query()) {
        out.target += '?';
        out.target += u.encoded_query();
    }
    out.pool_key = (out.tls ? "https://" : "http://") + out.host_header;
    if (!u.has_port()) {
        out.pool_key += ':' + std::to_string(out.port);
    }
    return out;
}

bool is_loopback_host(std::string_view host) {
    if (ascii_iequals(host, "localhost")) {
        return true;
    }
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(host, ec);
    if (ec) {
        return false;
    }
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6())
            .is_loopback();
    }
    return address.is_loopback();
}

} // namespace switchboard::http
