#include "plugins/gmail/descriptor.hpp"

#include "plugins/common/google_oauth.hpp"
#include "switchboard/categories.hpp"

namespace switchboard::plugins::gmail {

sdk::ProviderSpec descriptor() {
    sdk::ProviderSpec spec;
    spec.id = provider_id;
    spec.category = SB_CATEGORY_EMAIL;
    // The contract this code implements, email/1: a number, not SB_CONTRACT_REVISION_*, so
    // that a newer SDK cannot make it claim a contract it was not written for.
    spec.contract_revision = 1;
    spec.display_name = "Gmail";
    spec.description = "Sends and reads the e-mail of a Gmail account.";
    spec.oauth = google_oauth({"https://www.googleapis.com/auth/gmail.send",
                              "https://www.googleapis.com/auth/gmail.readonly"});
    // Gmail API v1; its discovery paths already start with /gmail/v1/.
    spec.api_base_url = "https://gmail.googleapis.com";
    // The Gmail API's paths and its media uploads (its discovery document): all the proxy may
    // reach with a Gmail connector.
    spec.allowed_base_urls = {"https://gmail.googleapis.com/gmail/v1",
                              "https://gmail.googleapis.com/upload/gmail/v1",
                              "https://gmail.googleapis.com/resumable/upload/gmail/v1"};
    spec.actions = sdk::category_action_names(SB_CATEGORY_EMAIL);
    return spec;
}

} // namespace switchboard::plugins::gmail
