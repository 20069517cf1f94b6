// HubSpot's OAuth v1 and CRM v3 as described by tests/specs/providers/hubspot_crm_v3.schema.json
// (our own JSON Schema of HubSpot's documented shapes): its `operations` route requests
// (method, host, path) and say what to check (path and query parameters with their styles,
// the request body's definition, the scopes); `definitions` are compiled once with
// Valijson; `x-maxTotalFilters` / `x-maxTotalResults`, which draft-07 cannot express, are
// enforced here in code.
#pragma once

#include "core/common/error.hpp"
#include "tests/provider_sim/common/params.hpp"
#include "tests/provider_sim/validation/json_schema.hpp"
#include "tests/provider_sim/validation/path_template.hpp"
#include "tests/provider_sim/validation/validation_issue.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace switchboard::sim {

struct HubSpotOperation {
    std::string id;           // "contacts_create"
    std::string method;       // "POST"
    PathTemplate path;        // "/api.hubapi.com/crm/v3/objects/contacts"
    bool requires_token = false; // the Authorization header is required
    std::string request_content_type;
    std::string request_definition;  // "ContactCreateInput"; empty when there is no body
    std::string response_definition; // empty for 204/302
    unsigned success_status = 200;
    std::vector<std::string> scopes; // all of them are required
    nlohmann::json query;            // name -> {required, style, schema}
};

class HubSpotCatalog {
public:
    static constexpr std::string_view kDocument = "hubspot_crm_v3.schema.json";

    static Result<std::shared_ptr<const HubSpotCatalog>> load(const std::filesystem::path& specs_dir);

    struct Match {
        const HubSpotOperation* operation = nullptr;
        std::map<std::string, std::string> path_params;
    };
    std::optional<Match> match(std::string_view verb, const std::vector<std::string>& segments) const;

    std::vector<ValidationIssue> validate_parameters(const Match& match, const Params& query) const;
    // A JSON body, or a form body given as an object of strings (oauth_token).
    std::vector<ValidationIssue> validate_body(const HubSpotOperation& op, const nlohmann::json& body) const;
    // Any instance against any definition (the simulator's own tests check its responses).
    std::vector<SchemaViolation> validate_definition(std::string_view definition,
                                                     const nlohmann::json& instance) const;

    const HubSpotOperation* operation(std::string_view id) const;
    const nlohmann::json& rate_limits() const { return document_.at("rateLimits"); }
    const nlohmann::json& association_type_ids() const { return document_.at("associationTypeIds"); }
    const nlohmann::json& definition(std::string_view name) const;
    // The scope names the description knows (its top-level `scopes`).
    const std::set<std::string>& known_scopes() const { return known_scopes_; }

private:
    const JsonSchema& compiled(std::string_view key) const;

    nlohmann::json document_;
    std::vector<HubSpotOperation> operations_;
    std::set<std::string> known_scopes_;
    // Compiled definitions and parameter schemas, keyed by definition name or
    // "<operation>?<parameter>" / "<operation>/<path parameter>".
    std::map<std::string, JsonSchema, std::less<>> schemas_;
};

} // namespace switchboard::sim
