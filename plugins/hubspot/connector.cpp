#include "plugins/hubspot/connector.hpp"

#include "plugins/hubspot/actions.hpp"

#include "switchboard/categories.h"

namespace switchboard::plugins::hubspot {

sdk::Outcome HubSpotConnector::invoke(sdk::Call& call, std::string_view action,
                                      std::string_view params_json) {
    sdk::Params params(params_json);
    if (!params.ok()) return params.error();
    if (action == SB_ACTION_CRM_CREATE_CONTACT) return create_contact(call, params);
    if (action == SB_ACTION_CRM_UPDATE_CONTACT) return update_contact(call, params);
    if (action == SB_ACTION_CRM_GET_CONTACT) return get_contact(call, params);
    if (action == SB_ACTION_CRM_LIST_CONTACTS) return list_contacts(call, params);
    if (action == SB_ACTION_CRM_FIND_CONTACT_BY_EMAIL) {
        return find_contact_by_email(call, params);
    }
    if (action == SB_ACTION_CRM_CREATE_DEAL) return create_deal(call, params);
    return sdk::Outcome::unsupported_action(action);
}

} // namespace switchboard::plugins::hubspot
