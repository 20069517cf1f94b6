// Google's `fields` parameter (partial responses): "id,name", "files(id,name),nextPageToken",
// "start/dateTime", "*". Arrays are filtered element by element.
#pragma once

#include "core/common/error.hpp"

#include <nlohmann/json.hpp>

#include <string_view>

namespace switchboard::sim {

// The parts of `resource` that `fields` selects; fails on a malformed selector.
Result<nlohmann::json> select_fields(const nlohmann::json& resource, std::string_view fields);

} // namespace switchboard::sim
