// Fernet (https://github.com/fernet/spec, version 0x80): the at-rest encryption of provider
// tokens, byte-compatible with Python's cryptography.fernet so that a database written by
// the Python service reads as is.
#pragma once

#include "core/common/error.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace switchboard::crypto {

// A 256-bit Fernet key: signing key (first 128 bits) ‖ encryption key (last 128 bits).
// The bytes are wiped when the key is destroyed.
class FernetKey {
public:
    static constexpr std::size_t size = 32;

    // Parses the base64url form (with or without padding) that Python's Fernet.generate_key
    // prints. The error (code `invalid_key`) never contains the text.
    static Result<FernetKey> from_base64url(std::string_view text);
    static Result<FernetKey> generate();

    FernetKey(const FernetKey&) = default;
    FernetKey& operator=(const FernetKey&) = default;
    ~FernetKey();

    std::string to_base64url() const;
    std::span<const std::uint8_t, 16> signing_key() const {
        return std::span<const std::uint8_t, 16>(bytes_.data(), 16);
    }
    std::span<const std::uint8_t, 16> encryption_key() const {
        return std::span<const std::uint8_t, 16>(bytes_.data() + 16, 16);
    }
    // Tells this key's bytes apart from other keys' for the per-thread OpenSSL contexts
    // (core/crypto/fernet_contexts.hpp): a copy keeps it, a new key gets a new one.
    std::uint64_t id() const { return id_; }

private:
    explicit FernetKey(const std::array<std::uint8_t, size>& bytes);
    std::array<std::uint8_t, size> bytes_{};
    std::uint64_t id_ = 0;
};

// Encrypts and verifies Fernet tokens under one key. Thread-safe: it holds only the key (the
// OpenSSL contexts that do the work are per thread).
//
// Errors: code `invalid_token` (kind invalid_input) for anything that does not verify —
// bad encoding, version, length, MAC, padding, or an expired/far-future timestamp when a
// TTL is given; the message says which check failed but never echoes the token.
class TokenCipher {
public:
    // Python's Fernet refuses a timestamp more than this far in the future (with a TTL).
    static constexpr std::chrono::seconds max_clock_skew{60};

    explicit TokenCipher(FernetKey key) : key_(std::move(key)) {}

    // A token for `plaintext` stamped with the current time and a fresh random IV.
    Result<std::string> encrypt(std::string_view plaintext) const;

    // Deterministic form for test vectors and for MultiFernet::rotate (keeps a timestamp).
    Result<std::string> encrypt_at(std::string_view plaintext, std::uint64_t timestamp,
                                   std::span<const std::uint8_t, 16> iv) const;

    // The plaintext of `token`. With a `ttl`, a token older than ttl (or stamped more than
    // max_clock_skew in the future) is refused, as in Python's Fernet.decrypt(token, ttl).
    Result<std::string> decrypt(std::string_view token,
                                std::optional<std::chrono::seconds> ttl = std::nullopt) const;
    Result<std::string> decrypt_at(std::string_view token, std::optional<std::chrono::seconds> ttl,
                                   std::uint64_t now) const;

    // The creation timestamp (seconds since the epoch) recorded in a token, unverified.
    static Result<std::uint64_t> extract_timestamp(std::string_view token);

    const FernetKey& key() const { return key_; }

private:
    FernetKey key_;
};

// Seconds since the Unix epoch, the Fernet timestamp unit.
std::uint64_t fernet_now();

} // namespace switchboard::crypto
