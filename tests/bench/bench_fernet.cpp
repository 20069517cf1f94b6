// Fernet encrypt and decrypt of a provider token of 220 bytes (a Google access token's size),
// against a peer measured in the same run: the same AES-128-CBC + HMAC-SHA256 in a tight loop
// with the OpenSSL algorithms fetched once and the contexts reused, on raw bytes (no base64,
// no allocation, no error values). scripts/bench adds Python's cryptography.fernet, the seed's
// implementation, as the second peer. Not run by ctest.
#include "core/crypto/multi_fernet.hpp"
#include "core/crypto/token_cipher.hpp"

#include <benchmark/benchmark.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using switchboard::crypto::FernetKey;
using switchboard::crypto::MultiFernet;
using switchboard::crypto::TokenCipher;

constexpr std::size_t kPlaintextSize = 220;

std::string provider_token() {
    std::string token = "ya29.";
    while (token.size() < kPlaintextSize) {
        token += "a0AfB_byC-Xk9Qm2vT7";
    }
    token.resize(kPlaintextSize);
    return token;
}

void require(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "bench_fernet: %s failed\n", what);
        std::abort();
    }
}

TokenCipher make_cipher() {
    auto key = FernetKey::generate();
    require(bool(key), "key generation");
    return TokenCipher(*key);
}

void BM_TokenCipherEncrypt(benchmark::State& state) {
    const TokenCipher cipher = make_cipher();
    const std::string plaintext = provider_token();
    for (auto _ : state) {
        auto token = cipher.encrypt(plaintext);
        benchmark::DoNotOptimize(token);
    }
}
BENCHMARK(BM_TokenCipherEncrypt);

void BM_TokenCipherDecrypt(benchmark::State& state) {
    const TokenCipher cipher = make_cipher();
    auto token = cipher.encrypt(provider_token());
    require(bool(token), "encrypt");
    for (auto _ : state) {
        auto plaintext = cipher.decrypt(*token);
        benchmark::DoNotOptimize(plaintext);
    }
}
BENCHMARK(BM_TokenCipherDecrypt);

// What the connector repository does: MultiFernet with the primary key only.
void BM_MultiFernetDecrypt(benchmark::State& state) {
    auto keys = MultiFernet::create({make_cipher()});
    require(bool(keys), "MultiFernet");
    auto token = keys->encrypt(provider_token());
    require(bool(token), "encrypt");
    for (auto _ : state) {
        auto plaintext = keys->decrypt(*token);
        benchmark::DoNotOptimize(plaintext);
    }
}
BENCHMARK(BM_MultiFernetDecrypt);

// The peer: prefetched algorithms, contexts made once, raw bytes in a buffer made once.
class PrefetchedFernet {
public:
    static constexpr std::size_t kHeader = 1 + 8 + 16;
    static constexpr std::size_t kMac = 32;

