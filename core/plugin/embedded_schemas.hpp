// The category schemas of sdk/schemas, compiled into the host by sb_embed_files
// (cmake/EmbedFiles.cmake).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace switchboard::plugin {

struct EmbeddedSchema {
    // Relative to sdk/schemas: "calendar.schema.json", "calendar/1.schema.json".
    const char* file_name;
    const unsigned char* data;
    std::size_t size;

    std::string_view text() const noexcept {
        return {reinterpret_cast<const char*>(data), size};
    }
    // True for common.schema.json and each category's current contract, false for a released
    // revision (<category>/<revision>.schema.json), which the host honours but no longer
    // documents.
    bool is_current() const noexcept {
        return std::string_view(file_name).find('/') == std::string_view::npos;
    }
};

// Every *.schema.json of sdk/schemas and its subfolders, sorted by file name.
std::span<const EmbeddedSchema> embedded_schemas() noexcept;

} // namespace switchboard::plugin
