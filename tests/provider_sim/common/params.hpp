// Ordered name/value pairs: query strings and application/x-www-form-urlencoded bodies.
// Order and repetition are kept, because "a parameter sent twice" is itself an error that
// the providers report.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::sim {

using Params = std::vector<std::pair<std::string, std::string>>;

// Decodes "a=1&b=x+y%21" ('+' is a space). Returns nullopt if the text is not a valid query.
std::optional<Params> parse_params(std::string_view encoded);

// The first value of `name`, if any.
std::optional<std::string> param(const Params& params, std::string_view name);

// Every value of `name`, in order.
std::vector<std::string> params_named(const Params& params, std::string_view name);

// Encodes as application/x-www-form-urlencoded.
std::string encode_params(const Params& params);

// Appends `params` to `url` (which may already carry a query).
std::string append_query(std::string url, const Params& params);

// Percent-decodes one path segment ('+' stays '+'). Returns nullopt if malformed.
std::optional<std::string> percent_decode(std::string_view text);

// Escapes text for HTML element content and attribute values.
std::string html_escape(std::string_view text);

} // namespace switchboard::sim
