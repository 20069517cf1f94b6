#include "host/web/asset_catalog.hpp"

#include <array>
#include <cstdint>
#include <stdexcept>
#include <utility>

namespace switchboard::web {

namespace {

struct MediaType {
    std::string_view extension;
    std::string_view type;
};

constexpr std::array<MediaType, 7> kMediaTypes{{
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".json", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
}};

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

} // namespace

std::string_view media_type_of(std::string_view file_name) {
    for (const auto& [extension, type] : kMediaTypes) {
        if (ends_with(file_name, extension)) {
            return type;
        }
    }
    return {};
}

std::string etag_of(std::string_view bytes) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    static constexpr char digits[] = "0123456789abcdef";
    std::string out = "\"";
    for (int shift = 60; shift >= 0; shift -= 4) {
        out.push_back(digits[(hash >> shift) & 0xfU]);
    }
    out.push_back('"');
    return out;
}

AssetCatalog::AssetCatalog(std::span<const EmbeddedAsset> assets) {
    for (const auto& embedded : assets) {
        const std::string_view type = media_type_of(embedded.file_name);
        if (type.empty()) {
            throw std::invalid_argument(std::string("web asset '") + embedded.file_name +
                                        "' has an extension with no known media type");
        }
        const std::string_view body = embedded.text();
        assets_.emplace(embedded.file_name, Asset{body, std::string(type), etag_of(body)});
    }
}

const Asset* AssetCatalog::find(std::string_view name) const {
    const auto it = assets_.find(name);
    return it == assets_.end() ? nullptr : &it->second;
}

} // namespace switchboard::web
