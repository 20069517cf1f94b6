// The keys, JWKS and PyJWT-signed tokens made by make_test_tokens.py. Under CTest a fixture
// makes them once in a scratch directory named by SB_AUTH_TEST_TOKENS_DIR (and removes it
// afterwards); run by hand, the test program makes its own in a temporary directory.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace switchboard::auth::test_support {

class TestTokens {
public:
    TestTokens() {
        if (const char* shared = std::getenv("SB_AUTH_TEST_TOKENS_DIR"); shared && *shared) {
            dir_ = shared;
            owned_ = false;
        } else {
            generate();
        }
        std::ifstream tokens(dir_ / "tokens.json");
        if (!tokens) {
            throw std::runtime_error("missing test tokens: " + (dir_ / "tokens.json").string());
        }
        document_ = nlohmann::json::parse(tokens);
        std::ifstream secret(dir_ / "hs256_secret.txt");
        std::getline(secret, secret_);
    }
    ~TestTokens() {
        if (owned_) {
            std::error_code ignored;
            std::filesystem::remove_all(dir_, ignored);
        }
    }
    TestTokens(const TestTokens&) = delete;
    TestTokens& operator=(const TestTokens&) = delete;

    std::string token(const std::string& name) const {
        return document_.at("tokens").at(name).get<std::string>();
    }
    // When the tokens were signed; their iat, exp and nbf are relative to it.
    std::chrono::system_clock::time_point generated_at() const {
        return std::chrono::system_clock::time_point(
            std::chrono::seconds(document_.at("generated_at").get<long long>()));
    }
    std::string issuer() const { return document_.at("issuer").get<std::string>(); }
    std::string audience() const { return document_.at("audience").get<std::string>(); }
    const std::string& hs256_secret() const { return secret_; }
    std::string jwks_file() const { return (dir_ / "jwks.json").string(); }
    std::filesystem::path dir() const { return dir_; }

private:
    void generate() {
        std::string pattern = (std::filesystem::temp_directory_path() / "sb-auth-XXXXXX").string();
        std::vector<char> buffer(pattern.begin(), pattern.end());
        buffer.push_back('\0');
        if (::mkdtemp(buffer.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed for " + pattern);
        }
        dir_ = buffer.data();
        const std::string command = std::string(SB_SYSTEM_PYTHON) + " '" + SB_AUTH_TOKEN_SCRIPT +
                                    "' '" + dir_.string() + "'";
        if (std::system(command.c_str()) != 0) {
            throw std::runtime_error("token generation failed: " + command);
        }
    }

    std::filesystem::path dir_;
    bool owned_ = true;
    nlohmann::json document_;
    std::string secret_;
};

} // namespace switchboard::auth::test_support
