#include "tests/provider_sim/validation/hubspot_supplement.hpp"

namespace switchboard::sim {
namespace {

// The same query parameters as the description's contacts_list (CRM v3 object list
// endpoints share them: https://developers.hubspot.com/docs/api/crm/companies).
constexpr const char* kSupplement = R"json({
  "definitions": {
    "PipelineStage": {
      "type": "object",
      "required": ["id", "label", "displayOrder", "metadata", "createdAt", "updatedAt", "archived"],
      "properties": {
        "id": {"type": "string", "minLength": 1},
        "label": {"type": "string"},
        "displayOrder": {"type": "integer"},
        "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
        "createdAt": {"type": "string", "format": "date-time"},
        "updatedAt": {"type": "string", "format": "date-time"},
        "archived": {"type": "boolean"},
        "writePermissions": {"type": "string", "enum": ["CRM_PERMISSIONS_ENFORCEMENT", "READ_ONLY", "INTERNAL_ONLY"]}
      }
    },
    "Pipeline": {
      "type": "object",
      "required": ["id", "label", "displayOrder", "stages", "createdAt", "updatedAt", "archived"],
      "properties": {
        "id": {"type": "string", "minLength": 1},
        "label": {"type": "string"},
        "displayOrder": {"type": "integer"},
        "stages": {"type": "array", "items": {"$ref": "#/definitions/PipelineStage"}},
        "createdAt": {"type": "string", "format": "date-time"},
        "updatedAt": {"type": "string", "format": "date-time"},
        "archived": {"type": "boolean"}
      }
    },
    "CollectionResponsePipelineNoPaging": {
      "type": "object",
      "required": ["results"],
      "properties": {"results": {"type": "array", "items": {"$ref": "#/definitions/Pipeline"}}}
    },
    "AccountDetails": {
      "type": "object",
      "required": ["portalId", "accountType", "timeZone", "companyCurrency", "additionalCurrencies",
                   "utcOffset", "utcOffsetMilliseconds", "uiDomain", "dataHostingLocation"],
      "properties": {
        "portalId": {"type": "integer"},
        "accountType": {"type": "string", "enum": ["STANDARD", "DEVELOPER_TEST", "SANDBOX", "APP_DEVELOPER"]},
        "timeZone": {"type": "string"},
        "companyCurrency": {"type": "string"},
        "additionalCurrencies": {"type": "array", "items": {"type": "string"}},
        "utcOffset": {"type": "string"},
        "utcOffsetMilliseconds": {"type": "integer"},
        "uiDomain": {"type": "string"},
        "dataHostingLocation": {"type": "string"}
      }
    }
  },
  "operations": {
    "companies_create": {
      "method": "POST", "base": "https://api.hubapi.com", "path": "/crm/v3/objects/companies",
      "pathParams": {}, "query": {},
      "headers": {"Authorization": {"required": true, "schema": {"type": "string", "pattern": "^Bearer .+$"}}},
      "requestContentType": "application/json",
      "requestBody": {"$ref": "#/definitions/SimplePublicObjectInputForCreate"},
      "successStatus": 201,
      "response": {"$ref": "#/definitions/SimplePublicObject"},
      "scopes": ["crm.objects.companies.write"],
      "docs": "https://developers.hubspot.com/docs/api/crm/companies"
    },
    "companies_list": {
      "method": "GET", "base": "https://api.hubapi.com", "path": "/crm/v3/objects/companies",
      "pathParams": {},
      "query": {
        "limit": {"required": false, "style": "form", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}},
        "after": {"required": false, "style": "form", "schema": {"type": "string", "minLength": 1}},
        "properties": {"required": false, "style": "csv-or-repeated", "schema": {"type": "string", "pattern": "^[A-Za-z0-9_]+(,[A-Za-z0-9_]+)*$"}},
        "propertiesWithHistory": {"required": false, "style": "csv-or-repeated", "schema": {"type": "string", "pattern": "^[A-Za-z0-9_]+(,[A-Za-z0-9_]+)*$"}},
        "associations": {"required": false, "style": "csv-or-repeated", "schema": {"type": "string", "pattern": "^[A-Za-z0-9_]+(,[A-Za-z0-9_]+)*$"}},
        "archived": {"required": false, "style": "form", "schema": {"type": "boolean", "default": false}}
      },
      "headers": {"Authorization": {"required": true, "schema": {"type": "string", "pattern": "^Bearer .+$"}}},
      "requestContentType": null, "requestBody": null,
      "successStatus": 200,
      "response": {"$ref": "#/definitions/CollectionResponseSimplePublicObjectWithAssociations"},
      "scopes": ["crm.objects.companies.read"],
      "docs": "https://developers.hubspot.com/docs/api/crm/companies"
    },
    "pipelines_list": {
      "method": "GET", "base": "https://api.hubapi.com", "path": "/crm/v3/pipelines/{objectType}",
      "pathParams": {"objectType": {"schema": {"type": "string", "enum": ["deals"]}}},
      "query": {},
      "headers": {"Authorization": {"required": true, "schema": {"type": "string", "pattern": "^Bearer .+$"}}},
      "requestContentType": null, "requestBody": null,
      "successStatus": 200,
      "response": {"$ref": "#/definitions/CollectionResponsePipelineNoPaging"},
      "scopes": ["crm.objects.deals.read"],
      "docs": "https://developers.hubspot.com/docs/api/crm/pipelines"
    },
    "account_info_details": {
      "method": "GET", "base": "https://api.hubapi.com", "path": "/account-info/v3/details",
      "pathParams": {}, "query": {},
      "headers": {"Authorization": {"required": true, "schema": {"type": "string", "pattern": "^Bearer .+$"}}},
      "requestContentType": null, "requestBody": null,
      "successStatus": 200,
      "response": {"$ref": "#/definitions/AccountDetails"},
      "scopes": [],
      "docs": "https://developers.hubspot.com/docs/api/settings/account-information-api"
    }
  }
})json";

} // namespace

const nlohmann::json& hubspot_supplement() {
    static const nlohmann::json supplement = nlohmann::json::parse(kSupplement);
    return supplement;
}

} // namespace switchboard::sim
