// JSON Schema's `pattern` and `format` for the contract catalog's Valijson schemas, matched
// by RE2 instead of Valijson's std::regex. RE2 compiles each pattern once, when the schema is
// parsed, and matches in time linear in the input without recursion; Valijson builds its
// std::regex objects again on every validation (the format ones always, the pattern ones per
// Validator), and std::regex recurses once per character, so a long string overflows the
// stack.
#pragma once

#include <string_view>

namespace valijson {
class SchemaParser;
}

namespace switchboard::plugin {

// The keywords the catalog renames `pattern` and `format` to before Valijson parses a schema,
// so that Valijson's own std::regex constraints never run. Nothing else may use these names.
inline constexpr std::string_view regex_pattern_keyword = "x-switchboard-pattern";
inline constexpr std::string_view regex_format_keyword = "x-switchboard-format";

// Teaches `parser` both keywords. The constraints they build are immutable and may be used by
// several threads at once. `x-switchboard-pattern` is searched for anywhere in a string
// (ECMA-262's RegExp.test, as JSON Schema says); a pattern that RE2 cannot compile
// (backreferences, lookaround) makes parsing throw std::runtime_error naming it.
// `x-switchboard-format` checks "date", "time" and "date-time" as Valijson 1.0 does (the same
// expressions and day-of-month limits; messages of the same form, "String should be a valid
// date-time") and accepts any other format, as Valijson does. Both apply to strings only;
// other types pass (JSON Schema's rule: `type` is what refuses them).
void add_regex_constraints(valijson::SchemaParser& parser);

} // namespace switchboard::plugin
