#include "plugins/hubspot/connector.hpp"

#include "plugins/hubspot/actions.hpp"
#include "plugins/hubspot/params.hpp"

#include "switchboard/categories.h"

namespace switchboard::plugins::hubspot {

sdk::Outcome HubSpotConnector::invoke(sdk::Call& call, std::string_view action,
                                      std::string_view params_json) {
    const auto params = Params::parse(params_json);
    if (!params.ok()) return params.error();
    if (action == SB_ACTION_CRM_CREATE_CONTACT) return create_contact(call, params.value());
    if (action == SB_ACTION_CRM_UPDATE_CONTACT) return update_contact(call, params.value());
    if (action == SB_ACTION_CRM_GET_CONTACT) return get_contact(call, params.value());
    if (action == SB_ACTION_CRM_LIST_CONTACTS) return list_contacts(call, params.value());
    if (action == SB_ACTION_CRM_FIND_CONTACT_BY_EMAIL) {
        return find_contact_by_email(call, params.value());
    }
    if (action == SB_ACTION_CRM_CREATE_DEAL) return create_deal(call, params.value());
    return sdk::Outcome::unsupported_action(action);
}

} // namespace switchboard::plugins::hubspot
