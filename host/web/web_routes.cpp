#include "host/web/web_routes.hpp"

#include "host/server/error_response.hpp"
#include "host/web/asset_catalog.hpp"
#include "host/web/page_headers.hpp"

#include <memory>
#include <stdexcept>
#include <string>

namespace switchboard::web {

namespace http = server::http;
using server::Request;
using server::Response;

namespace {

// If-None-Match names the current ETag (or is "*"): the browser's copy is fresh.
bool still_fresh(const Request& request, std::string_view etag) {
    const std::string_view header = request.header("If-None-Match");
    if (header.empty()) {
        return false;
    }
    if (header == "*") {
        return true;
    }
    // A list of entity tags; weak ones ("W/...") compare by their opaque part.
    std::size_t start = 0;
    while (start < header.size()) {
        std::size_t end = header.find(',', start);
        if (end == std::string_view::npos) {
            end = header.size();
        }
        std::string_view tag = header.substr(start, end - start);
        while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
        while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
        if (tag.substr(0, 2) == "W/") {
            tag.remove_prefix(2);
        }
        if (tag == etag) {
            return true;
        }
        start = end + 1;
    }
    return false;
}

Response serve(const Request& request, const Asset& asset, std::string_view cache_control) {
    Response response;
    set_page_headers(response.headers);
    response.headers.set(http::field::cache_control, cache_control);
    response.headers.set(http::field::etag, asset.etag);
    if (still_fresh(request, asset.etag)) {
        response.status = http::status::not_modified;
        response.content_type.clear();
        return response;
    }
    response.content_type = asset.content_type;
    response.body = std::string(asset.body);
    return response;
}

} // namespace

void add_web_routes(server::Router& router) {
    auto catalog = std::make_shared<const AssetCatalog>(embedded_assets());
    const Asset* page = catalog->find(page_file);
    if (page == nullptr) {
        throw std::invalid_argument("the embedded web assets have no " + std::string(page_file));
    }
    // The page's URL may carry a one-time completion code: no copy of it is kept anywhere.
    for (const auto path : page_paths) {
        router.add(
            http::verb::get, path,
            [catalog, page](const Request& request) { return serve(request, *page, "no-store"); },
            server::Execution::io_thread);
    }
    // Revalidated on every use (cheap with the ETag), so a new build's page is never mixed
    // with an old build's scripts.
    router.add(
        http::verb::get, std::string(assets_path) + "/{file}",
        [catalog](const Request& request) {
            const Asset* asset = catalog->find(request.path_param("file"));
            if (asset == nullptr) {
                auto response = server::error_response(
                    http::status::not_found, "asset_not_found",
                    "the page has no file '" + std::string(request.path_param("file").substr(0, 128)) +
                        "'",
                    request.request_id);
                set_page_headers(response.headers);
                return response;
            }
            return serve(request, *asset, "no-cache");
        },
        server::Execution::io_thread);
}

} // namespace switchboard::web
