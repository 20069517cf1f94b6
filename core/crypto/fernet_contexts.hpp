// The OpenSSL work of one Fernet token, without OpenSSL 3's per-call costs: EVP_Q_mac and a
// context made per call fetch the algorithm by name, allocate, and key the context again
// (the key schedule and HMAC's padded-key hashes cost as much as the work on a short
// token). Here the algorithms are fetched once per process, the contexts are made once per
// thread, and a context is keyed again only when its thread uses another key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace switchboard::crypto::detail {

// Names one key's bytes for the per-thread contexts: equal ids mean equal keys. A FernetKey
// takes a fresh id when it is made (copies share it); ids are never reused in a process.
using KeyId = std::uint64_t;
KeyId next_key_id();

// AES-128-CBC with PKCS#7 padding of `input` into `output`, which has room for
// input.size() + 16 bytes. Returns the bytes written; nullopt when OpenSSL fails or, when
// decrypting, the padding is wrong.
std::optional<std::size_t> aes_128_cbc_encrypt(KeyId id, std::span<const std::uint8_t, 16> key,
                                               std::span<const std::uint8_t, 16> iv,
                                               std::span<const std::uint8_t> input,
                                               std::uint8_t* output);
std::optional<std::size_t> aes_128_cbc_decrypt(KeyId id, std::span<const std::uint8_t, 16> key,
                                               std::span<const std::uint8_t, 16> iv,
                                               std::span<const std::uint8_t> input,
                                               std::uint8_t* output);

// HMAC-SHA256 of `data` under `key` into `mac`; false when OpenSSL fails.
bool hmac_sha256(KeyId id, std::span<const std::uint8_t, 16> key,
                 std::span<const std::uint8_t> data, std::span<std::uint8_t, 32> mac);

} // namespace switchboard::crypto::detail
