#include "plugins/google_drive/upload.hpp"

#include "plugins/google_drive/drive_api.hpp"

#include "switchboard/url.hpp"

#include <charconv>
#include <random>

namespace switchboard::plugins::google_drive {
namespace {

constexpr int boundary_attempts = 8;

std::string upload_request_path(std::string_view upload_type) {
    return std::string(upload_path) +
           sdk::Query().add("uploadType", upload_type).add("fields", file_fields).str();
}

// The File of a final 200/201 answer.
UploadResult created_file(const sdk::HttpResponse& response) {
    auto file = nlohmann::json::parse(response.body, nullptr, false);
    if (!file.is_object()) return unreadable_response("the uploaded file's metadata is not JSON");
    return file;
}

bool is_success(const sdk::HttpResponse& r) {
    return r.host_status == SB_STATUS_OK && (r.status == 200 || r.status == 201);
}

} // namespace

std::string random_hex_token() {
    static constexpr char hex[] = "0123456789abcdef";
    std::random_device device;
    std::string out;
    for (int i = 0; i < 4; ++i) {
        std::uint32_t word = device();
        for (int k = 0; k < 8; ++k, word >>= 4) out.push_back(hex[word & 0xF]);
    }
    return out;
}

std::optional<MultipartBody> multipart_related_body(std::string_view metadata_json,
                                                    std::string_view mime_type,
                                                    std::string_view content,
                                                    const std::function<std::string()>& random_token) {
    for (int attempt = 0; attempt < boundary_attempts; ++attempt) {
        const std::string boundary = "sb_" + random_token();
        const std::string delimiter = "--" + boundary;
        // RFC 2046 §5.1.1: the delimiter must not occur in any part. The content is binary,
        // so only checking makes sure.
        if (content.find(delimiter) != std::string_view::npos ||
            metadata_json.find(delimiter) != std::string_view::npos) {
            continue;
        }
        MultipartBody out;
        out.content_type = "multipart/related; boundary=" + boundary;
        out.body.reserve(content.size() + metadata_json.size() + 256);
        out.body += delimiter + "\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n";
        out.body += metadata_json;
        out.body += "\r\n" + delimiter + "\r\nContent-Type: " + std::string(mime_type) + "\r\n\r\n";
        out.body += content;
        out.body += "\r\n" + delimiter + "--\r\n";
        return out;
    }
    return std::nullopt;
}

std::optional<std::string> session_path(std::string_view location) {
    while (!location.empty() && (location.front() == ' ' || location.front() == '\t')) location.remove_prefix(1);
    while (!location.empty() && (location.back() == ' ' || location.back() == '\t')) location.remove_suffix(1);
    std::string_view path = location;
    if (const std::size_t scheme = location.find("://"); scheme != std::string_view::npos) {
        const std::size_t slash = location.find('/', scheme + 3);
        if (slash == std::string_view::npos) return std::nullopt;
        path = location.substr(slash);
    }
    const std::size_t at = path.find(upload_path);
    if (!path.starts_with('/') || at == std::string_view::npos) return std::nullopt;
    path = path.substr(at);
    if (path.size() > upload_path.size() && path[upload_path.size()] != '?' && path[upload_path.size()] != '/') {
        return std::nullopt; // "/upload/drive/v3/filesX"
    }
    for (const char c : path) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7F || c == '#') return std::nullopt;
    }
    return std::string(path);
}

std::optional<std::size_t> received_bytes(const sdk::HttpResponse& response) {
    const std::string* range = response.header("range");
    if (range == nullptr) return 0; // Drive holds nothing yet
    std::string_view r = *range;
    if (!r.starts_with("bytes=")) return std::nullopt;
    r.remove_prefix(6);
    const std::size_t dash = r.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    std::size_t first = 0;
    std::size_t last = 0;
    const auto a = std::from_chars(r.data(), r.data() + dash, first);
    const auto b = std::from_chars(r.data() + dash + 1, r.data() + r.size(), last);
    if (a.ec != std::errc() || a.ptr != r.data() + dash || b.ec != std::errc() ||
        b.ptr != r.data() + r.size() || first != 0 || last < first) {
        return std::nullopt;
    }
    return last + 1;
}

