#include "plugins/google_drive/descriptor.hpp"

#include "plugins/common/google_oauth.hpp"
#include "switchboard/categories.hpp"

namespace switchboard::plugins::google_drive {

sdk::ProviderSpec descriptor() {
    sdk::ProviderSpec spec;
    spec.id = provider_id;
    spec.category = SB_CATEGORY_DRIVE;
    // The contract this code implements, drive/1: a number, not SB_CONTRACT_REVISION_*, so
    // that a newer SDK cannot make it claim a contract it was not written for.
    spec.contract_revision = 1;
    spec.display_name = "Google Drive";
    spec.description =
        "Uploads, downloads, lists and organises the files of a Google Drive account.";
    spec.oauth = google_oauth({"https://www.googleapis.com/auth/drive.file",
                              "https://www.googleapis.com/auth/drive.readonly"});
    // Drive API v3; request paths start with /drive/v3/ (uploads with /upload/drive/v3/).
    spec.api_base_url = "https://www.googleapis.com";
    // The Drive API's service path and its media upload paths (its discovery document): all
    // the proxy may reach with a Drive connector, e.g. files of any size up and down.
    spec.allowed_base_urls = {"https://www.googleapis.com/drive/v3",
                              "https://www.googleapis.com/upload/drive/v3",
                              "https://www.googleapis.com/resumable/upload/drive/v3"};
    spec.actions = sdk::category_action_names(SB_CATEGORY_DRIVE);
    return spec;
}

} // namespace switchboard::plugins::google_drive