    PrefetchedFernet()
        : aes_(EVP_CIPHER_fetch(nullptr, "AES-128-CBC", nullptr)),
          hmac_(EVP_MAC_fetch(nullptr, "HMAC", nullptr)), cipher_ctx_(EVP_CIPHER_CTX_new()),
          mac_ctx_(EVP_MAC_CTX_new(hmac_)) {
        require(aes_ && hmac_ && cipher_ctx_ && mac_ctx_, "prefetching");
        char digest[] = "SHA256";
        const OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
            OSSL_PARAM_construct_end()};
        require(EVP_MAC_CTX_set_params(mac_ctx_, params) == 1, "HMAC digest");
        require(RAND_bytes(key_.data(), static_cast<int>(key_.size())) == 1, "key");
    }
    ~PrefetchedFernet() {
        EVP_MAC_CTX_free(mac_ctx_);
        EVP_CIPHER_CTX_free(cipher_ctx_);
        EVP_MAC_free(hmac_);
        EVP_CIPHER_free(aes_);
    }
    PrefetchedFernet(const PrefetchedFernet&) = delete;
    PrefetchedFernet& operator=(const PrefetchedFernet&) = delete;

    // Writes the raw token (version, timestamp, random IV, ciphertext, MAC) into `out`, which
    // has room for it; returns its size.
    std::size_t encrypt(const std::string& plaintext, unsigned char* out) {
        out[0] = 0x80;
        for (int i = 1; i <= 8; ++i) {
            out[i] = 0; // a fixed timestamp: the clock is not what is measured
        }
        require(RAND_bytes(out + 9, 16) == 1, "IV");
        int written = 0;
        int final_written = 0;
        require(EVP_EncryptInit_ex2(cipher_ctx_, aes_, key_.data() + 16, out + 9, nullptr) == 1 &&
                    EVP_EncryptUpdate(cipher_ctx_, out + kHeader, &written,
                                      reinterpret_cast<const unsigned char*>(plaintext.data()),
                                      static_cast<int>(plaintext.size())) == 1 &&
                    EVP_EncryptFinal_ex(cipher_ctx_, out + kHeader + written, &final_written) == 1,
                "AES-128-CBC");
        const std::size_t signed_size = kHeader + static_cast<std::size_t>(written + final_written);
        std::size_t mac_size = 0;
        require(EVP_MAC_init(mac_ctx_, key_.data(), 16, nullptr) == 1 &&
                    EVP_MAC_update(mac_ctx_, out, signed_size) == 1 &&
                    EVP_MAC_final(mac_ctx_, out + signed_size, &mac_size, kMac) == 1,
                "HMAC-SHA256");
        return signed_size + mac_size;
    }

    // Verifies and decrypts the raw token `in` of `size` bytes into `out`; returns the
    // plaintext's size.
    std::size_t decrypt(const unsigned char* in, std::size_t size, unsigned char* out) {
        const std::size_t signed_size = size - kMac;
        std::array<unsigned char, kMac> mac{};
        std::size_t mac_size = 0;
        require(EVP_MAC_init(mac_ctx_, key_.data(), 16, nullptr) == 1 &&
                    EVP_MAC_update(mac_ctx_, in, signed_size) == 1 &&
                    EVP_MAC_final(mac_ctx_, mac.data(), &mac_size, kMac) == 1,
                "HMAC-SHA256");
        require(CRYPTO_memcmp(mac.data(), in + signed_size, kMac) == 0, "MAC check");
        int written = 0;
        int final_written = 0;
        require(EVP_DecryptInit_ex2(cipher_ctx_, aes_, key_.data() + 16, in + 9, nullptr) == 1 &&
                    EVP_DecryptUpdate(cipher_ctx_, out, &written, in + kHeader,
                                      static_cast<int>(signed_size - kHeader)) == 1 &&
                    EVP_DecryptFinal_ex(cipher_ctx_, out + written, &final_written) == 1,
                "AES-128-CBC");
        return static_cast<std::size_t>(written + final_written);
    }

private:
    EVP_CIPHER* aes_;
    EVP_MAC* hmac_;
    EVP_CIPHER_CTX* cipher_ctx_;
    EVP_MAC_CTX* mac_ctx_;
    std::array<unsigned char, 32> key_{};
};

void BM_PeerPrefetchedEncrypt(benchmark::State& state) {
    PrefetchedFernet peer;
    const std::string plaintext = provider_token();
    std::vector<unsigned char> out(PrefetchedFernet::kHeader + plaintext.size() + 16 +
                                   PrefetchedFernet::kMac);
    for (auto _ : state) {
        benchmark::DoNotOptimize(peer.encrypt(plaintext, out.data()));
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_PeerPrefetchedEncrypt);

void BM_PeerPrefetchedDecrypt(benchmark::State& state) {
    PrefetchedFernet peer;
    const std::string plaintext = provider_token();
    std::vector<unsigned char> token(PrefetchedFernet::kHeader + plaintext.size() + 16 +
                                     PrefetchedFernet::kMac);
    const std::size_t size = peer.encrypt(plaintext, token.data());
    std::vector<unsigned char> out(size);
    for (auto _ : state) {
        benchmark::DoNotOptimize(peer.decrypt(token.data(), size, out.data()));
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_PeerPrefetchedDecrypt);

} // namespace
