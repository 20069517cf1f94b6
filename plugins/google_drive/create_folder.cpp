#include "plugins/google_drive/actions.hpp"

#include "plugins/google_drive/drive_api.hpp"
#include "plugins/google_drive/file_mapping.hpp"
#include "switchboard/params.hpp"

#include "switchboard/url.hpp"

namespace switchboard::plugins::google_drive {

sdk::Outcome create_folder(sdk::Call& call, std::string_view params_json) {
    sdk::Params params(params_json);
    const auto name = params.string("name", {.required = true, .min_length = 1});
    const auto parent_id = params.string("parent_id", {.min_length = 1});
    if (!params.ok()) return params.error();

    nlohmann::json metadata = {{"name", *name}, {"mimeType", folder_mime_type}};
    if (parent_id) metadata["parents"] = {*parent_id};
    const sdk::HttpResponse response = call.send_json(
        "POST", std::string(files_path) + sdk::Query().add("fields", file_fields).str(), dump(metadata));
    if (!response.ok()) return drive_error(response);
    const auto folder = file_to_contract(nlohmann::json::parse(response.body, nullptr, false));
    if (!folder) return unreadable_response("the new folder lacks an id of 1 to 1024 characters, a name or a mimeType");
    return sdk::Outcome::success(dump(*folder));
}

} // namespace switchboard::plugins::google_drive
