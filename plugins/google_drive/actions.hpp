// The drive category's actions for Google Drive. Each takes the call (HTTP through the host)
// and the raw params JSON and returns the contract's result or an error Outcome.
#pragma once

#include "plugins/google_drive/upload.hpp"

#include "switchboard/host.hpp"
#include "switchboard/outcome.hpp"

#include <cstddef>
#include <string_view>

namespace switchboard::plugins::google_drive {

// download_file refuses files larger than this before fetching them (SB_STATUS_UNSUPPORTED,
// "file_too_large"): the content travels base64-encoded inside one JSON result. 16 MiB is the
// host's default limit on a provider's response body (its 4/3 in base64 stays under the
// default 32 MiB result limit); a larger file would only fail later, less clearly.
inline constexpr std::size_t max_download_size = 16 * 1024 * 1024;

// upload_file: multipart up to settings.multipart_limit, resumable above. -> File
sdk::Outcome upload_file(sdk::Call& call, std::string_view params_json, const UploadSettings& settings);

// download_file: drive.files.get for the metadata, then with alt=media for the bytes; larger
// than max_download_size: SB_STATUS_UNSUPPORTED "file_too_large" (the proxy takes those). A
// Google Docs, Sheets, Slides... file (application/vnd.google-apps.*) has no bytes of its own:
// it is exported (drive.files.export) in `export_format`, which must be one Google offers for
// its type (drive.about.get exportFormats): otherwise SB_STATUS_INVALID_INPUT
// "export_format_required" / "export_format_not_offered" listing them. export_format on a
// file with bytes: "export_not_applicable"; a folder: "not_a_file". -> DownloadFileResult
sdk::Outcome download_file(sdk::Call& call, std::string_view params_json);

// list_files: drive.files.list with a query built by drive_query.hpp. -> ListFilesResult
sdk::Outcome list_files(sdk::Call& call, std::string_view params_json);

// create_folder: drive.files.create with the folder MIME type, no media. -> File
sdk::Outcome create_folder(sdk::Call& call, std::string_view params_json);

// delete_file: drive.files.delete (permanent, not to the trash). -> {"deleted":true,"file_id"}
sdk::Outcome delete_file(sdk::Call& call, std::string_view params_json);

} // namespace switchboard::plugins::google_drive
