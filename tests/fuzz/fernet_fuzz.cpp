// Fernet decoding (core/crypto): what the host reads back from its database, and what an
// operator pastes as a key. Every input is tried as
//   - base64url text (decode, then encode again: the same bytes come back),
//   - a Fernet key (CONNECTOR_ENCRYPTION_KEY's form),
//   - a token, opened with and without a TTL by one key and by a MultiFernet of two keys (the
//     spec's key and a rotated-out one), its timestamp read, and rotated;
//   - the body of a token whose MAC is made to match (the input's own bytes, or those of the
//     token it decodes to with its MAC replaced), so that the fuzzer gets past the signature
//     to the decryption and the padding check;
//   - a plaintext, encrypted and opened again.
// Seeds: the fernet/spec vectors (generate, verify, invalid).
#include "core/crypto/base64url.hpp"
#include "core/crypto/multi_fernet.hpp"
#include "core/crypto/token_cipher.hpp"
#include "tests/fuzz/support/fuzz_support.hpp"

#include <openssl/evp.h>

#include <array>
#include <chrono>
#include <span>
#include <string>
#include <vector>

namespace {

using namespace switchboard;
using namespace switchboard::crypto;
using switchboard::fuzz::check;

// The spec's key and "now" (1985-10-26T01:20:01-07:00), so that its vectors are valid here.
constexpr std::string_view spec_key = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
constexpr std::string_view current_key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
constexpr std::uint64_t spec_now = 499162801;
constexpr std::chrono::seconds spec_ttl{60};
constexpr std::size_t mac_size = 32;

// The spec's key plays a key rotated out: the MultiFernet encrypts with `current` and still
// opens what `spec` made.
struct Keys {
    TokenCipher spec;
    TokenCipher current;
    MultiFernet both;
};

const Keys& keys() {
    static const Keys instance = [] {
        auto spec = FernetKey::from_base64url(spec_key);
        auto current = FernetKey::from_base64url(current_key);
        check(spec && current, "the harness's keys parse");
        auto both = MultiFernet::create({TokenCipher(*current), TokenCipher(*spec)});
        check(both.has_value(), "a MultiFernet of two keys is made");
        return Keys{TokenCipher(*spec), TokenCipher(*current), std::move(*both)};
    }();
    return instance;
}

// The token made of `body` (version ‖ timestamp ‖ IV ‖ ciphertext) and the MAC of `signer`.
std::string signed_token(std::span<const std::uint8_t> body, const FernetKey& signer) {
    std::vector<std::uint8_t> token(body.begin(), body.end());
    std::array<std::uint8_t, mac_size> mac{};
    std::size_t written = 0;
    const auto key = signer.signing_key();
    const bool signed_ok = EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(),
                                     key.size(), token.data(), token.size(), mac.data(),
                                     mac.size(), &written) != nullptr;
    check(signed_ok && written == mac_size, "HMAC-SHA256 signs");
    token.insert(token.end(), mac.begin(), mac.end());
    return base64url_encode(token);
}

void base64url_round_trip(std::string_view text) {
    const auto decoded = base64url_decode(text);
    if (!decoded) {
        return;
    }
    const std::string padded = base64url_encode(*decoded);
    const std::string stripped = base64url_encode(*decoded, Base64Padding::strip);
    check(base64url_decode(padded) == decoded, "base64url: decode(encode(b)) == b");
    check(base64url_decode(stripped) == decoded, "base64url: decode(encode(b, strip)) == b");
    // The decoder accepts only the canonical encoding, with or without its padding.
    check(text == padded || text == stripped, "base64url: only canonical text decodes");
}

void key_round_trip(std::string_view text) {
    const auto key = FernetKey::from_base64url(text);
    if (!key) {
        check(key.error().code == "invalid_key", "a bad key is invalid_key");
        return;
    }
    const auto again = FernetKey::from_base64url(key->to_base64url());
    check(again && again->to_base64url() == key->to_base64url(), "a key round-trips");
}

void open_token(std::string_view token) {
    const Keys& k = keys();
    const auto with_ttl = k.spec.decrypt_at(token, spec_ttl, spec_now);
    const auto without_ttl = k.spec.decrypt_at(token, std::nullopt, spec_now);
    const auto timestamp = TokenCipher::extract_timestamp(token);
    if (with_ttl) {
        check(without_ttl && *without_ttl == *with_ttl, "a TTL only ever refuses more");
    }
    for (const auto* result : {&with_ttl, &without_ttl}) {
        if (!*result) {
            check(result->error().code == "invalid_token", "a refused token is invalid_token");
        }
    }
    if (!without_ttl) {
        return;
    }
    check(timestamp.has_value(), "an opened token has a timestamp");
    const auto by_index = k.both.decrypt_with_index(token);
    check(by_index && by_index->plaintext == *without_ttl && by_index->key_index == 1,
          "the MultiFernet opens it with the key that made it");
    const auto rotated = k.both.rotate(token);
    check(rotated.has_value(), "an opened token rotates");
    const auto reopened = k.current.decrypt_at(*rotated, std::nullopt, spec_now);
    check(reopened && *reopened == *without_ttl, "a rotated token holds the same plaintext");
    const auto rotated_timestamp = TokenCipher::extract_timestamp(*rotated);
    check(rotated_timestamp && *rotated_timestamp == *timestamp,
          "rotation keeps the timestamp");
}

void open_signed(std::span<const std::uint8_t> body) {
    const Keys& k = keys();
    const std::string token = signed_token(body, k.spec.key());
    open_token(token);
    // Signed by the spec's key: the current key's MAC check refuses it.
    check(!k.current.decrypt_at(token, std::nullopt, spec_now), "another key's MAC does not match");
}

void round_trip(std::string_view plaintext) {
    const Keys& k = keys();
    const std::array<std::uint8_t, 16> iv{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    const auto token = k.spec.encrypt_at(plaintext, spec_now, iv);
    check(token.has_value(), "any plaintext encrypts");
    const auto opened = k.spec.decrypt_at(*token, spec_ttl, spec_now);
    check(opened && *opened == plaintext, "decrypt(encrypt(p)) == p");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = switchboard::fuzz::as_text(data, size);
    base64url_round_trip(text);
    key_round_trip(text);
    open_token(text);
    open_signed({data, size});
    if (const auto decoded = base64url_decode(text); decoded && decoded->size() >= mac_size) {
        open_signed({decoded->data(), decoded->size() - mac_size});
    }
    round_trip(text);
    return 0;
}
