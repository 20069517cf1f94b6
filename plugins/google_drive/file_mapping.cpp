#include "plugins/google_drive/file_mapping.hpp"

#include "plugins/google_drive/drive_api.hpp"

#include <charconv>
#include <cstdint>
#include <string>

namespace switchboard::plugins::google_drive {
namespace {

const std::string* string_member(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

bool digits_in(std::string_view text, std::size_t at, std::size_t n, int min, int max) {
    if (at + n > text.size()) return false;
    int value = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
        value = value * 10 + (text[i] - '0');
    }
    return value >= min && value <= max;
}

// The contract's bounds (sdk/schemas/drive.schema.json), in bytes: never more code points.
constexpr std::size_t max_id_length = 1024;
constexpr std::size_t max_date_time_length = 64;
constexpr std::size_t max_link_length = 8192;

bool is_md5_hex(std::string_view text) {
    if (text.size() != 32) return false;
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

} // namespace

bool is_rfc3339_date_time(std::string_view t) {
    // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
    if (t.size() < 20 || !digits_in(t, 0, 4, 0, 9999) || t[4] != '-' || !digits_in(t, 5, 2, 1, 12) ||
        t[7] != '-' || !digits_in(t, 8, 2, 1, 31) || (t[10] != 'T' && t[10] != 't') ||
        !digits_in(t, 11, 2, 0, 23) || t[13] != ':' || !digits_in(t, 14, 2, 0, 59) || t[16] != ':' ||
        !digits_in(t, 17, 2, 0, 60)) {
        return false;
    }
    std::size_t i = 19;
    if (i < t.size() && t[i] == '.') {
        const std::size_t start = ++i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
        if (i == start) return false;
    }
    const std::string_view zone = t.substr(i);
    if (zone == "Z" || zone == "z") return true;
    return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digits_in(zone, 1, 2, 0, 23) &&
           zone[3] == ':' && digits_in(zone, 4, 2, 0, 59);
}

std::optional<nlohmann::json> file_to_contract(const nlohmann::json& file) {
    if (!file.is_object()) return std::nullopt;
    const std::string* id = string_member(file, "id");
    const std::string* name = string_member(file, "name");
    const std::string* mime_type = string_member(file, "mimeType");
    if (id == nullptr || id->empty() || id->size() > max_id_length || name == nullptr || mime_type == nullptr) {
        return std::nullopt;
    }

    nlohmann::json out = {{"id", *id},
                          {"name", *name},
                          {"mime_type", *mime_type},
                          {"is_folder", *mime_type == folder_mime_type}};
    if (const std::string* size = string_member(file, "size")) { // int64 travels as a string
        std::int64_t value = 0;
        const auto [end, ec] = std::from_chars(size->data(), size->data() + size->size(), value);
        if (ec == std::errc() && end == size->data() + size->size() && value >= 0) out["size"] = value;
    }
    if (const auto parents = file.find("parents"); parents != file.end() && parents->is_array()) {
        nlohmann::json ids = nlohmann::json::array();
        for (const auto& p : *parents) {
            if (p.is_string()) ids.push_back(p);
        }
        out["parent_ids"] = std::move(ids);
    }
    if (const std::string* description = string_member(file, "description")) out["description"] = *description;
    for (const auto& [from, to] : {std::pair{"createdTime", "created_at"}, {"modifiedTime", "modified_at"}}) {
        if (const std::string* time = string_member(file, from);
            time != nullptr && time->size() <= max_date_time_length && is_rfc3339_date_time(*time)) {
            out[to] = *time;
        }
    }
    if (const std::string* link = string_member(file, "webViewLink");
        link != nullptr && !link->empty() && link->size() <= max_link_length) {
        out["web_link"] = *link;
    }
    if (const std::string* md5 = string_member(file, "md5Checksum"); md5 != nullptr && is_md5_hex(*md5)) {
        out["md5"] = *md5;
    }
    return out;
}

} // namespace switchboard::plugins::google_drive
