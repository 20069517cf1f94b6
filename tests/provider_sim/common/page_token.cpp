#include "tests/provider_sim/common/page_token.hpp"

#include "tests/provider_sim/common/base64.hpp"

#include <charconv>

namespace switchboard::sim {

std::string make_page_token(std::string_view scope, std::size_t offset) {
    return base64url_encode(std::string(scope) + "|" + std::to_string(offset));
}

std::optional<std::size_t> read_page_token(std::string_view scope, std::string_view token) {
    const auto decoded = base64_decode(token);
    if (!decoded || decoded->size() <= scope.size() + 1 || decoded->compare(0, scope.size(), scope) != 0 ||
        (*decoded)[scope.size()] != '|') {
        return std::nullopt;
    }
    std::size_t offset = 0;
    const char* begin = decoded->data() + scope.size() + 1;
    const char* end = decoded->data() + decoded->size();
    const auto [ptr, ec] = std::from_chars(begin, end, offset);
    if (ec != std::errc() || ptr != end) {
        return std::nullopt;
    }
    return offset;
}

} // namespace switchboard::sim
