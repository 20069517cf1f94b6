#include "core/common/error.hpp"

namespace switchboard {

std::string_view to_string(ErrorKind kind) noexcept {
    switch (kind) {
    case ErrorKind::invalid_input: return "invalid_input";
    case ErrorKind::unauthenticated: return "unauthenticated";
    case ErrorKind::forbidden: return "forbidden";
    case ErrorKind::not_found: return "not_found";
    case ErrorKind::conflict: return "conflict";
    case ErrorKind::payload_too_large: return "payload_too_large";
    case ErrorKind::unsupported_media_type: return "unsupported_media_type";
    case ErrorKind::rate_limited: return "rate_limited";
    case ErrorKind::upstream_failed: return "upstream_failed";
    case ErrorKind::unavailable: return "unavailable";
    case ErrorKind::unsupported: return "unsupported";
    case ErrorKind::internal: return "internal";
    case ErrorKind::timeout: return "timeout";
    }
    return "internal";
}

void throw_exception_from_error(const Error& error, const boost::source_location&) {
    throw ErrorException(error);
}

} // namespace switchboard
