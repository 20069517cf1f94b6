// Byte compatibility with Python's cryptography.fernet, in both directions: a database
// written by the seed's Python service must stay readable, and what we write must stay
// readable by Python tooling. Keys and tokens travel through stdin/stdout only.
#include "core/crypto/base64url.hpp"
#include "core/crypto/multi_fernet.hpp"
#include "tests/support/child_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

namespace switchboard::crypto {
namespace {

using nlohmann::json;

constexpr const char* python = "/usr/bin/python3";

// Runs the operations through fernet_interop.py and returns its results.
json python_fernet(const json& operations) {
    if (!std::filesystem::exists(python))
        throw std::runtime_error(std::string("missing ") + python);
    if (!std::filesystem::exists(SB_FERNET_INTEROP_SCRIPT)) {
        throw std::runtime_error(std::string("missing ") + SB_FERNET_INTEROP_SCRIPT);
    }
    testing::ProcessOptions options;
    options.argv = {python, SB_FERNET_INTEROP_SCRIPT};
    const auto result = testing::run_process(options, operations.dump(), std::chrono::seconds(60));
    // stderr may carry a Python traceback; it never holds keys (they come in on stdin).
    if (!result.status.exited_with(0)) {
        throw std::runtime_error("fernet_interop.py " + result.status.describe() + ": " +
                                 result.error);
    }
    auto results = json::parse(result.output);
    if (results.size() != operations.size()) throw std::runtime_error("wrong number of results");
    return results;
}

std::string b64(std::string_view data) {
    return base64url_encode({reinterpret_cast<const std::uint8_t*>(data.data()), data.size()});
}

std::string unb64(const std::string& text) {
    auto bytes = base64url_decode(text);
    if (!bytes) throw std::runtime_error("bad base64 from python");
    return {bytes->begin(), bytes->end()};
}

const std::vector<std::string>& plaintexts() {
    static const std::vector<std::string> values{"",
                                                 "ya29.a0AfH6SMB-access-token",
                                                 "1//0refresh-token",
                                                 std::string(15, 'a'),
                                                 std::string(16, 'b'),
                                                 std::string(17, 'c'),
                                                 "caf\xc3\xa9 \xe2\x9c\x93",
                                                 std::string("\x00\x01\xfe\xff", 4),
                                                 std::string(4096, 'q')};
    return values;
}

TEST(FernetPythonInterop, PythonTokensDecryptHere) {
    const json generated = python_fernet(json::array({{{"op", "generate_key"}}}));
    const std::string key_text = generated[0].at("key");
    auto key = FernetKey::from_base64url(key_text);
    ASSERT_TRUE(key) << "a key from Fernet.generate_key() must parse";

    json operations = json::array();
    for (const auto& plaintext : plaintexts()) {
        operations.push_back({{"op", "encrypt"}, {"key", key_text}, {"plaintext", b64(plaintext)}});
    }
    const json tokens = python_fernet(operations);
    const TokenCipher cipher(*key);
    for (std::size_t i = 0; i < plaintexts().size(); ++i) {
        auto decrypted =
            cipher.decrypt(tokens[i].at("token").get<std::string>(), std::chrono::seconds(300));
        ASSERT_TRUE(decrypted) << i << ": " << decrypted.error().message;
        EXPECT_EQ(*decrypted, plaintexts()[i]);
    }
}

TEST(FernetPythonInterop, OurTokensDecryptInPython) {
    auto key = FernetKey::generate();
    ASSERT_TRUE(key);
    const TokenCipher cipher(*key);
    json operations = json::array();
    for (const auto& plaintext : plaintexts()) {
        operations.push_back({{"op", "decrypt"},
                              {"keys", {key->to_base64url()}},
                              {"token", *cipher.encrypt(plaintext)},
                              {"ttl", 300}});
    }
    // And one that Python must refuse: another key's token.
    operations.push_back({{"op", "decrypt"},
                          {"keys", {key->to_base64url()}},
                          {"token", *TokenCipher(*FernetKey::generate()).encrypt("x")},
                          {"ttl", nullptr}});
    const json results = python_fernet(operations);
    for (std::size_t i = 0; i < plaintexts().size(); ++i) {
        ASSERT_TRUE(results[i].contains("plaintext")) << i << ": " << results[i].dump();
        EXPECT_EQ(unb64(results[i].at("plaintext")), plaintexts()[i]);
    }
    EXPECT_EQ(results.back().value("error", ""), "invalid_token");
}

TEST(FernetPythonInterop, OldKeyTokensFromPythonStayReadableAndRotate) {
    auto current = FernetKey::generate();
    auto old = FernetKey::generate();
    ASSERT_TRUE(current && old);
    const std::string current_text = current->to_base64url(), old_text = old->to_base64url();

    // The seed wrote these under what is now the old key.
    const json written = python_fernet(json::array(
        {{{"op", "encrypt"}, {"key", old_text}, {"plaintext", b64("seed-access-token")}},
         {{"op", "encrypt"}, {"key", old_text}, {"plaintext", b64("seed-refresh-token")}}}));
    auto keys = MultiFernet::create({TokenCipher(*current), TokenCipher(*old)});
    ASSERT_TRUE(keys);
    auto access = keys->decrypt_with_index(written[0].at("token").get<std::string>());
    ASSERT_TRUE(access);
    EXPECT_EQ(access->plaintext, "seed-access-token");
    EXPECT_EQ(access->key_index, 1u);

    // Rotated here, readable by Python with the new key alone, timestamp kept.
    const std::string old_token = written[1].at("token");
    auto rotated = keys->rotate(old_token);
    ASSERT_TRUE(rotated);
    EXPECT_EQ(*TokenCipher::extract_timestamp(*rotated),
              *TokenCipher::extract_timestamp(old_token));

    // Rotated in Python (MultiFernet.rotate), readable here with the new key alone.
    const json results = python_fernet(json::array(
        {{{"op", "decrypt"}, {"keys", {current_text}}, {"token", *rotated}, {"ttl", nullptr}},
         {{"op", "rotate"}, {"keys", {current_text, old_text}}, {"token", old_token}},
         {{"op", "decrypt"}, {"keys", {old_text}}, {"token", *rotated}, {"ttl", nullptr}}}));
    EXPECT_EQ(unb64(results[0].at("plaintext")), "seed-refresh-token");
    EXPECT_EQ(*TokenCipher(*current).decrypt(results[1].at("token").get<std::string>()),
              "seed-refresh-token");
    EXPECT_EQ(results[2].value("error", ""), "invalid_token");
}

} // namespace
} // namespace switchboard::crypto
