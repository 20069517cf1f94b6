#include "core/store/connector_fields.hpp"

#include <initializer_list>
#include <utility>

namespace switchboard::store {

Error invalid_connector(std::string_view field, std::string message) {
    return Error(ErrorKind::invalid_input, "invalid_connector", std::move(message),
                 std::string(field));
}

Result<void> check_connector_id(std::string_view field, std::string_view value) {
    if (value.empty()) return invalid_connector(field, std::string(field) + " is empty");
    if (value.size() > max_connector_id_length) {
        return invalid_connector(field, std::string(field) + " is longer than 255 characters");
    }
    return {};
}

Result<void> check_scopes(const std::vector<std::string>& scopes) {
    for (const auto& scope : scopes) {
        if (scope.find_first_of(" \t\r\n") != std::string::npos) {
            return invalid_connector("scopes", "a scope contains a blank");
        }
    }
    return {};
}

Result<void> check_new_connector(std::string_view tenant_id, const NewConnector& connector) {
    for (auto [field, value] :
         std::initializer_list<std::pair<std::string_view, std::string_view>>{
             {"tenant_id", tenant_id},
             {"user_id", connector.user_id},
             {"category", connector.category},
             {"provider", connector.provider},
             {"name", connector.name}}) {
        if (auto checked = check_connector_id(field, value); !checked) return checked.error();
    }
    if (connector.account_identity.size() > 320) {
        return invalid_connector("account_identity",
                                 "account_identity is longer than 320 characters");
    }
    if (connector.account_id.size() > max_connector_id_length) {
        return invalid_connector("account_id", "account_id is longer than 255 characters");
    }
    return check_scopes(connector.scopes);
}

} // namespace switchboard::store
