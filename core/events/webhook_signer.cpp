#include "core/events/webhook_signer.hpp"

#include <openssl/evp.h>

#include <array>

namespace switchboard::events {

Result<std::string> hmac_sha256_hex(std::string_view key, std::string_view message) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    std::size_t length = 0;
    // An empty key is legal HMAC, but OpenSSL wants a non-null pointer for it.
    static const unsigned char none = 0;
    const auto* key_bytes =
        key.empty() ? &none : reinterpret_cast<const unsigned char*>(key.data());
    if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key_bytes, key.size(),
                  reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                  mac.data(), mac.size(), &length) == nullptr) {
        return Error(ErrorKind::internal, "crypto_failure", "HMAC-SHA256 is unavailable");
    }
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (std::size_t i = 0; i < length; ++i) {
        out += digits[mac[i] >> 4];
        out += digits[mac[i] & 0x0f];
    }
    return out;
}

Result<std::string> WebhookSigner::sign(std::string_view body,
                                        std::chrono::system_clock::time_point at) const {
    const std::string timestamp = std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count());
    std::string message;
    message.reserve(timestamp.size() + 1 + body.size());
    message.append(timestamp).append(".").append(body);
    auto mac = hmac_sha256_hex(secret_, message);
    if (!mac) return mac.error();
    return "t=" + timestamp + ",v1=" + *mac;
}

} // namespace switchboard::events
