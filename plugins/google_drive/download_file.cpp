#include "plugins/google_drive/actions.hpp"

#include "plugins/common/base64.hpp"
#include "plugins/common/google_api_error.hpp"
#include "plugins/google_drive/drive_api.hpp"
#include "plugins/google_drive/file_mapping.hpp"
#include "switchboard/params.hpp"

#include "switchboard/url.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace switchboard::plugins::google_drive {
namespace {

std::string listed(const std::vector<std::string>& formats) {
    std::string out;
    for (const auto& format : formats) {
        out += (out.empty() ? "" : ", ") + format;
    }
    return out;
}

// What Google offers to export a Workspace type as (about.exportFormats); empty when none.
sdk::Checked<std::vector<std::string>> offered_formats(sdk::Call& call, const std::string& mime_type) {
    const sdk::HttpResponse about = call.get(std::string(about_path) + sdk::Query().add("fields", "exportFormats").str());
    if (!about.ok()) return drive_error(about);
    const auto body = nlohmann::json::parse(about.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("exportFormats") ||
        !body.at("exportFormats").is_object()) {
        return unreadable_response("about.get answered without exportFormats");
    }
    std::vector<std::string> formats;
    const auto it = body.at("exportFormats").find(mime_type);
    if (it != body.at("exportFormats").end() && it->is_array()) {
        for (const auto& format : *it) {
            if (format.is_string()) formats.push_back(format.get<std::string>());
        }
    }
    return formats;
}

// A Google Docs, Sheets, Slides... file: exported in the caller's format, one Google offers.
sdk::Outcome export_file(sdk::Call& call, const std::string& id, const nlohmann::json& file,
                         const std::optional<std::string>& format) {
    const std::string mime_type = file.at("mime_type");
    auto offered = offered_formats(call, mime_type);
    if (!offered.ok()) return offered.error();
    const auto& formats = offered.value();
    if (formats.empty()) {
        return sdk::Outcome::error(SB_STATUS_UNSUPPORTED, "not_exportable",
                                   "Google offers no export of " + mime_type + " files");
    }
    if (!format || std::find(formats.begin(), formats.end(), *format) == formats.end()) {
        return sdk::Outcome::invalid_input(
            format ? "export_format_not_offered" : "export_format_required",
            "the file is a Google Workspace document (" + mime_type +
                ") with no content of its own: give export_format, one of: " + listed(formats),
            "/export_format");
    }
    const sdk::HttpResponse content =
        call.get(file_path(id) + "/export" + sdk::Query().add("mimeType", *format).str());
    if (!content.ok()) {
        if (content.host_status == SB_STATUS_OK && content.status == 403 &&
            parse_google_api_error(content.body).reason == "exportSizeLimitExceeded") {
            return sdk::Outcome::error(SB_STATUS_UNSUPPORTED, "export_too_large",
                                       "Google exports at most 10 MB of a document; this one is "
                                       "larger in " + *format);
        }
        return drive_error(content);
    }
    const nlohmann::json result = {{"file", file},
                                   {"content_base64", base64::encode(content.body)},
                                   {"content_mime_type", *format}};
    return sdk::Outcome::success(dump(result));
}

} // namespace

sdk::Outcome download_file(sdk::Call& call, std::string_view params_json) {
    sdk::Params params(params_json);
    const auto id = params.string("file_id", {.required = true, .min_length = 1});
    const auto format = params.string("export_format");
    if (!params.ok()) return params.error();

    const sdk::HttpResponse meta = call.get(file_path(*id) + sdk::Query().add("fields", file_fields).str());
    if (!meta.ok()) return drive_error(meta);
    const auto file = file_to_contract(nlohmann::json::parse(meta.body, nullptr, false));
    if (!file) return unreadable_response("the file's metadata lacks an id of 1 to 1024 characters, a name or a mimeType");
    const std::string mime_type = (*file)["mime_type"];
    if (mime_type == folder_mime_type) {
        return sdk::Outcome::invalid_input("not_a_file", "the id names a folder, which has no content",
                                           "/file_id");
    }
    if (mime_type.starts_with(google_apps_prefix)) return export_file(call, *id, *file, format);
    if (format) {
        return sdk::Outcome::invalid_input("export_not_applicable",
                                           "only Google Workspace documents are exported; this file (" +
                                               mime_type + ") has content of its own: leave out export_format",
                                           "/export_format");
    }
    const auto size = file->find("size");
    if (size != file->end() && size->get<std::int64_t>() > static_cast<std::int64_t>(max_download_size)) {
        return sdk::Outcome::error(SB_STATUS_UNSUPPORTED, "file_too_large",
                                   "the file has " + std::to_string(size->get<std::int64_t>()) +
                                       " bytes; download_file returns at most " +
                                       std::to_string(max_download_size) +
                                       ": download it through the connector's proxy instead (GET "
                                       "/api/v1/connectors/{id}/proxy" + file_path(*id) + "?alt=media)");
    }

    const sdk::HttpResponse media = call.get(file_path(*id) + sdk::Query().add("alt", "media").str());
    if (!media.ok()) {
        // Drive's own word for a Docs file, should its type have changed in between.
        if (media.host_status == SB_STATUS_OK && media.status == 403 &&
            parse_google_api_error(media.body).reason == "fileNotDownloadable") {
            return sdk::Outcome::invalid_input("export_format_required",
                                               "the file became a Google Workspace document: give "
                                               "export_format",
                                               "/export_format");
        }
        return drive_error(media);
    }
    if (size != file->end() && static_cast<std::int64_t>(media.body.size()) != size->get<std::int64_t>()) {
        return sdk::Outcome::error(SB_STATUS_UNAVAILABLE, "incomplete_download",
                                   "Google Drive sent " + std::to_string(media.body.size()) + " of the file's " +
                                       std::to_string(size->get<std::int64_t>()) + " bytes");
    }
    const nlohmann::json result = {{"file", *file},
                                   {"content_base64", base64::encode(media.body)},
                                   {"content_mime_type", mime_type}};
    return sdk::Outcome::success(dump(result));
}

} // namespace switchboard::plugins::google_drive
