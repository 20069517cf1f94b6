#include "host/server/request_id.hpp"

#include <openssl/rand.h>

#include <array>
#include <random>

namespace switchboard::server {

bool is_acceptable_request_id(std::string_view id) noexcept {
    if (id.empty() || id.size() > max_request_id_length) {
        return false;
    }
    for (const char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == ':';
        if (!ok) {
            return false;
        }
    }
    return true;
}

std::string generate_request_id() {
    std::array<unsigned char, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        // A request id is not a secret; if OpenSSL's generator is unavailable an ordinary
        // per-thread generator keeps requests distinguishable.
        thread_local std::mt19937_64 fallback{std::random_device{}()};
        for (auto& b : bytes) {
            b = static_cast<unsigned char>(fallback());
        }
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string id;
    id.reserve(bytes.size() * 2);
    for (const unsigned char b : bytes) {
        id.push_back(hex[b >> 4]);
        id.push_back(hex[b & 0x0f]);
    }
    return id;
}

std::string choose_request_id(std::string_view incoming) {
    return is_acceptable_request_id(incoming) ? std::string(incoming) : generate_request_id();
}

} // namespace switchboard::server
