#include "host/server/require_json.hpp"

#include <boost/algorithm/string/predicate.hpp>
#include <boost/algorithm/string/trim.hpp>

#include <string>

namespace switchboard::server {
namespace {

// Thrown by the parser callback to abandon a too-deep document; never leaves this file.
struct TooDeep {};

bool is_json_media_type(std::string_view content_type) {
    const auto semicolon = content_type.find(';');
    std::string_view media_type = content_type.substr(0, semicolon);
    media_type = boost::algorithm::trim_copy(media_type);
    return boost::algorithm::iequals(media_type, "application/json");
}

} // namespace

Result<nlohmann::json> require_json(const Request& request) {
    if (!is_json_media_type(request.header("Content-Type"))) {
        return Error(ErrorKind::unsupported_media_type, "unsupported_media_type",
                     "request body must have Content-Type application/json");
    }
    if (request.body.empty()) {
        return Error(ErrorKind::invalid_input, "malformed_json", "request body is empty");
    }
    const nlohmann::json::parser_callback_t limit_depth =
        [](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
            if ((event == nlohmann::json::parse_event_t::object_start ||
                 event == nlohmann::json::parse_event_t::array_start) &&
                depth >= max_json_depth) {
                throw TooDeep{};
            }
            return true;
        };
    try {
        return nlohmann::json::parse(request.body, limit_depth);
    } catch (const nlohmann::json::parse_error& e) {
        // e.what() quotes the input near the error; only the position is safe to echo.
        // nlohmann counts bytes read (1-based); clients index from 0.
        const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
        return Error(ErrorKind::invalid_input, "malformed_json",
                     "request body is not valid JSON (error at byte offset " +
                         std::to_string(offset) + ")");
    } catch (const nlohmann::json::out_of_range&) {
        // A number too large for a double ("1e999"): nlohmann's message quotes it.
        return Error(ErrorKind::invalid_input, "malformed_json",
                     "request body has a number out of range");
    } catch (const TooDeep&) {
        return Error(ErrorKind::invalid_input, "json_too_deep",
                     "request body nests deeper than " + std::to_string(max_json_depth) +
                         " levels");
    }
}

} // namespace switchboard::server
