#include "plugins/google_drive/actions.hpp"

#include "plugins/google_drive/drive_api.hpp"
#include "plugins/google_drive/drive_query.hpp"
#include "plugins/google_drive/file_mapping.hpp"
#include "switchboard/params.hpp"

#include "switchboard/url.hpp"

namespace switchboard::plugins::google_drive {

// The contract's default page size (ListFilesParams.max_results) and Drive's maximum.
inline constexpr std::int64_t default_page_size = 100;
inline constexpr std::int64_t max_page_size = 1000;
// The contract's longest page_token: a longer next page token could not be handed back.
inline constexpr std::size_t max_page_token_length = 4096;

sdk::Outcome list_files(sdk::Call& call, std::string_view params_json) {
    sdk::Params params(params_json);
    FileFilter filter;
    if (auto folder = params.string("folder_id", {.min_length = 1})) {
        filter.folder_id = std::move(*folder);
    }
    filter.name_contains = params.string("name_contains");
    filter.mime_type = params.string("mime_type");
    filter.include_trashed = params.boolean("include_trashed").value_or(false);
    const std::int64_t page_size =
        params.integer("max_results", {.min = 1, .max = max_page_size}).value_or(default_page_size);
    const auto page_token = params.string("page_token");
    if (!params.ok()) return params.error();

    sdk::Query query;
    query.add("q", build_list_query(filter));
    query.add("pageSize", std::to_string(page_size));
    query.add("fields", "nextPageToken,files(" + std::string(file_fields) + ")");
    if (page_token && !page_token->empty()) query.add("pageToken", *page_token);
    const sdk::HttpResponse response = call.get(std::string(files_path) + query.str());
    if (!response.ok()) return drive_error(response);

    const auto page = nlohmann::json::parse(response.body, nullptr, false);
    if (!page.is_object()) return unreadable_response("the file list is not a JSON object");
    const auto next = page.find("nextPageToken");
    const bool has_next = next != page.end() && next->is_string() && !next->get_ref<const std::string&>().empty();
    if (has_next && next->get_ref<const std::string&>().size() > max_page_token_length) {
        return unreadable_response("a page token too long to hand on");
    }
    nlohmann::json files = nlohmann::json::array();
    if (const auto list = page.find("files"); list != page.end() && list->is_array()) {
        for (const auto& f : *list) {
            auto file = file_to_contract(f);
            if (!file) return unreadable_response("a listed file lacks an id of 1 to 1024 characters, a name or a mimeType");
            files.push_back(std::move(*file));
        }
    }
    nlohmann::json result = {{"files", std::move(files)}};
    if (has_next) result["next_page_token"] = *next;
    return sdk::Outcome::success(dump(result));
}

} // namespace switchboard::plugins::google_drive
