// The crm contract's actions (sdk/schemas/crm.schema.json) on HubSpot's CRM v3 API, one
// function per action. Each takes the parsed params and returns the contract's result or an
// error outcome; none keeps state, so concurrent calls are safe.
#pragma once

#include "switchboard/host.hpp"
#include "switchboard/outcome.hpp"
#include "switchboard/params.hpp"

namespace switchboard::plugins::hubspot {

sdk::Outcome create_contact(const sdk::Call& call, sdk::Params& params);
sdk::Outcome update_contact(const sdk::Call& call, sdk::Params& params);
sdk::Outcome get_contact(const sdk::Call& call, sdk::Params& params);
sdk::Outcome list_contacts(const sdk::Call& call, sdk::Params& params);
sdk::Outcome find_contact_by_email(const sdk::Call& call, sdk::Params& params);
sdk::Outcome create_deal(const sdk::Call& call, sdk::Params& params);

} // namespace switchboard::plugins::hubspot
