#include "core/config/config_section.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <array>

namespace switchboard::config::detail {

namespace {

bool is_loopback(std::string_view host) {
    if (host == "localhost") {
        return true;
    }
    std::string literal(host);
    if (literal.size() > 2 && literal.front() == '[' && literal.back() == ']') {
        literal = literal.substr(1, literal.size() - 2);
    }
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(literal, ec);
    return !ec && address.is_loopback();
}

std::string join(std::initializer_list<std::string_view> names) {
    std::vector<std::string_view> sorted(names);
    std::sort(sorted.begin(), sorted.end());
    std::string out;
    for (auto name : sorted) {
        if (!out.empty()) {
            out += ", ";
        }
        out += name;
    }
    return out;
}

// Keys that look like they would hold a secret get a pointed hint instead of a bare
// "unknown key": secrets come from the environment.
bool looks_like_secret(std::string_view key) {
    static constexpr std::array<std::string_view, 6> kWords = {"password", "secret", "token",
                                                               "api_key",  "private", "key"};
    if (key.ends_with("_env") || key == "key_sha256") {
        return false;
    }
    return std::any_of(kWords.begin(), kWords.end(),
                       [&](std::string_view w) { return key.find(w) != std::string_view::npos; });
}

// A key as an error names it: control characters (a NUL, a line break) written as JSON
// escapes, so the message is one whole line whatever the file holds.
std::string printable_key(std::string_view key) {
    std::string out;
    out.reserve(key.size());
    for (const char c : key) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\u00";
            out += kHex[byte >> 4];
            out += kHex[byte & 0xf];
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

ConfigError::ConfigError(std::string key_path, std::string problem)
    : std::runtime_error(key_path.empty() ? problem : key_path + ": " + problem),
      key_path_(std::move(key_path)), problem_(std::move(problem)) {}

std::string ConfigError::message() const {
    return key_path_.empty() ? problem_ : key_path_ + ": " + problem_;
}

ConfigSection::ConfigSection(const nlohmann::json& value, std::string path)
    : value_(&value), path_(std::move(path)) {
    if (!value.is_object()) {
        throw ConfigError(path_.empty() ? std::string("(root)") : path_, "must be an object");
    }
}

ConfigSection::ConfigSection(const nlohmann::json& value, std::string path,
                             std::initializer_list<std::string_view> known)
    : ConfigSection(value, std::move(path)) {
    for (const auto& [key, unused] : value.items()) {
        (void)unused;
        if (std::find(known.begin(), known.end(), key) != known.end()) {
            continue;
        }
        std::string env_key = key + "_env";
        if (looks_like_secret(key)) {
            if (std::find(known.begin(), known.end(), env_key) != known.end()) {
                fail(key, "secrets do not belong in the config file; put the value in an "
                          "environment variable and name that variable in '" +
                              env_key + "'");
            }
            fail(key, "unknown key (secrets do not belong in the config file; they come from "
                      "the environment); expected one of: " +
                          join(known));
        }
        fail(key, "unknown key; expected one of: " + join(known));
    }
}

ConfigSection ConfigSection::with_any_keys(const nlohmann::json& value, std::string path) {
    return ConfigSection(value, std::move(path));
}

std::string ConfigSection::path_of(std::string_view key) const {
    if (path_.empty()) {
        return printable_key(key);
    }
    return path_ + "." + printable_key(key);
}

bool ConfigSection::has(std::string_view key) const {
    return value_->contains(key);
}

const nlohmann::json* ConfigSection::value(std::string_view key) const {
    auto it = value_->find(key);
    if (it == value_->end()) {
        return nullptr;
    }
    return &*it;
}

void ConfigSection::fail(std::string_view key, std::string problem) const {
    throw ConfigError(path_of(key), std::move(problem));
}

void ConfigSection::fail_here(std::string problem) const {
    throw ConfigError(path_, std::move(problem));
}

std::optional<std::string> ConfigSection::string(std::string_view key) const {
    const auto* v = value(key);
    if (v == nullptr) {
        return std::nullopt;
    }
    if (!v->is_string() || v->get_ref<const std::string&>().empty()) {
        fail(key, "must be a non-empty string");
    }
    return v->get<std::string>();
}

std::optional<std::string> ConfigSection::choice(
    std::string_view key, std::initializer_list<std::string_view> allowed) const {
    const auto* v = value(key);
    if (v == nullptr) {
        return std::nullopt;
    }
    if (v->is_string()) {
        const auto& s = v->get_ref<const std::string&>();
        if (std::find(allowed.begin(), allowed.end(), s) != allowed.end()) {
            return s;
        }
    }
    fail(key, "must be one of: " + join(allowed));
}

std::optional<bool> ConfigSection::boolean(std::string_view key) const {
    const auto* v = value(key);
    if (v == nullptr) {
        return std::nullopt;
    }
    if (!v->is_boolean()) {
        fail(key, "must be true or false");
    }
    return v->get<bool>();
}

std::optional<std::int64_t> ConfigSection::integer(std::string_view key, std::int64_t min,
                                                   std::int64_t max) const {
    const auto* v = value(key);
    if (v == nullptr) {
        return std::nullopt;
    }
    bool ok = false;
    std::int64_t n = 0;
    if (v->is_number_unsigned()) {
        auto u = v->get<std::uint64_t>();
        if (u <= static_cast<std::uint64_t>(max)) {
            n = static_cast<std::int64_t>(u);
            ok = n >= min;
        }
    } else if (v->is_number_integer()) {
        n = v->get<std::int64_t>();
        ok = n >= min && n <= max;
    }
    if (!ok) {
        fail(key, "must be an integer between " + std::to_string(min) + " and " +
                      std::to_string(max));
    }
    return n;
}

std::optional<std::vector<std::string>> ConfigSection::strings(std::string_view key) const {
    const auto* v = value(key);
    if (v == nullptr) {
        return std::nullopt;
    }
    bool ok = v->is_array();
    std::vector<std::string> out;
    if (ok) {
        for (const auto& item : *v) {
            if (!item.is_string() || item.get_ref<const std::string&>().empty()) {
                ok = false;
                break;
            }
            out.push_back(item.get<std::string>());
        }
    }
    if (!ok) {
        fail(key, "must be an array of non-empty strings");
    }
    return out;
}

bool is_env_name(std::string_view name) noexcept {
    if (name.empty() || name.size() > 128) {
        return false;
    }
    for (std::size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        bool ok = (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
        if (!ok) {
            return false;
        }
    }
    return true;
}

std::optional<std::string> ConfigSection::env_name(std::string_view key) const {
    const auto* v = value(key);
    if (v == nullptr) {
        return std::nullopt;
    }
    if (!v->is_string() || !is_env_name(v->get_ref<const std::string&>())) {
        fail(key, "must be the name of an environment variable (A-Z, 0-9 and _, not starting "
                  "with a digit)");
    }
    return v->get<std::string>();
}

std::optional<std::filesystem::path> ConfigSection::file_path(
    std::string_view key, const std::filesystem::path& base_dir) const {
    auto s = string(key);
    if (!s) {
        return std::nullopt;
    }
    std::filesystem::path p(*s);
    if (p.is_relative()) {
        p = base_dir / p;
    }
    return p.lexically_normal();
}

std::optional<std::string> http_url_problem(std::string_view url) {
    auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed) {
        return "must be an absolute http or https URL";
    }
    if (parsed->scheme() != "http" && parsed->scheme() != "https") {
        return "must be an absolute http or https URL";
    }
    if (!parsed->has_authority() || parsed->encoded_host().empty()) {
        return "must be an absolute http or https URL with a host";
    }
    if (parsed->has_userinfo()) {
        return "must not contain user information (credentials come from the environment)";
    }
    if (parsed->has_query()) {
        return "must not contain a query";
    }
    return std::nullopt;
}

std::optional<std::string> ConfigSection::http_url(
    std::string_view key, std::initializer_list<std::string_view> placeholders) const {
    auto s = string(key);
    if (!s) {
        return std::nullopt;
    }
    std::string checked = *s;
    for (auto placeholder : placeholders) {
        for (auto at = checked.find(placeholder); at != std::string::npos;
             at = checked.find(placeholder)) {
            checked.replace(at, placeholder.size(), "placeholder");
        }
    }
    if (auto problem = http_url_problem(checked)) {
        fail(key, *problem);
    }
    while (s->size() > 1 && s->back() == '/') {
        s->pop_back();
    }
    return s;
}

std::optional<std::string> ConfigSection::secure_url(std::string_view key) const {
    auto url = http_url(key);
    if (!url) {
        return std::nullopt;
    }
    auto parsed = boost::urls::parse_absolute_uri(*url);
    if (parsed->scheme() == "http" && !is_loopback(parsed->host())) {
        fail(key, "must be https (plain http only to a loopback host)");
    }
    return url;
}

std::optional<ConfigSection> ConfigSection::section(
    std::string_view key, std::initializer_list<std::string_view> known) const {
    const auto* v = value(key);
    if (v == nullptr) {
        return std::nullopt;
    }
    return ConfigSection(*v, path_of(key), known);
}

} // namespace switchboard::config::detail
