// The page's files by name, each with the media type it is served as and a strong ETag of its
// bytes (so a browser revalidates cheaply instead of downloading again).
#pragma once

#include "host/web/embedded_assets.hpp"

#include <map>
#include <span>
#include <string>
#include <string_view>

namespace switchboard::web {

struct Asset {
    std::string_view body;
    std::string content_type; // e.g. "text/javascript; charset=utf-8"
    std::string etag;         // quoted, e.g. "\"5f1c...\""
};

class AssetCatalog {
public:
    // Every asset of `assets`; a file whose extension has no known media type is a build
    // mistake: std::invalid_argument naming it (found at start-up, like a bad route).
    explicit AssetCatalog(std::span<const EmbeddedAsset> assets);

    // The asset named `name` ("app.css"), or nullptr.
    const Asset* find(std::string_view name) const;

private:
    std::map<std::string, Asset, std::less<>> assets_;
};

// The media type of a file name by its extension; empty when unknown.
std::string_view media_type_of(std::string_view file_name);

// The strong ETag of `bytes`: a quoted 64-bit FNV-1a digest in hex. Not a security measure:
// it only has to change when the file does.
std::string etag_of(std::string_view bytes);

} // namespace switchboard::web
