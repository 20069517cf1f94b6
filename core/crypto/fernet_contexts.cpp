#include "core/crypto/fernet_contexts.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <atomic>
#include <climits>

namespace switchboard::crypto::detail {
namespace {

// Fetched once and never freed: a thread's contexts may outlive any static destructor, and
// OpenSSL frees its providers at exit anyway.
EVP_CIPHER* aes_128_cbc() {
    static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-128-CBC", nullptr);
    return cipher;
}

EVP_MAC* hmac() {
    static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    return mac;
}

// One direction of AES-128-CBC, and the key it was last given (0: none yet).
struct CipherContext {
    EVP_CIPHER_CTX* ctx = nullptr;
    KeyId key = 0;
};

struct MacContext {
    EVP_MAC_CTX* ctx = nullptr;
    KeyId key = 0;
};

// A thread's contexts; freeing them wipes the key material they hold.
struct ThreadContexts {
    CipherContext encryptor;
    CipherContext decryptor;
    MacContext mac;

    ThreadContexts() = default;
    ThreadContexts(const ThreadContexts&) = delete;
    ThreadContexts& operator=(const ThreadContexts&) = delete;
    ~ThreadContexts() {
        EVP_CIPHER_CTX_free(encryptor.ctx);
        EVP_CIPHER_CTX_free(decryptor.ctx);
        EVP_MAC_CTX_free(mac.ctx);
    }
};

ThreadContexts& contexts() {
    thread_local ThreadContexts state;
    return state;
}

// Sets the IV, and the key when the context last had another one (or none).
bool prepare(CipherContext& c, bool encrypt, KeyId id, std::span<const std::uint8_t, 16> key,
             std::span<const std::uint8_t, 16> iv) {
    if (c.ctx == nullptr) {
        c.ctx = EVP_CIPHER_CTX_new();
        if (c.ctx == nullptr || aes_128_cbc() == nullptr) {
            return false;
        }
        c.key = 0;
    }
    const int enc = encrypt ? 1 : 0;
    if (c.key != id) {
        c.key = 0; // unusable until keyed again
        if (EVP_CipherInit_ex2(c.ctx, aes_128_cbc(), key.data(), iv.data(), enc, nullptr) != 1) {
            return false;
        }
        c.key = id;
        return true;
    }
    // The cipher and its key schedule stay; only the IV (and the state) is new.
    return EVP_CipherInit_ex2(c.ctx, nullptr, nullptr, iv.data(), enc, nullptr) == 1;
}

std::optional<std::size_t> run(CipherContext& c, bool encrypt, KeyId id,
                               std::span<const std::uint8_t, 16> key,
                               std::span<const std::uint8_t, 16> iv,
                               std::span<const std::uint8_t> input, std::uint8_t* output) {
    if (input.size() > static_cast<std::size_t>(INT_MAX - 32) ||
        !prepare(c, encrypt, id, key, iv)) {
        return std::nullopt;
    }
    int written = 0;
    int final_written = 0;
    if (EVP_CipherUpdate(c.ctx, output, &written, input.data(), static_cast<int>(input.size())) !=
            1 ||
        EVP_CipherFinal_ex(c.ctx, output + written, &final_written) != 1) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(written) + static_cast<std::size_t>(final_written);
}

} // namespace

KeyId next_key_id() {
    static std::atomic<KeyId> last{0};
    return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

std::optional<std::size_t> aes_128_cbc_encrypt(KeyId id, std::span<const std::uint8_t, 16> key,
                                               std::span<const std::uint8_t, 16> iv,
                                               std::span<const std::uint8_t> input,
                                               std::uint8_t* output) {
    return run(contexts().encryptor, true, id, key, iv, input, output);
}

std::optional<std::size_t> aes_128_cbc_decrypt(KeyId id, std::span<const std::uint8_t, 16> key,
                                               std::span<const std::uint8_t, 16> iv,
                                               std::span<const std::uint8_t> input,
                                               std::uint8_t* output) {
    return run(contexts().decryptor, false, id, key, iv, input, output);
}

bool hmac_sha256(KeyId id, std::span<const std::uint8_t, 16> key,
                 std::span<const std::uint8_t> data, std::span<std::uint8_t, 32> mac) {
    MacContext& m = contexts().mac;
    if (m.ctx == nullptr) {
        if (hmac() == nullptr || (m.ctx = EVP_MAC_CTX_new(hmac())) == nullptr) {
            return false;
        }
        char digest[] = "SHA256";
        const OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
            OSSL_PARAM_construct_end()};
        if (EVP_MAC_CTX_set_params(m.ctx, params) != 1) {
            EVP_MAC_CTX_free(m.ctx);
            m.ctx = nullptr;
            return false;
        }
        m.key = 0;
    }
    // Without a key, EVP_MAC_init starts again from the hashes of the padded key it has.
    const bool same_key = m.key == id;
    m.key = 0;
    if (EVP_MAC_init(m.ctx, same_key ? nullptr : key.data(), same_key ? 0 : key.size(), nullptr) !=
        1) {
        return false;
    }
    m.key = id;
    std::size_t written = 0;
    return EVP_MAC_update(m.ctx, data.data(), data.size()) == 1 &&
           EVP_MAC_final(m.ctx, mac.data(), &written, mac.size()) == 1 && written == mac.size();
}

} // namespace switchboard::crypto::detail
