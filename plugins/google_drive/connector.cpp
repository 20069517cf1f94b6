#include "plugins/google_drive/connector.hpp"

#include "plugins/google_drive/actions.hpp"

#include "switchboard/categories.h"

namespace switchboard::plugins::google_drive {

sdk::Outcome DriveConnector::invoke(sdk::Call& call, std::string_view action,
                                    std::string_view params_json) {
    if (action == SB_ACTION_DRIVE_UPLOAD_FILE) {
        UploadSettings settings;
        settings.random_token = &random_hex_token;
        return upload_file(call, params_json, settings);
    }
    if (action == SB_ACTION_DRIVE_DOWNLOAD_FILE) return download_file(call, params_json);
    if (action == SB_ACTION_DRIVE_LIST_FILES) return list_files(call, params_json);
    if (action == SB_ACTION_DRIVE_CREATE_FOLDER) return create_folder(call, params_json);
    if (action == SB_ACTION_DRIVE_DELETE_FILE) return delete_file(call, params_json);
    return sdk::Outcome::unsupported_action(action);
}

} // namespace switchboard::plugins::google_drive
