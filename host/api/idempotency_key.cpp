#include "host/api/idempotency_key.hpp"

#include <algorithm>
#include <cstddef>

namespace switchboard::api {
namespace {

constexpr std::size_t kMaxIdempotencyKey = 255;

} // namespace

Result<std::optional<std::string>> idempotency_key(const server::Request& request) {
    if (!request.headers.contains(idempotency_key_header)) return std::optional<std::string>();
    const std::string_view key = request.header(idempotency_key_header);
    const bool visible = std::all_of(key.begin(), key.end(), [](char c) {
        return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f;
    });
    if (key.empty() || key.size() > kMaxIdempotencyKey || !visible) {
        return Error(ErrorKind::invalid_input, "invalid_idempotency_key",
                     "the Idempotency-Key header must be 1 to 255 visible ASCII characters",
                     std::string(idempotency_key_header));
    }
    return std::optional<std::string>(std::string(key));
}

} // namespace switchboard::api
