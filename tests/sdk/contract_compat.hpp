// What may change within one revision of a category contract (sdk/README.md, "Contracts and
// their revisions"): only optional params and optional result members may be added. This
// compares a category document with an earlier document of the same revision and names
// every other difference.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace switchboard::sdk_tests {

// The differences between `released` and `current` that the rule forbids, each naming the
// JSON Pointer where it is ("/definitions/Event/properties/id: removed"); empty when
// `current` only adds optional members (a property of an object schema that is not in its
// `required`), adds definitions, or changes annotations (title, description, $comment,
// examples, $id, $schema). Anything else counts: a removed or retyped member, a new required
// one, a changed `required`, a tightened or loosened keyword, an added or removed action, a
// changed category or revision. Local references ("#/definitions/<name>") are followed, so a
// shape moved to another definition is compared by what it accepts.
std::vector<std::string> revision_breaks(const nlohmann::json& released,
                                         const nlohmann::json& current);

} // namespace switchboard::sdk_tests
