#include "core/config/sections.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>

namespace switchboard::config::detail {
namespace {

std::string ip_address(const ConfigSection& s, std::string_view key) {
    auto value = s.string(key);
    boost::system::error_code ec;
    boost::asio::ip::make_address(*value, ec);
    if (ec) {
        s.fail(key, "must be an IPv4 or IPv6 address, e.g. 127.0.0.1 or ::1");
    }
    return *value;
}

// What is wrong with `origin` as a browser would send it in an Origin header, if anything.
std::optional<std::string> origin_problem(const std::string& origin) {
    const auto parsed = boost::urls::parse_absolute_uri(origin);
    if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https") ||
        !parsed->has_authority() || parsed->encoded_host().empty() || parsed->has_userinfo()) {
        return "must be an origin: http or https, a host and an optional port, e.g. "
               "https://app.example.com";
    }
    if (!parsed->encoded_path().empty() || parsed->has_query() || parsed->has_fragment()) {
        return "must be an origin without a path, not even '/' (e.g. https://app.example.com)";
    }
    const bool https = parsed->scheme() == "https";
    if (parsed->has_port() && parsed->port() == (https ? "443" : "80")) {
        return "must leave out the scheme's default port, as browsers do";
    }
    return std::nullopt;
}

CorsConfig parse_cors(const ConfigSection& s) {
    CorsConfig c;
    if (auto origins = s.strings("allowed_origins")) {
        for (auto origin : *origins) {
            // Scheme and host are case-insensitive, and browsers send them in lower case.
            std::transform(origin.begin(), origin.end(), origin.begin(), [](unsigned char ch) {
                return static_cast<char>(std::tolower(ch));
            });
            if (origin == "*" || origin == "null") {
                s.fail("allowed_origins", "must list origins; '" + origin + "' is not allowed");
            }
            if (auto problem = origin_problem(origin)) {
                s.fail("allowed_origins", "'" + origin + "' " + *problem);
            }
            c.allowed_origins.push_back(std::move(origin));
        }
    }
    c.allow_credentials = s.boolean("allow_credentials").value_or(c.allow_credentials);
    c.max_age_seconds =
        s.integer_as<std::uint32_t>("max_age_seconds", 0, 86'400).value_or(c.max_age_seconds);
    return c;
}

// Both files or neither: a certificate without its key (or the reverse) cannot serve.
ServerTlsConfig parse_tls(const ConfigSection& s, const ParseContext& context) {
    ServerTlsConfig c;
    auto certificate = s.file_path("certificate_file", context.base_dir);
    auto key = s.file_path("private_key_file", context.base_dir);
    if (!certificate) {
        s.fail("certificate_file", "is required with server.tls (the PEM certificate file)");
    }
    if (!key) {
        s.fail("private_key_file", "is required with server.tls (the PEM private key file)");
    }
    c.certificate_file = *certificate;
    c.private_key_file = *key;
    return c;
}

} // namespace

ServerConfig parse_server_section(const ConfigSection& s, const ParseContext& context) {
    ServerConfig c;
    if (s.has("listen")) {
        c.listen = ip_address(s, "listen");
    }
    c.port = s.integer_as<std::uint16_t>("port", 0, 65535).value_or(c.port);
    if (s.has("metrics_listen")) {
        if (!s.has("metrics_port")) {
            s.fail("metrics_listen", "needs server.metrics_port (the metrics endpoint's port)");
        }
        c.metrics_listen = ip_address(s, "metrics_listen");
    }
    c.metrics_port = s.integer_as<std::uint16_t>("metrics_port", 0, 65535);
    c.io_threads = s.integer_as<std::uint32_t>("io_threads", 1, 256).value_or(c.io_threads);
    c.worker_threads =
        s.integer_as<std::uint32_t>("worker_threads", 1, 1024).value_or(c.worker_threads);
    c.worker_queue_limit = s.integer_as<std::uint32_t>("worker_queue_limit", 0, 100'000)
                               .value_or(c.worker_queue_limit);
    c.body_limit_bytes = s.integer_as<std::uint64_t>("body_limit_bytes", 1024, 1ull << 30)
                             .value_or(c.body_limit_bytes);
    // Unset, it is never below body_limit_bytes; set, it must not be.
    c.authenticated_body_limit_bytes =
        s.integer_as<std::uint64_t>("authenticated_body_limit_bytes", 1024, 1ull << 30)
            .value_or(std::max(c.authenticated_body_limit_bytes, c.body_limit_bytes));
    if (c.authenticated_body_limit_bytes < c.body_limit_bytes) {
        s.fail("authenticated_body_limit_bytes",
               "must be at least server.body_limit_bytes (" +
                   std::to_string(c.body_limit_bytes) + ")");
    }
    c.header_limit_bytes = s.integer_as<std::uint32_t>("header_limit_bytes", 1024, 1u << 20)
                               .value_or(c.header_limit_bytes);
    c.max_connections = s.integer_as<std::uint32_t>("max_connections", 1, 1'000'000)
                            .value_or(c.max_connections);
    c.max_connections_per_address =
        s.integer_as<std::uint32_t>("max_connections_per_address", 0, 1'000'000)
            .value_or(c.max_connections_per_address);
    c.retry_after_seconds = s.integer_as<std::uint32_t>("retry_after_seconds", 1, 3600)
                                .value_or(c.retry_after_seconds);
    c.read_timeout_ms =
        s.integer_as<std::uint32_t>("read_timeout_ms", 1, 3'600'000).value_or(c.read_timeout_ms);
    c.idle_timeout_ms =
        s.integer_as<std::uint32_t>("idle_timeout_ms", 1, 3'600'000).value_or(c.idle_timeout_ms);
    c.pipeline_limit =
        s.integer_as<std::uint32_t>("pipeline_limit", 1, 1024).value_or(c.pipeline_limit);
    c.shutdown_grace_ms = s.integer_as<std::uint32_t>("shutdown_grace_ms", 0, 600'000)
                              .value_or(c.shutdown_grace_ms);
    if (auto cors =
            s.section("cors", {"allowed_origins", "allow_credentials", "max_age_seconds"})) {
        c.cors = parse_cors(*cors);
    }
    if (auto tls = s.section("tls", {"certificate_file", "private_key_file"})) {
        c.tls = parse_tls(*tls, context);
    }
    return c;
}

} // namespace switchboard::config::detail