UploadResult upload_multipart(sdk::Call& call, const nlohmann::json& metadata,
                              std::string_view mime_type, std::string_view content,
                              const UploadSettings& settings) {
    const auto body = multipart_related_body(dump(metadata), mime_type, content, settings.random_token);
    if (!body) return sdk::Outcome::internal("no multipart boundary absent from the content was found");
    const sdk::HttpResponse response =
        call.send({"POST", upload_request_path("multipart"), {{"Content-Type", body->content_type}}, body->body});
    if (!response.ok()) return drive_error(response);
    return created_file(response);
}

UploadResult upload_resumable(sdk::Call& call, const nlohmann::json& metadata,
                              std::string_view mime_type, std::string_view content,
                              const UploadSettings& settings) {
    const std::string total = std::to_string(content.size());
    const sdk::HttpResponse started = call.send({"POST",
                                                 upload_request_path("resumable"),
                                                 {{"Content-Type", "application/json; charset=UTF-8"},
                                                  {"X-Upload-Content-Type", std::string(mime_type)},
                                                  {"X-Upload-Content-Length", total}},
                                                 dump(metadata)});
    if (!started.ok()) return drive_error(started);
    const std::string* location = started.header("location");
    const auto path = location != nullptr ? session_path(*location) : std::nullopt;
    if (!path) return unreadable_response("the resumable upload session has no usable Location");

    std::size_t offset = 0;
    int stalls = 0;
    int recoveries = 0;
    bool query_status = false;
    while (true) {
        sdk::HttpResponse r;
        const bool status_query = query_status || offset >= content.size();
        if (status_query) {
            // Where is the upload? (An empty PUT with an unknown range.)
            r = call.send({"PUT", *path, {{"Content-Range", "bytes */" + total}}, {}});
            query_status = false;
        } else {
            const std::size_t length = std::min(settings.chunk_size, content.size() - offset);
            r = call.send({"PUT",
                           *path,
                           {{"Content-Range", "bytes " + std::to_string(offset) + "-" +
                                                  std::to_string(offset + length - 1) + "/" + total}},
                           std::string(content.substr(offset, length))});
        }
        if (is_success(r)) return created_file(r);
        if (r.host_status == SB_STATUS_OK && r.status == 308) {
            const auto held = received_bytes(r);
            if (!held || *held > content.size()) {
                return unreadable_response("the upload's Range header is not valid");
            }
            stalls = *held > offset ? 0 : stalls + 1;
            if (stalls > settings.max_stalls) {
                return sdk::Outcome::error(SB_STATUS_UNAVAILABLE, "upload_stalled",
                                           "Google Drive stopped accepting the upload's data at byte " +
                                               std::to_string(*held) + " of " + total);
            }
            offset = *held;
            continue;
        }
        if (r.host_status == SB_STATUS_OK && (r.status == 404 || r.status == 410)) {
            return sdk::Outcome::error(SB_STATUS_UNAVAILABLE, "upload_session_expired",
                                       "the resumable upload session expired (HTTP " +
                                           std::to_string(r.status) + "); upload the file again");
        }
        const bool transient = r.host_status == SB_STATUS_UNAVAILABLE || (r.host_status == SB_STATUS_OK && r.status >= 500);
        // A chunk refused with 400 may be one Drive already holds: the host's HTTP client
        // repeats a PUT whose answer was lost, and the repeat no longer starts where the
        // upload stands. Ask Drive where it stands rather than fail the upload.
        const bool out_of_step = !status_query && r.host_status == SB_STATUS_OK && r.status == 400;
        if ((transient || out_of_step) && recoveries < settings.max_recoveries) {
            ++recoveries;
            query_status = true;
            continue;
        }
        return drive_error(r);
    }
}

UploadResult upload(sdk::Call& call, const nlohmann::json& metadata, std::string_view mime_type,
                    std::string_view content, const UploadSettings& settings) {
    if (content.size() <= settings.multipart_limit) {
        return upload_multipart(call, metadata, mime_type, content, settings);
    }
    return upload_resumable(call, metadata, mime_type, content, settings);
}

} // namespace switchboard::plugins::google_drive
