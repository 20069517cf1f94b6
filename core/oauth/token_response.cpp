#include "core/oauth/token_response.hpp"

#include "core/common/ascii.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <limits>
#include <sstream>

namespace switchboard::oauth {
namespace {

Error malformed(std::string_view provider, std::string_view what) {
    return Error(ErrorKind::upstream_failed, "provider_error",
                 std::string(provider) + " token endpoint answered with " + std::string(what));
}

std::vector<std::string> split_spaces(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string word; in >> word;) out.push_back(word);
    return out;
}

// A non-negative integer, or a string of digits (some providers quote numbers).
std::optional<std::int64_t> read_count(const nlohmann::json& value) {
    if (value.is_number_unsigned()) {
        auto n = value.get<std::uint64_t>();
        if (n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return {};
        return static_cast<std::int64_t>(n);
    }
    if (value.is_number_integer()) {
        auto n = value.get<std::int64_t>();
        return n < 0 ? std::nullopt : std::optional<std::int64_t>(n);
    }
    if (value.is_string()) {
        const auto& s = value.get_ref<const std::string&>();
        if (s.empty() || s.size() > 18 ||
            !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            return {};
        }
        return std::stoll(s);
    }
    return {};
}

} // namespace

Result<TokenResponse> parse_token_response(std::string_view provider, std::string_view body) {
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return malformed(provider, "a body that is not a JSON object");
    }
    TokenResponse out;
    auto access = json.find("access_token");
    if (access == json.end() || !access->is_string() || access->get_ref<const std::string&>().empty()) {
        return malformed(provider, "no access_token");
    }
    out.access_token = access->get<std::string>();

    if (auto type = json.find("token_type"); type != json.end()) {
        if (!type->is_string() || !ascii_iequals(type->get_ref<const std::string&>(), "bearer")) {
            return malformed(provider, "a token_type other than bearer");
        }
        out.token_type = type->get<std::string>();
    }
    if (auto refresh = json.find("refresh_token"); refresh != json.end() && !refresh->is_null()) {
        if (!refresh->is_string()) return malformed(provider, "a refresh_token that is not a string");
        if (!refresh->get_ref<const std::string&>().empty()) out.refresh_token = refresh->get<std::string>();
    }
    if (auto expires = json.find("expires_in"); expires != json.end() && !expires->is_null()) {
        auto seconds = read_count(*expires);
        if (!seconds) return malformed(provider, "an expires_in that is not a number of seconds");
        out.expires_in = std::chrono::seconds(*seconds);
    }
    if (auto scope = json.find("scope"); scope != json.end() && !scope->is_null()) {
        if (!scope->is_string()) return malformed(provider, "a scope that is not a string");
        out.scopes = split_spaces(scope->get<std::string>());
    } else if (auto scopes = json.find("scopes"); scopes != json.end() && !scopes->is_null()) {
        if (!scopes->is_array()) return malformed(provider, "scopes that are not an array");
        std::vector<std::string> list;
        for (const auto& s : *scopes) {
            if (!s.is_string()) return malformed(provider, "scopes that are not strings");
            for (auto& word : split_spaces(s.get<std::string>())) list.push_back(std::move(word));
        }
        out.scopes = std::move(list);
    }
    return out;
}

} // namespace switchboard::oauth
