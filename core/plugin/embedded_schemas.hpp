// The category schemas of sdk/schemas, compiled into the host by sb_embed_files
// (cmake/EmbedFiles.cmake).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace switchboard::detail {

struct EmbeddedSchema {
    const char* file_name; // e.g. "calendar.schema.json"
    const unsigned char* data;
    std::size_t size;

    std::string_view text() const noexcept {
        return {reinterpret_cast<const char*>(data), size};
    }
};

// Every *.schema.json of sdk/schemas, sorted by file name.
std::span<const EmbeddedSchema> embedded_schemas() noexcept;

} // namespace switchboard::detail
