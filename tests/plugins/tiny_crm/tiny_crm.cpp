// tiny_crm: a Switchboard provider in one file, against the SDK alone — the one the SDK
// README's tutorial walks through. It connects with OAuth 2.0 (authorization code + PKCE) and
// implements two actions of the crm contract, create_contact and get_contact, on a CRM v3
// REST API (HubSpot's shape; the tests point it at the provider simulator).
#include <switchboard/http_error.hpp>
#include <switchboard/params.hpp>
#include <switchboard/plugin.hpp>
#include <switchboard/url.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sdk = switchboard::sdk;
using nlohmann::json;

namespace tiny_crm {

// Contract field <-> the API's contact property.
constexpr std::pair<const char*, const char*> fields[] = {
    {"email", "email"}, {"first_name", "firstname"}, {"last_name", "lastname"},
    {"phone", "phone"}, {"company", "company"},     {"job_title", "jobtitle"}};

sdk::ProviderSpec descriptor() {
    sdk::ProviderSpec spec;
    spec.id = "tiny_crm";
    spec.category = SB_CATEGORY_CRM;
    spec.contract_revision = 1; // crm/1, the contract this code was written for
    spec.display_name = "Tiny CRM";
    spec.description = "Creates and reads the contacts of a CRM v3 account.";
    spec.oauth.authorize_url = "https://app.hubspot.com/oauth/authorize";
    spec.oauth.token_url = "https://api.hubapi.com/oauth/v1/token";
    spec.oauth.default_scopes = {"crm.objects.contacts.read", "crm.objects.contacts.write", "oauth"};
    spec.oauth.pkce = true;
    spec.oauth.client_auth = SB_CLIENT_AUTH_POST;
    // Who connected: the token's metadata names the user.
    spec.oauth.identity_url = "https://api.hubapi.com/oauth/v1/access-tokens/{access_token}";
    spec.oauth.identity_field = "/user";
    spec.api_base_url = "https://api.hubapi.com";
    spec.actions = {SB_ACTION_CRM_CREATE_CONTACT, SB_ACTION_CRM_GET_CONTACT};
    return spec;
}

// An API record ({"id", "properties", "createdAt", "updatedAt"}) as the contract's Contact.
sdk::Checked<json> contact_from(const sdk::HttpResponse& response) {
    const json record = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    const auto id = record.is_object() ? record.find("id") : record.end();
    if (!record.is_object() || id == record.end() || !id->is_string()) {
        return sdk::Outcome::error(SB_STATUS_UNAVAILABLE, "invalid_provider_response",
                                   "the CRM answered without a contact id");
    }
    json contact = {{"id", *id}};
    const json properties = record.value("properties", json::object());
    for (const auto& [field, property] : fields) {
        const auto value = properties.find(property);
        if (value != properties.end() && value->is_string()) contact[field] = *value;
    }
    for (const auto& [api, field] : {std::pair{"createdAt", "created_at"}, {"updatedAt", "updated_at"}}) {
        if (record.contains(api) && record[api].is_string()) contact[field] = record[api];
    }
    return contact;
}

sdk::Outcome answer(const sdk::HttpResponse& response) {
    if (!response.ok()) return sdk::error_from_response(response);
    const auto contact = contact_from(response);
    return contact.ok() ? sdk::Outcome::success(contact.value().dump()) : contact.error();
}

sdk::Outcome create_contact(sdk::Call& call, std::string_view params_json) {
    sdk::Params params(params_json);
    json properties = json::object();
    for (const auto& [field, property] : fields) {
        if (auto value = params.string(field, {.required = field == std::string_view("email"),
                                               .max_length = 320})) {
            properties[property] = std::move(*value);
        }
    }
    params.email("email");
    if (!params.ok()) return params.error();
    const json body = {{"properties", properties}};
    return answer(call.send_json("POST", "/crm/v3/objects/contacts", body.dump()));
}

sdk::Outcome get_contact(sdk::Call& call, std::string_view params_json) {
    sdk::Params params(params_json);
    const auto id = params.string("contact_id", {.required = true, .min_length = 1, .max_length = 256});
    if (!params.ok()) return params.error();
    std::string names;
    for (const auto& [field, property] : fields) names += (names.empty() ? "" : ",") + std::string(property);
    sdk::Query query;
    query.add("properties", names);
    return answer(call.get("/crm/v3/objects/contacts/" + sdk::percent_encode(*id) + query.str()));
}

class Connector : public sdk::Connector {
public:
    sdk::Outcome invoke(sdk::Call& call, std::string_view action, std::string_view params_json) override {
        if (action == SB_ACTION_CRM_CREATE_CONTACT) return create_contact(call, params_json);
        if (action == SB_ACTION_CRM_GET_CONTACT) return get_contact(call, params_json);
        return sdk::Outcome::unsupported_action(action);
    }
};

class Plugin : public sdk::Plugin {
public:
    static constexpr const char* plugin_name = "tiny_crm";
    static constexpr const char* plugin_version = "1.0.0";
    std::vector<sdk::ProviderSpec> providers() const override { return {descriptor()}; }
    std::unique_ptr<sdk::Connector> create_connector(const sdk::ConnectorInfo&) override {
        return std::make_unique<Connector>();
    }
};

} // namespace tiny_crm

SWITCHBOARD_PLUGIN(tiny_crm::Plugin)
