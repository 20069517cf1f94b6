// A compiled JSON Schema (draft-07) backed by Valijson, so that the rest of the simulator
// never sees Valijson's types.
#pragma once

#include "core/common/error.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace valijson {
class Schema;
}

namespace switchboard::sim {

// One way an instance fails a schema: where (a dotted path, "" for the whole instance) and
// what, in Valijson's words.
struct SchemaViolation {
    std::string path;
    std::string description;
};

class JsonSchema {
public:
    // Compiles `document`; every $ref in it must be local ("#/definitions/...").
    static Result<JsonSchema> compile(const nlohmann::json& document);

    // Empty when `instance` is valid; otherwise every failure Valijson found, e.g.
    // {"start.dateTime", "String should be a valid date-time"}.
    std::vector<SchemaViolation> validate(const nlohmann::json& instance) const;

private:
    explicit JsonSchema(std::shared_ptr<const valijson::Schema> schema);
    std::shared_ptr<const valijson::Schema> schema_;
};

} // namespace switchboard::sim
