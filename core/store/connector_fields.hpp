// The checks a connector's fields pass before they are written, shared by the connector
// repository and the pending connections (which hold a connector until it is confirmed).
#pragma once

#include "core/common/error.hpp"
#include "core/store/connector_account.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::store {

inline constexpr std::size_t max_connector_id_length = 255;

// 400 invalid_connector, naming the field.
Error invalid_connector(std::string_view field, std::string message);

// Not empty, and at most max_connector_id_length characters.
Result<void> check_connector_id(std::string_view field, std::string_view value);

// No scope contains a blank.
Result<void> check_scopes(const std::vector<std::string>& scopes);

// Tenant, user, category, provider and name; the account's identity and id; scopes without
// blanks.
Result<void> check_new_connector(std::string_view tenant_id, const NewConnector& connector);

} // namespace switchboard::store
