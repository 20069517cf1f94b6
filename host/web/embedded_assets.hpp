// The integrations page's files (host/web/assets) and the category contracts it builds its
// action forms from (sdk/schemas), compiled into the host by sb_embed_files
// (cmake/EmbedFiles.cmake).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace switchboard::web {

struct EmbeddedAsset {
    const char* file_name; // e.g. "app.css": served as /assets/app.css
    const unsigned char* data;
    std::size_t size;

    std::string_view text() const noexcept {
        return {reinterpret_cast<const char*>(data), size};
    }
};

// Every file of host/web/assets and sdk/schemas/*.schema.json, sorted by name.
std::span<const EmbeddedAsset> embedded_assets() noexcept;

} // namespace switchboard::web
