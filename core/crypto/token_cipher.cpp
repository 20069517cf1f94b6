#include "core/crypto/token_cipher.hpp"

#include "core/crypto/base64url.hpp"
#include "core/crypto/secure_random.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>
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

struct CipherCtxDeleter {
    void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

Result<std::array<std::uint8_t, mac_size>> hmac_sha256(std::span<const std::uint8_t, 16> key,
                                                       std::span<const std::uint8_t> data) {
    std::array<std::uint8_t, mac_size> mac{};
    std::size_t written = 0;
    if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(), data.data(),
                  data.size(), mac.data(), mac.size(), &written) == nullptr ||
        written != mac_size) {
        return crypto_failure("HMAC-SHA256");
    }
    return mac;
}

// AES-128-CBC with PKCS#7 padding (OpenSSL's default for CBC).
Result<std::vector<std::uint8_t>> aes_cbc(bool encrypt, std::span<const std::uint8_t, 16> key,
                                          std::span<const std::uint8_t> iv,
                                          std::span<const std::uint8_t> input) {
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx) return crypto_failure("cipher context");
    if (EVP_CipherInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr, key.data(), iv.data(),
                          encrypt ? 1 : 0) != 1) {
        return crypto_failure("AES-128-CBC init");
    }
    std::vector<std::uint8_t> out(input.size() + block_size);
    int written = 0;
    if (EVP_CipherUpdate(ctx.get(), out.data(), &written, input.data(),
                         static_cast<int>(input.size())) != 1) {
        return crypto_failure("AES-128-CBC update");
    }
    int final_written = 0;
    if (EVP_CipherFinal_ex(ctx.get(), out.data() + written, &final_written) != 1) {
        // Only decryption can fail here, and only on bad padding.
        if (!encrypt) return invalid_token("token padding is invalid");
        return crypto_failure("AES-128-CBC final");
    }
    out.resize(static_cast<std::size_t>(written + final_written));
    return out;
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

// Decodes and checks the framing shared by decrypt and extract_timestamp.
Result<std::vector<std::uint8_t>> decode_token(std::string_view token) {
    auto data = base64url_decode(token);
    if (!data) return invalid_token("token is not valid base64url");
    if (data->empty() || (*data)[0] != version_byte) {
        return invalid_token("token version is not 0x80");
    }
    if (data->size() < min_token_size) return invalid_token("token is too short");
    if ((data->size() - header_size - mac_size) % block_size != 0) {
        return invalid_token("token ciphertext is not a whole number of blocks");
    }
    return std::move(*data);
}

} // namespace

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
    if (auto filled = fill_random(iv); !filled) return filled.error();
    return encrypt_at(plaintext, fernet_now(), iv);
}

Result<std::string> TokenCipher::encrypt_at(std::string_view plaintext, std::uint64_t timestamp,
                                            std::span<const std::uint8_t, 16> iv) const {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(plaintext.data());
    auto ciphertext = aes_cbc(true, key_.encryption_key(), iv, {bytes, plaintext.size()});
    if (!ciphertext) return ciphertext.error();

    std::vector<std::uint8_t> token(header_size + ciphertext->size() + mac_size);
    token[0] = version_byte;
    put_be64(timestamp, token.data() + 1);
    std::copy(iv.begin(), iv.end(), token.begin() + 1 + timestamp_size);
    std::copy(ciphertext->begin(), ciphertext->end(), token.begin() + header_size);

    const std::size_t signed_size = token.size() - mac_size;
    auto mac = hmac_sha256(key_.signing_key(), {token.data(), signed_size});
    if (!mac) return mac.error();
    std::copy(mac->begin(), mac->end(), token.begin() + static_cast<std::ptrdiff_t>(signed_size));
    return base64url_encode(token);
}

Result<std::string> TokenCipher::decrypt(std::string_view token,
                                         std::optional<std::chrono::seconds> ttl) const {
    return decrypt_at(token, ttl, fernet_now());
}

Result<std::string> TokenCipher::decrypt_at(std::string_view token,
                                            std::optional<std::chrono::seconds> ttl,
                                            std::uint64_t now) const {
    auto data = decode_token(token);
    if (!data) return data.error();

    // The spec's order: version, then age, then MAC, then decryption.
    if (ttl) {
        const std::uint64_t timestamp = get_be64(data->data() + 1);
        const auto ttl_seconds = static_cast<std::uint64_t>(std::max<long long>(ttl->count(), 0));
        if (timestamp + ttl_seconds < now) return invalid_token("token has expired");
        if (now + static_cast<std::uint64_t>(max_clock_skew.count()) < timestamp) {
            return invalid_token("token timestamp is too far in the future");
        }
    }

    const std::size_t signed_size = data->size() - mac_size;
    auto expected = hmac_sha256(key_.signing_key(), {data->data(), signed_size});
    if (!expected) return expected.error();
    if (CRYPTO_memcmp(expected->data(), data->data() + signed_size, mac_size) != 0) {
        return invalid_token("token signature does not match the key");
    }

    std::span<const std::uint8_t> iv(data->data() + 1 + timestamp_size, iv_size);
    std::span<const std::uint8_t> ciphertext(data->data() + header_size, signed_size - header_size);
    auto plaintext = aes_cbc(false, key_.encryption_key(), iv, ciphertext);
    if (!plaintext) return plaintext.error();
    std::string out(plaintext->begin(), plaintext->end());
    OPENSSL_cleanse(plaintext->data(), plaintext->size());
    return out;
}

Result<std::uint64_t> TokenCipher::extract_timestamp(std::string_view token) {
    auto data = decode_token(token);
    if (!data) return data.error();
    return get_be64(data->data() + 1);
}

} // namespace switchboard::crypto
