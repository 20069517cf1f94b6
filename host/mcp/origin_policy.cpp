#include "host/mcp/origin_policy.hpp"

#include "core/common/ascii.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>

namespace switchboard::mcp {

namespace {

bool is_loopback_origin(std::string_view origin) {
    auto url = boost::urls::parse_absolute_uri(origin);
    if (!url || (url->scheme() != "http" && url->scheme() != "https") || url->has_userinfo() ||
        !url->encoded_path().empty() || url->has_query() || url->has_fragment()) {
        return false;
    }
    const std::string host = ascii_lowercase(url->encoded_host());
    return host == "localhost" || host == "127.0.0.1" || host == "[::1]";
}

} // namespace

OriginPolicy::OriginPolicy(std::vector<std::string> allowed_origins) {
    for (const auto& origin : allowed_origins) allowed_.push_back(ascii_lowercase(origin));
}

bool OriginPolicy::allows(std::string_view origin) const {
    if (origin.empty()) return true;
    const std::string wanted = ascii_lowercase(origin);
    if (std::find(allowed_.begin(), allowed_.end(), wanted) != allowed_.end()) return true;
    return is_loopback_origin(wanted);
}

} // namespace switchboard::mcp
