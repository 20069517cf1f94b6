#include "plugins/google_drive/drive_query.hpp"

namespace switchboard::plugins::google_drive {

std::string quote_query_value(std::string_view value) {
    std::string out = "'";
    for (const char c : value) {
        if (c == '\'' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('\'');
    return out;
}

std::string build_list_query(const FileFilter& filter) {
    std::string q = quote_query_value(filter.folder_id) + " in parents";
    if (!filter.include_trashed) q += " and trashed = false";
    if (filter.name_contains) q += " and name contains " + quote_query_value(*filter.name_contains);
    if (filter.mime_type) q += " and mimeType = " + quote_query_value(*filter.mime_type);
    return q;
}

} // namespace switchboard::plugins::google_drive
