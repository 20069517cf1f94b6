// Drive File resources (drive_v3.json "File", the fields of drive_api.hpp's file_fields) in
// the drive contract's File shape (sdk/schemas/drive.schema.json).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

namespace switchboard::plugins::google_drive {

// {id, name, mime_type, is_folder, size, parent_ids, description, created_at, modified_at,
// web_link, md5} from a Drive File. id (1 to 1024 characters), name and mimeType are
// required (nullopt without them); the rest is copied when present and well formed: size is
// Drive's int64 string made an integer, times must be RFC 3339 of at most 64 characters,
// web_link at most 8192, md5 32 lower-case hex digits.
std::optional<nlohmann::json> file_to_contract(const nlohmann::json& file);

// True when `text` is an RFC 3339 date-time ("2024-06-01T12:00:00.000Z", "...+02:00").
bool is_rfc3339_date_time(std::string_view text);

} // namespace switchboard::plugins::google_drive
