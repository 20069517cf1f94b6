// The HubSpot CRM v3 description (tests/specs/providers/hubspot_crm_v3.schema.json) as the
// judge of the requests the plugin sends: which operation a request is (method + path
// template), and whether its path parameters, query and body validate against what that
// operation declares.
#pragma once

#include "tests/plugins/hubspot/json_schema.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::testing::hubspot {

// tests/specs/providers/hubspot_crm_v3.schema.json.
std::filesystem::path hubspot_description_path();
// sdk/schemas/crm.schema.json.
std::filesystem::path crm_contract_path();

struct RequestCheck {
    std::string operation;             // e.g. "contacts_create"; "" when none matched
    std::vector<std::string> problems; // empty when the request is valid
};

class HubSpotApi {
public:
    HubSpotApi();

    // Checks one request as the plugin sent it: `path` relative to the API base URL with
    // its percent-encoded query, `body` the raw body text ("" for none), `content_type` the
    // Content-Type header ("" when absent).
    RequestCheck check(std::string_view method, std::string_view path, std::string_view body,
                       std::string_view content_type);

    JsonSchemaFile& schema() noexcept { return schema_; }

private:
    JsonSchemaFile schema_;
};

// The problems of a contract result of `action` against crm.schema.json's result schema.
class CrmContract {
public:
    CrmContract();
    std::vector<std::string> result_problems(const std::string& action, const nlohmann::json& result);
    std::vector<std::string> error_problems(const nlohmann::json& error);

private:
    JsonSchemaFile crm_;
    JsonSchemaFile common_;
};

// RFC 3986 percent-decoding; throws on a malformed escape.
std::string percent_decode(std::string_view text);

} // namespace switchboard::testing::hubspot
