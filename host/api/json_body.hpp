// Reading a JSON object out of a request body, with errors that name the failing field as a
// JSON Pointer into the body ("/name"), so a client knows exactly what to fix.
#pragma once

#include "core/common/error.hpp"
#include "host/server/request.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::api {

// The body as a JSON object: the errors of server::require_json (415, 400 malformed_json,
// json_too_deep), and invalid_input `invalid_body` when the document is not an object.
Result<nlohmann::json> require_json_object(const server::Request& request);

// Field checks on an object. Errors (kind invalid_input, field = "/<name>"):
//   missing_field  a required field is absent (or null)
//   invalid_field  a field has the wrong type, is empty, or is longer than allowed
//   unknown_field  a field the route does not take
Result<std::string> required_string(const nlohmann::json& object, std::string_view name,
                                    std::size_t max_length);
Result<std::optional<std::string>> optional_string(const nlohmann::json& object,
                                                   std::string_view name,
                                                   std::size_t max_length);
Result<void> only_fields(const nlohmann::json& object,
                         std::initializer_list<std::string_view> allowed);

// "/" + `name` with RFC 6901 escaping (~ as ~0, / as ~1).
std::string field_pointer(std::string_view name);

// `error` with its field made a JSON Pointer into the body: a service names a top-level body
// field by its name ("provider"); the API always answers a pointer ("/provider").
Error with_body_pointer(Error error);

} // namespace switchboard::api
