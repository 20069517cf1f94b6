// The transport's defence against DNS rebinding (Streamable HTTP, "Security Warning"): a
// request whose Origin header is present and not allowed is refused with 403. Allowed are
// the configured origins (mcp.allowed_origins, exact, case-insensitive) and loopback ones
// (http(s)://localhost, 127.0.0.1, [::1], any port), which a rebinding page cannot have.
// No Origin (desktop and server clients send none) passes: those clients authenticate.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::mcp {

class OriginPolicy {
public:
    explicit OriginPolicy(std::vector<std::string> allowed_origins);

    // `origin` is the header's value, empty when absent.
    bool allows(std::string_view origin) const;

private:
    std::vector<std::string> allowed_; // lower case
};

} // namespace switchboard::mcp
