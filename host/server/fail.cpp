#include "host/server/fail.hpp"

#include <boost/asio/error.hpp>
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
                                  ec == boost::beast::http::error::partial_message;
    const auto level = client_went_away ? spdlog::level::debug : spdlog::level::warn;
    spdlog::log(level, "{}: {}", what, ec.message());
}

} // namespace switchboard::server
