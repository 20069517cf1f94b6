#include "plugins/google_drive/actions.hpp"

#include "plugins/common/base64.hpp"
#include "plugins/common/google_api_error.hpp"
#include "plugins/google_drive/drive_api.hpp"
#include "plugins/google_drive/file_mapping.hpp"
#include "plugins/common/param_reader.hpp"

#include "switchboard/url.hpp"

namespace switchboard::plugins::google_drive {
namespace {

sdk::Outcome export_required(const std::string& mime_type) {
    return sdk::Outcome::error(SB_STATUS_UNSUPPORTED, "export_required",
                               "the file is a Google Workspace document (" + mime_type +
                                   ") that has no content of its own; it can only be exported");
}

} // namespace

sdk::Outcome download_file(sdk::Call& call, std::string_view params_json) {
    ParamReader params(params_json);
    const auto id = params.string(params.root(), "", "file_id", /*required=*/true);
    if (params.ok() && id->empty()) params.fail("/file_id", "'file_id' must not be empty");
    if (!params.ok()) return params.error();

    const sdk::HttpResponse meta = call.get(file_path(*id) + sdk::Query().add("fields", file_fields).str());
    if (!meta.ok()) return drive_error(meta);
    const auto file = file_to_contract(nlohmann::json::parse(meta.body, nullptr, false));
    if (!file) return unreadable_response("the file's metadata has no id, name or mimeType");
    const std::string mime_type = (*file)["mime_type"];
    if (mime_type == folder_mime_type) {
        return sdk::Outcome::invalid_input("not_a_file", "the id names a folder, which has no content",
                                           "/file_id");
    }
    if (mime_type.starts_with(google_apps_prefix)) return export_required(mime_type);
    const auto size = file->find("size");
    if (size != file->end() && size->get<std::int64_t>() > static_cast<std::int64_t>(max_download_size)) {
        return sdk::Outcome::error(SB_STATUS_UNSUPPORTED, "file_too_large",
                                   "the file has " + std::to_string(size->get<std::int64_t>()) +
                                       " bytes; download_file returns at most " +
                                       std::to_string(max_download_size));
    }

    const sdk::HttpResponse media = call.get(file_path(*id) + sdk::Query().add("alt", "media").str());
    if (!media.ok()) {
        // Drive's own word for a Docs file, should its type have changed in between.
        if (media.host_status == SB_STATUS_OK && media.status == 403 &&
            parse_google_api_error(media.body).reason == "fileNotDownloadable") {
            return export_required(mime_type);
        }
        return drive_error(media);
    }
    if (size != file->end() && static_cast<std::int64_t>(media.body.size()) != size->get<std::int64_t>()) {
        return sdk::Outcome::error(SB_STATUS_UNAVAILABLE, "incomplete_download",
                                   "Google Drive sent " + std::to_string(media.body.size()) + " of the file's " +
                                       std::to_string(size->get<std::int64_t>()) + " bytes");
    }
    const nlohmann::json result = {{"file", *file}, {"content_base64", base64::encode(media.body)}};
    return sdk::Outcome::success(dump(result));
}

} // namespace switchboard::plugins::google_drive
