#include "core/crypto/token_cipher.hpp"

#include "core/crypto/base64url.hpp"
#include "core/crypto/fernet_contexts.hpp"
#include "core/crypto/iv_pool.hpp"
#include "core/crypto/secure_random.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <vector>

namespace switchboard::crypto {
namespace {

constexpr std::uint8_t version_byte = 0x80;
constexpr std::size_t timestamp_size = 8;
constexpr std::size_t iv_size = 16;
constexpr std::size_t block_size = 16;
constexpr std::size_t mac_size = 32;
constexpr std::size_t header_size = 1 + timestamp_size + iv_size;
// The smallest token: header, one block of ciphertext (padding always adds one), MAC.
constexpr std::size_t min_token_size = header_size + block_size + mac_size;

Error invalid_token(std::string message) {
    return Error(ErrorKind::invalid_input, "invalid_token", std::move(message));
}

Error crypto_failure(std::string_view what) {
    return Error(ErrorKind::internal, "crypto_failure",
                 "the OpenSSL " + std::string(what) + " operation failed");
}

void put_be64(std::uint64_t value, std::uint8_t* out) {
    for (int i = 7; i >= 0; --i) {
        out[i] = static_cast<std::uint8_t>(value & 0xffu);
        value >>= 8;
    }
}

std::uint64_t get_be64(const std::uint8_t* in) {
    std::uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value = (value << 8) | in[i];
    return value;
}

// A token's bytes: on the stack for a provider token's size, on the heap beyond.
class TokenBytes {
public:
    explicit TokenBytes(std::size_t size) : size_(size) {
        if (size > stack_.size()) {
            heap_.resize(size);
        }
    }
    std::uint8_t* data() { return heap_.empty() ? stack_.data() : heap_.data(); }
    std::size_t size() const { return size_; }
    void resize_down(std::size_t size) { size_ = size; }

private:
    std::array<std::uint8_t, 1024> stack_;
    std::vector<std::uint8_t> heap_;
    std::size_t size_;
};

// Decodes `token` into `bytes` (room for base64url_decoded_capacity(token.size())) and checks
// the framing shared by decrypt and extract_timestamp.
Result<void> decode_token(std::string_view token, TokenBytes& bytes) {
    auto size = base64url_decode_into(token, {bytes.data(), bytes.size()});
    if (!size) return invalid_token("token is not valid base64url");
    bytes.resize_down(*size);
    if (*size == 0 || bytes.data()[0] != version_byte) {
        return invalid_token("token version is not 0x80");
    }
    if (*size < min_token_size) return invalid_token("token is too short");
    if ((*size - header_size - mac_size) % block_size != 0) {
        return invalid_token("token ciphertext is not a whole number of blocks");
    }
    return {};
}

} // namespace

FernetKey::FernetKey(const std::array<std::uint8_t, size>& bytes)
    : bytes_(bytes), id_(detail::next_key_id()) {}

FernetKey::~FernetKey() {
    OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

Result<FernetKey> FernetKey::from_base64url(std::string_view text) {
    auto bytes = base64url_decode(text);
    if (!bytes || bytes->size() != size) {
        if (bytes) OPENSSL_cleanse(bytes->data(), bytes->size());
        return Error(ErrorKind::invalid_input, "invalid_key",
                     "a Fernet key must be 32 bytes encoded as url-safe base64");
    }
    std::array<std::uint8_t, size> raw{};
    std::copy(bytes->begin(), bytes->end(), raw.begin());
    OPENSSL_cleanse(bytes->data(), bytes->size());
    FernetKey key(raw);
    OPENSSL_cleanse(raw.data(), raw.size());
    return key;
}

Result<FernetKey> FernetKey::generate() {
    std::array<std::uint8_t, size> raw{};
    if (auto filled = fill_random(raw); !filled) return filled.error();
    FernetKey key(raw);
    OPENSSL_cleanse(raw.data(), raw.size());
    return key;
}

std::string FernetKey::to_base64url() const {
    return base64url_encode(bytes_);
}

std::uint64_t fernet_now() {
    const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count());
}

Result<std::string> TokenCipher::encrypt(std::string_view plaintext) const {
    std::array<std::uint8_t, iv_size> iv{};
    if (auto drawn = next_iv(iv); !drawn) return drawn.error();
    return encrypt_at(plaintext, fernet_now(), iv);
}

Result<std::string> TokenCipher::encrypt_at(std::string_view plaintext, std::uint64_t timestamp,
                                            std::span<const std::uint8_t, 16> iv) const {
    // PKCS#7 always pads, by one to sixteen bytes.
    const std::size_t ciphertext_size = (plaintext.size() / block_size + 1) * block_size;
    TokenBytes token(header_size + ciphertext_size + mac_size);
    std::uint8_t* bytes = token.data();
    bytes[0] = version_byte;
    put_be64(timestamp, bytes + 1);
    std::copy(iv.begin(), iv.end(), bytes + 1 + timestamp_size);
    const auto* input = reinterpret_cast<const std::uint8_t*>(plaintext.data());
    auto written = detail::aes_128_cbc_encrypt(key_.id(), key_.encryption_key(), iv,
                                               {input, plaintext.size()}, bytes + header_size);
    if (!written || *written != ciphertext_size) return crypto_failure("AES-128-CBC encryption");

    const std::size_t signed_size = header_size + ciphertext_size;
    if (!detail::hmac_sha256(key_.id(), key_.signing_key(), {bytes, signed_size},
                             std::span<std::uint8_t, mac_size>(bytes + signed_size, mac_size))) {
        return crypto_failure("HMAC-SHA256");
    }
    return base64url_encode({bytes, token.size()});
}

Result<std::string> TokenCipher::decrypt(std::string_view token,
                                         std::optional<std::chrono::seconds> ttl) const {
    return decrypt_at(token, ttl, fernet_now());
}

Result<std::string> TokenCipher::decrypt_at(std::string_view token,
                                            std::optional<std::chrono::seconds> ttl,
                                            std::uint64_t now) const {
    TokenBytes data(base64url_decoded_capacity(token.size()));
    if (auto framed = decode_token(token, data); !framed) return framed.error();
    const std::uint8_t* bytes = data.data();

    // The spec's order: version, then age, then MAC, then decryption.
    if (ttl) {
        const std::uint64_t timestamp = get_be64(bytes + 1);
        const auto ttl_seconds = static_cast<std::uint64_t>(std::max<long long>(ttl->count(), 0));
        if (timestamp + ttl_seconds < now) return invalid_token("token has expired");
        if (now + static_cast<std::uint64_t>(max_clock_skew.count()) < timestamp) {
            return invalid_token("token timestamp is too far in the future");
        }
    }

    const std::size_t signed_size = data.size() - mac_size;
    std::array<std::uint8_t, mac_size> expected{};
    if (!detail::hmac_sha256(key_.id(), key_.signing_key(), {bytes, signed_size}, expected)) {
        return crypto_failure("HMAC-SHA256");
    }
    if (CRYPTO_memcmp(expected.data(), bytes + signed_size, mac_size) != 0) {
        return invalid_token("token signature does not match the key");
    }

    std::span<const std::uint8_t, iv_size> iv(bytes + 1 + timestamp_size, iv_size);
    std::span<const std::uint8_t> ciphertext(bytes + header_size, signed_size - header_size);
    // Decrypted in place in the answer (with the block of room OpenSSL asks for): no other
    // copy of the plaintext is made.
    std::string out(ciphertext.size() + block_size, '\0');
    auto written = detail::aes_128_cbc_decrypt(key_.id(), key_.encryption_key(), iv, ciphertext,
                                               reinterpret_cast<std::uint8_t*>(out.data()));
    if (!written) {
        // The MAC matched, so only the padding can be wrong.
        OPENSSL_cleanse(out.data(), out.size());
        return invalid_token("token padding is invalid");
    }
    OPENSSL_cleanse(out.data() + *written, out.size() - *written);
    out.resize(*written);
    return out;
}

Result<std::uint64_t> TokenCipher::extract_timestamp(std::string_view token) {
    TokenBytes data(base64url_decoded_capacity(token.size()));
    if (auto framed = decode_token(token, data); !framed) return framed.error();
    return get_be64(data.data() + 1);
}

} // namespace switchboard::crypto
