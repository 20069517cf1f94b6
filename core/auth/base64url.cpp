#include "core/auth/base64url.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

namespace switchboard::auth {

std::optional<std::string> base64url_decode(std::string_view text) {
    if (text.size() % 4 == 1) {
        return std::nullopt;
    }
    std::string standard;
    standard.reserve(text.size() + 3);
    for (char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            standard += c;
        } else if (c == '-') {
            standard += '+';
        } else if (c == '_') {
            standard += '/';
        } else {
            return std::nullopt;
        }
    }
    const std::size_t padding = (4 - standard.size() % 4) % 4;
    standard.append(padding, '=');
    if (standard.empty()) {
        return std::string();
    }
    // OpenSSL's decoder writes whole groups of three bytes, the padding ones as zeros.
    std::string out(standard.size() / 4 * 3, '\0');
    const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                        reinterpret_cast<const unsigned char*>(standard.data()),
                                        static_cast<int>(standard.size()));
    if (written < 0 || static_cast<std::size_t>(written) != out.size()) {
        return std::nullopt;
    }
    out.resize(out.size() - padding);
    return out;
}

} // namespace switchboard::auth
