#include "core/store/connector_event.hpp"

#include <array>
#include <utility>

namespace switchboard::store {
namespace {

constexpr std::array<std::pair<ConnectorEventType, std::string_view>, 6> type_names{{
    {ConnectorEventType::connected, "connector.connected"},
    {ConnectorEventType::refreshed, "connector.refreshed"},
    {ConnectorEventType::refresh_failed, "connector.refresh_failed"},
    {ConnectorEventType::revoked, "connector.revoked"},
    {ConnectorEventType::expired, "connector.expired"},
    {ConnectorEventType::disconnected, "connector.disconnected"},
}};

} // namespace

std::string_view to_string(ConnectorEventType type) noexcept {
    for (const auto& [value, name] : type_names) {
        if (value == type) return name;
    }
    return "connector.connected";
}

std::optional<ConnectorEventType> parse_connector_event_type(std::string_view text) noexcept {
    for (const auto& [value, name] : type_names) {
        if (name == text) return value;
    }
    return std::nullopt;
}

} // namespace switchboard::store
