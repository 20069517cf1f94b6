#include "tests/provider_sim/common/base64.hpp"

#include <openssl/evp.h>

#include <algorithm>

namespace switchboard::sim {

std::string base64_encode(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                        reinterpret_cast<const unsigned char*>(bytes.data()),
                                        static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

std::string base64url_encode(std::string_view bytes) {
    std::string out = base64_encode(bytes);
    while (!out.empty() && out.back() == '=') {
        out.pop_back();
    }
    std::replace(out.begin(), out.end(), '+', '-');
    std::replace(out.begin(), out.end(), '/', '_');
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    std::string clean;
    clean.reserve(text.size() + 3);
    std::size_t padding = 0;
    for (const char c : text) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            continue;
        }
        if (c == '=') {
            ++padding;
            continue;
        }
        if (padding > 0) {
            return std::nullopt; // data after padding
        }
        if (c == '-') {
            clean.push_back('+');
        } else if (c == '_') {
            clean.push_back('/');
        } else {
            clean.push_back(c);
        }
    }
    if (padding > 2 || clean.size() % 4 == 1) {
        return std::nullopt;
    }
    const std::size_t missing = (4 - clean.size() % 4) % 4;
    if (padding != 0 && padding != missing) {
        return std::nullopt;
    }
    clean.append(missing, '=');
    std::string out(clean.size() / 4 * 3, '\0');
    const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                        reinterpret_cast<const unsigned char*>(clean.data()),
                                        static_cast<int>(clean.size()));
    if (written < 0) {
        return std::nullopt;
    }
    // EVP_DecodeBlock counts the padding as zero bytes; drop them.
    out.resize(static_cast<std::size_t>(written) - missing);
    return out;
}

} // namespace switchboard::sim
