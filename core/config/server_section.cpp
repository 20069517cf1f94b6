#include "core/config/sections.hpp"

#include <boost/asio/ip/address.hpp>

namespace switchboard::config_detail {

ServerConfig parse_server_section(const ConfigSection& s) {
    ServerConfig c;
    if (auto listen = s.string("listen")) {
        boost::system::error_code ec;
        boost::asio::ip::make_address(*listen, ec);
        if (ec) {
            s.fail("listen", "must be an IPv4 or IPv6 address, e.g. 127.0.0.1 or ::1");
        }
        c.listen = *listen;
    }
    c.port = s.integer_as<std::uint16_t>("port", 0, 65535).value_or(c.port);
    c.io_threads = s.integer_as<std::uint32_t>("io_threads", 1, 256).value_or(c.io_threads);
    c.worker_threads =
        s.integer_as<std::uint32_t>("worker_threads", 1, 1024).value_or(c.worker_threads);
    c.body_limit_bytes = s.integer_as<std::uint64_t>("body_limit_bytes", 1024, 1ull << 30)
                             .value_or(c.body_limit_bytes);
    c.header_limit_bytes = s.integer_as<std::uint32_t>("header_limit_bytes", 1024, 1u << 20)
                               .value_or(c.header_limit_bytes);
    c.read_timeout_ms =
        s.integer_as<std::uint32_t>("read_timeout_ms", 1, 3'600'000).value_or(c.read_timeout_ms);
    c.idle_timeout_ms =
        s.integer_as<std::uint32_t>("idle_timeout_ms", 1, 3'600'000).value_or(c.idle_timeout_ms);
    c.pipeline_limit =
        s.integer_as<std::uint32_t>("pipeline_limit", 1, 1024).value_or(c.pipeline_limit);
    c.shutdown_grace_ms = s.integer_as<std::uint32_t>("shutdown_grace_ms", 0, 600'000)
                              .value_or(c.shutdown_grace_ms);
    return c;
}

} // namespace switchboard::config_detail
