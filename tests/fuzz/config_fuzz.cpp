// The config loader (core/config): the operator's JSON file and the environment variables that
// override it. Input: the file's text, optionally followed by a line "#env" and lines
// NAME=value (API_BASE_URL and FRONTEND_URL are read; others are what *_env keys name).
//
// Promises checked: the loader answers every document with a Config or an invalid_config error
// naming the key path (no exception escapes, none is a crash); the text and the parsed document
// give the same answer; and a value written under a key that looks like a secret ("password",
// "client_secret", ...) is never repeated in the error, which operators paste into tickets.
// Seeds: config/*.json, one file using every section, and environment overrides.
#include "core/config/config_loader.hpp"
#include "tests/fuzz/support/fuzz_support.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <string>
#include <string_view>

namespace {

using namespace switchboard;
using switchboard::fuzz::check;

const std::filesystem::path base_dir = "/etc/switchboard";
// What the harness puts in place of every value under a secret-looking key.
constexpr std::string_view secret_marker = "fuzz-secret-value-7c1d";

config::MapEnvironment environment_from(std::string_view lines) {
    config::MapEnvironment env;
    for (const auto line : switchboard::fuzz::split(lines, "\n", 64)) {
        const auto equals = line.find('=');
        if (equals != std::string_view::npos) {
            env.set(std::string(line.substr(0, equals)), std::string(line.substr(equals + 1)));
        }
    }
    return env;
}

// As config_section.cpp decides which keys get the "secrets come from the environment" hint.
bool looks_like_secret(std::string_view key) {
    static constexpr std::array<std::string_view, 6> words = {"password", "secret", "token",
                                                              "api_key",  "private", "key"};
    if (key.ends_with("_env") || key == "key_sha256") {
        return false;
    }
    for (const auto word : words) {
        if (key.find(word) != std::string_view::npos) {
            return true;
        }
    }
    return false;
}

// Replaces every string under a secret-looking key with the marker (down to a depth no config
// reaches); true if it replaced one.
bool plant_secrets(nlohmann::json& value, int depth = 0) {
    if (depth > 32) {
        return false;
    }
    bool planted = false;
    if (value.is_object()) {
        for (auto& [key, member] : value.items()) {
            if (looks_like_secret(key) && member.is_string()) {
                member = std::string(secret_marker);
                planted = true;
            } else {
                planted = plant_secrets(member, depth + 1) || planted;
            }
        }
    } else if (value.is_array()) {
        for (auto& element : value) {
            planted = plant_secrets(element, depth + 1) || planted;
        }
    }
    return planted;
}

void check_answer(const Result<config::Config>& answer) {
    if (!answer) {
        check(answer.error().kind == ErrorKind::invalid_input &&
                  answer.error().code == "invalid_config",
              "a refused config is invalid_input/invalid_config");
        check(answer.error().message.rfind(answer.error().field, 0) == 0,
              "the message starts with the key path in field");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input = switchboard::fuzz::as_text(data, size);
    const auto parts = switchboard::fuzz::split(input, "\n#env\n", 2);
    const std::string_view text = parts[0];
    const config::MapEnvironment env = environment_from(parts.size() > 1 ? parts[1] : "");

    const auto from_text = config::parse_config_text(text, base_dir, env);
    check_answer(from_text);

    // nlohmann reads what parse_config_text reads; the loader must then answer the same.
    auto document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) {
        check(!from_text, "text that is not JSON is refused");
        return 0;
    }
    const auto from_document = config::parse_config(document, base_dir, env);
    check(from_text.has_value() == from_document.has_value(),
          "text and document get the same answer");
    if (!from_text) {
        check(from_text.error().message == from_document.error().message,
              "text and document get the same error");
    }

    if (plant_secrets(document) && text.find(secret_marker) == std::string_view::npos) {
        const auto planted = config::parse_config(document, base_dir, env);
        check_answer(planted);
        if (!planted) {
            check(planted.error().message.find(secret_marker) == std::string::npos &&
                      planted.error().field.find(secret_marker) == std::string::npos,
                  "a value under a secret-looking key never reaches the error");
        }
    }
    return 0;
}
