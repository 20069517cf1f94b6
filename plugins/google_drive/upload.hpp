// Sending a file's bytes to Drive (drive.files.create with media), in one of Google's two
// upload protocols (https://developers.google.com/drive/api/guides/manage-uploads):
//
//   multipart  one POST /upload/drive/v3/files?uploadType=multipart, a multipart/related body
//              holding the JSON metadata then the bytes. For files up to 5 MiB.
//   resumable  POST /upload/drive/v3/files?uploadType=resumable with the metadata opens a
//              session whose URI comes back in Location; the bytes then go in PUT requests of
//              chunk_size (a multiple of 256 KiB) with Content-Range. 308 (Resume Incomplete)
//              says how much Drive holds (Range: bytes=0-N); 200/201 ends with the File. A
//              5xx or a lost connection is followed by a status query (PUT, Content-Range:
//              bytes */total, no body) and the upload resumes where Drive says; so is a 400
//              to a chunk, which is what a chunk Drive already holds gets when the host's
//              client repeats a PUT whose answer was lost.
//
// Both ask for drive_api.hpp's file_fields so the final File carries what the contract needs.
#pragma once

#include "switchboard/host.hpp"
#include "switchboard/outcome.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace switchboard::plugins::google_drive {

inline constexpr std::size_t resumable_granularity = 256 * 1024; // Google's chunk unit

struct UploadSettings {
    // Files up to this size go in one multipart request (Google's limit for it is 5 MB).
    std::size_t multipart_limit = 5 * 1024 * 1024;
    // Bytes per PUT of a resumable upload; a multiple of resumable_granularity.
    std::size_t chunk_size = 32 * resumable_granularity; // 8 MiB
    // 308 answers in a row that move the upload no further before it is given up.
    int max_stalls = 3;
    // Status queries after a failed chunk (5xx, 400 or no answer, after the host's retries).
    int max_recoveries = 3;
    // A boundary's random part; drawn anew if the content holds the delimiter.
    std::function<std::string()> random_token;
};

// The Drive File that was created (as Drive returned it), or the error Outcome.
using UploadResult = sdk::Checked<nlohmann::json>;

// Uploads `content` with `metadata` (a File object: name, mimeType, parents, description),
// multipart or resumable by its size.
UploadResult upload(sdk::Call& call, const nlohmann::json& metadata, std::string_view mime_type,
                    std::string_view content, const UploadSettings& settings);

UploadResult upload_multipart(sdk::Call& call, const nlohmann::json& metadata,
                              std::string_view mime_type, std::string_view content,
                              const UploadSettings& settings);

UploadResult upload_resumable(sdk::Call& call, const nlohmann::json& metadata,
                              std::string_view mime_type, std::string_view content,
                              const UploadSettings& settings);

// The multipart/related body and its Content-Type for `metadata_json` then `content`, with a
// boundary found in neither; nullopt if 8 random boundaries all were.
struct MultipartBody {
    std::string content_type; // multipart/related; boundary=...
    std::string body;
};
std::optional<MultipartBody> multipart_related_body(std::string_view metadata_json,
                                                    std::string_view mime_type,
                                                    std::string_view content,
                                                    const std::function<std::string()>& random_token);

// The path, relative to the API base URL, of a resumable session from its Location header:
// the part from "/upload/drive/v3/files" on. The base URL may be a simulator's (with a path
// prefix), so the host and anything before that are dropped. nullopt when the Location holds
// no such path or characters a request path cannot have.
std::optional<std::string> session_path(std::string_view location);

// How many bytes Drive holds by a 308's Range header ("bytes=0-N" -> N+1; no header -> 0);
// nullopt when the header is malformed.
std::optional<std::size_t> received_bytes(const sdk::HttpResponse& response);

// 32 random lower-case hex digits from std::random_device.
std::string random_hex_token();

} // namespace switchboard::plugins::google_drive
