// Turning the plugin's sb_provider_desc (and its sb_oauth_desc, sb_pair and string arrays)
// into an owned ProviderDescriptor, checking every field the ABI requires.
#pragma once

#include "core/common/error.hpp"
#include "core/plugin/contract_catalog.hpp"
#include "core/plugin/provider_descriptor.hpp"

#include <switchboard/plugin.h>

#include <cstddef>

namespace switchboard::plugin {

// Reads descriptor number `index` of a library. Checks: struct sizes, required strings
// present, non-empty and UTF-8; the id ([a-z0-9_]{1,64}); a category the catalog knows;
// https URLs (authorize, token, revoke unless SB_REVOKE_NONE, identity, API base without a
// trailing slash); valid enum values; JSON Pointers for identity_field and (ABI 1.1)
// identity_account_field, which needs identity_url; (ABI 1.3) a contract revision the catalog
// honours for the category (0 or absent: 1); every action in that revision of the category's
// contract, no duplicates; (ABI 1.2) allowed base URLs like the API base (api_base_url alone
// when none), and an access-token description with its label, https identity URL and JSON
// Pointers. Fields past the plugin's struct_size read as absent. Errors:
// invalid_input/`invalid_descriptor`, message naming the provider and the field, e.g.
// "provider 'x': display_name is missing"; invalid_input/`unsupported_contract_revision`
// for a revision this host does not honour, naming the ones it does.
Result<ProviderDescriptor> read_provider_descriptor(const sb_provider_desc* desc,
                                                    std::size_t index,
                                                    const ContractCatalog& catalog);

} // namespace switchboard::plugin
