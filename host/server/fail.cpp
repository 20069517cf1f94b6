#include "host/server/fail.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>
#include <spdlog/spdlog.h>

namespace switchboard::server {

void fail(boost::system::error_code ec, std::string_view what) {
    namespace error = boost::asio::error;
    if (ec == error::operation_aborted) {
        return;
    }
    const bool client_went_away = ec == error::eof || ec == error::connection_reset ||
                                  ec == error::broken_pipe || ec == error::not_connected ||
                                  ec == boost::beast::http::error::end_of_stream ||
                                  ec == boost::beast::http::error::partial_message ||
                                  // a TLS client that hung up without its close_notify
                                  ec == boost::asio::ssl::error::stream_truncated;
    const auto level = client_went_away ? spdlog::level::debug : spdlog::level::warn;
    spdlog::log(level, "{}: {}", what, ec.message());
}

} // namespace switchboard::server
