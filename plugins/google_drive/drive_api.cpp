#include "plugins/google_drive/drive_api.hpp"

#include "plugins/common/google_api_error.hpp"
#include "switchboard/url.hpp"

namespace switchboard::plugins::google_drive {

std::string file_path(std::string_view file_id) {
    return std::string(files_path) + "/" + sdk::percent_encode(file_id);
}

sdk::Outcome drive_error(const sdk::HttpResponse& response) {
    if (response.host_status == SB_STATUS_OK && response.status == 403) {
        const GoogleApiError error = parse_google_api_error(response.body);
        if (error.reason == "storageQuotaExceeded") {
            return sdk::Outcome::error(SB_STATUS_INVALID_INPUT, "storage_quota_exceeded",
                                       "Google: " + error.message.substr(0, 500) + " (HTTP 403)");
        }
    }
    return google_error_outcome(response);
}

sdk::Outcome unreadable_response(std::string_view what) {
    return sdk::Outcome::error(SB_STATUS_UNAVAILABLE, "invalid_provider_response",
                               "Google Drive's answer could not be read: " + std::string(what));
}

std::string dump(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace switchboard::plugins::google_drive
