// The `q` of drive.files.list (Drive's search query language), built from the contract's
// ListFilesParams so that no value can change the query's structure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchboard::plugins::google_drive {

struct FileFilter {
    std::string folder_id = "root"; // "root" is Drive's alias for My Drive's top folder
    std::optional<std::string> name_contains;
    std::optional<std::string> mime_type;
    bool include_trashed = false;
};

// `value` as a Drive query string literal: in single quotes, with ' and \ escaped by a
// backslash (the escapes Drive's query language defines).
std::string quote_query_value(std::string_view value);

// "'<folder>' in parents and trashed = false [and name contains '...'] [and mimeType = '...']";
// the trashed term is left out when trashed files are wanted too.
std::string build_list_query(const FileFilter& filter);

} // namespace switchboard::plugins::google_drive
