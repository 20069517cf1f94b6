// The Drive API v3 requests this plugin makes (discovery: specs/google/drive_v3.json; paths
// relative to rootUrl https://www.googleapis.com/, service path drive/v3/), and what their
// answers have in common.
//
//   drive.files.create (metadata)  POST   /drive/v3/files?fields=...
//   drive.files.create (media)     POST   /upload/drive/v3/files?uploadType=multipart|resumable&fields=...
//                                  PUT    <the resumable session's path>  (the chunks)
//   drive.files.get                GET    /drive/v3/files/{fileId}?fields=...   and   ?alt=media
//   drive.files.export             GET    /drive/v3/files/{fileId}/export?mimeType=...
//   drive.about.get                GET    /drive/v3/about?fields=exportFormats
//   drive.files.list               GET    /drive/v3/files?q=...&pageSize=...&fields=...[&pageToken=...]
//   drive.files.delete             DELETE /drive/v3/files/{fileId}
#pragma once

#include "switchboard/host.hpp"
#include "switchboard/outcome.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace switchboard::plugins::google_drive {

inline constexpr std::string_view files_path = "/drive/v3/files";
inline constexpr std::string_view upload_path = "/upload/drive/v3/files";
inline constexpr std::string_view about_path = "/drive/v3/about";
inline constexpr std::string_view folder_mime_type = "application/vnd.google-apps.folder";
// Google Docs, Sheets, Slides, Forms, shortcuts, folders...: no bytes to download.
inline constexpr std::string_view google_apps_prefix = "application/vnd.google-apps.";

// The File fields every answer asks for (partial response, `fields` system parameter), so
// results carry what the contract's File holds.
inline constexpr std::string_view file_fields =
    "id,name,mimeType,size,parents,createdTime,modifiedTime,webViewLink,md5Checksum,description";

// "/drive/v3/files/{fileId}", the id percent-encoded.
std::string file_path(std::string_view file_id);

// The Outcome for a Drive answer that is not a success: Google's error body, 403 rate-limit
// reasons and the SDK's usual mapping (plugins/common/google_api_error.hpp), except a full
// Drive (403 storageQuotaExceeded), which no retry or reconnect fixes: SB_STATUS_INVALID_INPUT
// "storage_quota_exceeded".
sdk::Outcome drive_error(const sdk::HttpResponse& response);

// A 2xx answer this plugin cannot read: Drive misbehaved, retrying may help.
sdk::Outcome unreadable_response(std::string_view what);

// `value` as JSON text, ill-formed UTF-8 replaced by U+FFFD rather than thrown.
std::string dump(const nlohmann::json& value);

} // namespace switchboard::plugins::google_drive
