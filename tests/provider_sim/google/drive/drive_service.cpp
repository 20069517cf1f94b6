#include "tests/provider_sim/google/drive/drive_service.hpp"

#include "tests/provider_sim/common/digest.hpp"
#include "tests/provider_sim/common/page_token.hpp"
#include "tests/provider_sim/common/random.hpp"
#include "tests/provider_sim/common/rfc3339.hpp"
#include "tests/provider_sim/google/drive/drive_query.hpp"
#include "tests/provider_sim/google/google_errors.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <vector>

namespace switchboard::sim {
namespace {

using nlohmann::json;

constexpr std::string_view kFolder = "application/vnd.google-apps.folder";
constexpr std::size_t kDefaultFilesPageSize = 100;
constexpr std::size_t kMaxFilesPageSize = 1000;

// Scopes that see every file of the drive; the others (drive.file, drive.appdata) see only
// what their client created.
constexpr std::array<std::string_view, 4> kWholeDriveScopes = {
    "https://www.googleapis.com/auth/drive", "https://www.googleapis.com/auth/drive.readonly",
    "https://www.googleapis.com/auth/drive.metadata", "https://www.googleapis.com/auth/drive.metadata.readonly"};
constexpr std::array<std::string_view, 3> kContentScopes = {
    "https://www.googleapis.com/auth/drive", "https://www.googleapis.com/auth/drive.readonly",
    "https://www.googleapis.com/auth/drive.file"};

// Fields the server computes; a client's values for them are ignored.
constexpr std::array<std::string_view, 20> kComputedFields = {
    "kind", "createdTime", "modifiedTime", "size", "md5Checksum", "sha1Checksum", "sha256Checksum", "owners",
    "ownedByMe", "webViewLink", "webContentLink", "iconLink", "version", "spaces", "trashed", "explicitlyTrashed",
    "fileExtension", "fullFileExtension", "headRevisionId", "quotaBytesUsed"};

Response file_not_found(const std::string& id, const std::string& location = "fileId") {
    const std::string message = "File not found: " + id + ".";
    return google_error(404, message, {{message, "notFound", "global", location, "parameter"}});
}

bool is_binary(const json& file) {
    return file.value("mimeType", "").rfind("application/vnd.google-apps.", 0) != 0;
}

// Drive answers a default set of fields unless `fields` asks for others.
json default_view(const json& file) {
    return json{{"kind", file.at("kind")}, {"id", file.at("id")}, {"name", file.at("name")},
                {"mimeType", file.at("mimeType")}};
}

Response file_response(const GoogleCall& call, const json& file) {
    return Response::json(200, (call.param("fields") ? file : default_view(file)).dump());
}

bool has_any_scope(const Grant& g, const auto& scopes) {
    return std::any_of(scopes.begin(), scopes.end(), [&](std::string_view s) { return g.has_scope(s); });
}

// Google's export formats per Workspace type ("Export MIME types for Google Workspace
// documents", https://developers.google.com/drive/api/guides/ref-export-formats), as
// about.exportFormats lists them.
const std::map<std::string, std::vector<std::string>>& export_formats() {
    static const std::map<std::string, std::vector<std::string>> formats = {
        {"application/vnd.google-apps.document",
         {"application/rtf", "application/vnd.oasis.opendocument.text", "text/html",
          "application/pdf", "application/epub+zip", "application/zip",
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          "text/plain", "text/markdown"}},
        {"application/vnd.google-apps.spreadsheet",
         {"application/x-vnd.oasis.opendocument.spreadsheet", "text/tab-separated-values",
          "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "text/csv", "application/zip", "application/vnd.oasis.opendocument.spreadsheet"}},
        {"application/vnd.google-apps.presentation",
         {"application/vnd.oasis.opendocument.presentation", "application/pdf",
          "application/vnd.openxmlformats-officedocument.presentationml.presentation",
          "text/plain"}},
        {"application/vnd.google-apps.drawing",
         {"image/svg+xml", "image/png", "application/pdf", "image/jpeg"}},
        {"application/vnd.google-apps.script", {"application/vnd.google-apps.script+json"}},
    };
    return formats;
}

std::string html_escaped(std::string_view text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

// Google's limit on exported content (files.export: "the exported content is limited to
// 10MB").
constexpr std::size_t kExportLimit = 10 * 1024 * 1024;

} // namespace

void DriveService::register_with(GoogleApi& api) {
    api.add("drive.files.export", [this](const GoogleCall& c) { return exported(c); });
    api.add("drive.about.get", [this](const GoogleCall& c) { return about(c); });
    api.add("drive.files.create", [this](const GoogleCall& c) { return create(c); });
    api.add("drive.files.get", [this](const GoogleCall& c) { return get(c); });
    api.add("drive.files.list", [this](const GoogleCall& c) { return list(c); });
    api.add("drive.files.delete", [this](const GoogleCall& c) { return remove(c); });
}

void DriveService::clear() {
    std::lock_guard lock(mutex_);
    drives_.clear();
}

DriveService::Drive& DriveService::drive_of(const Grant& caller) {
    Drive& drive = drives_[caller.user];
    if (drive.root_id.empty()) {
        drive.root_id = "0A" + random_token(14);
        const std::string now = format_rfc3339(state_.clock.now());
        File root;
        root.resource = {{"kind", "drive#file"}, {"id", drive.root_id}, {"name", "My Drive"},
                         {"mimeType", kFolder}, {"parents", json::array()}, {"trashed", false},
                         {"starred", false}, {"createdTime", now}, {"modifiedTime", now},
                         {"owners", json::array({{{"kind", "drive#user"}, {"emailAddress", caller.user}, {"me", true}}})},
                         {"ownedByMe", true}};
        drive.files[drive.root_id] = std::move(root);
    }
    return drive;
}

bool DriveService::visible(const Drive& drive, const File& file, const Grant& caller) {
    return has_any_scope(caller, kWholeDriveScopes) || file.app == caller.client_id ||
           file.resource.at("id") == drive.root_id;
}

DriveService::File* DriveService::find(Drive& drive, const std::string& id, const Grant& caller) {
    const auto it = drive.files.find(id == "root" ? drive.root_id : id);
    if (it == drive.files.end() || !visible(drive, it->second, caller)) {
        return nullptr;
    }
    return &it->second;
}

Response DriveService::create(const GoogleCall& call) {
    std::lock_guard lock(mutex_);
    Drive& drive = drive_of(call.caller);
    json meta = call.body.is_object() ? call.body : json::object();
    for (const auto field : kComputedFields) {
        meta.erase(std::string(field));
    }
    std::string id = meta.value("id", "");
    if (id.empty()) {
        id = "1" + random_token(24);
    } else if (drive.files.contains(id)) {
        const std::string message = "A file already exists with the provided ID.";
        return google_error(409, message, {{message, "duplicate", "global", "id", "parameter"}});
    }
    json parents = meta.value("parents", json::array({drive.root_id}));
    for (auto& parent : parents) {
        if (parent == "root") {
            parent = drive.root_id;
        }
    }
    if (parents.size() > 1) {
        const std::string message = "Increasing the number of parents is not allowed.";
        return google_error(403, message, {{message, "cannotAddParent"}});
    }
    for (auto& parent : parents) {
        File* folder = find(drive, parent.get<std::string>(), call.caller);
        if (!folder || folder->resource.value("mimeType", "") != kFolder) {
            return file_not_found(parent.get<std::string>(), "parents");
        }
        parent = folder->resource.at("id");
    }
    const std::string now = format_rfc3339(state_.clock.now());
    const std::string content = call.media ? call.media->bytes : std::string{};
    json file = meta;
    file["kind"] = "drive#file";
    file["id"] = id;
    file["name"] = meta.value("name", "Untitled");
    file["mimeType"] = meta.value("mimeType", call.media ? call.media->content_type : "application/octet-stream");
    if (file["mimeType"] == kFolder && call.media && !content.empty()) {
        const std::string message = "A folder cannot have content.";
        return google_error(400, message, {{message, "invalid"}});
    }
    file["parents"] = parents;
    file["trashed"] = false;
    file["explicitlyTrashed"] = false;
    file["starred"] = meta.value("starred", false);
    file["createdTime"] = now;
    file["modifiedTime"] = now;
    file["owners"] = json::array({{{"kind", "drive#user"},
                                   {"displayName", call.caller.user.substr(0, call.caller.user.find('@'))},
                                   {"emailAddress", call.caller.user},
                                   {"me", true}}});
    file["ownedByMe"] = true;
    file["spaces"] = json::array({"drive"});
    file["version"] = "1";
    if (file["mimeType"] == kFolder) {
        file["webViewLink"] = "https://drive.google.com/drive/folders/" + id;
    } else {
        file["webViewLink"] = "https://drive.google.com/file/d/" + id + "/view?usp=drivesdk";
    }
    if (is_binary(file)) {
        file["size"] = std::to_string(content.size());
        file["md5Checksum"] = md5_hex(content);
        file["sha256Checksum"] = sha256_hex(content);
        file["originalFilename"] = file["name"];
        file["webContentLink"] = "https://drive.google.com/uc?id=" + id + "&export=download";
        const std::string name = file["name"];
        if (const auto dot = name.rfind('.'); dot != std::string::npos && dot + 1 < name.size()) {
            file["fileExtension"] = name.substr(dot + 1);
            file["fullFileExtension"] = name.substr(name.find('.') + 1);
        }
    }
    drive.files[id] = File{file, content, call.caller.client_id, drive.next_sequence++};
    return file_response(call, file);
}

Response DriveService::get(const GoogleCall& call) {
    std::lock_guard lock(mutex_);
    Drive& drive = drive_of(call.caller);
    File* file = find(drive, call.path("fileId"), call.caller);
    if (!file) {
        return file_not_found(call.path("fileId"));
    }
    if (call.param("alt") == std::optional<std::string>("media")) {
        if (!has_any_scope(call.caller, kContentScopes)) {
            const std::string message = "Insufficient Permission: the token's scopes allow metadata only.";
            return google_error(403, message, {{message, "insufficientPermissions"}});
        }
        if (!is_binary(file->resource)) {
            const std::string message =
                "Only files with binary content can be downloaded. Use Export with Docs Editors files.";
            return google_error(403, message, {{message, "fileNotDownloadable", "global", "alt", "parameter"}});
        }
        return Response::text(200, file->content, file->resource.value("mimeType", "application/octet-stream"));
    }
    return file_response(call, file->resource);
}

Response DriveService::exported(const GoogleCall& call) {
    std::lock_guard lock(mutex_);
    Drive& drive = drive_of(call.caller);
    File* file = find(drive, call.path("fileId"), call.caller);
    if (!file) {
        return file_not_found(call.path("fileId"));
    }
    const std::string type = file->resource.value("mimeType", "");
    const auto offered = export_formats().find(type);
    if (offered == export_formats().end()) {
        const std::string message = "Export only supports Docs Editors files.";
        return google_error(403, message, {{message, "fileNotExportable"}});
    }
    const std::string format = call.param("mimeType").value_or("");
    if (std::find(offered->second.begin(), offered->second.end(), format) == offered->second.end()) {
        const std::string message = "The requested conversion is not supported.";
        return google_error(400, message, {{message, "badRequest", "global", "mimeType", "parameter"}});
    }
    // The simulator keeps a Workspace file's imported text: it renders the text formats of it
    // and says so for the others rather than inventing their bytes.
    std::string content;
    if (format == "text/plain" || format == "text/markdown" || format == "text/csv") {
        content = file->content;
    } else if (format == "text/html") {
        content = "<html><body><p>" + html_escaped(file->content) + "</p></body></html>";
    } else {
        return google_error(501, "provider-sim does not render " + format + " exports");
    }
    if (content.size() > kExportLimit) {
        const std::string message = "This file is too large to be exported.";
        return google_error(403, message, {{message, "exportSizeLimitExceeded"}});
    }
    return Response::text(200, content, format == "text/plain" ? "text/plain; charset=utf-8" : format);
}

Response DriveService::about(const GoogleCall& call) {
    if (!call.param("fields")) {
        const std::string message = "The 'fields' parameter is required for this method.";
        return google_error(400, message, {{message, "required", "global", "fields", "parameter"}});
    }
    json formats = json::object();
    for (const auto& [type, targets] : export_formats()) {
        formats[type] = targets;
    }
    json imports = {{"text/plain", {"application/vnd.google-apps.document"}},
                    {"text/html", {"application/vnd.google-apps.document"}},
                    {"text/csv", {"application/vnd.google-apps.spreadsheet"}}};
    const json body{{"kind", "drive#about"},
                    {"user",
                     {{"kind", "drive#user"},
                      {"displayName", call.caller.user.substr(0, call.caller.user.find('@'))},
                      {"emailAddress", call.caller.user},
                      {"me", true}}},
                    {"exportFormats", formats},
                    {"importFormats", imports},
                    {"maxUploadSize", "5242880000000"}};
    return Response::json(200, body.dump()); // `fields` selects from it (GoogleApi)
}

Response DriveService::list(const GoogleCall& call) {
    auto query = DriveQuery::parse(call.param("q").value_or(""));
    if (!query) {
        return google_error(400, "Invalid Value", {{"Invalid Value", "invalid", "global", "q", "parameter"}});
    }
    if (const auto spaces = call.param("spaces"); spaces && *spaces != "drive") {
        return google_error(501, "provider-sim only simulates the 'drive' space");
    }
    std::string order_by = call.param("orderBy").value_or("");
    bool descending = false;
    if (const auto space = order_by.find(' '); space != std::string::npos) {
        descending = order_by.substr(space + 1) == "desc";
        if (!descending) {
            return google_error(400, "Invalid Value", {{"Invalid Value", "invalid", "global", "orderBy", "parameter"}});
        }
        order_by.resize(space);
    }
    if (!order_by.empty() && order_by != "name" && order_by != "createdTime" && order_by != "modifiedTime" &&
        order_by != "folder") {
        return google_error(501, "provider-sim does not sort files by '" + order_by + "'");
    }
    const std::size_t page_size = std::min<std::size_t>(
        std::stoul(call.param("pageSize").value_or(std::to_string(kDefaultFilesPageSize))), kMaxFilesPageSize);
    const std::string scope = "drive.files.list:" + call.caller.user + ":" + call.param("q").value_or("");
    std::size_t offset = 0;
    if (const auto token = call.param("pageToken")) {
        const auto read = read_page_token(scope, *token);
        if (!read) {
            return google_error(400, "Invalid Value",
                                {{"Invalid Value", "invalid", "global", "pageToken", "parameter"}});
        }
        offset = *read;
    }
    std::vector<const File*> hits;
    {
        std::lock_guard lock(mutex_);
        Drive& drive = drive_of(call.caller);
        for (const auto& [id, file] : drive.files) {
            if (id != drive.root_id && visible(drive, file, call.caller) &&
                query->matches(file.resource, call.caller.user, drive.root_id)) {
                hits.push_back(&file);
            }
        }
        std::sort(hits.begin(), hits.end(), [&](const File* a, const File* b) {
            if (order_by.empty()) {
                return a->sequence < b->sequence;
            }
            const auto key = [&](const File* f) {
                if (order_by == "folder") {
                    return std::string(f->resource.value("mimeType", "") == kFolder ? "0" : "1");
                }
                return f->resource.value(order_by, std::string{});
            };
            return descending ? key(a) > key(b) : key(a) < key(b);
        });
        json files = json::array();
        for (std::size_t i = offset; i < hits.size() && i < offset + page_size; ++i) {
            files.push_back(call.param("fields") ? hits[i]->resource : default_view(hits[i]->resource));
        }
        json body{{"kind", "drive#fileList"}, {"incompleteSearch", false}, {"files", files}};
        if (offset + page_size < hits.size()) {
            body["nextPageToken"] = make_page_token(scope, offset + page_size);
        }
        return Response::json(200, body.dump());
    }
}

Response DriveService::remove(const GoogleCall& call) {
    std::lock_guard lock(mutex_);
    Drive& drive = drive_of(call.caller);
    File* file = find(drive, call.path("fileId"), call.caller);
    if (!file) {
        return file_not_found(call.path("fileId"));
    }
    const std::string id = file->resource.at("id");
    if (id == drive.root_id) {
        const std::string message = "The root folder cannot be deleted.";
        return google_error(403, message, {{message, "cannotDeleteRootFolder"}});
    }
    // Deleting a folder deletes what it contains (Drive: "all descendants owned by the user").
    std::vector<std::string> doomed{id};
    for (std::size_t i = 0; i < doomed.size(); ++i) {
        for (const auto& [child_id, child] : drive.files) {
            const auto parents = child.resource.value("parents", json::array());
            if (std::find(parents.begin(), parents.end(), doomed[i]) != parents.end()) {
                doomed.push_back(child_id);
            }
        }
    }
    for (const auto& d : doomed) {
        drive.files.erase(d);
    }
    return Response::empty(204);
}

} // namespace switchboard::sim
