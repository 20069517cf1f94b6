#include "core/store/connector_account.hpp"

#include <array>
#include <utility>

namespace switchboard::store {
namespace {

constexpr std::array<std::pair<ConnectorStatus, std::string_view>, 6> status_names{{
    {ConnectorStatus::pending, "pending"},
    {ConnectorStatus::active, "active"},
    {ConnectorStatus::expired, "expired"},
    {ConnectorStatus::revoked, "revoked"},
    {ConnectorStatus::error, "error"},
    {ConnectorStatus::disconnected, "disconnected"},
}};

} // namespace

std::string_view to_string(ConnectorStatus status) noexcept {
    for (const auto& [value, name] : status_names) {
        if (value == status) return name;
    }
    return "error";
}

std::optional<ConnectorStatus> parse_connector_status(std::string_view text) noexcept {
    for (const auto& [value, name] : status_names) {
        if (name == text) return value;
    }
    return std::nullopt;
}

std::string_view to_string(AuthMethod method) noexcept {
    return method == AuthMethod::access_token ? "access_token" : "oauth";
}

std::optional<AuthMethod> parse_auth_method(std::string_view text) noexcept {
    if (text == "oauth") return AuthMethod::oauth;
    if (text == "access_token") return AuthMethod::access_token;
    return std::nullopt;
}

std::string join_scopes(const std::vector<std::string>& scopes) {
    std::string out;
    for (const auto& scope : scopes) {
        if (scope.empty()) continue;
        if (!out.empty()) out += ' ';
        out += scope;
    }
    return out;
}

std::vector<std::string> split_scopes(std::string_view text) {
    std::vector<std::string> out;
    while (!text.empty()) {
        const auto space = text.find(' ');
        if (space != 0) out.emplace_back(text.substr(0, space));
        if (space == std::string_view::npos) break;
        text.remove_prefix(space + 1);
    }
    return out;
}

} // namespace switchboard::store
